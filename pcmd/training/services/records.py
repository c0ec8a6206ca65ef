"""Write the staff roster and training courses (the records one by one, and the roster XLSX).

Owns: staff_create(), staff_update(), staff_delete(), course_create(), course_update(),
course_delete(), STAFF_FIELDS, COURSE_FIELDS, staff_import(), StaffImportResult, STAFF_COLUMNS,
staff_template_xlsx(), staff_export_xlsx(), STAFF_CODE_COLUMN.
Invariants: a person may write only with "training.manage" and only in units of their scope
(PermissionDenied otherwise; acting_user=None is the system); dates are never in the future,
an end is never before its start, and the unit must exist on the record's date; roster
participants of a course belong to units in the scope of the course's unit; an update based on
an older version is refused (StaleRecord, nothing written); every write is audited in the same
transaction. An XLSX import checks every row with the same rules first, then writes all rows
or none, audited once as IMPORT.
Not here: reads and measures (selectors.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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
from pcmd.common.text import search_key
from pcmd.indicators.store import records_bulk_written
from pcmd.orgunits import selectors as orgunit_selectors
from pcmd.orgunits.models import Agency, OrgUnit, OrgUnitScope
from pcmd.plans.models import Task
from pcmd.records.xlsx import Column, RowError, xlsx_export, xlsx_read_rows, xlsx_template
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


# --- staff XLSX ------------------------------------------------------------------------------

IMPORT_BATCH = 2000
Progress = Callable[[int, int, str], None]

STAFF_COLUMNS: list[Column] = [
    Column("full_name", "Họ và tên", required=True, max_length=200),
    Column("agency", "Cơ quan", max_length=255, help="Tên cơ quan của đơn vị đã chọn khi nhập."),
    Column("position", "Chức vụ", max_length=200),
    Column(
        "roles", "Vai trò", kind="choice", choices=StaffMember.Role.choices, multiple=True,
    ),
    Column(
        "pcmd_relevant", "Làm công tác phòng, chống mại dâm", kind="bool",
        help="“Có” nếu được tính vào đội ngũ cán bộ có liên quan; để trống là “Không”.",
    ),
    Column("active_from", "Bắt đầu", kind="date"),
    Column("active_to", "Kết thúc", kind="date", help="Để trống nếu còn đảm nhiệm."),
]  # fmt: skip


def staff_template_xlsx() -> bytes:
    return xlsx_template(
        columns=STAFF_COLUMNS,
        sheet_title="Cán bộ",
        instructions=[
            _("Mẫu nhập danh sách cán bộ làm công tác phòng, chống mại dâm: mỗi dòng một người."),
            _("Giữ nguyên dòng tiêu đề. Không gộp ô, không dùng công thức."),
            _("Ngày ghi dạng dd/mm/yyyy; ngày bắt đầu không ở tương lai."),
            _("Nhiều vai trò: cách nhau bởi dấu chấm phẩy (;)."),
            _("Tệp được kiểm tra toàn bộ trước khi ghi: có lỗi ở dòng nào thì không dòng nào "
              "được ghi."),
        ],
    )  # fmt: skip


STAFF_CODE_COLUMN = Column(
    "code", "Mã cán bộ", kind="int", help="Ghi mã này vào cột học viên khi nhập lớp tập huấn."
)


def staff_export_xlsx(*, staff: Iterable[StaffMember]) -> bytes:
    """The roster as XLSX, each person with the code a course file names them by."""
    columns = [STAFF_CODE_COLUMN, Column("unit", "Đơn vị"), *STAFF_COLUMNS]
    return xlsx_export(
        columns=columns,
        rows=(
            {
                "code": s.pk,
                "unit": s.org_unit.name,
                "full_name": s.full_name,
                "agency": s.agency.name if s.agency else "",
                "position": s.position,
                "roles": s.roles or [],
                "pcmd_relevant": s.pcmd_relevant,
                "active_from": s.active_from,
                "active_to": s.active_to,
            }
            for s in staff
        ),
    )


@dataclass
class StaffImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def staff_import(
    *,
    unit: OrgUnit,
    data: bytes,
    acting_user: Any,
    filename: str = "",
    progress: Progress | None = None,
) -> StaffImportResult:
    """Check every row of the file against the roster's rules, then write all rows in one
    transaction, or none."""
    _require_write(acting_user, unit)
    rows, errors = xlsx_read_rows(data=data, columns=STAFF_COLUMNS)
    if errors:
        return StaffImportResult(errors=errors)
    total = len(rows)
    if progress:
        progress(0, total, _("Đang kiểm tra %(n)d dòng") % {"n": total})
    agencies: dict[str, Agency] = {}
    for known in orgunit_selectors.agency_list(unit):
        agencies.setdefault(search_key(known.name), known)
        if known.short_name:
            agencies.setdefault(search_key(known.short_name), known)
    label = {c.key: c.label for c in STAFF_COLUMNS}
    label["org_unit"] = label["active_from"]
    people: list[StaffMember] = []
    for row in rows:
        number = row["_row"]
        agency: Agency | None = None
        if row["agency"]:
            agency = agencies.get(search_key(row["agency"]))
            if agency is None:
                errors.append(
                    RowError(
                        number,
                        label["agency"],
                        _("không tìm thấy cơ quan “%(v)s” của %(u)s.")
                        % {"v": row["agency"], "u": unit.name},
                    )
                )
        staff = StaffMember(
            org_unit=unit,
            created_by=acting_user,
            full_name=row["full_name"],
            agency=agency,
            position=row["position"],
            roles=list(dict.fromkeys(row["roles"])),
            pcmd_relevant=row["pcmd_relevant"],
            active_from=row["active_from"],
            active_to=row["active_to"],
        )
        try:
            _validate_staff(staff)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(RowError(number, label.get(name, ""), message))
        people.append(staff)
    if errors:
        return StaffImportResult(errors=errors)
    with transaction.atomic():
        for start in range(0, total, IMPORT_BATCH):
            StaffMember.objects.bulk_create(people[start : start + IMPORT_BATCH])
            records_bulk_written(people[start : start + IMPORT_BATCH])
            if progress:
                done = min(total, start + IMPORT_BATCH)
                progress(done, total, _("Đã ghi %(n)d/%(t)d dòng") % {"n": done, "t": total})
        audit_record(
            action=AuditEvent.Action.IMPORT,
            user=acting_user,
            obj=unit,
            detail={"filename": filename[:200], "staff": total},
        )
    return StaffImportResult(created=total)


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
