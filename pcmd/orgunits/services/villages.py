"""Villages (thôn, tổ dân phố, ấp, bản) under communes: one at a time or a whole file.

Owns: village_create(), villages_import(), VillageImportResult.
Invariants: a village is a real OrgUnit under its commune, seen by everyone who sees the
commune; an import writes all of its rows or none; names are stored NFC.
Not here: reading and checking the file's rows (importing.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.common.text import nfc, search_key
from pcmd.orgunits.importing import (
    VILLAGE_IMPORT_MAX_BYTES,
    VILLAGE_KINDS,
    RowError,
    village_rows_read,
)
from pcmd.orgunits.models import (
    OrgUnit,
    OrgUnitLink,
    OrgUnitScope,
)

if TYPE_CHECKING:
    from pcmd.accounts.models import User

from pcmd.orgunits.services.scope import orgunit_scope_add_leaf


def _village_names(name: str, kind: str) -> tuple[str, str]:
    """(full name, short name): “1” + Thôn -> (“Thôn 1”, “1”); “thôn Đông” -> (“Thôn Đông”, “Đông”).

    Villages are named like the official units (kind word + proper name) so that documents'
    “thôn Đông” resolves through selectors.orgunit_find exactly as “xã Hoằng Hợp” does.
    """
    name = nfc(name)
    if kind == OrgUnit.Kind.OTHER_VILLAGE or not name:
        return name, name
    label = str(OrgUnit.Kind(kind).label)
    label_key, name_key = search_key(label), search_key(name)
    if name_key.startswith(label_key + " "):
        short = nfc(name[len(label) :])
        return label + " " + short, short
    return f"{label} {name}", name


def _village_natural_key(commune: OrgUnit, full_name: str) -> str:
    return f"village:{commune.pk}:{search_key(full_name)}"


def _village_commune_check(commune: OrgUnit, *, record_historic: bool) -> None:
    if commune.level != OrgUnit.Level.COMMUNE:
        raise ValidationError(
            _(
                "Thôn, tổ dân phố chỉ được thêm vào một đơn vị cấp xã "
                "(“%(unit)s” không phải cấp xã)."
            )
            % {"unit": commune.name}
        )
    if not record_historic and not commune.is_valid_on(timezone.localdate()):
        raise ValidationError(
            _("%(unit)s không còn hiệu lực; hãy thêm thôn, tổ dân phố vào đơn vị kế thừa.")
            % {"unit": commune.name}
        )


def _village_existing(commune: OrgUnit) -> tuple[dict[str, str], set[str]]:
    """Villages already under `commune`: their names by search key, and their codes."""
    villages = OrgUnit.objects.filter(
        level=OrgUnit.Level.VILLAGE,
        pk__in=OrgUnitLink.objects.filter(parent=commune).values("child_id"),
    )
    names: dict[str, str] = {}
    codes: set[str] = set()
    for name, code in villages.values_list("name", "code"):
        names[search_key(name)] = name
        if code:
            codes.add(code)
    return names, codes


def _village_build(commune: OrgUnit, name: str, kind: str, code: str, *, ended: bool) -> OrgUnit:
    full, short = _village_names(name, kind)
    return OrgUnit(
        level=OrgUnit.Level.VILLAGE,
        kind=kind,
        code=nfc(code),
        name=full,
        short_name=short,
        key=search_key(short),  # bulk_create skips save(), which sets it
        natural_key=_village_natural_key(commune, full),
        valid_from=None,
        valid_to=commune.valid_to if ended else None,
        source="pcmd",
    )


@transaction.atomic
def village_create(
    *,
    commune: OrgUnit,
    name: str,
    kind: str,
    code: str = "",
    acting_user: User | None,
    record_historic: bool = False,
) -> OrgUnit:
    """Add a village (thôn, tổ dân phố, ấp, bản ...) under a commune valid today.

    record_historic=True enters a village of a commune that has since ended (to carry old
    records): it ends on the commune's last day, and its records follow the commune's successor.
    """
    _village_commune_check(commune, record_historic=record_historic)
    errors: dict[str, str] = {}
    if kind not in VILLAGE_KINDS:
        errors["kind"] = _("Loại thôn, tổ dân phố không hợp lệ.")
    if not nfc(name):
        errors["name"] = _("Hãy nhập tên thôn, tổ dân phố.")
    if errors:
        raise ValidationError(errors)
    unit = _village_build(
        commune, name, kind, code, ended=record_historic and bool(commune.valid_to)
    )
    names, codes = _village_existing(commune)
    if search_key(unit.name) in names:
        raise ValidationError(
            {
                "name": _("%(commune)s đã có “%(name)s”.")
                % {"commune": commune.name, "name": names[search_key(unit.name)]}
            }
        )
    if unit.code and unit.code in codes:
        raise ValidationError(
            {
                "code": _("Mã “%(code)s” đã được dùng cho một thôn khác của %(commune)s.")
                % {"code": unit.code, "commune": commune.name}
            }
        )
    unit.save()
    OrgUnitLink.objects.create(child=unit, parent=commune, valid_to=unit.valid_to)
    orgunit_scope_add_leaf(unit=unit, parent=commune)
    audit_record(action=AuditEvent.Action.CREATE, user=acting_user, obj=unit)
    return unit


@dataclass
class VillageImportResult:
    """What villages_import did: `created` when every row was valid, else `errors` only."""

    created: list[OrgUnit] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


def _read_upload(file: IO[bytes] | bytes) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(VILLAGE_IMPORT_MAX_BYTES + 1)  # one byte more tells "too large"


@transaction.atomic
def villages_import(
    *,
    commune: OrgUnit,
    file: IO[bytes] | bytes,
    filename: str,
    acting_user: User | None,
    record_historic: bool = False,
) -> VillageImportResult:
    """Add the villages listed in an XLSX or CSV file (columns Tên, Loại, Mã) — all or none.

    The whole file is checked first (readability, size, row count, empty names, unknown kinds,
    names or codes repeated in the file or already used in the commune); if any row is wrong,
    nothing is written and every row's error comes back, in Vietnamese, with its row number.
    """
    try:
        _village_commune_check(commune, record_historic=record_historic)
    except ValidationError as exc:
        return VillageImportResult(errors=[RowError(0, m) for m in exc.messages])
    rows, errors = village_rows_read(data=_read_upload(file), filename=filename)
    if errors and not rows:
        return VillageImportResult(errors=errors)
    names, codes = _village_existing(commune)
    seen_names: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    ended = record_historic and bool(commune.valid_to)
    units: list[OrgUnit] = []
    for row in rows:
        unit = _village_build(commune, row.name, row.kind, row.code, ended=ended)
        key = search_key(unit.name)
        if key in names:
            errors.append(
                RowError(
                    row.row,
                    _("%(commune)s đã có “%(name)s”.")
                    % {"commune": commune.name, "name": names[key]},
                )
            )
        elif key in seen_names:
            errors.append(
                RowError(
                    row.row,
                    _("“%(name)s” trùng với dòng %(other)d.")
                    % {"name": unit.name, "other": seen_names[key]},
                )
            )
        seen_names.setdefault(key, row.row)
        if unit.code:
            if unit.code in codes:
                errors.append(
                    RowError(
                        row.row,
                        _("mã “%(code)s” đã được dùng trong %(commune)s.")
                        % {"code": unit.code, "commune": commune.name},
                    )
                )
            elif unit.code in seen_codes:
                errors.append(
                    RowError(
                        row.row,
                        _("mã “%(code)s” trùng với dòng %(other)d.")
                        % {"code": unit.code, "other": seen_codes[unit.code]},
                    )
                )
            seen_codes.setdefault(unit.code, row.row)
        units.append(unit)
    if errors:
        errors.sort(key=lambda e: e.row)
        return VillageImportResult(errors=errors)

    created = OrgUnit.objects.bulk_create(units, batch_size=1000)
    if any(u.pk is None for u in created):  # engines that do not return ids
        by_key = dict(
            OrgUnit.objects.filter(natural_key__in=[u.natural_key for u in units]).values_list(
                "natural_key", "pk"
            )
        )
        for u in created:
            u.pk = by_key[u.natural_key]
    OrgUnitLink.objects.bulk_create(
        [OrgUnitLink(child=u, parent=commune, valid_to=u.valid_to) for u in created],
        batch_size=1000,
    )
    holders = set(OrgUnitScope.objects.filter(unit=commune).values_list("holder_id", flat=True))
    OrgUnitScope.objects.bulk_create(
        [OrgUnitScope(holder_id=h, unit=u) for u in created for h in {*holders, u.pk}],
        batch_size=5000,
        ignore_conflicts=True,
    )
    audit_record(
        action=AuditEvent.Action.IMPORT,
        user=acting_user,
        obj=commune,
        detail={"filename": filename[:200], "villages": len(created)},
    )
    return VillageImportResult(created=created)


# --- Agencies -----------------------------------------------------------------------------
