"""The report as files: the page's download, the command, what each is written from."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from pcmd.accounts.models import AuditEvent
from pcmd.reports import services
from pcmd.reports.tests.factories import (
    HOANG_GIANG,
    HOANG_HOP,
    coordinator,
    event,
    make_report,
    unit,
)

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for section in document.sections:  # the draft mark stands in the first page's header
        parts += [p.text for p in section.first_page_header.paragraphs]
        for table in section.first_page_header.tables:
            parts += [cell.text for row in table.rows for cell in row.cells]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_page_offers_the_report_as_docx_and_xlsx(client: Client) -> None:
    report = make_report()
    client.force_login(coordinator())
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    docx_url = reverse("reports:download", args=[report.pk, "docx"])
    xlsx_url = reverse("reports:download", args=[report.pk, "xlsx"])
    assert docx_url in page and xlsx_url in page

    response = client.get(docx_url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="BC-15919-2025S1-du-thao.docx"'
    text = _text(response.content)
    assert "ỦY BAN NHÂN DÂN" in text and "BÁO CÁO" in text and "DỰ THẢO" in text
    assert AuditEvent.objects.filter(action="export", object_id=str(report.pk)).exists()

    response = client.get(xlsx_url)
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames


def test_a_file_is_written_once_per_document_and_anew_when_it_changes(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcmd.reports import documents

    write, content_type = documents.FORMATS["docx"]
    written: list[object] = []

    def counted(document: object) -> bytes:
        written.append(document)
        return write(document)  # type: ignore[arg-type]

    monkeypatch.setitem(documents.FORMATS, "docx", (counted, content_type))
    writer = coordinator()
    report = make_report()
    client.force_login(writer)
    url = reverse("reports:download", args=[report.pk, "docx"])
    first, second = client.get(url), client.get(url)
    assert len(written) == 1 and first.content == second.content
    # Each download is still an export in the audit trail.
    assert AuditEvent.objects.filter(action="export", object_id=str(report.pk)).count() == 2

    report = services.report_save_narrative(
        acting_user=writer, report=report, data={"strengths": "Ưu điểm mới viết"},
        expected_version=report.version,
    )  # fmt: skip
    third = client.get(url)
    assert len(written) == 2 and "Ưu điểm mới viết" in _text(third.content)


def test_a_submitted_report_is_written_from_its_frozen_figures(client: Client) -> None:
    writer = coordinator()
    event(unit(HOANG_HOP), date(2025, 3, 5), participants=40)
    report = make_report()
    report = services.report_submit(acting_user=writer, report=report, today=date(2025, 7, 5))
    frozen = report.content["results"]
    event(unit(HOANG_HOP), date(2025, 4, 9), participants=7000)  # after the submission

    client.force_login(writer)
    text = _text(client.get(reverse("reports:download", args=[report.pk, "docx"])).content)
    assert "7.040" not in text  # 40 + 7,000 would be the live sum
    assert report.content["results"] == frozen


def test_a_report_outside_the_scope_is_not_found(client: Client) -> None:
    report = make_report()
    client.force_login(coordinator(code=HOANG_GIANG, username="khac"))
    # Hoằng Giang succeeded Hoằng Hợp: its officers see the old commune's report.
    assert client.get(reverse("reports:download", args=[report.pk, "docx"])).status_code == 200
    other = make_report(code=HOANG_GIANG, period="2026S1")
    client.force_login(coordinator(username="hoanghop2"))
    assert client.get(reverse("reports:download", args=[other.pk, "docx"])).status_code == 404


def test_an_unknown_format_is_refused(client: Client) -> None:
    report = make_report()
    client.force_login(coordinator())
    response = client.get(reverse("reports:download", args=[report.pk, "pdf"]))
    assert response.status_code == 404
    assert "DOCX hoặc XLSX" in response.content.decode()


def test_render_report_writes_the_saved_report(tmp_path) -> None:
    report = make_report()
    out = tmp_path / "bc.docx"
    stdout = io.StringIO()
    call_command("render_report", orgunit=HOANG_HOP, period="2025S1", out=str(out), stdout=stdout)
    assert f"#{report.pk}" in stdout.getvalue()
    assert "BÁO CÁO" in _text(out.read_bytes())
    assert not list(tmp_path.glob(".*.part"))


def test_render_report_without_a_saved_report_writes_a_live_draft(tmp_path) -> None:
    event(unit(HOANG_HOP), date(2025, 3, 5))
    out = tmp_path / "bc.xlsx"
    stdout = io.StringIO()
    call_command("render_report", orgunit=HOANG_HOP, period="2025S1", out=str(out), stdout=stdout)
    assert "dự thảo" in stdout.getvalue()
    assert load_workbook(out).sheetnames


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"orgunit": HOANG_HOP, "period": "2025H1", "out": "x.docx"}, "2025H1"),
        ({"orgunit": HOANG_HOP, "period": "2025S1", "out": "x.pdf"}, ".docx hoặc .xlsx"),
        ({"orgunit": "99999", "period": "2025S1", "out": "x.docx"}, "99999"),
    ],
)
def test_render_report_refuses_bad_arguments(tmp_path, args, message) -> None:
    args = {**args, "out": str(tmp_path / args["out"])}
    with pytest.raises(CommandError, match=message):
        call_command("render_report", **args)
    assert not list(tmp_path.iterdir())
