"""Training courses in XLSX: template, all-or-nothing import with roster participants (direct
and as a background job), export of the filtered list, bad files, and who may do it."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import BEFORE_REFORM, HOANG_HOP, make_user, unit
from pcmd.jobs.models import Job
from pcmd.jobs.tasks import _run_job
from pcmd.orgunits.models import Agency
from pcmd.training import services, views
from pcmd.training.models import TrainingCourse
from pcmd.training.services import COURSE_COLUMNS
from pcmd.training.tests.factories import make_course, make_staff

pytestmark = pytest.mark.django_db

HOANG_PHU = "15883"  # a sibling commune of Hoằng Hợp

HEADER = [c.label for c in COURSE_COLUMNS]


def row(**values: Any) -> list[Any]:
    """A data row in the template's column order; unnamed cells are empty."""
    base: dict[str, Any] = {
        "title": "Tập huấn kỹ năng truyền thông",
        "start_date": "10/03/2025",
        "end_date": "11/03/2025",
        "organiser": "Công an xã",
        "topics": "Kỹ năng truyền thông; Giảm hại",
        "participants": "",
        "outside_participants": 5,
        "note": "",
    }
    base.update(values)
    return [base[c.key] for c in COURSE_COLUMNS]


def xlsx_bytes(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header or HEADER)
    for values in rows:
        ws.append(values)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def police() -> Agency:
    return Agency.objects.create(org_unit=unit(HOANG_HOP), name="Công an xã", kind="police")


def coordinator(username: str = "t-coord") -> User:
    return make_user(username=username, role=User.Role.COORDINATOR, unit_code=HOANG_HOP)


def upload(data: bytes) -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = "lop-tap-huan.xlsx"
    return buffer


def texts(result: Any) -> list[str]:
    return [str(e) for e in result.errors]


def test_a_good_file_writes_courses_with_their_roster_participants_and_one_audit() -> None:
    agency = police()
    hoa = make_staff(full_name="Lê Thị Hoa")
    binh = make_staff(full_name="Trần Văn Bình")
    user = coordinator()
    data = xlsx_bytes(
        [
            row(participants=f"{hoa.pk}; tran van binh", outside_participants=7),
            row(title="Tập huấn giảm hại", start_date="05/04/2025", end_date=None,
                organiser=None, topics="Giảm hại", participants=f"{binh.pk} - Trần Văn Bình",
                outside_participants=None),
        ]
    )  # fmt: skip
    result = services.courses_import(unit=unit(HOANG_HOP), data=data, acting_user=user)
    assert result.ok and result.created == 2, texts(result)
    first = TrainingCourse.objects.get(title="Tập huấn kỹ năng truyền thông")
    assert first.organiser == agency and first.topics == ["communication", "harm_reduction"]
    assert set(first.participants.all()) == {hoa, binh} and first.outside_participants == 7
    assert first.created_by == user and first.version == 1
    second = TrainingCourse.objects.get(title="Tập huấn giảm hại")
    assert second.end_date == second.start_date == date(2025, 4, 5)
    assert list(second.participants.all()) == [binh] and second.outside_participants == 0
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1


def test_every_bad_row_is_listed_by_row_and_column_and_nothing_is_written() -> None:
    police()
    make_staff(full_name="Lê Thị Hoa")
    make_staff(full_name="Lê Thị Hoa", position="Hội phụ nữ")
    stranger = make_staff(full_name="Người xã khác", org_unit=unit(HOANG_PHU, BEFORE_REFORM))
    data = xlsx_bytes(
        [
            row(),
            row(participants="Lê Thị Hoa"),
            row(participants=f"{stranger.pk}; Không Có Ai"),
            row(start_date="12/03/2025", end_date="11/03/2025"),
            row(start_date="01/01/2999", end_date="02/01/2999"),
            row(organiser="Sở không có"),
        ]
    )
    result = services.courses_import(unit=unit(HOANG_HOP), data=data, acting_user=coordinator())
    found = texts(result)
    assert not result.ok and result.created == 0
    expected = {
        3: "Học viên trong danh sách cán bộ",
        4: "Học viên trong danh sách cán bộ",
        5: "Ngày kết thúc",
        6: "Ngày bắt đầu",
        7: "Cơ quan tổ chức",
    }
    for number, column in expected.items():
        assert any(t.startswith(f"Dòng {number}, cột “{column}”") for t in found), (number, found)
    assert not any(t.startswith("Dòng 2,") for t in found)
    assert any("hãy ghi mã cán bộ" in t for t in found)
    assert any(f"không có cán bộ mã {stranger.pk}" in t for t in found)
    assert any("“Không Có Ai”" in t for t in found)
    assert TrainingCourse.objects.count() == 0


def test_cells_that_cannot_be_read_are_all_listed() -> None:
    data = xlsx_bytes(
        [
            row(outside_participants=-3),
            row(topics="Nấu ăn"),
            row(start_date="31/02/2025"),
            row(outside_participants="nhiều"),
        ]
    )
    result = services.courses_import(unit=unit(HOANG_HOP), data=data, acting_user=coordinator())
    assert [t.split(":")[0] for t in texts(result)] == [
        "Dòng 2, cột “Số học viên ngoài danh sách”",
        "Dòng 3, cột “Chủ đề”",
        "Dòng 4, cột “Ngày bắt đầu”",
        "Dòng 5, cột “Số học viên ngoài danh sách”",
    ], texts(result)
    assert TrainingCourse.objects.count() == 0


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ([*HEADER, "Cột lạ"], "cột “Cột lạ” không có trong mẫu"),
        (HEADER[1:], "thiếu cột bắt buộc: Tên lớp"),
    ],
)
def test_wrong_columns_are_refused(header: list[str], message: str) -> None:
    data = xlsx_bytes([row()[: len(header)]], header=header)
    result = services.courses_import(unit=unit(HOANG_HOP), data=data, acting_user=coordinator())
    assert any(message in t for t in texts(result)), texts(result)
    assert TrainingCourse.objects.count() == 0


def test_merged_cells_and_formulas_are_refused_never_evaluated() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    ws.append(row())
    ws.merge_cells("A2:B2")
    buffer = io.BytesIO()
    wb.save(buffer)
    merged = services.courses_import(
        unit=unit(HOANG_HOP), data=buffer.getvalue(), acting_user=coordinator()
    )
    assert any("ô gộp (A2:B2)" in t for t in texts(merged)), texts(merged)
    formula = xlsx_bytes([row(outside_participants="=2+3")])
    result = services.courses_import(unit=unit(HOANG_HOP), data=formula, acting_user=None)
    assert texts(result) == [
        "Dòng 2, cột “Số học viên ngoài danh sách”: ô chứa công thức; hãy dán giá trị thay cho "
        "công thức."
    ]
    assert TrainingCourse.objects.count() == 0


def test_ten_thousand_bad_rows_are_all_listed_and_nothing_is_written() -> None:
    data = xlsx_bytes([row(outside_participants=-1)] * 10_000)
    result = services.courses_import(unit=unit(HOANG_HOP), data=data, acting_user=None)
    assert len(result.errors) == 10_000
    assert {e.row for e in result.errors} == set(range(2, 10_002))
    assert TrainingCourse.objects.count() == 0


def test_template_download_and_a_small_import_from_the_page(client: Client) -> None:
    police()
    client.force_login(coordinator())
    template = client.get(reverse("training:course-import-template"))
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book.worksheets[0][1]] == HEADER
    assert "Hướng dẫn" in book.sheetnames and "Danh mục" in book.sheetnames
    assert client.get(reverse("training:course-import")).status_code == 200
    response = client.post(
        reverse("training:course-import"),
        {"org_unit": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([row()]))},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("training:course-list")
    assert TrainingCourse.objects.get().organiser is not None


def test_a_bad_file_on_the_page_lists_errors_and_writes_nothing(client: Client) -> None:
    client.force_login(coordinator())
    response = client.post(
        reverse("training:course-import"),
        {
            "org_unit": unit(HOANG_HOP).pk,
            "file": upload(xlsx_bytes([row(title=""), row(outside_participants=-1)])),
        },
    )
    assert response.status_code == 422
    errors = response.context["errors"]
    assert errors[0] == "Dòng 2, cột “Tên lớp”: ô bắt buộc đang để trống."
    assert "Dòng 3, cột “Số học viên ngoài danh sách”" in response.content.decode()
    assert TrainingCourse.objects.count() == 0


def test_a_large_import_runs_as_a_job(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "DIRECT_IMPORT_MAX_ROWS", 1)
    police()
    hoa = make_staff()
    client.force_login(coordinator())
    data = xlsx_bytes([row(participants=str(hoa.pk))] * 3)
    response = client.post(
        reverse("training:course-import"), {"org_unit": unit(HOANG_HOP).pk, "file": upload(data)}
    )
    job = Job.objects.get()
    assert job.handler == "pcmd.training.jobs.course_import_job"
    assert response["Location"] == reverse("training:course-import-job", args=[job.pk])
    _run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["created"] == 3
    assert job.done == job.total == 3
    assert TrainingCourse.objects.filter(participants=hoa).count() == 3
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Đã nhập 3 lớp tập huấn." in page.content.decode()


def test_a_job_with_bad_rows_keeps_every_error_and_writes_nothing(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "DIRECT_IMPORT_MAX_ROWS", 1)
    client.force_login(coordinator())
    data = xlsx_bytes([row(organiser=None, outside_participants=-1)] * 3)
    response = client.post(
        reverse("training:course-import"), {"org_unit": unit(HOANG_HOP).pk, "file": upload(data)}
    )
    _run_job(str(Job.objects.get().pk))
    job = Job.objects.get()
    assert job.result["error_count"] == 3 and job.result["created"] == 0
    assert TrainingCourse.objects.count() == 0
    assert "Dòng 4, cột" in client.get(response["Location"]).content.decode()


def test_export_follows_the_filter_names_participants_and_escapes_formulas(
    client: Client,
) -> None:
    hoa = make_staff(full_name="Lê Thị Hoa")
    make_course(title='=HYPERLINK("http://x")', participants=[hoa], outside_participants=4)
    make_course(title="Lớp khác", start_date=date(2024, 5, 1), end_date=date(2024, 5, 1))
    client.force_login(coordinator())
    response = client.get(reverse("training:course-export"), {"year": "2025"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 1
    assert rows[0]["Tên lớp"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["Học viên trong danh sách cán bộ"] == f"{hoa.pk} - Lê Thị Hoa"
    assert rows[0]["Số học viên trong danh sách"] == 1
    assert rows[0]["Số học viên ngoài danh sách"] == 4
    assert rows[0]["Chủ đề"] == "Kỹ năng truyền thông"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    page = client.get(reverse("training:course-list")).content.decode()
    assert reverse("training:course-export") in page and reverse("training:course-import") in page


def test_export_shows_only_courses_in_the_users_scope(client: Client) -> None:
    make_course(title="Lớp của xã")
    make_course(title="Lớp xã khác", org_unit=unit(HOANG_PHU, BEFORE_REFORM))
    client.force_login(coordinator())
    response = client.get(reverse("training:course-export"))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == ["Lớp của xã"]


def test_a_role_without_training_manage_cannot_import(client: Client) -> None:
    user = make_user(username="t-insp", role=User.Role.INSPECTOR, unit_code=HOANG_HOP)
    client.force_login(user)
    for name in ("training:course-import", "training:course-import-template"):
        assert client.get(reverse(name)).status_code == 403
    response = client.post(
        reverse("training:course-import"),
        {"org_unit": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([row()]))},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.courses_import(unit=unit(HOANG_HOP), data=xlsx_bytes([row()]), acting_user=user)
    assert TrainingCourse.objects.count() == 0


def test_a_unit_outside_the_scope_is_refused() -> None:
    with pytest.raises(PermissionDenied):
        services.courses_import(
            unit=unit(HOANG_PHU, BEFORE_REFORM), data=xlsx_bytes([row()]), acting_user=coordinator()
        )


def test_the_roster_export_gives_the_code_a_course_file_names_people_by(client: Client) -> None:
    hoa = make_staff(full_name="Lê Thị Hoa")
    client.force_login(coordinator())
    response = client.get(reverse("training:staff-export"))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert ws["A1"].value == "Mã cán bộ" and ws["A2"].value == hoa.pk
