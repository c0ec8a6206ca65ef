"""Write org units, villages, agencies and the derived scope table.

Owns: orgunit_scope_rebuild(), orgunit_scope_add_leaf(), village_create(), villages_import(),
agency_create(), agency_update(), agency_close(), agency_succession_create(),
standing_agency_assign(), succession_set_default().
Invariants: every write that changes the tree keeps OrgUnitScope in step; every write by a
person is audited (accounts.audit.audit_record) in the same transaction; an import writes all of
its rows or none; names are stored NFC.
Not here: loading the official hierarchy (loading.py); reading a village file (importing.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
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
    Agency,
    AgencySuccession,
    OrgUnit,
    OrgUnitLink,
    OrgUnitScope,
    OrgUnitSuccession,
    StandingAgencyAssignment,
)

if TYPE_CHECKING:
    from pcmd.accounts.models import User


def _contains_graph() -> dict[int, list[int]]:
    """holder -> units it directly contains: its children at any date, and the predecessors it
    succeeded by default (so a merged commune sees what the old communes recorded)."""
    graph: dict[int, list[int]] = defaultdict(list)
    for child_id, parent_id in OrgUnitLink.objects.values_list("child_id", "parent_id"):
        graph[parent_id].append(child_id)
    for pred_id, succ_id in OrgUnitSuccession.objects.filter(is_default=True).values_list(
        "predecessor_id", "successor_id"
    ):
        graph[succ_id].append(pred_id)
    return graph


def orgunit_scope_compute() -> set[tuple[int, int]]:
    """Every (holder, unit) pair such that holder may see unit's records."""
    graph = _contains_graph()
    pairs: set[tuple[int, int]] = set()
    memo: dict[int, frozenset[int]] = {}

    def reach(start: int) -> frozenset[int]:
        # Iterative DFS; memoised per node, so the whole table costs about its own size.
        if start in memo:
            return memo[start]
        seen = {start}
        stack = [start]
        while stack:
            node = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt in seen:
                    continue
                if nxt in memo:
                    seen |= memo[nxt]
                    continue
                seen.add(nxt)
                stack.append(nxt)
        memo[start] = frozenset(seen)
        return memo[start]

    # Visit leaves first so that memo entries are reused by their ancestors.
    levels = dict(OrgUnit.objects.values_list("id", "level"))
    order = {"village": 0, "commune": 1, "district": 2, "province": 3, "national": 4}
    for unit_id in sorted(levels, key=lambda i: order.get(levels[i], 5)):
        for other in reach(unit_id):
            pairs.add((unit_id, other))
    return pairs


@transaction.atomic
def orgunit_scope_rebuild() -> tuple[int, int]:
    """Bring OrgUnitScope in line with the tree and the successions; returns (added, removed)."""
    wanted = orgunit_scope_compute()
    have = set(OrgUnitScope.objects.values_list("holder_id", "unit_id"))
    missing = wanted - have
    extra = have - wanted
    OrgUnitScope.objects.bulk_create(
        [OrgUnitScope(holder_id=h, unit_id=u) for h, u in missing], batch_size=5000
    )
    if extra:
        extra_holders = {h for h, _ in extra}
        for holder_id in extra_holders:
            units = [u for h, u in extra if h == holder_id]
            OrgUnitScope.objects.filter(holder_id=holder_id, unit_id__in=units).delete()
    return len(missing), len(extra)


def orgunit_scope_add_leaf(*, unit: OrgUnit, parent: OrgUnit) -> None:
    """A new leaf (a village) is seen by itself and by everyone who sees its parent."""
    holders = list(OrgUnitScope.objects.filter(unit=parent).values_list("holder_id", flat=True))
    OrgUnitScope.objects.bulk_create(
        [OrgUnitScope(holder_id=h, unit=unit) for h in {*holders, unit.pk}],
        ignore_conflicts=True,
    )


# --- Villages -----------------------------------------------------------------------------


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

AGENCY_FIELDS = ("kind", "name", "short_name", "valid_from", "valid_to", "is_requested", "note")


def _overlaps(
    a_from: date | None, a_to: date | None, b_from: date | None, b_to: date | None
) -> bool:
    return (a_from is None or b_to is None or a_from <= b_to) and (
        a_to is None or b_from is None or b_from <= a_to
    )


def _agency_validate(agency: Agency) -> None:
    """Raise ValidationError (by field, in Vietnamese) unless `agency` may be saved as it is."""
    errors: dict[str, str] = {}
    agency.name = nfc(agency.name)
    agency.short_name = nfc(agency.short_name)
    if not agency.name:
        errors["name"] = _("Hãy nhập tên cơ quan, đơn vị.")
    if agency.kind not in Agency.Kind.values:
        errors["kind"] = _("Loại cơ quan không hợp lệ.")
    if agency.valid_from and agency.valid_to and agency.valid_to < agency.valid_from:
        errors["valid_to"] = _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")
    unit = agency.org_unit
    if unit.valid_to and agency.valid_from and agency.valid_from > unit.valid_to:
        errors["valid_from"] = _("%(unit)s đã hết hiệu lực từ %(d)s.") % {
            "unit": unit.name,
            "d": unit.valid_to.strftime("%d/%m/%Y"),
        }
    if errors:
        raise ValidationError(errors)
    same_name = Agency.objects.filter(org_unit=unit, key=search_key(agency.name))
    if agency.pk:
        same_name = same_name.exclude(pk=agency.pk)
    for other in same_name:
        if _overlaps(other.valid_from, other.valid_to, agency.valid_from, agency.valid_to):
            raise ValidationError(
                {
                    "name": _("%(unit)s đã có “%(name)s” trong cùng thời gian hiệu lực.")
                    % {"unit": unit.name, "name": other.name}
                }
            )


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def agency_create(
    *,
    org_unit: OrgUnit,
    kind: str,
    name: str,
    short_name: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
    is_requested: bool = False,
    note: str = "",
    acting_user: User | None,
) -> Agency:
    """Register an office, body or post of `org_unit` (it can then lead or support tasks)."""
    agency = Agency(
        org_unit=org_unit,
        kind=kind,
        name=name,
        short_name=short_name,
        valid_from=valid_from,
        valid_to=valid_to,
        is_requested=is_requested,
        note=note,
    )
    _agency_validate(agency)
    agency.save()
    audit_record(action=AuditEvent.Action.CREATE, user=acting_user, obj=agency)
    return agency


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
"""Default of agency_update's arguments: “leave this field as it is”."""


@transaction.atomic
def agency_update(
    *,
    agency: Agency,
    acting_user: User | None,
    kind: str = UNSET,
    name: str = UNSET,
    short_name: str = UNSET,
    valid_from: date | None = UNSET,
    valid_to: date | None = UNSET,
    is_requested: bool = UNSET,
    note: str = UNSET,
) -> Agency:
    """Change the given fields of an agency (its unit never changes); audited with old/new."""
    given = {
        "kind": kind,
        "name": name,
        "short_name": short_name,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "is_requested": is_requested,
        "note": note,
    }
    changes: dict[str, list[Any]] = {}
    for field_name, value in given.items():
        if value is UNSET:
            continue
        if field_name in ("name", "short_name"):
            value = nfc(str(value))
        elif field_name == "note":
            value = str(value or "").strip()
        old = getattr(agency, field_name)
        if old != value:
            changes[field_name] = [_jsonable(old), _jsonable(value)]
            setattr(agency, field_name, value)
    if not changes:
        return agency
    try:
        _agency_validate(agency)
    except ValidationError:
        for field_name, (old_value, _new) in changes.items():
            model_field: Any = Agency._meta.get_field(field_name)
            setattr(agency, field_name, model_field.to_python(old_value))
        raise
    agency.save()
    audit_record(
        action=AuditEvent.Action.UPDATE, user=acting_user, obj=agency, detail={"changes": changes}
    )
    return agency


@transaction.atomic
def agency_close(*, agency: Agency, valid_to: date, acting_user: User | None) -> Agency:
    """The agency ceased on `valid_to` (its last day); a standing-agency role it held ends too."""
    if agency.valid_from and valid_to < agency.valid_from:
        raise ValidationError(
            {
                "valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực (%(d)s).")
                % {"d": agency.valid_from.strftime("%d/%m/%Y")}
            }
        )
    old = agency.valid_to
    agency.valid_to = valid_to
    agency.save(update_fields=["valid_to", "key", "updated_at"])
    StandingAgencyAssignment.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=valid_to), agency=agency
    ).exclude(valid_from__gt=valid_to).update(valid_to=valid_to)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=acting_user,
        obj=agency,
        detail={"changes": {"valid_to": [_jsonable(old), valid_to.isoformat()]}},
    )
    return agency


@transaction.atomic
def agency_succession_create(
    *,
    predecessor: Agency,
    successor: Agency,
    effective_date: date,
    function: str = "",
    legal_basis: str = "",
    acting_user: User | None,
) -> AgencySuccession:
    """From `effective_date`, `successor` carries `predecessor`'s duties (all, or `function`)."""
    function, legal_basis = nfc(function), nfc(legal_basis)
    if predecessor.pk == successor.pk:
        raise ValidationError({"successor": _("Cơ quan kế thừa phải khác cơ quan cũ.")})
    if successor.valid_from and effective_date < successor.valid_from:
        raise ValidationError(
            {
                "effective_date": _("%(agency)s chỉ có hiệu lực từ %(d)s.")
                % {"agency": successor.name, "d": successor.valid_from.strftime("%d/%m/%Y")}
            }
        )
    if predecessor.valid_from and effective_date <= predecessor.valid_from:
        raise ValidationError(
            {
                "effective_date": _("Ngày kế thừa phải sau ngày %(agency)s bắt đầu hiệu lực.")
                % {"agency": predecessor.name}
            }
        )
    if AgencySuccession.objects.filter(
        predecessor=predecessor, successor=successor, function=function
    ).exists():
        raise ValidationError(_("Quan hệ kế thừa này đã có."))
    succession = AgencySuccession.objects.create(
        predecessor=predecessor,
        successor=successor,
        effective_date=effective_date,
        function=function,
        legal_basis=legal_basis,
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=acting_user,
        obj=succession,
        org_unit=predecessor.org_unit,
        detail={"successor": successor.pk, "function": function},
    )
    return succession


@transaction.atomic
def standing_agency_assign(
    *,
    org_unit: OrgUnit,
    agency: Agency,
    valid_from: date | None,
    legal_basis: str = "",
    acting_user: User | None,
) -> StandingAgencyAssignment:
    """Make `agency` the standing agency for PCMD of `org_unit` from `valid_from`.

    The assignment in force the day before ends that day; the new one ends with the agency.
    """
    if agency.org_unit_id != org_unit.pk:
        raise ValidationError(
            {
                "agency": _("Cơ quan thường trực phải là cơ quan của %(unit)s.")
                % {"unit": org_unit.name}
            }
        )
    if agency.valid_from and (valid_from is None or valid_from < agency.valid_from):
        raise ValidationError(
            {
                "valid_from": _("%(agency)s chỉ có hiệu lực từ %(d)s.")
                % {"agency": agency.name, "d": agency.valid_from.strftime("%d/%m/%Y")}
            }
        )
    if agency.valid_to and valid_from and valid_from > agency.valid_to:
        raise ValidationError(
            {
                "valid_from": _("%(agency)s đã hết hiệu lực từ %(d)s.")
                % {"agency": agency.name, "d": agency.valid_to.strftime("%d/%m/%Y")}
            }
        )
    existing = list(StandingAgencyAssignment.objects.filter(org_unit=org_unit))
    for other in existing:
        if valid_from is None or (other.valid_from is not None and other.valid_from >= valid_from):
            raise ValidationError(
                {
                    "valid_from": _(
                        "%(unit)s đã có cơ quan thường trực (%(agency)s) từ ngày này "
                        "trở về sau; hãy chọn ngày sau đó."
                    )
                    % {"unit": org_unit.name, "agency": other.agency}
                }
            )
    closed: list[int] = []
    for other in existing:
        assert valid_from is not None  # checked above: no earlier assignment without a date
        if other.valid_to is None or other.valid_to >= valid_from:
            other.valid_to = valid_from - timedelta(days=1)
            other.save(update_fields=["valid_to"])
            closed.append(other.pk)
    assignment = StandingAgencyAssignment.objects.create(
        org_unit=org_unit,
        agency=agency,
        valid_from=valid_from,
        valid_to=agency.valid_to,
        legal_basis=nfc(legal_basis),
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=acting_user,
        obj=assignment,
        detail={"agency": agency.pk, "closed": closed},
    )
    return assignment


@transaction.atomic
def succession_set_default(
    *, succession: OrgUnitSuccession, acting_user: User | None
) -> OrgUnitSuccession:
    """Make `succession.successor` the unit that carries the split unit's records by default."""
    others = OrgUnitSuccession.objects.filter(predecessor_id=succession.predecessor_id).exclude(
        pk=succession.pk
    )
    previous = list(others.filter(is_default=True).values_list("successor_id", flat=True))
    others.update(is_default=False)
    if not succession.is_default:
        succession.is_default = True
        succession.save(update_fields=["is_default"])
    orgunit_scope_rebuild()
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=acting_user,
        obj=succession,
        org_unit=succession.predecessor,
        detail={"default_successor": succession.successor_id, "previous_defaults": previous},
    )
    return succession
