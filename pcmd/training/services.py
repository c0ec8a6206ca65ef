"""Write the staff roster and training courses.

Owns: staff_create(), staff_update(), staff_delete(), course_create(), course_update(),
course_delete(), STAFF_FIELDS, COURSE_FIELDS.
Invariants: a person may write only with "training.manage" and only in units of their scope
(PermissionDenied otherwise; acting_user=None is the system); dates are never in the future,
an end is never before its start, and the unit must exist on the record's date; roster
participants of a course belong to units in the scope of the course's unit; an update based on
an older version is refused (StaleRecord, nothing written); every write is audited in the same
transaction.
Not here: reads and measures (selectors.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, unit_in_scope
from pcmd.common.records import record_save_versioned
from pcmd.orgunits.models import Agency, OrgUnit, OrgUnitScope
from pcmd.plans.models import Task
from pcmd.training.models import StaffMember, TrainingCourse

STAFF_FIELDS = (
    "org_unit",
    "full_name",
    "agency",
    "position",
    "roles",
    "pcmd_relevant",
    "active_from",
    "active_to",
)
COURSE_FIELDS = (
    "org_unit",
    "title",
    "start_date",
    "end_date",
    "organiser",
    "topics",
    "outside_participants",
    "task",
    "note",
)


def _today() -> date:
    return timezone.localdate()


def _require_write(user: Any, unit: OrgUnit) -> None:
    if user is None:
        return
    if not has_capability(user, "training.manage"):
        raise PermissionDenied(_("Vai trò của bạn không được ghi danh sách cán bộ, lớp tập huấn."))
    if not unit_in_scope(user, unit):
        raise PermissionDenied(_("Đơn vị này nằm ngoài phạm vi của bạn."))


def _holds(holder_id: int, unit_id: int) -> bool:
    return OrgUnitScope.objects.filter(holder_id=holder_id, unit_id=unit_id).exists()


def _agency_fits(agency: Agency, unit: OrgUnit) -> bool:
    """An agency of the unit, of a unit above it, or of a unit below it."""
    return _holds(agency.org_unit_id, unit.pk) or _holds(unit.pk, agency.org_unit_id)


def _task_fits(task: Task, unit: OrgUnit) -> bool:
    """A task of a plan of the unit itself or of a unit above it."""
    return _holds(task.plan.org_unit_id, unit.pk)


def _check_choices(values: Iterable[str], allowed: list[str], field: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValidationError({field: _("Giá trị không hợp lệ: %(v)s.") % {"v": ", ".join(bad)}})
    return values


def _validate_staff(staff: StaffMember) -> None:
    errors: dict[str, str] = {}
    today = _today()
    if not (staff.full_name or "").strip():
        errors["full_name"] = _("Hãy nhập họ và tên.")
    if staff.active_from and staff.active_from > today:
        errors["active_from"] = _("Ngày bắt đầu không được ở tương lai.")
    if staff.active_from and staff.active_to and staff.active_to < staff.active_from:
        errors["active_to"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
    on = staff.active_from or today
    if not staff.org_unit.is_valid_on(on):
        errors["org_unit"] = _("Đơn vị %(unit)s không còn tồn tại vào ngày %(d)s.") % {
            "unit": staff.org_unit.name,
            "d": on.strftime("%d/%m/%Y"),
        }
    if staff.agency is not None and not _agency_fits(staff.agency, staff.org_unit):
        errors["agency"] = _("Cơ quan này không thuộc đơn vị đã chọn.")
    if errors:
        raise ValidationError(errors)


def _validate_course(course: TrainingCourse) -> None:
    errors: dict[str, str] = {}
    today = _today()
    if not (course.title or "").strip():
        errors["title"] = _("Hãy nhập tên lớp tập huấn.")
    if course.start_date and course.start_date > today:
        errors["start_date"] = _("Ngày bắt đầu không được ở tương lai.")
    if course.end_date and course.end_date > today:
        errors["end_date"] = _("Ngày kết thúc không được ở tương lai.")
    if course.start_date and course.end_date and course.end_date < course.start_date:
        errors["end_date"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
    if course.start_date and not course.org_unit.is_valid_on(course.start_date):
        errors["org_unit"] = _("Đơn vị %(unit)s không tồn tại vào ngày %(d)s.") % {
            "unit": course.org_unit.name,
            "d": course.start_date.strftime("%d/%m/%Y"),
        }
    if (course.outside_participants or 0) < 0:
        errors["outside_participants"] = _("Số học viên không được âm.")
    if course.organiser is not None and not _agency_fits(course.organiser, course.org_unit):
        errors["organiser"] = _("Cơ quan này không thuộc đơn vị đã chọn.")
    if course.task is not None and not _task_fits(course.task, course.org_unit):
        errors["task"] = _("Nhiệm vụ này thuộc kế hoạch của đơn vị khác.")
    if errors:
        raise ValidationError(errors)


def _check_participants(course: TrainingCourse, participants: Iterable[StaffMember]) -> list[Any]:
    people = list(participants)
    scope = set(
        OrgUnitScope.objects.filter(holder_id=course.org_unit_id).values_list("unit_id", flat=True)
    )
    outside = [p.full_name for p in people if p.org_unit_id not in scope]
    if outside:
        raise ValidationError(
            {
                "participants": _("Không thuộc phạm vi của %(unit)s: %(names)s.")
                % {"unit": course.org_unit.name, "names": ", ".join(outside)}
            }
        )
    return people


def _changes(obj: Model, before: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        old, new = before.get(name), getattr(obj, name)
        old_v = getattr(old, "pk", old)
        new_v = getattr(new, "pk", new)
        if old_v != new_v:
            out[name] = [_jsonable(old_v), _jsonable(new_v)]
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- staff -----------------------------------------------------------------------------------


@transaction.atomic
def staff_create(*, acting_user: Any, org_unit: OrgUnit, **fields: Any) -> StaffMember:
    """Add a person to the roster of `org_unit`."""
    _require_write(acting_user, org_unit)
    fields["roles"] = _check_choices(fields.get("roles", []), StaffMember.Role.values, "roles")
    staff = StaffMember(org_unit=org_unit, created_by=acting_user, **fields)
    _validate_staff(staff)
    record_save_versioned(staff, expected_version=None)
    audit_record(action=AuditEvent.Action.CREATE, user=acting_user, obj=staff)
    return staff


@transaction.atomic
def staff_update(
    *, staff: StaffMember, acting_user: Any, expected_version: int | None, **fields: Any
) -> StaffMember:
    """Change a roster entry; refused (StaleRecord) if someone saved it since it was read."""
    _require_write(acting_user, staff.org_unit)
    if "roles" in fields:
        fields["roles"] = _check_choices(fields["roles"], StaffMember.Role.values, "roles")
    before = {name: getattr(staff, name) for name in STAFF_FIELDS}
    for name, value in fields.items():
        if name not in STAFF_FIELDS:
            raise TypeError(f"unknown field {name}")
        setattr(staff, name, value)
    _require_write(acting_user, staff.org_unit)
    _validate_staff(staff)
    record_save_versioned(staff, expected_version=expected_version)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=acting_user,
        obj=staff,
        detail={"changes": _changes(staff, before, STAFF_FIELDS)},
    )
    return staff


@transaction.atomic
def staff_delete(*, staff: StaffMember, acting_user: Any) -> None:
    _require_write(acting_user, staff.org_unit)
    audit_record(action=AuditEvent.Action.DELETE, user=acting_user, obj=staff)
    staff.delete()


# --- courses ---------------------------------------------------------------------------------


@transaction.atomic
def course_create(
    *,
    acting_user: Any,
    org_unit: OrgUnit,
    participants: Iterable[StaffMember] = (),
    **fields: Any,
) -> TrainingCourse:
    """Record a training course held by `org_unit`, with its roster participants."""
    _require_write(acting_user, org_unit)
    fields["topics"] = _check_choices(
        fields.get("topics", []), TrainingCourse.Topic.values, "topics"
    )
    course = TrainingCourse(org_unit=org_unit, created_by=acting_user, **fields)
    _validate_course(course)
    people = _check_participants(course, participants)
    record_save_versioned(course, expected_version=None)
    course.participants.set(people)
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=acting_user,
        obj=course,
        detail={"participants": [p.pk for p in people]},
    )
    return course


@transaction.atomic
def course_update(
    *,
    course: TrainingCourse,
    acting_user: Any,
    expected_version: int | None,
    participants: Iterable[StaffMember] | None = None,
    **fields: Any,
) -> TrainingCourse:
    """Change a course; refused (StaleRecord) if someone saved it since it was read."""
    _require_write(acting_user, course.org_unit)
    if "topics" in fields:
        fields["topics"] = _check_choices(fields["topics"], TrainingCourse.Topic.values, "topics")
    before = {name: getattr(course, name) for name in COURSE_FIELDS}
    for name, value in fields.items():
        if name not in COURSE_FIELDS:
            raise TypeError(f"unknown field {name}")
        setattr(course, name, value)
    _require_write(acting_user, course.org_unit)
    _validate_course(course)
    people = (
        _check_participants(course, participants)
        if participants is not None
        else _check_participants(course, course.participants.all())
    )
    record_save_versioned(course, expected_version=expected_version)
    detail: dict[str, Any] = {"changes": _changes(course, before, COURSE_FIELDS)}
    if participants is not None:
        old = set(course.participants.values_list("pk", flat=True))
        new = {p.pk for p in people}
        if old != new:
            detail["participants"] = {"added": sorted(new - old), "removed": sorted(old - new)}
        course.participants.set(people)
    audit_record(action=AuditEvent.Action.UPDATE, user=acting_user, obj=course, detail=detail)
    return course


@transaction.atomic
def course_delete(*, course: TrainingCourse, acting_user: Any) -> None:
    _require_write(acting_user, course.org_unit)
    audit_record(action=AuditEvent.Action.DELETE, user=acting_user, obj=course)
    course.delete()
