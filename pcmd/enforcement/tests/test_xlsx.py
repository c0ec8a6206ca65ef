"""The establishment register in XLSX: template, all-or-nothing import (direct and as a job),
export of the filtered list with formulas escaped, and who may do it."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pcmd.accounts.models import AuditEvent, User
from pcmd.enforcement import services, views
from pcmd.enforcement.models import Establishment
from pcmd.enforcement.tests.factories import (
    HOANG_HOP,
    make_establishment,
    make_user,
    make_village,
    unit,
)
from pcmd.jobs.models import Job
from pcmd.jobs.tasks import _run_job
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_children

pytestmark = pytest.mark.django_db

GOOD = [
    "Karaoke Sao Mai", "KARAOKE", "12 Đường A", "Thôn 1", "Nguyễn Văn A", "GP-1", "ANTT-1",
    5, None, "01/02/2020", None, None,
]  # fmt: skip


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([c.label for c in services.establishment_columns()])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def login(client: Client, role: str = User.Role.COORDINATOR) -> User:
    user = make_user(username=f"x-{role}", role=role, unit_code=HOANG_HOP)
    client.force_login(user)
    return user


def upload(data: bytes, name: str = "co-so.xlsx") -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


def test_a_good_file_is_imported_with_defaults_and_one_import_audit() -> None:
    village = make_village(HOANG_HOP, "Thôn 1")
    user = make_user(username="x-svc", role=User.Role.COORDINATOR, unit_code=HOANG_HOP)
    second = ["Nhà nghỉ Bình An", "Nhà nghỉ", "", "", "", "", "", None, "Cao", "01/03/2021",
              "01/04/2022", "ghi chú"]  # fmt: skip
    result = services.establishments_import(
        commune=unit(HOANG_HOP), data=xlsx_bytes([GOOD, second]), acting_user=user
    )
    assert result.ok and result.created == 2, [str(e) for e in result.errors]
    karaoke = Establishment.objects.get(name="Karaoke Sao Mai")
    assert karaoke.village == village and karaoke.employees == 5
    assert karaoke.risk_level == karaoke.business_type.default_risk
    assert karaoke.org_unit == unit(HOANG_HOP) and karaoke.created_by == user
    inn = Establishment.objects.get(name="Nhà nghỉ Bình An")
    assert inn.risk_level == "high" and inn.closed_on is not None and inn.note == "ghi chú"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1


def test_several_bad_rows_are_all_listed_by_row_and_column_and_nothing_is_written() -> None:
    make_village(HOANG_HOP, "Thôn 1")
    user = make_user(username="x-svc", role=User.Role.COORDINATOR, unit_code=HOANG_HOP)
    unknown_village = [*GOOD[:3], "Thôn 99", *GOOD[4:]]
    closed_first = [*GOOD[:9], "01/02/2021", "01/01/2021", None]
    future = [*GOOD[:9], "01/01/2999", None, None]
    bad_type = ["Quán X", "Không có loại này", *GOOD[2:]]
    result = services.establishments_import(
        commune=unit(HOANG_HOP),
        data=xlsx_bytes([GOOD, unknown_village, closed_first, future]),
        acting_user=user,
    )
    texts = [str(e) for e in result.errors]
    assert not result.ok and result.created == 0
    assert any(t.startswith("Dòng 3, cột “Thôn, tổ dân phố”") for t in texts), texts
    assert any(t.startswith("Dòng 4, cột “Ngày ngừng hoạt động”") for t in texts), texts
    assert any(t.startswith("Dòng 5, cột “Ngày bắt đầu hoạt động”") for t in texts), texts
    assert not any(t.startswith("Dòng 2") for t in texts)
    assert Establishment.objects.count() == 0
    shape = services.establishments_import(
        commune=unit(HOANG_HOP), data=xlsx_bytes([GOOD, bad_type]), acting_user=user
    )
    assert [str(e) for e in shape.errors][0].startswith("Dòng 3, cột “Loại hình”")
    assert Establishment.objects.count() == 0


def test_template_download_and_small_import_from_the_page(client: Client) -> None:
    make_village(HOANG_HOP, "Thôn 1")
    login(client)
    template = client.get(reverse("enforcement:establishment-import-template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")
    sheets = load_workbook(io.BytesIO(template.content)).sheetnames
    assert len(sheets) >= 2
    page = client.get(reverse("enforcement:establishment-import"))
    assert page.status_code == 200
    response = client.post(
        reverse("enforcement:establishment-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD]))},
    )
    assert response.status_code == 302
    assert Establishment.objects.get().name == "Karaoke Sao Mai"


def test_a_bad_file_on_the_page_lists_errors_and_writes_nothing(client: Client) -> None:
    login(client)
    bad = ["", "KARAOKE", "", "", "", "", "", -3, "", "31/02/2020", "", ""]
    response = client.post(
        reverse("enforcement:establishment-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([bad, bad]))},
    )
    assert response.status_code == 422
    errors = response.context["errors"]
    assert errors[0].startswith("Dòng 2, cột “Tên cơ sở”")
    assert "Dòng 3" in response.content.decode()
    assert Establishment.objects.count() == 0


def test_a_large_import_runs_as_a_job(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views.common, "DIRECT_IMPORT_MAX_ROWS", 1)
    make_village(HOANG_HOP, "Thôn 1")
    login(client)
    response = client.post(
        reverse("enforcement:establishment-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD, GOOD, GOOD]))},
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("enforcement:establishment-import-job", args=[job.pk])
    _run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["created"] == 3
    assert Establishment.objects.count() == 3
    assert client.get(response["Location"]).status_code == 200


def test_export_follows_the_filter_and_escapes_formulas(client: Client) -> None:
    make_establishment(name='=HYPERLINK("http://x")')
    make_establishment(name="Khác")
    login(client)
    response = client.get(reverse("enforcement:establishment-export"), {"q": "HYPERLINK"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert names == ['\'=HYPERLINK("http://x")']
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    page = client.get(reverse("enforcement:establishment-list")).content.decode()
    assert reverse("enforcement:establishment-export") in page
    assert reverse("enforcement:establishment-import") in page


def test_a_role_without_establishment_manage_gets_403(client: Client) -> None:
    user = login(client, User.Role.DATA_ENTRY)
    for name in ("enforcement:establishment-import", "enforcement:establishment-import-template"):
        assert client.get(reverse(name)).status_code == 403
    response = client.post(
        reverse("enforcement:establishment-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD]))},
    )
    assert response.status_code == 403
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.establishments_import(
            commune=unit(HOANG_HOP), data=xlsx_bytes([GOOD]), acting_user=user
        )
    assert Establishment.objects.count() == 0


def test_a_village_of_another_commune_is_refused_and_nothing_is_written() -> None:
    neighbour = next(
        c for c in orgunit_children(unit("399"), on=date(2025, 3, 1))
        if c.level == OrgUnit.Level.COMMUNE and c.code != HOANG_HOP
    )  # fmt: skip
    make_village(HOANG_HOP, "Thôn 1")
    make_village(neighbour.code, "Thôn Đông")
    user = make_user(username="x-svc", role=User.Role.COORDINATOR, unit_code="399")
    elsewhere = [*GOOD[:3], "Thôn Đông", *GOOD[4:]]
    result = services.establishments_import(
        commune=unit(HOANG_HOP), data=xlsx_bytes([GOOD, elsewhere]), acting_user=user
    )
    texts = [str(e) for e in result.errors]
    assert texts == [
        "Dòng 3, cột “Thôn, tổ dân phố”: “Thôn Đông” không phải là thôn, tổ dân phố của "
        "Xã Hoằng Hợp."
    ]
    assert Establishment.objects.count() == 0
