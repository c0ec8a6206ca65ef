"""Read the org-unit tree as it stood on a date, and resolve codes and names from documents.

Owns: orgunit_get_by_code(), orgunit_parent(), orgunit_ancestors(), orgunit_children(),
orgunit_descendants(), orgunit_successor(), orgunit_predecessors(), orgunit_find(),
orgunit_search(); village_list(); agency_list(), standing_agency().
Invariants: every function that takes `on` answers for the tree valid on that date; with
on=None, code and name look-ups consider every date and report ambiguity instead of guessing.
Not here: who may see what (accounts.permissions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from pcmd.common.text import search_key
from pcmd.orgunits.models import (
    REFORM_DATE,
    Agency,
    OrgUnit,
    OrgUnitLink,
    OrgUnitScope,
    OrgUnitSuccession,
    StandingAgencyAssignment,
)


class OrgUnitNotFound(LookupError):
    """No unit matches the code or name (at that date)."""


@dataclass
class OrgUnitAmbiguous(LookupError):
    """More than one unit matches: the caller must choose (we never guess)."""

    query: str
    candidates: list[OrgUnit]

    def __str__(self) -> str:
        names = "; ".join(orgunit_label(u) for u in self.candidates[:10])
        return _("“%(query)s” khớp với nhiều đơn vị: %(names)s") % {
            "query": self.query,
            "names": names,
        }


def valid_on_q(on: date, prefix: str = "") -> Q:
    """Q for rows whose valid_from/valid_to (possibly NULL) include `on`."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def orgunit_label(unit: OrgUnit) -> str:
    """“Xã Hoằng Hợp (15919, đến 30/06/2025)” — enough to tell same-named units apart."""
    parts = [unit.code] if unit.code else []
    if unit.valid_to:
        parts.append(_("đến %(d)s") % {"d": unit.valid_to.strftime("%d/%m/%Y")})
    elif unit.valid_from:
        parts.append(_("từ %(d)s") % {"d": unit.valid_from.strftime("%d/%m/%Y")})
    return f"{unit.name} ({', '.join(parts)})" if parts else unit.name


def orgunit_get_by_code(code: str, *, on: date | None = None, level: str | None = None) -> OrgUnit:
    """The unit with this official code valid on `on`; raises OrgUnitNotFound / OrgUnitAmbiguous."""
    qs = OrgUnit.objects.filter(code=code.strip())
    if level:
        qs = qs.filter(level=level)
    if on is not None:
        qs = qs.filter(valid_on_q(on))
    found = list(qs[:20])
    if not found:
        raise OrgUnitNotFound(_("Không tìm thấy đơn vị có mã “%(code)s”.") % {"code": code})
    if len(found) > 1:
        raise OrgUnitAmbiguous(code, found)
    return found[0]


def orgunit_parent(unit: OrgUnit, *, on: date) -> OrgUnit | None:
    link = OrgUnitLink.objects.filter(valid_on_q(on), child=unit).select_related("parent").first()
    return link.parent if link else None


def orgunit_ancestors(unit: OrgUnit, *, on: date) -> list[OrgUnit]:
    """Parent, grandparent, ... up to the nation, as the tree stood on `on`.

    One query: every ancestor on any date holds the unit in the scope table, so the links of
    that day among its holders make the chain. Where the chain stops short of the nation (a
    unit the scope table does not know yet), the rest is walked one parent at a time."""
    holders = OrgUnitScope.objects.filter(unit_id=unit.pk).values("holder_id")
    parent_of: dict[int, OrgUnit] = {}
    links = (
        OrgUnitLink.objects.filter(valid_on_q(on), child_id__in=holders, parent_id__in=holders)
        .select_related("parent")
        .order_by("pk")
    )
    for link in links:
        parent_of.setdefault(link.child_id, link.parent)
    chain: list[OrgUnit] = []
    current = unit
    while len(chain) < 10:
        parent = parent_of.get(current.pk)
        if parent is None and current.level != OrgUnit.Level.NATIONAL:
            parent = orgunit_parent(current, on=on)
        if parent is None:
            break
        chain.append(parent)
        current = parent
    return chain


def orgunit_children(unit: OrgUnit, *, on: date | None) -> QuerySet[OrgUnit]:
    """Direct children on `on` (on=None: every unit that was ever a child)."""
    links = OrgUnitLink.objects.filter(parent=unit)
    if on is not None:
        links = links.filter(valid_on_q(on))
        return OrgUnit.objects.filter(valid_on_q(on), pk__in=links.values("child_id")).order_by(
            "level", "key"
        )
    return OrgUnit.objects.filter(pk__in=links.values("child_id")).order_by("level", "key")


def orgunit_descendants(unit: OrgUnit, *, on: date) -> QuerySet[OrgUnit]:
    """Every unit below `unit` in the tree valid on `on` (one query per level)."""
    found: set[int] = set()
    frontier = {unit.pk}
    while frontier:
        child_ids = set(
            OrgUnitLink.objects.filter(valid_on_q(on), parent_id__in=frontier)
            .filter(valid_on_q(on, "child__"))
            .values_list("child_id", flat=True)
        )
        frontier = child_ids - found
        found |= child_ids
    return OrgUnit.objects.filter(pk__in=found).order_by("level", "key")


def orgunit_predecessors(unit: OrgUnit) -> QuerySet[OrgUnitSuccession]:
    return OrgUnitSuccession.objects.filter(successor=unit).select_related("predecessor")


def orgunit_successors(unit: OrgUnit) -> QuerySet[OrgUnitSuccession]:
    return OrgUnitSuccession.objects.filter(predecessor=unit).select_related("successor")


def orgunit_successor(unit: OrgUnit, *, on: date) -> OrgUnit | None:
    """The unit that carries `unit`'s records on `on`: itself while valid, else its default
    successor (followed as far as needed). A district, abolished without a successor, hands its
    records to the unit above it as it stood on its last day. None before the unit existed."""
    current = unit
    for _step in range(10):
        if current.is_valid_on(on):
            return current
        if current.valid_from is not None and on < current.valid_from:
            return None
        nxt = (
            OrgUnitSuccession.objects.filter(predecessor=current, effective_date__lte=on)
            .order_by("-is_default", "effective_date")
            .select_related("successor")
            .first()
        )
        if nxt is not None:
            current = nxt.successor
            continue
        if current.valid_to is None:
            return None
        parent = orgunit_parent(current, on=current.valid_to)
        if parent is None:
            return None
        current = parent
    return None


_KIND_WORDS: list[tuple[str, list[str], list[str]]] = [
    # (prefix key, levels, kinds) — longest first so "thanh pho" wins over "thanh".
    ("thanh pho truc thuoc trung uong", ["province"], ["central_city"]),
    ("thanh pho", ["province", "district"], ["central_city", "provincial_city"]),
    ("tinh", ["province"], ["province"]),
    ("huyen", ["district"], ["rural_district"]),
    ("quan", ["district"], ["urban_district"]),
    ("thi xa", ["district"], ["district_town"]),
    ("thi tran", ["commune"], ["township"]),
    ("xa", ["commune"], ["commune"]),
    ("phuong", ["commune"], ["ward"]),
    ("dac khu", ["commune"], ["special_zone"]),
    ("to dan pho", ["village"], ["residential_group"]),
    ("khu pho", ["village"], ["quarter"]),
    ("thon", ["village"], ["village"]),
    ("xom", ["village"], ["hamlet"]),
    ("ap", ["village"], ["mekong_hamlet"]),
    ("ban", ["village"], ["highland_village"]),
    ("tp", ["province", "district"], ["central_city", "provincial_city"]),
]


def split_kind(text: str) -> tuple[str, list[str] | None]:
    """("xã Hoàng Hợp") -> ("hoang hop", ["commune"]); no prefix -> (key, None)."""
    key = search_key(text)
    for word, _levels, kinds in _KIND_WORDS:
        if key.startswith(word + " ") and len(key) > len(word) + 1:
            rest = key[len(word) + 1 :]
            # "Phường 1" keeps its number as the name; "Xã Xã" is not a thing.
            return rest, kinds
    return key, None


def orgunit_find(
    text: str, *, on: date | None = None, within: OrgUnit | None = None, limit: int = 50
) -> list[OrgUnit]:
    """Resolve a name as written in a document ("xã Hoàng Hợp", "huyện Hoằng Hóa, tỉnh Thanh Hóa").

    Any case, with or without diacritics or the kind prefix. A comma-separated path is resolved
    from its last (widest) part. Returns every candidate, best first; [] when nothing matches.
    """
    parts = [p for p in re.split(r"[,;]", text or "") if p.strip()]
    if not parts:
        return []
    scope = within
    if len(parts) > 1:
        for part in reversed(parts[1:]):
            found = orgunit_find(part, on=on, within=scope, limit=limit)
            if len(found) != 1:
                if not found:
                    return []
                scope_ids = found
                results: list[OrgUnit] = []
                for candidate in scope_ids:
                    results.extend(orgunit_find(parts[0], on=on, within=candidate, limit=limit))
                return results
            scope = found[0]
    key, kinds = split_kind(parts[0])
    if not key:
        return []
    found_units = _find_exact(key, kinds, on=on, scope=scope, limit=limit)
    if not found_units and kinds:
        # "Bản Lầu" may be a commune's name, not the village kind "bản" + "Lầu".
        found_units = _find_exact(search_key(parts[0]), None, on=on, scope=scope, limit=limit)
    return found_units


def _find_exact(
    key: str, kinds: list[str] | None, *, on: date | None, scope: OrgUnit | None, limit: int
) -> list[OrgUnit]:
    qs = OrgUnit.objects.filter(key=key)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if on is not None:
        qs = qs.filter(valid_on_q(on))
    if scope is not None:
        qs = qs.filter(pk__in=OrgUnitScope.objects.filter(holder=scope).values("unit_id"))
    order = {"national": 0, "province": 1, "district": 2, "commune": 3, "village": 4}
    found_units = list(qs[:limit])
    found_units.sort(key=lambda u: (order.get(u.level, 9), u.valid_to is not None, u.name))
    return found_units


def orgunit_search(text: str, *, on: date | None = None) -> Q:
    """Q for a diacritics-insensitive substring search on the name ("hoang h" finds Hoằng Hợp)."""
    key, kinds = split_kind(text)
    q = Q(key__contains=key)
    if kinds:
        q &= Q(kind__in=kinds)
    if on is not None:
        q &= valid_on_q(on)
    return q


def village_list(commune: OrgUnit) -> QuerySet[OrgUnit]:
    """The villages ever entered under `commune` (current ones first), by name."""
    links = OrgUnitLink.objects.filter(parent=commune).values("child_id")
    return OrgUnit.objects.filter(level=OrgUnit.Level.VILLAGE, pk__in=links).order_by(
        F("valid_to").desc(nulls_first=True), "key", "id"
    )


def agency_list(org_unit: OrgUnit, *, on: date | None = None) -> QuerySet[Agency]:
    """The agencies of `org_unit` (on=None: every one it ever had), by name."""
    qs = Agency.objects.filter(org_unit=org_unit).select_related("org_unit")
    if on is not None:
        qs = qs.filter(valid_on_q(on))
    return qs.order_by("key", "valid_from", "id")


def standing_agency(org_unit: OrgUnit, *, on: date) -> Agency | None:
    """The standing agency for PCMD of `org_unit` on `on` (None if none was assigned)."""
    assignment = (
        StandingAgencyAssignment.objects.filter(valid_on_q(on), org_unit=org_unit)
        .select_related("agency")
        .order_by(F("valid_from").desc(nulls_last=True))
        .first()
    )
    return assignment.agency if assignment else None


__all__ = [
    "REFORM_DATE",
    "agency_list",
    "standing_agency",
    "village_list",
    "OrgUnitAmbiguous",
    "OrgUnitNotFound",
    "orgunit_ancestors",
    "orgunit_children",
    "orgunit_descendants",
    "orgunit_find",
    "orgunit_get_by_code",
    "orgunit_label",
    "orgunit_parent",
    "orgunit_predecessors",
    "orgunit_search",
    "orgunit_successor",
    "orgunit_successors",
    "split_kind",
    "valid_on_q",
]
