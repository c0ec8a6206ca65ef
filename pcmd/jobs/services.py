"""Start background jobs.

Owns: job_enqueue().
Invariants: the Job row and the queued task are both written to the database before the call
returns, so a job survives the web process that started it; only allow-listed handlers
(registry.JOB_KINDS) can be enqueued.
Not here: running a job (tasks.run_job), the allow-list (registry.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from pcmd.jobs import registry
from pcmd.jobs.models import Job
from pcmd.jobs.tasks import run_job

if TYPE_CHECKING:
    from pcmd.accounts.models import User
    from pcmd.orgunits.models import OrgUnit


def job_enqueue(
    *,
    handler: str,
    title: str,
    params: dict[str, Any] | None = None,
    user: User | None,
    org_unit: OrgUnit | None,
) -> Job:
    """Create a queued Job for `handler` (an allow-listed dotted path) and queue its task."""
    registry.kind_for_handler(handler)  # raises UnknownJobHandler
    with transaction.atomic():
        job = Job.objects.create(
            handler=handler,
            title=str(title)[:255],
            params=params or {},
            created_by=user if user is not None and user.is_authenticated else None,
            org_unit=org_unit,
        )
        run_job.enqueue(str(job.pk))
    return job
