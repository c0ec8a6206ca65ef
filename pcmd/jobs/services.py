"""Start background jobs.

Owns: job_enqueue(), job_retry(), JobRetryRefused.
Invariants: the Job row and the queued task are both written to the database before the call
returns, so a job survives the web process that started it; only allow-listed handlers
(registry.JOB_KINDS) can be enqueued.
Not here: running a job (tasks.run_job), the allow-list (registry.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

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


class JobRetryRefused(Exception):
    """A job cannot be started again; the message is written for users."""


def job_retry(*, job: Job, user: User | None) -> Job:
    """Queue a new job with the handler, title and parameters of a failed one (a job killed
    with its worker, pcmd.jobs.recovery, or one that failed for a reason since fixed)."""
    if job.status != Job.Status.FAILED:
        raise JobRetryRefused(_("Chỉ chạy lại được tác vụ đã thất bại."))
    path = job.params.get("path") if isinstance(job.params, dict) else None
    if path and not default_storage.exists(str(path)):
        raise JobRetryRefused(
            _("Tệp tải lên của tác vụ này không còn trên máy chủ; hãy tải tệp lên lại.")
        )
    return job_enqueue(
        handler=job.handler,
        title=job.title,
        params=job.params,
        user=user,
        org_unit=job.org_unit,
    )
