"""Jobs that run on a schedule: the scheduler queues them, the worker runs them.

Owns: Scheduled, SCHEDULE, schedule_due().
Entry points: `pcmd scheduler` (a loop, started by `pcmd serve` beside the worker; in
production its own service), `pcmd scheduler --once` (one pass, e.g. from a timer).
Invariants: an entry is queued only when no job of its handler was created within its interval,
so two schedulers, a restart or a manual `--enqueue` never double the work; every handler is in
the allow-list (registry.py) and is idempotent itself.
Not here: running jobs (tasks.py), what the jobs do (each app).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from pcmd.jobs.models import Job
from pcmd.jobs.registry import kind_for_handler


@dataclass(frozen=True)
class Scheduled:
    handler: str  # an allow-listed dotted path
    every: timedelta


SCHEDULE: list[Scheduled] = [
    # Tip deadlines near or past, overdue referral follow-ups (pcmd.tips.alerts).
    Scheduled("pcmd.tips.jobs.send_alerts_job", timedelta(hours=1)),
]


def schedule_due(*, now: datetime | None = None) -> list[Job]:
    """Queue every scheduled job whose interval has passed since its last run; the jobs queued."""
    from pcmd.jobs.services import job_enqueue

    now = now or timezone.now()
    queued: list[Job] = []
    for entry in SCHEDULE:
        kind = kind_for_handler(entry.handler)
        with transaction.atomic():
            recent = Job.objects.select_for_update().filter(
                handler=entry.handler, created_at__gt=now - entry.every
            )
            if recent.exists():
                continue
            queued.append(
                job_enqueue(handler=entry.handler, title=str(kind.title), user=None, org_unit=None)
            )
    return queued
