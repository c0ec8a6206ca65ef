"""The scheduler queues an hourly job once per hour, however often it runs."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from pcmd.jobs.models import Job
from pcmd.jobs.registry import kind_for_handler
from pcmd.jobs.schedule import SCHEDULE, schedule_due

pytestmark = pytest.mark.django_db
ALERTS = "pcmd.tips.jobs.send_alerts_job"


def test_every_scheduled_handler_is_allow_listed() -> None:
    assert ALERTS in {s.handler for s in SCHEDULE}
    for entry in SCHEDULE:
        kind_for_handler(entry.handler)


def test_a_due_job_is_queued_once_per_interval() -> None:
    now = timezone.now()
    first = schedule_due(now=now)
    assert [j.handler for j in first] == [ALERTS]
    assert schedule_due(now=now + timedelta(minutes=59)) == []
    Job.objects.filter(pk=first[0].pk).update(created_at=now - timedelta(minutes=61))
    assert [j.handler for j in schedule_due(now=now)] == [ALERTS]
    assert Job.objects.filter(handler=ALERTS).count() == 2


def test_the_command_makes_one_pass() -> None:
    out = StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert f"queued {ALERTS}" in out.getvalue()
    call_command("scheduler", "--once", stdout=out)
    assert Job.objects.filter(handler=ALERTS).count() == 1


@pytest.mark.parametrize(("args", "niceness"), [([], [10]), (["--niceness", "0"], [])])
def test_the_loop_lowers_its_own_priority_below_the_pages(
    monkeypatch: pytest.MonkeyPatch, args: list[str], niceness: list[int]
) -> None:
    import signal

    from pcmd.jobs.management.commands import scheduler

    asked: list[int] = []
    monkeypatch.setattr(scheduler.os, "nice", lambda n: asked.append(n) or n)
    # One refresh, then a stop signal: the loop ends as it does under systemd.
    monkeypatch.setattr(
        scheduler.Command, "_refresh_values", lambda self: signal.raise_signal(signal.SIGTERM)
    )
    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        call_command("scheduler", *args, stdout=StringIO())
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
    assert asked == niceness
    call_command("scheduler", "--once", stdout=StringIO())  # a single pass keeps its priority
    assert asked == niceness
