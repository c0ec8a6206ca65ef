"""Inspections (with violations), hot spots and inspection teams in XLSX: templates, the
all-or-nothing imports (direct and as a job), exports of the filtered lists with formulas
escaped, and who may do it."""

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
from pcmd.enforcement import services, views
from pcmd.enforcement.models import HotSpot, Inspection, InspectionTeam, Violation
from pcmd.enforcement.tests.factories import (
    HOANG_HOP,
    make_establishment,
    make_hotspot,
    make_inspection,
    make_team,
    make_user,
    make_violation,
    unit,
)
from pcmd.jobs.models import Job
from pcmd.jobs.tasks import _run_job
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_children

pytestmark = pytest.mark.django_db

HOANG_HOA = "399"

# date, establishment, team, mode, minutes, findings, basis, article, clause, description,
# sanction, fine
PLAIN = ["10/03/2025", "Karaoke Hoa Hồng", "12/QĐ-UBND", "Đột xuất", "BB-01", "Không vi phạm",
         None, None, None, None, None, None]  # fmt: skip
FINED = ["12/03/2025", "GP-123", None, "Theo kế hoạch, có thông báo trước", "BB-02",
         "Có vi phạm", "144/2021/NĐ-CP", "25", "1a", "Không đăng ký lưu trú", "Phạt tiền",
         10_000_000]  # fmt: skip


def xlsx_bytes(rows: list[list[Any]], columns: list[Any] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([c.label for c in (columns or services.inspection_columns())])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "kiem-tra.xlsx") -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


def police(username: str = "i-police", unit_code: str = HOANG_HOP) -> User:
    return make_user(username=username, role=User.Role.POLICE, unit_code=unit_code)


def login(client: Client, role: str = User.Role.POLICE) -> User:
    user = make_user(username=f"i-{role}", role=role, unit_code=HOANG_HOP)
    client.force_login(user)
    return user


def register() -> None:
    make_establishment(name="Karaoke Hoa Hồng")
    make_establishment(name="Nhà nghỉ Bình An", licence_number="GP-123")
    make_team()


# --- Inspections: service -------------------------------------------------------------------


def test_a_good_file_writes_inspections_and_their_violations_in_one_import() -> None:
    register()
    user = police()
    second_violation = [*FINED[:6], "144/2021/NĐ-CP", "27", "", "", "Cảnh cáo", None]
    result = services.inspections_import(
        unit=unit(HOANG_HOP), data=xlsx_bytes([PLAIN, FINED, second_violation]), acting_user=user
    )
    assert result.ok and result.created == 2, [str(e) for e in result.errors]
    plain = Inspection.objects.get(minutes_number="BB-01")
    assert plain.team is not None and plain.team.decision_number == "12/QĐ-UBND"
    assert plain.mode == Inspection.Mode.SURPRISE and plain.org_unit == unit(HOANG_HOP)
    assert plain.violations.count() == 0 and plain.created_by == user
    fined = Inspection.objects.get(minutes_number="BB-02")
    assert fined.establishment.name == "Nhà nghỉ Bình An" and fined.team is None
    violations = list(fined.violations.order_by("article"))
    assert [(v.article, v.sanction, v.fine_amount) for v in violations] == [
        ("25", Violation.Sanction.FINE, 10_000_000),
        ("27", Violation.Sanction.WARNING, None),
    ]
    assert violations[0].legal_basis.code == "ND-144-2021" and violations[0].clause == "1a"
    imports = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT)
    assert imports.count() == 1 and imports.get().detail["inspections"] == 2


def test_bad_rows_are_all_listed_by_row_and_column_and_nothing_is_written() -> None:
    register()
    other_commune = next(
        c for c in orgunit_children(unit(HOANG_HOA), on=date(2025, 3, 1))
        if c.level == OrgUnit.Level.COMMUNE and c.code != HOANG_HOP
        and c.is_valid_on(date(2020, 1, 1))
    )  # fmt: skip
    make_establishment(name="Spa Ngọc Lan", org_unit=other_commune)
    user = police(unit_code=HOANG_HOA)
    fine_282 = [*FINED[:6], "282/2025/NĐ-CP", *FINED[7:]]  # in force only from 15/12/2025
    no_basis = [*FINED[:6], None, *FINED[7:]]
    no_amount = [*FINED[:11], None]
    future = ["01/01/2999", *PLAIN[1:]]
    elsewhere = [PLAIN[0], "Spa Ngọc Lan", *PLAIN[2:]]
    unknown_team = [*PLAIN[:2], "99/QĐ", *PLAIN[3:]]
    result = services.inspections_import(
        unit=unit(HOANG_HOP),
        data=xlsx_bytes([PLAIN, fine_282, no_basis, no_amount, future, elsewhere, unknown_team]),
        acting_user=user,
    )
    texts = [str(e) for e in result.errors]
    assert not result.ok and result.created == 0
    assert any(
        t.startswith("Dòng 3, cột “Căn cứ xử phạt”") and "không có hiệu lực vào ngày kiểm tra" in t
        for t in texts
    ), texts
    assert any(t.startswith("Dòng 4, cột “Căn cứ xử phạt”") for t in texts), texts
    assert any(t.startswith("Dòng 5, cột “Số tiền phạt (đồng)”") for t in texts), texts
    assert any(t.startswith("Dòng 6, cột “Ngày kiểm tra”") and "tương lai" in t for t in texts)
    assert any(
        t.startswith("Dòng 7, cột “Cơ sở được kiểm tra”") and "Xã Hoằng Hợp" in t for t in texts
    ), texts
    assert any(t.startswith("Dòng 8, cột “Số quyết định thành lập đội”") for t in texts), texts
    assert not any(t.startswith("Dòng 2") for t in texts)
    assert Inspection.objects.count() == 0 and Violation.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_wrong_columns_and_formulas_are_refused_before_any_row_is_read() -> None:
    register()
    wrong = Workbook()
    ws = wrong.active
    assert ws is not None
    ws.append(["Ngày", "Tên cơ sở", "Số tiền"])
    ws.append(["10/03/2025", "Karaoke Hoa Hồng", 1])
    buffer = io.BytesIO()
    wrong.save(buffer)
    result = services.inspections_import(
        unit=unit(HOANG_HOP), data=buffer.getvalue(), acting_user=police()
    )
    texts = [str(e) for e in result.errors]
    assert any("“Tên cơ sở” không có trong mẫu" in t for t in texts), texts
    assert any("thiếu cột bắt buộc" in t for t in texts), texts
    formula = services.inspections_import(
        unit=unit(HOANG_HOP), data=xlsx_bytes([[*PLAIN[:5], "=1+1", *PLAIN[6:]]]),
        acting_user=police("i-police-2"),
    )  # fmt: skip
    assert [str(e) for e in formula.errors][0].startswith("Dòng 2, cột “Kết quả kiểm tra”")
    assert Inspection.objects.count() == 0


def test_ten_thousand_bad_rows_are_all_listed_and_nothing_is_written() -> None:
    register()
    bad = [*FINED[:6], "282/2025/NĐ-CP", *FINED[7:]]
    result = services.inspections_import(
        unit=unit(HOANG_HOP), data=xlsx_bytes([bad] * 10_000), acting_user=police()
    )
    rows = {e.row for e in result.errors if e.column == "Căn cứ xử phạt"}
    assert rows == set(range(2, 10_002))
    assert Inspection.objects.count() == 0 and Violation.objects.count() == 0


def test_rows_of_one_minutes_must_agree_and_each_add_a_violation() -> None:
    register()
    other_mode = [*FINED[:3], "Đột xuất", *FINED[4:]]
    no_violation = [*FINED[:6], None, None, None, None, None, None]
    result = services.inspections_import(
        unit=unit(HOANG_HOP), data=xlsx_bytes([FINED, other_mode, no_violation]),
        acting_user=police(),
    )  # fmt: skip
    texts = [str(e) for e in result.errors]
    assert any(t.startswith("Dòng 3, cột “Số biên bản”") and "dòng 2" in t for t in texts), texts
    assert any(t.startswith("Dòng 4, cột “Số biên bản”") for t in texts), texts
    assert Inspection.objects.count() == 0


def test_a_writer_without_inspection_manage_is_refused() -> None:
    register()
    coordinator = make_user(username="i-coord", role=User.Role.COORDINATOR, unit_code=HOANG_HOP)
    with pytest.raises(PermissionDenied):
        services.inspections_import(
            unit=unit(HOANG_HOP), data=xlsx_bytes([PLAIN]), acting_user=coordinator
        )
    assert Inspection.objects.count() == 0


# --- Inspections: pages -----------------------------------------------------------------------


def test_inspection_template_lists_the_legal_bases_and_a_small_file_imports_from_the_page(
    client: Client,
) -> None:
    register()
    login(client)
    template = client.get(reverse("enforcement:inspection-import-template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")
    book = load_workbook(io.BytesIO(template.content))
    assert len(book.sheetnames) == 3
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:2] == ["Ngày kiểm tra", "Cơ sở được kiểm tra"]
    choices = [str(v) for row in book.worksheets[2].iter_rows(values_only=True) for v in row]
    assert any("144/2021/NĐ-CP" in c for c in choices)
    assert any("282/2025/NĐ-CP" in c for c in choices)
    response = client.post(
        reverse("enforcement:inspection-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([PLAIN, FINED]))},
    )
    assert response.status_code == 302
    assert Inspection.objects.count() == 2 and Violation.objects.count() == 1


def test_a_bad_inspection_file_on_the_page_lists_errors_in_vietnamese(client: Client) -> None:
    register()
    login(client)
    bad = [*FINED[:6], "282/2025/NĐ-CP", *FINED[7:]]
    response = client.post(
        reverse("enforcement:inspection-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([bad, bad]))},
    )
    assert response.status_code == 422
    errors = response.context["errors"]
    assert errors[0].startswith("Dòng 2, cột “Căn cứ xử phạt”") and "Dòng 3" in errors[1]
    assert Inspection.objects.count() == 0


def test_a_large_inspection_file_runs_as_a_job(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    register()
    monkeypatch.setattr(views.common, "DIRECT_IMPORT_MAX_ROWS", 1)
    login(client)
    rows = [PLAIN, [*PLAIN[:4], "BB-05", *PLAIN[5:]], FINED]
    response = client.post(
        reverse("enforcement:inspection-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes(rows))},
    )
    job = Job.objects.get()
    assert job.handler == "pcmd.enforcement.jobs.inspection_import_job"
    assert response["Location"] == reverse("enforcement:inspection-import-job", args=[job.pk])
    _run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["created"] == 3
    assert Inspection.objects.count() == 3
    assert client.get(response["Location"]).status_code == 200


def test_inspection_export_follows_the_filter_escapes_formulas_and_imports_back(
    client: Client,
) -> None:
    est = make_establishment(name="=HYPERLINK(1)")
    kept = make_inspection(est, findings="+cmd|calc", minutes_number="BB-9")
    make_violation(kept, description="@SUM(A1)")
    make_violation(kept, article="27", sanction=Violation.Sanction.WARNING, fine_amount=None)
    make_inspection(est, mode=Inspection.Mode.FOLLOW_UP, inspected_on=date(2025, 4, 1))
    login(client)
    response = client.get(reverse("enforcement:inspection-export"), {"mode": "surprise"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in ws[1]]
    rows = [
        dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)
    ]
    assert len(rows) == 2  # one inspection, one row per violation
    assert {r["Cơ sở được kiểm tra"] for r in rows} == {"'=HYPERLINK(1)"}
    assert {r["Kết quả kiểm tra"] for r in rows} == {"'+cmd|calc"}
    assert sorted(r["Hành vi vi phạm"] or "" for r in rows) == ["", "'@SUM(A1)"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    page = client.get(reverse("enforcement:inspection-list")).content.decode()
    assert reverse("enforcement:inspection-export") in page
    assert reverse("enforcement:inspection-import") in page


def test_a_reader_sees_export_but_not_import_and_gets_403_on_import(client: Client) -> None:
    login(client, User.Role.COORDINATOR)
    page = client.get(reverse("enforcement:inspection-list")).content.decode()
    assert reverse("enforcement:inspection-export") in page
    assert reverse("enforcement:inspection-import") not in page
    for name in ("enforcement:inspection-import", "enforcement:inspection-import-template",
                 "enforcement:hotspot-import", "enforcement:hotspot-import-template"):  # fmt: skip
        assert client.get(reverse(name)).status_code == 403, name
    response = client.post(
        reverse("enforcement:inspection-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([PLAIN]))},
    )
    assert response.status_code == 403 and Inspection.objects.count() == 0


# --- Hot spots --------------------------------------------------------------------------------

HOT = ["Quán cà phê cuối chợ", "Cơ sở kinh doanh", "GP-123", "Chợ xã", "01/03/2025",
       "Qua tuần tra", "01/05/2025", None]  # fmt: skip


def test_hot_spots_import_all_or_nothing_with_the_establishment_by_licence() -> None:
    register()
    user = police()
    columns = services.hotspot_columns()
    public = ["Bãi đất trống", "Nơi công cộng", None, "Thôn 2", "02/03/2025",
              "Qua tin báo, tố giác", None, "ghi chú"]  # fmt: skip
    result = services.hotspots_import(
        unit=unit(HOANG_HOP), data=xlsx_bytes([HOT, public], columns), acting_user=user
    )
    assert result.ok and result.created == 2, [str(e) for e in result.errors]
    at_business = HotSpot.objects.get(name="Quán cà phê cuối chợ")
    assert at_business.establishment is not None
    assert at_business.establishment.licence_number == "GP-123"
    assert at_business.cleared_on == date(2025, 5, 1) and at_business.org_unit == unit(HOANG_HOP)
    cleared_first = [*HOT[:4], "01/05/2025", HOT[5], "01/03/2025", None]
    no_business = [HOT[0], "Cơ sở kinh doanh", None, *HOT[3:]]
    unknown = [*HOT[:2], "GP-999", *HOT[3:]]
    future = [*HOT[:4], "01/01/2999", HOT[5], None, None]
    bad = services.hotspots_import(
        unit=unit(HOANG_HOP),
        data=xlsx_bytes([HOT, cleared_first, no_business, unknown, future], columns),
        acting_user=user,
    )
    texts = [str(e) for e in bad.errors]
    assert any(t.startswith("Dòng 3, cột “Ngày xóa bỏ”") for t in texts), texts
    assert any(t.startswith("Dòng 4, cột “Cơ sở kinh doanh”") for t in texts), texts
    assert any(t.startswith("Dòng 5, cột “Cơ sở kinh doanh”") and "GP-999" in t for t in texts)
    assert any(t.startswith("Dòng 6, cột “Ngày phát hiện”") for t in texts), texts
    assert not any(t.startswith("Dòng 2") for t in texts)
    assert HotSpot.objects.count() == 2


def test_hot_spot_pages_import_export_and_job(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    register()
    make_hotspot(name="-2+3", cleared_on=date(2025, 4, 1))
    make_hotspot(name="Chưa xóa bỏ")
    login(client)
    template = client.get(reverse("enforcement:hotspot-import-template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")
    export = client.get(reverse("enforcement:hotspot-export"), {"open": "1"})
    ws = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert [row[1] for row in ws.iter_rows(min_row=2, values_only=True)] == ["Chưa xóa bỏ"]
    everything = client.get(reverse("enforcement:hotspot-export"))
    names = {row[1] for row in load_workbook(io.BytesIO(everything.content)).worksheets[0]
             .iter_rows(min_row=2, values_only=True)}  # fmt: skip
    assert names == {"'-2+3", "Chưa xóa bỏ"}
    page = client.get(reverse("enforcement:hotspot-list")).content.decode()
    assert reverse("enforcement:hotspot-export") in page
    assert reverse("enforcement:hotspot-import") in page
    monkeypatch.setattr(views.common, "DIRECT_IMPORT_MAX_ROWS", 1)
    columns = services.hotspot_columns()
    response = client.post(
        reverse("enforcement:hotspot-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([HOT, HOT], columns))},
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("enforcement:hotspot-import-job", args=[job.pk])
    _run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["created"] == 2
    assert HotSpot.objects.count() == 4


# --- Teams ------------------------------------------------------------------------------------


def test_team_export_lists_members_and_inspection_counts_within_the_filter(
    client: Client,
) -> None:
    team = make_team(name="=Đội 178")
    make_team(name="Đội cũ", decision_number="1/QĐ", decision_date=date(2024, 1, 2),
              valid_from=date(2024, 1, 2), valid_to=date(2024, 12, 31))  # fmt: skip
    make_inspection(team=team)
    login(client, User.Role.LEADER)
    response = client.get(reverse("enforcement:team-export"), {"period": "2025"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in ws[1]]
    rows = [
        dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)
    ]
    assert [(r["Tên đội"], r["Số lượt kiểm tra"]) for r in rows] == [("'=Đội 178", 1)]
    assert rows[0]["Số quyết định thành lập"] == "12/QĐ-UBND"
    assert rows[0]["Hoạt động từ ngày"].date() == date(2025, 1, 15)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, detail__what="inspection_teams"
    ).exists()
    page = client.get(reverse("enforcement:team-list")).content.decode()
    assert reverse("enforcement:team-export") in page
    assert InspectionTeam.objects.count() == 2
