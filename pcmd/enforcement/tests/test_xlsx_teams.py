"""Inspection teams from XLSX: the template, the all-or-nothing import of teams with their
member agencies (direct and as a background job), and who may do it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pcmd.accounts.models import AuditEvent, User
from pcmd.enforcement import services, views
from pcmd.enforcement.models import InspectionTeam, InspectionTeamMember
from pcmd.enforcement.tests.factories import HOANG_HOP, make_team, make_user, unit
from pcmd.jobs.models import Job
from pcmd.jobs.tasks import _run_job
from pcmd.orgunits.models import Agency

pytestmark = pytest.mark.django_db

HOANG_HOA = "399"

# name, kind, decision number, decision date, issuer, valid from, valid to, members, head
GOOD = ["Đội kiểm tra liên ngành 178 xã", "Đội kiểm tra liên ngành phòng, chống mại dâm (Đội 178)",
        "05/QĐ-UBND", "10/01/2025", "UBND xã Hoằng Hợp", "15/01/2025", "31/12/2025",
        "Công an xã; Trạm y tế xã Hoằng Hợp; Phòng Văn hóa - Xã hội huyện Hoằng Hóa",
        "Công an xã Hoằng Hợp"]  # fmt: skip
CULTURE = ["Đội kiểm tra văn hóa - xã hội", "Đội kiểm tra liên ngành văn hóa - xã hội",
           "07/QĐ-UBND", "01/02/2025", "UBND xã Hoằng Hợp", "01/02/2025", None,
           "Trạm y tế xã Hoằng Hợp", None]  # fmt: skip


def agencies() -> None:
    """Agencies of the commune and of its district, one name shared by both."""
    commune, district = unit(HOANG_HOP), unit(HOANG_HOA)
    Agency.objects.create(org_unit=commune, kind="police", name="Công an xã Hoằng Hợp",
                          short_name="Công an xã")  # fmt: skip
    Agency.objects.create(org_unit=commune, kind="health_station", name="Trạm y tế xã Hoằng Hợp")
    Agency.objects.create(org_unit=commune, kind="womens_union", name="Hội Liên hiệp Phụ nữ")
    Agency.objects.create(org_unit=district, kind="culture_social_office",
                          name="Phòng Văn hóa - Xã hội huyện Hoằng Hóa")  # fmt: skip
    Agency.objects.create(org_unit=district, kind="womens_union", name="Hội Liên hiệp Phụ nữ")


def xlsx_bytes(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header or [c.label for c in services.team_import_columns()])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "doi-kiem-tra.xlsx") -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


def police(username: str = "t-police", unit_code: str = HOANG_HOA) -> User:
    return make_user(username=username, role=User.Role.POLICE, unit_code=unit_code)


# --- Service ----------------------------------------------------------------------------------


def test_a_good_file_creates_the_teams_with_their_members_in_one_import() -> None:
    agencies()
    user = police()
    result = services.teams_import(
        unit=unit(HOANG_HOP), data=xlsx_bytes([GOOD, CULTURE]), acting_user=user, filename="a.xlsx"
    )
    assert result.ok and result.created == 2, [str(e) for e in result.errors]
    team = InspectionTeam.objects.get(decision_number="05/QĐ-UBND")
    assert team.kind == InspectionTeam.Kind.PCMD_178 and team.org_unit == unit(HOANG_HOP)
    assert team.valid_to is not None and team.valid_to.isoformat() == "2025-12-31"
    assert team.decision_issuer == "UBND xã Hoằng Hợp" and team.created_by == user
    members = {(m.agency.name, m.role) for m in team.memberships.select_related("agency")}
    assert members == {
        ("Công an xã Hoằng Hợp", InspectionTeamMember.Role.HEAD),  # by its short name
        ("Trạm y tế xã Hoằng Hợp", InspectionTeamMember.Role.MEMBER),
        ("Phòng Văn hóa - Xã hội huyện Hoằng Hóa", InspectionTeamMember.Role.MEMBER),
    }
    culture = InspectionTeam.objects.get(decision_number="07/QĐ-UBND")
    assert culture.kind == InspectionTeam.Kind.CULTURE_SOCIAL and culture.valid_to is None
    assert [(m.agency.name, m.role) for m in culture.memberships.all()] == [
        ("Trạm y tế xã Hoằng Hợp", InspectionTeamMember.Role.MEMBER)
    ]
    imports = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT)
    assert imports.count() == 1
    assert imports.get().detail == {"filename": "a.xlsx", "inspection_teams": 2}


def test_every_bad_row_is_listed_by_row_column_and_reason_and_nothing_is_written() -> None:
    agencies()
    make_team(decision_number="12/QĐ-UBND")
    user = police(unit_code=HOANG_HOP)  # the district's agencies are outside a commune's scope

    def row(number: str, **changes: Any) -> list[Any]:
        keys = ["name", "kind", "decision_number", "decision_date", "decision_issuer",
                "valid_from", "valid_to", "members", "head"]  # fmt: skip
        values = dict(zip(keys, [*CULTURE[:2], number, *CULTURE[3:]], strict=True))
        values.update(changes)
        return [values[k] for k in keys]

    rows = [
        row("01/QĐ"),  # row 2: good
        row("02/QĐ", members="Trạm y tế xã Hoằng Hợp; Ban Không Tồn Tại"),  # 3
        row("03/QĐ", members="Hội Liên hiệp Phụ nữ"),  # 4: the commune's and the district's
        row("04/QĐ", decision_date="01/01/2999", valid_from="01/01/2999"),  # 5: future
        row("05/QĐ", valid_to="01/01/2025"),  # 6: ends before it starts
        row("06/QĐ", decision_date="01/03/2025"),  # 7: starts before its decision
        row("12/qđ-ubnd"),  # 8: the unit already has this decision number
        row("01/QĐ"),  # 9: repeats row 2
        row("09/QĐ", head="Công an xã"),  # 10: the head is not a member
        row("10/QĐ", members="Phòng Văn hóa - Xã hội huyện Hoằng Hóa"),  # 11: out of scope
        row("11/QĐ", kind="Đội bóng", decision_date="31/02/2025"),  # 12: read errors
    ]
    result = services.teams_import(unit=unit(HOANG_HOP), data=xlsx_bytes(rows), acting_user=user)
    assert not result.ok
    texts = [str(e) for e in result.errors]
    # The file is read first: row 12 stops the import before any row is checked.
    assert any(t.startswith("Dòng 12, cột “Loại đội”") and "Đội bóng" in t for t in texts), texts
    assert any(t.startswith("Dòng 12, cột “Ngày quyết định”") for t in texts), texts
    rows.pop()
    result = services.teams_import(unit=unit(HOANG_HOP), data=xlsx_bytes(rows), acting_user=user)
    texts = [str(e) for e in result.errors]

    def has(prefix: str, *words: str) -> bool:
        return any(t.startswith(prefix) and all(w in t for w in words) for t in texts)

    assert not any(t.startswith("Dòng 2,") for t in texts), texts
    assert has("Dòng 3, cột “Cơ quan thành viên”", "Ban Không Tồn Tại"), texts
    assert not has("Dòng 3", "Trạm y tế"), texts
    assert has("Dòng 4, cột “Cơ quan thành viên”", "Có 2 cơ quan cùng tên"), texts
    assert has("Dòng 5, cột “Ngày quyết định”", "tương lai"), texts
    assert has("Dòng 6, cột “Đến ngày”", "sau ngày bắt đầu"), texts
    assert has("Dòng 7, cột “Hoạt động từ ngày”", "quyết định thành lập"), texts
    assert has("Dòng 8, cột “Số quyết định thành lập”", "đã có đội kiểm tra"), texts
    assert has("Dòng 9, cột “Số quyết định thành lập”", "trùng với dòng 2"), texts
    assert has("Dòng 10, cột “Cơ quan của đội trưởng”", "Công an xã"), texts
    assert has("Dòng 11, cột “Cơ quan thành viên”", "ngoài phạm vi"), texts
    assert InspectionTeam.objects.count() == 1
    assert not InspectionTeamMember.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_a_file_with_wrong_columns_is_refused_as_a_whole() -> None:
    agencies()
    labels = [c.label for c in services.team_import_columns()]
    renamed = [*labels[:-2], "Thành viên", labels[-1]]  # "Cơ quan thành viên" is required
    result = services.teams_import(
        unit=unit(HOANG_HOP), data=xlsx_bytes([GOOD], renamed), acting_user=police()
    )
    texts = [str(e) for e in result.errors]
    assert any(t.startswith("Dòng 1:") and "“Thành viên” không có trong mẫu" in t for t in texts)
    assert any("thiếu cột bắt buộc: Cơ quan thành viên" in t for t in texts), texts
    assert not InspectionTeam.objects.exists()


def test_the_template_explains_every_column_and_offers_the_kinds() -> None:
    wb = load_workbook(io.BytesIO(services.team_template_xlsx()))
    sheet, help_ws, lists = wb.worksheets
    assert [c.value for c in sheet[1]] == [c.label for c in services.team_import_columns()]
    help_text = "\n".join(
        str(v) for r in help_ws.iter_rows(values_only=True) for v in r if v is not None
    )
    assert "mỗi dòng một đội" in help_text and "cách nhau bởi dấu “;”" in help_text
    assert "không dòng nào được ghi" in help_text
    for column in services.team_import_columns():
        assert column.label in help_text
    kinds = {v for r in lists.iter_rows(values_only=True) for v in r if v is not None}
    assert {str(label) for _code, label in InspectionTeam.Kind.choices} <= kinds


# --- Pages and the background job -------------------------------------------------------------


def test_a_user_who_creates_teams_imports_a_file_from_the_team_list(client: Client) -> None:
    agencies()
    client.force_login(police())
    page = client.get(reverse("enforcement:team-list")).content.decode()
    assert reverse("enforcement:team-import") in page
    assert client.get(reverse("enforcement:team-import")).status_code == 200
    template = client.get(reverse("enforcement:team-import-template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")
    bad = client.post(
        reverse("enforcement:team-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD, GOOD]))},
    )
    assert bad.status_code == 422 and "trùng với dòng 2" in bad.content.decode()
    assert not InspectionTeam.objects.exists()
    response = client.post(
        reverse("enforcement:team-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD, CULTURE]))},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("enforcement:team-list")
    assert InspectionTeam.objects.count() == 2 and InspectionTeamMember.objects.count() == 4


def test_a_role_that_does_not_create_teams_gets_403(client: Client) -> None:
    agencies()
    client.force_login(make_user(username="t-coord", role=User.Role.COORDINATOR))
    page = client.get(reverse("enforcement:team-list")).content.decode()
    assert reverse("enforcement:team-export") in page
    assert reverse("enforcement:team-import") not in page
    for name in ("enforcement:team-import", "enforcement:team-import-template"):
        assert client.get(reverse(name)).status_code == 403, name
    response = client.post(
        reverse("enforcement:team-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD]))},
    )
    assert response.status_code == 403 and not InspectionTeam.objects.exists()


def test_a_large_file_runs_as_a_job_all_or_nothing(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    agencies()
    client.force_login(police())
    monkeypatch.setattr(views.common, "DIRECT_IMPORT_MAX_ROWS", 1)
    bad = client.post(
        reverse("enforcement:team-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD, GOOD]))},
    )
    failed = Job.objects.get()
    assert bad["Location"] == reverse("enforcement:team-import-job", args=[failed.pk])
    _run_job(str(failed.pk))
    failed.refresh_from_db()
    assert failed.result["created"] == 0 and failed.result["error_count"] == 1
    assert "trùng với dòng 2" in failed.result["errors"][0]
    assert not InspectionTeam.objects.exists()

    response = client.post(
        reverse("enforcement:team-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD, CULTURE]))},
    )
    job = Job.objects.exclude(pk=failed.pk).get()
    assert job.handler == "pcmd.enforcement.jobs.team_import_job"
    assert response["Location"] == reverse("enforcement:team-import-job", args=[job.pk])
    _run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["created"] == 2
    assert InspectionTeam.objects.count() == 2 and InspectionTeamMember.objects.count() == 4
    page = client.get(reverse("enforcement:team-import-job", args=[job.pk]))
    assert page.status_code == 200 and "Đã nhập 2 đội kiểm tra." in page.content.decode()
