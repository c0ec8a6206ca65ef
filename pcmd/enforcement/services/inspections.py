"""Write inspection teams, inspections and the violations found at them.

Owns: team_create(), team_update(), team_delete(), inspection_create(), inspection_update(),
inspection_delete(), violation_create(), violation_update(), violation_delete().
Invariants: an inspection belongs to the unit that carried the establishment's records on the
inspection date (the establishment's unit, or its successor after the 2025 reform); it is not in
the future, the establishment was open that day and the team was in force. A violation's legal
basis was in force on the inspection's date; a fine has an amount, other sanctions none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pcmd.enforcement.models import (
    Inspection,
    InspectionTeam,
    InspectionTeamMember,
    Violation,
)
from pcmd.enforcement.services.common import (
    Errors,
    Lookups,
    add,
    apply_changes,
    check_not_future,
    check_unit,
    delete_audited,
    field_names,
    fmt,
    in_scope_of,
    raise_if_errors,
    require_write,
    save_audited,
)
from pcmd.orgunits.models import Agency
from pcmd.orgunits.selectors import orgunit_successor

CAPABILITY = "inspection.manage"
TEAM_FIELDS = field_names(InspectionTeam)
INSPECTION_FIELDS = field_names(Inspection) - {"org_unit"}
VIOLATION_FIELDS = field_names(Violation) - {"inspection"}

Members = Iterable[tuple[Agency, str]]


# --- Teams ------------------------------------------------------------------------------------


def _check_team(
    obj: InspectionTeam,
    *,
    user: Any,
    unit_changed: bool,
    members: Members | None,
    lookups: Lookups | None = None,
) -> None:
    """The rules of a team; `lookups` memoises scope answers over an import's rows."""
    errors: Errors = {}
    in_scope = in_scope_of(user, lookups)
    check_not_future(errors, "decision_date", obj.decision_date)
    if obj.valid_to and obj.valid_from and obj.valid_to < obj.valid_from:
        add(errors, "valid_to", _("Ngày kết thúc phải sau ngày bắt đầu hoạt động."))
    if obj.decision_date and obj.valid_from and obj.valid_from < obj.decision_date:
        add(errors, "valid_from", _("Đội chỉ hoạt động từ ngày có quyết định thành lập."))
    if unit_changed and obj.valid_from:
        check_unit(
            errors,
            user=user,
            org_unit=obj.org_unit if obj.org_unit_id else None,
            on=obj.valid_from,
            lookups=lookups,
        )
    for agency, role in members or ():
        if user is not None and not in_scope(agency.org_unit_id):
            add(errors, "members", _("%(a)s nằm ngoài phạm vi của bạn.") % {"a": agency.name})
        if role not in InspectionTeamMember.Role.values:
            add(errors, "members", _("Vai trò “%(r)s” không hợp lệ.") % {"r": role})
    raise_if_errors(obj, errors, lookups=lookups)


def _set_members(team: InspectionTeam, members: Members | None) -> None:
    if members is None:
        return
    team.memberships.all().delete()
    InspectionTeamMember.objects.bulk_create(
        InspectionTeamMember(team=team, agency=agency, role=role) for agency, role in members
    )


@transaction.atomic
def team_create(
    *, acting_user: Any, members: Members | None = None, **fields: Any
) -> InspectionTeam:
    """Record the decision that set up an inspection team, and its member agencies."""
    require_write(acting_user, CAPABILITY, None)
    members = list(members or [])
    obj = InspectionTeam()
    apply_changes(obj, fields, TEAM_FIELDS)
    _check_team(obj, user=acting_user, unit_changed=True, members=members)
    save_audited(obj, acting_user=acting_user, expected_version=None, changes=None)
    _set_members(obj, members)
    return obj


@transaction.atomic
def team_update(
    *,
    team: InspectionTeam,
    acting_user: Any,
    expected_version: int | None,
    members: Members | None = None,
    **fields: Any,
) -> InspectionTeam:
    require_write(acting_user, CAPABILITY, team.org_unit)
    members = list(members) if members is not None else None
    changes = apply_changes(team, fields, TEAM_FIELDS)
    _check_team(team, user=acting_user, unit_changed="org_unit" in changes, members=members)
    if members is not None:
        old = sorted((m.agency_id, m.role) for m in team.memberships.all())
        new = sorted((a.pk, r) for a, r in members)
        if old != new:
            changes["members"] = [old, new]
    save_audited(team, acting_user=acting_user, expected_version=expected_version, changes=changes)
    _set_members(team, members)
    return team


@transaction.atomic
def team_delete(*, team: InspectionTeam, acting_user: Any) -> None:
    require_write(acting_user, CAPABILITY, team.org_unit)
    delete_audited(team, acting_user=acting_user, in_use="")


# --- Inspections ------------------------------------------------------------------------------


def _check_inspection(obj: Inspection, *, user: Any, lookups: Lookups | None = None) -> None:
    """The rules of an inspection; `lookups` memoises scope answers over an import's rows."""
    errors: Errors = {}
    in_scope = in_scope_of(user, lookups)
    on = obj.inspected_on
    check_not_future(errors, "inspected_on", on)
    est = obj.establishment if obj.establishment_id else None
    if est is not None and on is not None:
        if user is not None and not in_scope(est.org_unit_id):
            add(errors, "establishment", _("Cơ sở này nằm ngoài phạm vi của bạn."))
        else:
            successor = (
                lookups.successor(est.org_unit, on)
                if lookups is not None
                else orgunit_successor(est.org_unit, on=on)
            )
            obj.org_unit = successor or est.org_unit
            check_unit(
                errors,
                user=user,
                org_unit=obj.org_unit if obj.org_unit_id else None,
                on=on,
                field="inspected_on",
                lookups=lookups,
            )
        if est.opened_on and on < est.opened_on:
            add(
                errors,
                "inspected_on",
                _("Cơ sở bắt đầu hoạt động từ %(d)s.") % {"d": fmt(est.opened_on)},
            )
        if est.closed_on and on > est.closed_on:
            add(
                errors,
                "inspected_on",
                _("Cơ sở đã ngừng hoạt động từ %(d)s.") % {"d": fmt(est.closed_on)},
            )
    team = obj.team
    if team is not None and on is not None:
        if user is not None and not in_scope(team.org_unit_id):
            add(errors, "team", _("Đội kiểm tra này nằm ngoài phạm vi của bạn."))
        elif not team.is_valid_on(on):
            add(
                errors,
                "team",
                _("Đội %(t)s không hoạt động vào ngày %(d)s.") % {"t": team.name, "d": fmt(on)},
            )
    task = obj.task
    if task is not None and user is not None and not in_scope(task.plan.org_unit_id):
        add(errors, "task", _("Nhiệm vụ này thuộc kế hoạch ngoài phạm vi của bạn."))
    raise_if_errors(obj, errors, exclude=[] if obj.org_unit_id else ["org_unit"], lookups=lookups)


@transaction.atomic
def inspection_create(*, acting_user: Any, **fields: Any) -> Inspection:
    """Record an inspection; its unit follows the establishment's (successor on the date)."""
    require_write(acting_user, CAPABILITY, None)
    obj = Inspection()
    apply_changes(obj, fields, INSPECTION_FIELDS)
    _check_inspection(obj, user=acting_user)
    return save_audited(obj, acting_user=acting_user, expected_version=None, changes=None)  # type: ignore[no-any-return]


@transaction.atomic
def inspection_update(
    *, inspection: Inspection, acting_user: Any, expected_version: int | None, **fields: Any
) -> Inspection:
    require_write(acting_user, CAPABILITY, inspection.org_unit)
    changes = apply_changes(inspection, fields, INSPECTION_FIELDS)
    _check_inspection(inspection, user=acting_user)
    if "inspected_on" in changes:
        for violation in inspection.violations.select_related("legal_basis"):
            if not violation.legal_basis.is_valid_on(inspection.inspected_on):
                raise_if_errors(
                    inspection,
                    {"inspected_on": [_basis_message(violation.legal_basis, inspection)]},
                )
    return save_audited(  # type: ignore[no-any-return]
        inspection, acting_user=acting_user, expected_version=expected_version, changes=changes
    )


@transaction.atomic
def inspection_delete(*, inspection: Inspection, acting_user: Any) -> None:
    require_write(acting_user, CAPABILITY, inspection.org_unit)
    delete_audited(inspection, acting_user=acting_user, in_use="")


# --- Violations -------------------------------------------------------------------------------


def _basis_message(basis: Any, inspection: Inspection) -> str:
    return _(
        "%(b)s không có hiệu lực vào ngày kiểm tra %(d)s: hãy chọn căn cứ xử phạt đang có hiệu "
        "lực ngày đó."
    ) % {"b": basis.number, "d": fmt(inspection.inspected_on)}


def _check_violation(
    obj: Violation, *, exclude: list[str] | None = None, lookups: Lookups | None = None
) -> None:
    errors: Errors = {}
    basis = obj.legal_basis if obj.legal_basis_id else None
    if basis is not None and not basis.is_valid_on(obj.inspection.inspected_on):
        add(errors, "legal_basis", _basis_message(basis, obj.inspection))
    if obj.sanction == Violation.Sanction.FINE and not obj.fine_amount:
        add(errors, "fine_amount", _("Phạt tiền: hãy ghi số tiền phạt (đồng)."))
    if obj.sanction and obj.sanction != Violation.Sanction.FINE and obj.fine_amount is not None:
        add(errors, "fine_amount", _("Chỉ ghi số tiền khi hình thức xử phạt là phạt tiền."))
    raise_if_errors(obj, errors, exclude=exclude, lookups=lookups)


@transaction.atomic
def violation_create(*, inspection: Inspection, acting_user: Any, **fields: Any) -> Violation:
    """Record a violation found at `inspection` and its sanction."""
    require_write(acting_user, CAPABILITY, inspection.org_unit)
    obj = Violation(inspection=inspection)
    apply_changes(obj, fields, VIOLATION_FIELDS)
    _check_violation(obj)
    return save_audited(obj, acting_user=acting_user, expected_version=None, changes=None)  # type: ignore[no-any-return]


@transaction.atomic
def violation_update(
    *, violation: Violation, acting_user: Any, expected_version: int | None, **fields: Any
) -> Violation:
    """Change a violation; refused (StaleRecord) if someone saved it since `expected_version`."""
    require_write(acting_user, CAPABILITY, violation.inspection.org_unit)
    changes = apply_changes(violation, fields, VIOLATION_FIELDS)
    _check_violation(violation)
    return save_audited(  # type: ignore[no-any-return]
        violation, acting_user=acting_user, expected_version=expected_version, changes=changes
    )


@transaction.atomic
def violation_delete(*, violation: Violation, acting_user: Any) -> None:
    require_write(acting_user, CAPABILITY, violation.inspection.org_unit)
    delete_audited(violation, acting_user=acting_user, in_use="")
