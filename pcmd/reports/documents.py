"""The files a report is issued as: the DOCX in the official layout and the XLSX annex.

Owns: FORMATS, ReportFile, report_file(), report_file_for(), document_file_name().
Invariants: a submitted or approved report is written from its frozen figures, so the file
says what was sent up whatever the records say now; a draft is written from live figures and
carries the "DỰ THẢO" mark. Writing a file of a report is audited (an export); a file for a
unit and period without a saved report is a live draft and is never stored.
Not here: the layout (rendering/), the figures (builder.py), who may read (selectors.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import caches
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pcmd.common.periods import Period
from pcmd.orgunits.models import OrgUnit
from pcmd.reports.content import ReportDocument
from pcmd.reports.models import Report, kind_for_period
from pcmd.reports.rendering.docx import report_docx
from pcmd.reports.rendering.xlsx import report_xlsx
from pcmd.reports.selectors import LIVE_CONTENT_SECONDS, report_document

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"docx": (report_docx, DOCX_TYPE), "xlsx": (report_xlsx, XLSX_TYPE)}


class FormatError(ValueError):
    """A file format PCMD does not write reports in."""


@dataclass(frozen=True)
class ReportFile:
    data: bytes
    name: str
    content_type: str


def document_file_name(unit: OrgUnit, period: str, fmt: str, *, draft: bool) -> str:
    """ "BC-15919-2025S1.docx"; ASCII only, so every browser and mail client keeps it."""
    code = unit.code or str(unit.pk)
    return f"BC-{code}-{period}{'-du-thao' if draft else ''}.{fmt}"


def _file_key(report: Report, document: ReportDocument, fmt: str) -> str | None:
    """The cache key of a rendered file: the report, its version (every save of the narrative
    or the particulars bumps it) and status (the draft mark), the build its figures come from
    (content.built_at, frozen once submitted), the language and the format. None for a draft
    never saved (no version to tell its particulars apart)."""
    if report.pk is None:
        return None
    built = document.content.built_at.isoformat()
    language = translation.get_language()
    return f"pcmd:report-file:{report.pk}:{report.version}:{report.status}:{built}:{language}:{fmt}"


def _render(report: Report, fmt: str, today: date | None) -> ReportFile:
    if fmt not in FORMATS:
        raise FormatError(_("Chỉ xuất được báo cáo dạng DOCX hoặc XLSX."))
    render, content_type = FORMATS[fmt]
    document = report_document(report, today=today)
    name = document_file_name(report.org_unit, report.period, fmt, draft=document.draft)
    # Writing a province's DOCX takes 0.1-0.2 s of CPU; a report is downloaded again and again
    # while its content is kept (selectors.LIVE_CONTENT_SECONDS), so the file is kept as long.
    key = _file_key(report, document, fmt)
    data = caches["pages"].get(key) if key is not None else None
    if data is None:
        data = render(document)
        if key is not None:
            caches["pages"].set(key, data, LIVE_CONTENT_SECONDS)
    return ReportFile(data, name, content_type)


def report_file(
    *, report: Report, fmt: str, acting_user: Any = None, today: date | None = None
) -> ReportFile:
    """The report as a file; recorded in the audit trail as an export."""
    from pcmd.accounts.audit import audit_record
    from pcmd.accounts.models import AuditEvent

    out = _render(report, fmt, today)
    audit_record(
        action=AuditEvent.Action.EXPORT, user=acting_user, obj=report,
        detail={"format": fmt, "status": report.status, "file": out.name},
    )  # fmt: skip
    return out


def report_file_for(
    *, unit: OrgUnit, period: Period, fmt: str, today: date | None = None
) -> tuple[ReportFile, Report | None]:
    """The file of the unit's report for the period; a live draft when none was saved."""
    kind = kind_for_period(period)
    report = (
        Report.objects.filter(org_unit=unit, period=period.id, kind=kind)
        .select_related("org_unit", "plan")
        .first()
    )
    if report is not None:
        return report_file(report=report, fmt=fmt, today=today), report
    draft = Report(org_unit=unit, period=period.id, kind=kind, status=Report.Status.DRAFT)
    return _render(draft, fmt, today or timezone.localdate()), None
