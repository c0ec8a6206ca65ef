"""Set-up steps of the fault tests, run inside `pcmd shell` of a test's own site."""

from __future__ import annotations

IMPORT_ROWS = 2500  # more than one write batch of the importer (IMPORT_BATCH = 2000)


def enqueue_outreach_import() -> None:
    """Queue a background XLSX import of IMPORT_ROWS outreach events for Xã Hoằng Hợp."""
    from pcmd.outreach.tests.factories import HOANG_HOP, coordinator, unit, xlsx_bytes
    from pcmd.outreach.views import OUTREACH_IMPORT
    from pcmd.records.imports import import_enqueue

    row = ["10/03/2025", None, "meeting", "Họp thôn", None, None, 10, None, None]
    job = import_enqueue(
        kind=OUTREACH_IMPORT,
        data=xlsx_bytes([row] * IMPORT_ROWS),
        unit=unit(HOANG_HOP),
        user=coordinator(),
        filename="tuyen-truyen.xlsx",
    )
    print(job.pk)


def retry(job_id: str) -> None:
    from pcmd.jobs.models import Job
    from pcmd.jobs.services import job_retry

    job = Job.objects.get(pk=job_id)
    print(job_retry(job=job, user=job.created_by).pk)


def make_draft_report() -> None:
    """A complete draft report of Xã Hoằng Hợp for 2025S1 over a few events; prints its id."""
    from datetime import date

    from pcmd.reports.tests.factories import HOANG_HOP, coordinator, event, make_report, unit

    coordinator()
    for day in (date(2025, 2, 10), date(2025, 3, 5), date(2025, 5, 20)):
        event(unit(HOANG_HOP), day)
    print(make_report(code=HOANG_HOP, period="2025S1").pk)


def submit_report(report_id: str) -> None:
    from pcmd.accounts.models import User
    from pcmd.reports.models import Report
    from pcmd.reports.services import report_submit

    report = Report.objects.get(pk=report_id)
    writer = User.objects.get(username="canbo")  # made by make_draft_report
    print(report_submit(acting_user=writer, report=report).status)
