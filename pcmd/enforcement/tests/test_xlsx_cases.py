"""Criminal cases in XLSX: template, all-or-nothing import (direct and as a job), export of the
filtered list with formulas escaped, and who may do it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pcmd.accounts.models import AuditEvent, User
from pcmd.enforcement import services, views
from pcmd.enforcement.models import Case
from pcmd.enforcement.tests.factories import DAY, HOANG_HOP, make_case, make_user, unit
from pcmd.jobs.models import Job
from pcmd.jobs.tasks import _run_job

pytestmark = pytest.mark.django_db

# opened, reference, offence, stage, prosecuted, indicted, tried, suspects, defendants,
# victims, minors, note
GOOD = ["01/02/2024", "VA-01", "327", "Khởi tố", "05/02/2024", None, None, 3, 2, 2, 1, None]


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([c.label for c in services.case_columns()])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def login(client: Client, role: str = User.Role.POLICE) -> User:
    user = make_user(username=f"c-{role}", role=role, unit_code=HOANG_HOP)
    client.force_login(user)
    return user


def upload(data: bytes, name: str = "vu-an.xlsx") -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


def test_a_good_file_is_imported_with_offences_by_article_or_name() -> None:
    user = make_user(username="c-svc", role=User.Role.POLICE, unit_code=HOANG_HOP)
    second = ["01/03/2023", "", "Tội môi giới mại dâm", "", None, None, None, 1, 0, 0, 0, "x"]
    result = services.cases_import(
        unit=unit(HOANG_HOP), data=xlsx_bytes([GOOD, second]), acting_user=user
    )
    assert result.ok and result.created == 2, [str(e) for e in result.errors]
    first = Case.objects.get(reference="VA-01")
    assert first.offence.article == 327 and first.stage == Case.Stage.PROSECUTED
    assert first.victims_minor == 1 and first.org_unit == unit(HOANG_HOP)
    assert first.created_by == user
    other = Case.objects.exclude(pk=first.pk).get()
    assert other.offence.article == 328 and other.stage == Case.Stage.DETECTED
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1


def test_several_bad_rows_are_all_listed_by_row_and_column_and_nothing_is_written() -> None:
    user = make_user(username="c-svc", role=User.Role.POLICE, unit_code=HOANG_HOP)
    no_date = [*GOOD[:3], "Khởi tố", None, *GOOD[5:]]
    minors = [*GOOD[:9], 1, 2, None]
    unknown = [GOOD[0], "", "Điều 999", *GOOD[3:]]
    future = ["01/01/2999", *GOOD[1:3], "Phát hiện", None, None, None, 0, 0, 0, 0, None]
    result = services.cases_import(
        unit=unit(HOANG_HOP),
        data=xlsx_bytes([GOOD, no_date, minors, unknown, future]),
        acting_user=user,
    )
    texts = [str(e) for e in result.errors]
    assert not result.ok and result.created == 0
    assert any(t.startswith("Dòng 3, cột “Ngày khởi tố”") for t in texts), texts
    assert any(t.startswith("Dòng 4, cột “Trong đó dưới 18 tuổi”") for t in texts), texts
    assert any(t.startswith("Dòng 5, cột “Tội danh”") for t in texts), texts
    assert any(t.startswith("Dòng 6, cột “Ngày phát hiện, thụ lý”") for t in texts), texts
    assert not any(t.startswith("Dòng 2") for t in texts)
    assert Case.objects.count() == 0
    shape = services.cases_import(
        unit=unit(HOANG_HOP), data=xlsx_bytes([GOOD, [*GOOD[:3], "Đã xong", *GOOD[4:]]]),
        acting_user=user,
    )  # fmt: skip
    assert [str(e) for e in shape.errors][0].startswith("Dòng 3, cột “Giai đoạn”")
    assert Case.objects.count() == 0


def test_template_download_and_small_import_from_the_page(client: Client) -> None:
    login(client)
    template = client.get(reverse("enforcement:case-import-template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")
    book = load_workbook(io.BytesIO(template.content))
    assert len(book.sheetnames) == 3
    choices = [
        str(v) for (v,) in book.worksheets[2].iter_rows(min_col=1, max_col=1, values_only=True)
    ]
    assert any("327" in c for c in choices)
    assert client.get(reverse("enforcement:case-import")).status_code == 200
    response = client.post(
        reverse("enforcement:case-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD]))},
    )
    assert response.status_code == 302
    assert Case.objects.get().reference == "VA-01"


def test_a_bad_file_on_the_page_lists_errors_and_writes_nothing(client: Client) -> None:
    login(client)
    bad = ["", "", "327", "", None, None, None, -1, 0, 0, 0, None]
    response = client.post(
        reverse("enforcement:case-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([bad, bad]))},
    )
    assert response.status_code == 422
    errors = response.context["errors"]
    assert errors[0].startswith("Dòng 2, cột “Ngày phát hiện, thụ lý”")
    assert "Dòng 3" in response.content.decode()
    assert Case.objects.count() == 0


def test_a_large_import_runs_as_a_job(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views.common, "DIRECT_IMPORT_MAX_ROWS", 1)
    login(client)
    response = client.post(
        reverse("enforcement:case-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD, GOOD, GOOD]))},
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("enforcement:case-import-job", args=[job.pk])
    _run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["created"] == 3
    assert Case.objects.count() == 3
    assert client.get(response["Location"]).status_code == 200


def test_export_follows_the_filter_and_escapes_formulas(client: Client) -> None:
    make_case(reference="=1+2", stage=Case.Stage.DETECTED)
    make_case(reference="@SUM(A1)", stage=Case.Stage.PROSECUTED, prosecuted_on=DAY)
    login(client)
    response = client.get(reverse("enforcement:case-export"), {"stage": "detected"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    references = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert references == ["'=1+2"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    page = client.get(reverse("enforcement:case-list")).content.decode()
    assert reverse("enforcement:case-export") in page
    assert reverse("enforcement:case-import") in page


def test_a_coordinator_without_case_manage_gets_403(client: Client) -> None:
    user = login(client, User.Role.COORDINATOR)
    for name in ("enforcement:case-import", "enforcement:case-import-template"):
        assert client.get(reverse(name)).status_code == 403
    response = client.post(
        reverse("enforcement:case-import"),
        {"commune": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD]))},
    )
    assert response.status_code == 403
    page = client.get(reverse("enforcement:case-list")).content.decode()
    assert reverse("enforcement:case-import") not in page
    with pytest.raises(PermissionDenied):
        services.cases_import(unit=unit(HOANG_HOP), data=xlsx_bytes([GOOD]), acting_user=user)
    assert Case.objects.count() == 0
