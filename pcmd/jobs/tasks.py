"""The task the worker runs for every Job, and the progress reporter given to handlers.

Owns: run_job (a django-tasks task), Progress, JobFailure.
Invariants: the Job row is the single source of a job's state. A handler runs only if its
dotted path is in registry.JOB_KINDS. Users never see a traceback: an unexpected exception
marks the job failed with a Vietnamese message and goes to the log; a JobFailure's own message
(written for users) is shown as is.
Not here: creating jobs (services.job_enqueue), pages (views.py).
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from pcmd.jobs import registry
from pcmd.jobs.models import Job
from pcmd.jobs.recovery import jobs_recover_orphans, worker_id

logger = logging.getLogger(__name__)

_SAVE_EVERY_SECONDS = 0.5


class JobFailure(Exception):
    """Raised by a handler to fail its job with a message written for users."""


class Progress:
    """progress(done, total, message): the callback a handler reports through.

    Saves at most every half second. A handler that works inside one transaction (the hierarchy
    loader does) cannot make its own connection's writes visible before it commits, so while a
    transaction is open the progress is written through a second, autocommit connection where
    the engine allows concurrent writers (PostgreSQL); on SQLite it is kept and saved at the end.
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last_save = 0.0
        self._side: Any = None

    def __call__(self, done: int, total: int, message: str = "") -> None:
        self.job.done, self.job.total = max(0, int(done)), max(0, int(total))
        self.job.message = str(message)[:500]
        now = time.monotonic()
        if now - self._last_save < _SAVE_EVERY_SECONDS and done < total:
            return
        self._last_save = now
        self.save()

    def save(self) -> None:
        fields = {"done": self.job.done, "total": self.job.total, "message": self.job.message}
        beat = timezone.now()
        if not connection.in_atomic_block:
            fields["heartbeat_at"] = beat
            Job.objects.filter(pk=self.job.pk).update(**fields)
            return
        if connection.vendor == "sqlite":
            return
        try:
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, message = %s, "  # noqa: S608
                    "heartbeat_at = %s WHERE id = %s",
                    [
                        fields["done"],
                        fields["total"],
                        fields["message"],
                        beat,
                        self.job.pk.hex if self._side.vendor != "postgresql" else self.job.pk,
                    ],
                )
        except DatabaseError:
            logger.debug("progress of job %s not saved", self.job.pk, exc_info=True)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


@task()
def run_job(job_id: str) -> str:
    """Run one Job by id; returns its final status."""
    # Messages stored on the job are in the site's language, whatever thread runs it.
    with translation.override(settings.LANGUAGE_CODE):
        return _run_job(job_id)


def _run_job(job_id: str) -> str:
    job = Job.objects.filter(pk=uuid.UUID(str(job_id))).first()
    if job is None:
        logger.warning("job %s vanished before it ran", job_id)
        return "missing"
    if job.is_finished:
        return job.status
    # A worker killed mid-job left its job "running": fail those before starting (recovery.py).
    jobs_recover_orphans()
    job.status = Job.Status.RUNNING
    job.started_at = job.heartbeat_at = timezone.now()
    job.worker = worker_id()
    job.message = _("Đang bắt đầu…")
    job.save(update_fields=["status", "started_at", "heartbeat_at", "worker", "message"])

    progress = Progress(job)
    try:
        handler = registry.handler_resolve(job.handler)
        result = handler(job, progress)
    except JobFailure as exc:
        job.status = Job.Status.FAILED
        job.message = str(exc)[:500]
    except registry.UnknownJobHandler:
        logger.error("job %s names a handler outside the allow-list: %r", job.pk, job.handler)
        job.status = Job.Status.FAILED
        job.message = _("Loại tác vụ này không được phép chạy.")
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.handler)
        job.status = Job.Status.FAILED
        job.message = _(
            "Tác vụ gặp lỗi và đã dừng; dữ liệu không bị thay đổi dở dang. "
            "Hãy báo quản trị hệ thống (chi tiết lỗi đã được ghi vào nhật ký máy chủ)."
        )
    else:
        job.status = Job.Status.SUCCEEDED
        job.result = result if isinstance(result, dict) else {"value": result}
        if job.total == 0:
            job.total = 1
        job.done = job.total
        job.message = _("Đã hoàn thành.")
    finally:
        progress.close()
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "done", "total", "message", "result", "finished_at"])
    return job.status
