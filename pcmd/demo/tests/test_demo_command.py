"""`pcmd demo`: every app's demo data, created once however often it runs."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pcmd.accounts.models import AuditEvent, User
from pcmd.orgunits.models import (
    Agency,
    AgencySuccession,
    OrgUnit,
    OrgUnitScope,
    StandingAgencyAssignment,
)
from pcmd.plans.models import Plan, Task, TaskProgress

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        OrgUnit.objects.count(),
        OrgUnitScope.objects.count(),
        Agency.objects.count(),
        AgencySuccession.objects.count(),
        StandingAgencyAssignment.objects.count(),
        User.objects.count(),
        Plan.objects.count(),
        Task.objects.count(),
        TaskProgress.objects.count(),
        AuditEvent.objects.count(),
    )


def test_running_demo_twice_changes_nothing() -> None:
    first = StringIO()
    call_command("demo", stdout=first)
    after_first = counts()
    text = first.getvalue()
    assert "Đã tạo:" in text and "+ tài khoản: hoanghop" in text
    assert "+ kế hoạch: " in text and "2 kế hoạch" in text
    second = StringIO()
    call_command("demo", stdout=second)
    assert counts() == after_first
    assert "không thay đổi gì" in second.getvalue()
    assert "+ " not in second.getvalue()


def test_demo_without_the_hierarchy_tells_to_load_it_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from pcmd.orgunits import demo

    monkeypatch.setitem(demo._UNIT_DATES, "00000", ("commune", date(2025, 1, 1)))
    with pytest.raises(CommandError, match="pcmd load_orgunits"):
        call_command("demo", stdout=StringIO())
