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


def test_after_a_long_refresh_the_loop_pauses_as_long_and_still_queues_each_minute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import signal

    from pcmd.jobs.management.commands import scheduler

    clock = [1000.0]
    slept: list[float] = []
    passes = [5.0, 0.2, 70.0, 0.1]  # seconds each refresh pass takes
    queued: list[float] = []

    def refresh(self: object) -> None:
        clock[0] += passes.pop(0)
        if not passes:
            signal.raise_signal(signal.SIGTERM)

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        clock[0] += seconds

    monkeypatch.setattr(scheduler.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(scheduler.time, "sleep", sleep)
    monkeypatch.setattr(scheduler.os, "nice", lambda n: n)
    monkeypatch.setattr(scheduler.Command, "_refresh_values", refresh)
    monkeypatch.setattr(scheduler, "schedule_due", lambda: queued.append(clock[0]) or [])
    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        call_command("scheduler", stdout=StringIO())
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
    # 5 s pass → 5 s pause; 0.2 s → the rest of the second; 70 s → 70 s; then stopped.
    assert slept == [5.0, 0.8, 70.0, 0.9]
    # Queued at the start and again on the first turn after a minute had gone by (the 70 s
    # pass and its pause), not after 60 passes.
    assert queued == [1000.0, 1151.0]
