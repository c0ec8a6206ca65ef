"""Load Vietnam's administrative hierarchy, before and after 1 July 2025, into OrgUnit.

Owns: orgunits_load(), the only writer of the official (non-village) units.
Source: the `vietnamadminunits` package (63 provinces / 696 districts / 10,035 communes valid
until 30/6/2025, 34 provinces / 3,321 communes since 1/7/2025, codes, centroids, and the
old -> new conversion with the official default successor of split communes).
Invariants: idempotent (a second run writes nothing); identity follows models.OrgUnit (same level,
code and name on both sides = one unit). The pre-reform tree is the package's mid-2025 snapshot:
the dates on which older units were created are unknown, so their valid_from stays NULL.
Not here: villages (services.village_*), agencies, the scope table (services.orgunit_scope_rebuild).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import vietnamadminunits
from django.db import transaction

from pcmd.common.text import search_key
from pcmd.orgunits.models import REFORM_DATE, OrgUnit, OrgUnitLink, OrgUnitSuccession

Progress = Callable[[int, int, str], None]
"""progress(done, total, message): called as the load advances."""

LAST_OLD_DAY = REFORM_DATE - timedelta(days=1)
SOURCE = "vietnamadminunits"
NATIONAL_KEY = "national:VN:viet nam"  # the full name is the short name

_DATA_DIR = Path(vietnamadminunits.__file__).parent / "data"

_PROVINCE_KIND = {"Tỉnh": OrgUnit.Kind.PROVINCE, "Thành phố": OrgUnit.Kind.CENTRAL_CITY}
_DISTRICT_KIND = {
    "Huyện": OrgUnit.Kind.RURAL_DISTRICT,
    "Quận": OrgUnit.Kind.URBAN_DISTRICT,
    "Thị xã": OrgUnit.Kind.DISTRICT_TOWN,
    "Thành phố": OrgUnit.Kind.PROVINCIAL_CITY,
}
_WARD_KIND = {
    "Xã": OrgUnit.Kind.COMMUNE,
    "Phường": OrgUnit.Kind.WARD,
    "Thị trấn": OrgUnit.Kind.TOWNSHIP,
    "Đặc khu": OrgUnit.Kind.SPECIAL_ZONE,
}


@dataclass
class _Unit:
    level: str
    kind: str
    code: str
    name: str
    short_name: str
    latitude: float | None = None
    longitude: float | None = None
    old: bool = False
    new: bool = False

    @property
    def natural_key(self) -> str:
        # The full name, kind word included: "Thị trấn Hà Long" that became "Xã Hà Long" under
        # the same code is a new unit (a renamed unit), not the same one.
        return f"{self.level}:{self.code}:{search_key(self.name)}"

    def valid_range(self) -> tuple[date | None, date | None]:
        if self.old and self.new:
            return None, None
        if self.old:
            return None, LAST_OLD_DAY
        return REFORM_DATE, None


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    links_created: int = 0
    links_updated: int = 0
    successions_created: int = 0
    unmatched_conversions: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _compact(key: str) -> str:
    """The package's keys are ASCII without spaces; a few carry stray diacritics."""
    return re.sub(r"[^a-z0-9]", "", search_key(key))


def _read_rows(table: str) -> list[dict[str, Any]]:
    # The package ships its data as SQLite; read it directly (read-only) to avoid its parser.
    uri = f"file:{_DATA_DIR / 'dataset.db'}?mode=ro"
    with sqlite3.connect(uri, uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT * FROM [{table}]")]  # noqa: S608


def _read_source() -> tuple[
    dict[str, _Unit], list[tuple[str, str, str]], list[tuple[str, str, bool]], list[str]
]:
    """Units by natural key, parent links (child, parent, era), successions (old, new, default)
    and the conversion keys that matched no old unit."""
    units: dict[str, _Unit] = {}
    links: list[tuple[str, str, str]] = []
    successions: list[tuple[str, str, bool]] = []

    def add(unit: _Unit, era: str) -> str:
        key = unit.natural_key
        existing = units.setdefault(key, unit)
        if era == "old":
            existing.old = True
        else:
            existing.new = True
        if existing.latitude is None:
            existing.latitude, existing.longitude = unit.latitude, unit.longitude
        return key

    def prefix_of(name: str, short: str) -> str:
        return name[: len(name) - len(short)].strip()

    old_by_compact: dict[str, str] = {}
    old_province_by_compact: dict[str, str] = {}
    seen_links: set[tuple[str, str, str]] = set()

    def link(child: str, parent: str, era: str) -> None:
        if (child, parent, era) not in seen_links:
            seen_links.add((child, parent, era))
            links.append((child, parent, era))

    for row in _read_rows("admin_units_legacy"):
        prov = _Unit(
            OrgUnit.Level.PROVINCE,
            _PROVINCE_KIND[prefix_of(row["province"], row["provinceShort"])],
            row["provinceCode"],
            row["province"],
            row["provinceShort"],
            row["provinceLat"],
            row["provinceLon"],
        )
        pkey = add(prov, "old")
        old_province_by_compact[row["provinceKey"]] = pkey
        dist = _Unit(
            OrgUnit.Level.DISTRICT,
            _DISTRICT_KIND[row["districtType"]],
            row["districtCode"],
            row["district"],
            row["districtShort"],
            row["districtLat"],
            row["districtLon"],
        )
        dkey = add(dist, "old")
        link(pkey, NATIONAL_KEY, "old")
        link(dkey, pkey, "old")
        old_by_compact[f"{row['provinceKey']}_{row['districtKey']}_"] = dkey
        if not row["wardCode"]:
            continue  # island districts without communes
        ward = _Unit(
            OrgUnit.Level.COMMUNE,
            _WARD_KIND[row["wardType"]],
            row["wardCode"],
            row["ward"],
            row["wardShort"],
            row["wardLat"],
            row["wardLon"],
        )
        wkey = add(ward, "old")
        link(wkey, dkey, "old")
        old_by_compact[f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}"] = wkey

    new_by_compact: dict[tuple[str, str], str] = {}
    new_province_by_compact: dict[str, str] = {}
    for row in _read_rows("admin_units"):
        prov = _Unit(
            OrgUnit.Level.PROVINCE,
            _PROVINCE_KIND[prefix_of(row["province"], row["provinceShort"])],
            row["provinceCode"],
            row["province"],
            row["provinceShort"],
            row["provinceLat"],
            row["provinceLon"],
        )
        pkey = add(prov, "new")
        new_province_by_compact[row["provinceKey"]] = pkey
        ward = _Unit(
            OrgUnit.Level.COMMUNE,
            _WARD_KIND[row["wardType"]],
            row["wardCode"],
            row["ward"],
            row["wardShort"],
            row["wardLat"],
            row["wardLon"],
        )
        wkey = add(ward, "new")
        link(pkey, NATIONAL_KEY, "new")
        link(wkey, pkey, "new")
        new_by_compact[(row["provinceKey"], row["wardKey"])] = wkey

    conversion = json.loads((_DATA_DIR / "converter_2025.json").read_text(encoding="utf-8"))
    for new_prov, old_provs in conversion["DICT_PROVINCE"].items():
        for old_prov in old_provs:
            old_key, new_key = old_province_by_compact[old_prov], new_province_by_compact[new_prov]
            if old_key != new_key:
                successions.append((old_key, new_key, True))
    old_compact_index = {_compact(k): v for k, v in old_by_compact.items()}
    unmatched: list[str] = []

    def old_unit(raw: str) -> str | None:
        found = old_by_compact.get(raw)
        if found is None:
            prov, dist, ward = (raw.split("_") + ["", ""])[:3]
            found = old_compact_index.get(f"{_compact(prov)}{_compact(dist)}{_compact(ward)}")
        if found is None:
            unmatched.append(raw)
        return found

    for new_prov, wards in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, olds in wards.items():
            new_key = new_by_compact[(new_prov, new_ward)]
            for raw in olds:
                found = old_unit(raw)
                if found and found != new_key:
                    successions.append((found, new_key, True))
    for new_prov, olds in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        for raw, parts in olds.items():
            found = old_unit(raw)
            if not found:
                continue
            for part in parts:
                new_key = new_by_compact[(new_prov, part["newWardKey"])]
                if found != new_key:
                    successions.append((found, new_key, bool(part["isDefaultNewWard"])))
    return units, links, successions, unmatched


def _iter_progress(
    items: Iterable[Any], progress: Progress | None, total: int, base: int, grand: int, message: str
) -> Iterable[Any]:
    for i, item in enumerate(items, 1):
        if progress and (i % 500 == 0 or i == total):
            progress(base + i, grand, message)
        yield item


@transaction.atomic
def orgunits_load(*, progress: Progress | None = None) -> LoadResult:
    """Create or update every official unit, parent link and succession. Idempotent."""
    from pcmd.orgunits.services import orgunit_scope_rebuild

    units, links, successions, unmatched = _read_source()
    result = LoadResult(unmatched_conversions=unmatched)
    national = _Unit(OrgUnit.Level.NATIONAL, OrgUnit.Kind.COUNTRY, "VN", "Việt Nam", "Việt Nam")
    national.old = national.new = True
    units[NATIONAL_KEY] = national
    grand = len(units) + len(links) + len(successions)

    existing = {u.natural_key: u for u in OrgUnit.objects.exclude(level=OrgUnit.Level.VILLAGE)}
    to_create: list[OrgUnit] = []
    to_update: list[OrgUnit] = []
    fields = ["kind", "name", "short_name", "valid_from", "valid_to", "latitude", "longitude"]
    for src in _iter_progress(units.values(), progress, len(units), 0, grand, "Đơn vị hành chính"):
        valid_from, valid_to = src.valid_range()
        values = {
            "kind": src.kind,
            "name": src.name,
            "short_name": src.short_name,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "latitude": src.latitude,
            "longitude": src.longitude,
        }
        current = existing.get(src.natural_key)
        if current is None:
            unit = OrgUnit(
                level=src.level,
                code=src.code,
                natural_key=src.natural_key,
                source=SOURCE,
                key=search_key(src.short_name),
                **values,
            )
            to_create.append(unit)
        elif any(getattr(current, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(current, f, v)
            to_update.append(current)
    OrgUnit.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        OrgUnit.objects.bulk_update(to_update, fields, batch_size=2000)
    result.created, result.updated = len(to_create), len(to_update)

    ids = dict(
        OrgUnit.objects.exclude(level=OrgUnit.Level.VILLAGE).values_list("natural_key", "id")
    )

    # A unit present on both sides has two parents: the old one until 30/6/2025, then the new.
    eras: dict[tuple[int, int], set[str]] = {}
    for child, parent, era in _iter_progress(
        links, progress, len(links), len(units), grand, "Quan hệ trực thuộc"
    ):
        eras.setdefault((ids[child], ids[parent]), set()).add(era)
    wanted: dict[tuple[int, int], tuple[date | None, date | None]] = {}
    for pair, seen_in in eras.items():
        if seen_in == {"old", "new"}:
            wanted[pair] = (None, None)
        elif seen_in == {"old"}:
            wanted[pair] = (None, LAST_OLD_DAY)
        else:
            wanted[pair] = (REFORM_DATE, None)
    have = {(lk.child_id, lk.parent_id): lk for lk in OrgUnitLink.objects.all()}
    new_links, changed_links = [], []
    for (child_id, parent_id), (vf, vt) in wanted.items():
        current_link = have.get((child_id, parent_id))
        if current_link is None:
            new_links.append(
                OrgUnitLink(child_id=child_id, parent_id=parent_id, valid_from=vf, valid_to=vt)
            )
        elif (current_link.valid_from, current_link.valid_to) != (vf, vt):
            current_link.valid_from, current_link.valid_to = vf, vt
            changed_links.append(current_link)
    OrgUnitLink.objects.bulk_create(new_links, batch_size=5000)
    if changed_links:
        OrgUnitLink.objects.bulk_update(changed_links, ["valid_from", "valid_to"], batch_size=5000)
    result.links_created, result.links_updated = len(new_links), len(changed_links)

    have_succ = set(OrgUnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    new_succ = []
    seen: set[tuple[int, int]] = set()
    for old, new, is_default in _iter_progress(
        successions, progress, len(successions), len(units) + len(links), grand, "Kế thừa"
    ):
        pair = (ids[old], ids[new])
        if pair in have_succ or pair in seen:
            continue  # never overwrite an admin's correction of the default successor
        seen.add(pair)
        new_succ.append(
            OrgUnitSuccession(
                predecessor_id=pair[0],
                successor_id=pair[1],
                effective_date=REFORM_DATE,
                is_default=is_default,
                note="Sắp xếp đơn vị hành chính 2025",
            )
        )
    OrgUnitSuccession.objects.bulk_create(new_succ, batch_size=5000)
    result.successions_created = len(new_succ)

    if progress:
        progress(grand, grand, "Phạm vi truy cập")
    orgunit_scope_rebuild()
    result.counts = {
        level: OrgUnit.objects.filter(level=level).count() for level in OrgUnit.Level.values
    }
    return result
