"""Agencies of a unit, their successions and the standing agency for PCMD.

Owns: agency_create(), agency_update(), agency_close(), agency_succession_create(),
standing_agency_assign().
Invariants: an agency's validity lies within its unit's; the standing-agency role of a unit has
one holder at any date (a new assignment closes the previous one the day before).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.common.text import nfc, search_key
from pcmd.orgunits.models import (
    Agency,
    AgencySuccession,
    OrgUnit,
    StandingAgencyAssignment,
)

if TYPE_CHECKING:
    from pcmd.accounts.models import User


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
