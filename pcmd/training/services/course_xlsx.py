"""Training courses in XLSX: the template to fill, the all-or-nothing import, the export.

Owns: COURSE_COLUMNS, course_template_xlsx(), course_export_xlsx(), courses_import(),
CourseImportResult, participant_label().
Invariants: every row is checked with the same rules as a course typed on the page
(records._validate_course) before anything is written; the organiser is an agency of the unit,
of a unit above it or below it; roster participants are people of the unit's scope, named by
their code ("Mã cán bộ" of the roster export) or by their full name when it is unique; then all
courses and their participants are written in one transaction, audited once as IMPORT on the
unit, or nothing is written and every problem is returned by row and column.
Not here: the upload page and the background job (views.py, jobs.py, pcmd.records.imports).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.common.text import search_key
from pcmd.indicators.store import records_bulk_written, records_imported
from pcmd.orgunits.models import Agency, OrgUnit, OrgUnitScope
from pcmd.records.xlsx import Column, RowError, xlsx_export, xlsx_read_rows, xlsx_template
from pcmd.training.models import StaffMember, TrainingCourse
from pcmd.training.services.records import (
    IMPORT_BATCH,
    Progress,
    _require_write,
    _validate_course,
)

_ENTRY_SPLIT = re.compile(r"\s*[;\n]\s*")
# "12", "#12" or "12 - Lê Thị Hoa" (the form the export writes) name roster code 12.
_CODE = re.compile(r"^#?(\d{1,12})(?:\s*[-–—:]\s*.*)?$")
MAX_PARTICIPANTS_TEXT = 20_000

COURSE_COLUMNS: list[Column] = [
    Column("title", "Tên lớp", required=True, max_length=300),
    Column("start_date", "Ngày bắt đầu", kind="date", required=True),
    Column("end_date", "Ngày kết thúc", kind="date",
           help="Để trống nếu lớp học trong một ngày."),
    Column("organiser", "Cơ quan tổ chức", max_length=255,
           help="Tên cơ quan của đơn vị đã chọn khi nhập (hoặc của cấp trên, cấp dưới)."),
    Column("topics", "Chủ đề", kind="choice", choices=TrainingCourse.Topic.choices,
           multiple=True),
    Column("participants", "Học viên trong danh sách cán bộ", max_length=MAX_PARTICIPANTS_TEXT,
           help="Mã cán bộ (cột “Mã cán bộ” của tệp xuất danh sách cán bộ) hoặc họ và tên, "
                "cách nhau bởi dấu “;”. Ví dụ: 12; 15; Lê Thị Hoa."),
    Column("outside_participants", "Số học viên ngoài danh sách", kind="int",
           help="Số người dự không có trong danh sách cán bộ; để trống là 0."),
    Column("note", "Ghi chú", max_length=5000),
]  # fmt: skip


def participant_label(staff: StaffMember) -> str:
    """How a roster participant is written in the files: "code - full name"."""
    return f"{staff.pk} - {staff.full_name}"


def course_template_xlsx() -> bytes:
    return xlsx_template(
        columns=COURSE_COLUMNS,
        sheet_title="Lớp tập huấn",
        instructions=[
            _("Mẫu nhập các lớp tập huấn, bồi dưỡng cán bộ: mỗi dòng một lớp."),
            _("Giữ nguyên dòng tiêu đề. Không gộp ô, không dùng công thức."),
            _("Ngày ghi dạng dd/mm/yyyy; không ghi ngày ở tương lai; ngày kết thúc không trước "
              "ngày bắt đầu."),
            _("Nhiều chủ đề: cách nhau bởi dấu chấm phẩy (;)."),
            _("Học viên trong danh sách cán bộ: ghi mã cán bộ (lấy ở cột “Mã cán bộ” khi xuất "
              "danh sách cán bộ ra Excel) hoặc họ và tên, cách nhau bởi dấu chấm phẩy (;). "
              "Người dự không có trong danh sách thì chỉ ghi số lượng ở cột “Số học viên ngoài "
              "danh sách”."),
            _("Tệp được kiểm tra toàn bộ trước khi ghi: có lỗi ở dòng nào thì không dòng nào "
              "được ghi."),
        ],
    )  # fmt: skip


EXPORT_COLUMNS: list[Column] = [
    Column("unit", "Đơn vị"),
    *COURSE_COLUMNS[:6],
    Column("roster_count", "Số học viên trong danh sách", kind="int"),
    *COURSE_COLUMNS[6:],
]


def course_export_xlsx(*, courses: Iterable[TrainingCourse]) -> bytes:
    """The courses as XLSX (participants written as "code - name", as the import reads them).
    Pass courses with `participants` prefetched."""
    rows = []
    for c in courses:
        people = sorted(c.participants.all(), key=lambda s: (s.full_name, s.pk))
        rows.append(
            {
                "unit": c.org_unit.name,
                "title": c.title,
                "start_date": c.start_date,
                "end_date": c.end_date,
                "organiser": c.organiser.name if c.organiser else "",
                "topics": c.topics or [],
                "participants": "; ".join(participant_label(s) for s in people),
                "roster_count": len(people),
                "outside_participants": c.outside_participants,
                "note": c.note,
            }
        )
    return xlsx_export(columns=EXPORT_COLUMNS, rows=rows)


@dataclass
class CourseImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _organiser_index(unit: OrgUnit) -> dict[str, Agency]:
    """Agencies a course of `unit` may name, by name and short name: the unit's own first,
    then those of the units above it, then those below."""
    above = OrgUnitScope.objects.filter(unit_id=unit.pk).values("holder_id")
    below = OrgUnitScope.objects.filter(holder_id=unit.pk).values("unit_id")
    above_ids = set(above.values_list("holder_id", flat=True))
    agencies = Agency.objects.filter(Q(org_unit__in=above) | Q(org_unit__in=below))

    def rank(agency: Agency) -> tuple[int, int]:
        if agency.org_unit_id == unit.pk:
            return (0, agency.pk)
        return (1 if agency.org_unit_id in above_ids else 2, agency.pk)

    ranked = sorted(agencies, key=rank)
    index: dict[str, Agency] = {}
    for agency in ranked:
        index.setdefault(search_key(agency.name), agency)
        if agency.short_name:
            index.setdefault(search_key(agency.short_name), agency)
    return index


@dataclass
class _Roster:
    """The people a course of the unit may draw from, by code and by name key."""

    by_pk: dict[int, StaffMember]
    by_name: dict[str, list[StaffMember]]

    @classmethod
    def of(cls, unit: OrgUnit) -> _Roster:
        scope = OrgUnitScope.objects.filter(holder_id=unit.pk).values("unit_id")
        people = StaffMember.objects.filter(org_unit__in=scope).only("pk", "full_name")
        by_pk: dict[int, StaffMember] = {}
        by_name: dict[str, list[StaffMember]] = {}
        for person in people:
            by_pk[person.pk] = person
            by_name.setdefault(search_key(person.full_name), []).append(person)
        return cls(by_pk, by_name)

    def resolve(self, text: str, unit: OrgUnit) -> tuple[list[StaffMember], list[str]]:
        """The people `text` names, and a reason for every entry that names nobody."""
        found: dict[int, StaffMember] = {}
        problems: list[str] = []
        for entry in (e for e in _ENTRY_SPLIT.split(text or "") if e):
            if m := _CODE.match(entry):
                person = self.by_pk.get(int(m[1]))
                if person is None:
                    problems.append(
                        _("không có cán bộ mã %(c)s trong danh sách cán bộ của %(u)s.")
                        % {"c": m[1], "u": unit.name}
                    )
                else:
                    found[person.pk] = person
                continue
            matches = self.by_name.get(search_key(entry), [])
            if not matches:
                problems.append(
                    _("không có “%(n)s” trong danh sách cán bộ của %(u)s.")
                    % {"n": entry, "u": unit.name}
                )
            elif len(matches) > 1:
                problems.append(
                    _("có %(k)d người tên “%(n)s” trong danh sách cán bộ (mã %(codes)s): hãy "
                      "ghi mã cán bộ thay cho tên.")
                    % {"k": len(matches), "n": entry,
                       "codes": ", ".join(str(p.pk) for p in matches)}
                )  # fmt: skip
            else:
                found[matches[0].pk] = matches[0]
        return list(found.values()), problems


def courses_import(
    *,
    unit: OrgUnit,
    data: bytes,
    acting_user: Any,
    filename: str = "",
    progress: Progress | None = None,
) -> CourseImportResult:
    """Check every row of the file against the courses' rules, then write all courses of
    `unit` with their participants in one transaction, or none."""
    _require_write(acting_user, unit)
    rows, errors = xlsx_read_rows(data=data, columns=COURSE_COLUMNS)
    if errors:
        return CourseImportResult(errors=errors)
    total = len(rows)
    if progress:
        progress(0, total, _("Đang kiểm tra %(n)d dòng") % {"n": total})
    organisers = _organiser_index(unit)
    roster = _Roster.of(unit)
    label = {c.key: c.label for c in COURSE_COLUMNS}
    label["org_unit"] = label["start_date"]
    courses: list[tuple[TrainingCourse, list[StaffMember]]] = []
    for row in rows:
        number = row["_row"]
        organiser: Agency | None = None
        if row["organiser"]:
            organiser = organisers.get(search_key(row["organiser"]))
            if organiser is None:
                errors.append(
                    RowError(
                        number,
                        label["organiser"],
                        _("không tìm thấy cơ quan “%(v)s” của %(u)s.")
                        % {"v": row["organiser"], "u": unit.name},
                    )
                )
        people, problems = roster.resolve(row["participants"], unit)
        errors.extend(RowError(number, label["participants"], p) for p in problems)
        course = TrainingCourse(
            org_unit=unit,
            created_by=acting_user,
            title=row["title"],
            start_date=row["start_date"],
            end_date=row["end_date"] or row["start_date"],
            topics=list(dict.fromkeys(row["topics"])),
            outside_participants=row["outside_participants"] or 0,
            note=row["note"],
        )
        try:
            # The organiser came from the agencies that fit the unit; checking it again per
            # row would cost two queries a row.
            _validate_course(course)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(RowError(number, label.get(name, ""), message))
        course.organiser = organiser
        courses.append((course, people))
    if errors:
        return CourseImportResult(errors=errors)
    through = TrainingCourse.participants.through
    with transaction.atomic():
        for start in range(0, total, IMPORT_BATCH):
            batch = courses[start : start + IMPORT_BATCH]
            TrainingCourse.objects.bulk_create([c for c, _people in batch])
            records_bulk_written([c for c, _people in batch])
            records_imported(
                ["training.participations"],
                {p.org_unit_id for _c, people in batch for p in people},
                min((c.end_date for c, _people in batch if c.end_date), default=None),
            )
            through.objects.bulk_create(
                [
                    through(trainingcourse_id=c.pk, staffmember_id=p.pk)
                    for c, people in batch
                    for p in people
                ]
            )
            if progress:
                done = min(total, start + IMPORT_BATCH)
                progress(done, total, _("Đã ghi %(n)d/%(t)d dòng") % {"n": done, "t": total})
        audit_record(
            action=AuditEvent.Action.IMPORT,
            user=acting_user,
            obj=unit,
            detail={"filename": filename[:200], "courses": total},
        )
    return CourseImportResult(created=total)
