"""The training-course part of `pcmd bench`: time courses_import() on a large XLSX file.

Owns: course_xlsx_for_bench(), bench_course_import().
Invariants: runs inside the bench's transaction, which is rolled back (nothing stays); the
baseline is a plain bulk_create of the same courses and participant links built in memory,
measured in the same run.
Not here: the command and the other measures (pcmd.orgunits.management.commands.bench).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction

from pcmd.orgunits.models import Agency, OrgUnit

PARTICIPANTS_PER_ROW = 3
ROSTER_SIZE = 200


def course_xlsx_for_bench(
    rows: int, codes: list[int], organiser: str | None, first_day: date
) -> bytes:
    """A course file of `rows` rows, each naming PARTICIPANTS_PER_ROW roster codes."""
    from openpyxl import Workbook

    from pcmd.training.services import COURSE_COLUMNS

    span = max(1, (date.today() - first_day).days)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Lớp tập huấn")
    ws.append([c.label for c in COURSE_COLUMNS])
    for i in range(rows):
        day = date.fromordinal(first_day.toordinal() + i % span)
        people = "; ".join(str(codes[(i + k) % len(codes)]) for k in range(PARTICIPANTS_PER_ROW))
        ws.append(
            [f"Tập huấn nghiệp vụ phòng, chống mại dâm số {i}", day.strftime("%d/%m/%Y"), None,
             organiser, "Kỹ năng truyền thông; Giảm hại", people, i % 30, ""]
        )  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def bench_course_import(
    record: Callable[..., None], rows: int, *, commune: OrgUnit, first_day: date, user: Any
) -> None:
    """Time the course XLSX import (read, checked, written with its participants in one
    transaction) against bulk_create of the same rows."""
    from pcmd.records.xlsx import xlsx_read_rows
    from pcmd.training import services
    from pcmd.training.models import StaffMember, TrainingCourse

    roster = StaffMember.objects.bulk_create(
        StaffMember(org_unit=commune, full_name=f"Cán bộ thử {i:03d}") for i in range(ROSTER_SIZE)
    )
    agency = Agency.objects.filter(org_unit=commune).order_by("id").first()
    data = course_xlsx_for_bench(rows, [s.pk for s in roster], agency.name if agency else None,
                                 first_day)  # fmt: skip
    read_s, (parsed, errors) = _timed(
        lambda: xlsx_read_rows(data=data, columns=services.COURSE_COLUMNS)
    )
    import_s, result = _timed(
        lambda: services.courses_import(data=data, unit=commune, acting_user=user)
    )
    through = TrainingCourse.participants.through

    def bulk() -> int:
        with transaction.atomic():
            courses = TrainingCourse.objects.bulk_create(
                (
                    TrainingCourse(
                        org_unit=commune, created_by=user, title=row["title"],
                        start_date=row["start_date"], end_date=row["start_date"],
                        organiser=agency, topics=row["topics"],
                        outside_participants=row["outside_participants"] or 0,
                    )
                    for row in parsed
                ),
                batch_size=2000,
            )  # fmt: skip
            through.objects.bulk_create(
                (
                    through(trainingcourse_id=course.pk, staffmember_id=int(code))
                    for course, row in zip(courses, parsed, strict=True)
                    for code in row["participants"].split("; ")
                ),
                batch_size=2000,
            )
            transaction.set_rollback(True)
        return len(courses)

    bulk_s, bulk_n = _timed(bulk)
    record(
        f"courses_import (XLSX, {rows} dòng, {PARTICIPANTS_PER_ROW} học viên/dòng)",
        import_s,
        "bulk_create of the same courses and participants, built in memory",
        bulk_s,
        created=result.created,
        errors=len(result.errors) + len(errors),
        first_errors=[str(e) for e in result.errors[:3]],
        read_and_check_seconds=round(read_s, 2),
        xlsx_bytes=len(data),
        agree=result.created == bulk_n == rows,
    )
