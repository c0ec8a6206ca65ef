"""The staff roster in XLSX: template, all-or-nothing import (direct and as a job), export of
the filtered list with formulas escaped, and who may do it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOP, make_user, unit
from pcmd.jobs.models import Job
from pcmd.jobs.tasks import _run_job
from pcmd.orgunits.models import Agency
from pcmd.training import services, views
from pcmd.training.models import StaffMember
from pcmd.training.tests.factories import make_staff

pytestmark = pytest.mark.django_db

GOOD = ["Trần Văn Bình", "Công an xã", "Phó trưởng", "Báo cáo viên; Tuyên truyền viên", "Có",
        "01/01/2024", None]  # fmt: skip


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([c.label for c in services.STAFF_COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def police() -> Agency:
    return Agency.objects.create(org_unit=unit(HOANG_HOP), name="Công an xã", kind="other")


def login(client: Client, role: str = User.Role.COORDINATOR) -> User:
    user = make_user(username=f"t-{role}", role=role, unit_code=HOANG_HOP)
    client.force_login(user)
    return user


def upload(data: bytes) -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = "can-bo.xlsx"
    return buffer


def test_a_good_file_is_imported_with_one_import_audit() -> None:
    agency = police()
    user = make_user(username="t-svc", role=User.Role.COORDINATOR, unit_code=HOANG_HOP)
    second = ["Lê Thị C", None, None, None, "Không", "01/02/2023", None]
    result = services.staff_import(
        unit=unit(HOANG_HOP), data=xlsx_bytes([GOOD, second]), acting_user=user
    )
    assert result.ok and result.created == 2, [str(e) for e in result.errors]
    binh = StaffMember.objects.get(full_name="Trần Văn Bình")
    assert binh.agency == agency and binh.roles == ["speaker", "communicator"]
    assert binh.pcmd_relevant and binh.created_by == user
    assert not StaffMember.objects.get(full_name="Lê Thị C").pcmd_relevant
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1


def test_several_bad_rows_are_all_listed_by_row_and_column_and_nothing_is_written() -> None:
    police()
    user = make_user(username="t-svc", role=User.Role.COORDINATOR, unit_code=HOANG_HOP)
    unknown_agency = [GOOD[0], "Sở không có", *GOOD[2:]]
    ends_first = [*GOOD[:5], "01/02/2024", "01/01/2024"]
    future = [*GOOD[:5], "01/01/2999", None]
    result = services.staff_import(
        unit=unit(HOANG_HOP),
        data=xlsx_bytes([GOOD, unknown_agency, ends_first, future]),
        acting_user=user,
    )
    texts = [str(e) for e in result.errors]
    assert not result.ok and result.created == 0
    assert any(t.startswith("Dòng 3, cột “Cơ quan”") for t in texts), texts
    assert any(t.startswith("Dòng 4, cột “Kết thúc”") for t in texts), texts
    assert any(t.startswith("Dòng 5, cột “Bắt đầu”") for t in texts), texts
    assert not any(t.startswith("Dòng 2") for t in texts)
    assert StaffMember.objects.count() == 0


def test_template_download_and_small_import_from_the_page(client: Client) -> None:
    police()
    login(client)
    template = client.get(reverse("training:staff-import-template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")
    assert client.get(reverse("training:staff-import")).status_code == 200
    response = client.post(
        reverse("training:staff-import"),
        {"org_unit": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD]))},
    )
    assert response.status_code == 302
    assert StaffMember.objects.get().full_name == "Trần Văn Bình"


def test_a_bad_file_on_the_page_lists_errors_and_writes_nothing(client: Client) -> None:
    login(client)
    bad = ["", None, None, "Thủ quỹ", "Có lẽ", "31/02/2024", None]
    response = client.post(
        reverse("training:staff-import"),
        {"org_unit": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([bad, bad]))},
    )
    assert response.status_code == 422
    errors = response.context["errors"]
    assert errors[0].startswith("Dòng 2, cột “Họ và tên”")
    assert "Dòng 3" in response.content.decode()
    assert StaffMember.objects.count() == 0


def test_a_large_import_runs_as_a_job(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "DIRECT_IMPORT_MAX_ROWS", 1)
    police()
    login(client)
    response = client.post(
        reverse("training:staff-import"),
        {"org_unit": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD, GOOD, GOOD]))},
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("training:staff-import-job", args=[job.pk])
    _run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["created"] == 3
    assert StaffMember.objects.count() == 3
    assert client.get(response["Location"]).status_code == 200


def test_export_follows_the_filter_and_escapes_formulas(client: Client) -> None:
    make_staff(full_name='=HYPERLINK("http://x")')
    make_staff(full_name="Khác")
    login(client)
    response = client.get(reverse("training:staff-export"), {"q": "HYPERLINK"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert names == ['\'=HYPERLINK("http://x")']
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    page = client.get(reverse("training:staff-list")).content.decode()
    assert reverse("training:staff-export") in page and reverse("training:staff-import") in page


def test_a_role_without_training_manage_gets_403(client: Client) -> None:
    user = login(client, User.Role.INSPECTOR)
    for name in ("training:staff-import", "training:staff-import-template"):
        assert client.get(reverse(name)).status_code == 403
    response = client.post(
        reverse("training:staff-import"),
        {"org_unit": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD]))},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.staff_import(unit=unit(HOANG_HOP), data=xlsx_bytes([GOOD]), acting_user=user)
    assert StaffMember.objects.count() == 0
