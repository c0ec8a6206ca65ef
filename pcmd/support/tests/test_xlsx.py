"""Pilot models in XLSX: template, all-or-nothing import (direct and as a job), export of the
filtered list with formulas escaped, and who may do it."""

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
from pcmd.accounts.tests.factories import HOANG_HOP, make_user, unit
from pcmd.jobs.models import Job
from pcmd.jobs.tasks import _run_job
from pcmd.support import services, views
from pcmd.support.models import PilotModel

pytestmark = pytest.mark.django_db

GOOD = ["Nhóm đồng đẳng A", "Nâng cao năng lực nhóm đồng đẳng, nhóm tự lực", "01/02/2024",
        None, None, 12, 40, None]  # fmt: skip


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([c.label for c in services.pilotmodel_columns()])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def login(client: Client, role: str = User.Role.COORDINATOR) -> User:
    user = make_user(username=f"p-{role}", role=role, unit_code=HOANG_HOP)
    client.force_login(user)
    return user


def upload(data: bytes) -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = "mo-hinh.xlsx"
    return buffer


def test_a_good_file_is_imported_and_audited_once() -> None:
    user = make_user(username="p-svc", role=User.Role.COORDINATOR, unit_code=HOANG_HOP)
    closed = ["Mô hình B", "peer_groups", "01/01/2023", "Đã kết thúc", "01/06/2023", 0, 0, "x"]
    result = services.pilotmodels_import(
        unit=unit(HOANG_HOP), data=xlsx_bytes([GOOD, closed]), acting_user=user
    )
    assert result.ok and result.created == 2, [str(e) for e in result.errors]
    first = PilotModel.objects.get(name="Nhóm đồng đẳng A")
    assert first.kind == "peer_groups" and first.status == "active" and first.members == 12
    assert first.created_by == user and first.org_unit == unit(HOANG_HOP)
    assert PilotModel.objects.get(name="Mô hình B").closed_on is not None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1


def test_several_bad_rows_are_listed_by_row_and_column_and_nothing_is_written() -> None:
    user = make_user(username="p-svc", role=User.Role.COORDINATOR, unit_code=HOANG_HOP)
    closed_no_date = [*GOOD[:3], "Đã kết thúc", None, *GOOD[5:]]
    future = [GOOD[0], GOOD[1], "01/01/2999", *GOOD[3:]]
    open_with_end = [*GOOD[:4], "01/03/2024", *GOOD[5:]]
    result = services.pilotmodels_import(
        unit=unit(HOANG_HOP),
        data=xlsx_bytes([GOOD, closed_no_date, future, open_with_end]),
        acting_user=user,
    )
    texts = [str(e) for e in result.errors]
    assert not result.ok and result.created == 0
    assert any(t.startswith("Dòng 3, cột “Ngày kết thúc”") for t in texts), texts
    assert any(t.startswith("Dòng 4, cột “Ngày bắt đầu”") for t in texts), texts
    assert any(t.startswith("Dòng 5, cột “Ngày kết thúc”") for t in texts), texts
    assert not any(t.startswith("Dòng 2") for t in texts)
    assert PilotModel.objects.count() == 0


def test_template_page_import_and_a_large_file_as_a_job(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client)
    template = client.get(reverse("support:pilotmodel-import-template"))
    assert template.status_code == 200
    assert len(load_workbook(io.BytesIO(template.content)).sheetnames) == 3
    assert client.get(reverse("support:pilotmodel-import")).status_code == 200
    bad = client.post(
        reverse("support:pilotmodel-import"),
        {"org_unit": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([[None, *GOOD[1:]]] * 2))},
    )
    assert bad.status_code == 422
    assert bad.context["errors"][0].startswith("Dòng 2, cột “Tên mô hình”")
    assert PilotModel.objects.count() == 0
    ok = client.post(
        reverse("support:pilotmodel-import"),
        {"org_unit": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD]))},
    )
    assert ok.status_code == 302 and PilotModel.objects.count() == 1
    monkeypatch.setattr(views, "DIRECT_IMPORT_MAX_ROWS", 1)
    response = client.post(
        reverse("support:pilotmodel-import"),
        {"org_unit": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD, GOOD]))},
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("support:pilotmodel-import-job", args=[job.pk])
    _run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["created"] == 2
    assert PilotModel.objects.count() == 3
    assert client.get(response["Location"]).status_code == 200


def test_export_follows_the_filter_and_escapes_formulas(client: Client) -> None:
    services.pilotmodel_create(
        acting_user=None, org_unit=unit(HOANG_HOP), name="=cmd|'/c calc'!A1",
        kind="peer_groups", start_date=date(2024, 2, 1),
    )  # fmt: skip
    services.pilotmodel_create(
        acting_user=None, org_unit=unit(HOANG_HOP), name="Khác", kind="workers_rights",
        start_date=date(2024, 2, 1),
    )  # fmt: skip
    login(client)
    response = client.get(reverse("support:pilotmodel-export"), {"kind": "peer_groups"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == ["'=cmd|'/c calc'!A1"]
    page = client.get(reverse("support:pilotmodel-list")).content.decode()
    assert reverse("support:pilotmodel-export") in page
    assert reverse("support:pilotmodel-import") in page


def test_a_role_without_pilotmodel_manage_gets_403(client: Client) -> None:
    user = login(client, User.Role.POLICE)
    for name in ("support:pilotmodel-import", "support:pilotmodel-import-template"):
        assert client.get(reverse(name)).status_code == 403
    response = client.post(
        reverse("support:pilotmodel-import"),
        {"org_unit": unit(HOANG_HOP).pk, "file": upload(xlsx_bytes([GOOD]))},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.pilotmodels_import(unit=unit(HOANG_HOP), data=xlsx_bytes([GOOD]), acting_user=user)
    assert PilotModel.objects.count() == 0
