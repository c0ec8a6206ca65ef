"""Jobs left "running" by a worker that died (killed, out of memory, the machine restarted).

Owns: worker_id(), worker_alive(), jobs_recover_orphans(), STALE_SECONDS.
Entry points: tasks.run_job (before every job, so a restarted worker clears what its
predecessor left), `pcmd scheduler` (every pass), `pcmd recover_jobs` (by hand).
Invariants: a running job records the worker that runs it as "host:pid:start" (start = the
process's start time in clock ticks from /proc, so a reused pid is not mistaken for the worker).
A job is failed only when its worker is provably gone: on this host, no such process; on
another host (several application servers), no heartbeat for STALE_SECONDS. Its DBTaskResult
is failed with it, so the queue does not show it running either. The handlers write all or
nothing in a transaction, so the database holds none of a killed job's writes, and the job can
be started again (services.job_retry).
Not here: running jobs (tasks.py).
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.common.env import env_int
from pcmd.jobs.models import Job

logger = logging.getLogger(__name__)

# A worker on another host that has not written a heartbeat for this long is taken as gone.
STALE_SECONDS = env_int("PCMD_JOB_STALE_SECONDS", 3600)


def _start_ticks(pid: int) -> str | None:
    """The start time of process `pid` (field 22 of /proc/PID/stat), None where unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            stat = fh.read()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may itself hold spaces.
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def worker_id() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or ''}"


def worker_alive(worker: str) -> bool | None:
    """True or False for a worker of this host, None for another host's (cannot tell)."""
    host, _sep, rest = worker.rpartition(":")
    host, _sep, pid_text = host.rpartition(":")
    start = rest
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, another user's
    ticks = _start_ticks(pid)
    return not (start and ticks and ticks != start)


def _orphan_message(job: Job) -> str:
    host, _sep, _start = job.worker.rpartition(":")
    host, _sep, pid = host.rpartition(":")
    return _(
        "Tác vụ đã dừng giữa chừng vì tiến trình nền chạy nó (máy %(host)s, tiến trình %(pid)s) "
        "không còn hoạt động; những gì tác vụ đang ghi dở đã được hủy. Có thể chạy lại tác vụ."
    ) % {"host": host or "?", "pid": pid or "?"}


def jobs_recover_orphans(*, now: datetime | None = None) -> list[Job]:
    """Fail every running job whose worker is gone; the jobs failed."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale_before = now - timedelta(seconds=STALE_SECONDS)
    failed: list[Job] = []
    for job in Job.objects.filter(status=Job.Status.RUNNING).only(
        "id", "worker", "heartbeat_at", "started_at", "status"
    ):
        alive = worker_alive(job.worker) if job.worker else None
        if alive is None:
            last = job.heartbeat_at or job.started_at
            alive = last is not None and last > stale_before
        if alive:
            continue
        with transaction.atomic():
            message = _orphan_message(job)
            updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.FAILED, message=message[:500], finished_at=now
            )
            if not updated:
                continue  # finished meanwhile
            running = DBTaskResult.objects.filter(status="RUNNING").only("id", "args_kwargs")
            ids = [r.pk for r in running if (r.args_kwargs or {}).get("args") == [str(job.pk)]]
            DBTaskResult.objects.filter(pk__in=ids).update(status="FAILED", finished_at=now)
        logger.warning("job %s failed: its worker %s is gone", job.pk, job.worker)
        job.status, job.message = Job.Status.FAILED, message
        failed.append(job)
    return failed
