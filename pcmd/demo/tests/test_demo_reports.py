"""pcmd.reports.demo: the demo's reports, through the services, created once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from pcmd.reports.models import Report, ReportEvent

pytestmark = pytest.mark.django_db


def test_demo_reports_follow_the_workflow_and_a_second_run_creates_nothing() -> None:
    call_command("demo", stdout=StringIO())
    rows = {
        (r.org_unit.code, r.period): r.status for r in Report.objects.select_related("org_unit")
    }
    assert rows[("15919", "2025S1")] == "approved"
    assert rows[("15880", "2025")] == "submitted"
    assert all(rows[("89", str(y))] == "approved" for y in range(2016, 2020))
    assert rows[("89", "2020")] == "draft"
    assert rows[("89", "2016-2020")] == "submitted"
    hoang_hop = Report.objects.get(org_unit__code="15919", period="2025S1")
    assert hoang_hop.content is not None and hoang_hop.plan is not None
    assert hoang_hop.content["targets"], "the plan's targets are in the frozen table"
    approved = hoang_hop.events.get(kind=ReportEvent.Kind.APPROVED)
    assert approved.user is not None and approved.user.username == "hoanghoa"
    review = Report.objects.get(org_unit__code="89", period="2016-2020")
    assert review.kind == "final"
    before = Report.objects.count(), ReportEvent.objects.count()
    out = StringIO()
    call_command("demo", stdout=out)
    assert (Report.objects.count(), ReportEvent.objects.count()) == before
