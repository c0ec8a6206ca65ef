"""Jobs whose worker died: failed with a reason users can read, and started again on request.
(The SIGKILL of a real worker mid-import is in pcmd/ops/tests/test_faults.py.)"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import HOANG_HOP, OLD_AN_GIANG, make_user
from pcmd.jobs import recovery
from pcmd.jobs.models import Job
from pcmd.jobs.recovery import jobs_recover_orphans, worker_alive, worker_id
from pcmd.jobs.services import JobRetryRefused, job_retry
from pcmd.jobs.tasks import run_job

pytestmark = pytest.mark.django_db
BACKEND = "pcmd.accounts.backends.UnitModelBackend"
IMPORT_HANDLER = "pcmd.outreach.jobs.outreach_import_job"


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    proc.wait()
    return proc.pid


def _running(worker: str, **fields: Any) -> Job:
    fields = {"started_at": timezone.now(), "heartbeat_at": timezone.now(), **fields}
    job = Job.objects.create(
        handler=IMPORT_HANDLER, title="Nhập tệp", status=Job.Status.RUNNING, worker=worker, **fields
    )
    run_job.enqueue(str(job.pk))
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    return job


def test_a_job_of_a_dead_worker_is_failed_with_a_vietnamese_reason() -> None:
    job = _running(f"{socket.gethostname()}:{_dead_pid()}:")
    assert [j.pk for j in jobs_recover_orphans()] == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert "không còn hoạt động" in job.message and "Có thể chạy lại" in job.message
    assert DBTaskResult.objects.get().status == "FAILED"
    assert jobs_recover_orphans() == []  # once


def test_a_job_of_a_live_worker_is_left_running() -> None:
    job = _running(worker_id())
    assert worker_alive(job.worker) is True
    assert jobs_recover_orphans() == []
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert DBTaskResult.objects.get().status == "RUNNING"


def test_a_reused_pid_is_not_taken_for_the_worker() -> None:
    host, pid, _start = worker_id().split(":")
    job = _running(f"{host}:{pid}:1")  # our pid, but a process started at another time
    assert worker_alive(job.worker) is False
    assert jobs_recover_orphans()[0].pk == job.pk


def test_a_worker_on_another_host_is_judged_by_its_heartbeat() -> None:
    fresh = _running("other-host:4242:99")
    old = _running(
        "other-host:4343:99",
        heartbeat_at=timezone.now() - timedelta(seconds=recovery.STALE_SECONDS + 5),
    )
    assert worker_alive(fresh.worker) is None
    assert [j.pk for j in jobs_recover_orphans()] == [old.pk]
    fresh.refresh_from_db()
    assert fresh.status == Job.Status.RUNNING


def test_run_job_records_its_worker_and_fails_orphans_first() -> None:
    orphan = _running(f"{socket.gethostname()}:{_dead_pid()}:")
    job = Job.objects.create(handler="pcmd.tips.jobs.send_alerts_job", title="Cảnh báo")
    run_job.call(str(job.pk))
    job.refresh_from_db()
    orphan.refresh_from_db()
    assert orphan.status == Job.Status.FAILED
    assert job.status == Job.Status.SUCCEEDED
    assert job.worker == worker_id() and job.heartbeat_at is not None
    assert str(os.getpid()) in job.worker


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def _failed_import(user: User) -> Job:
    path = default_storage.save("outreach/imports/test-retry.xlsx", ContentFile(b"xlsx"))
    job = Job.objects.create(
        handler=IMPORT_HANDLER,
        title="Nhập tệp",
        status=Job.Status.FAILED,
        params={"path": path, "commune_id": user.org_unit_id, "filename": "a.xlsx"},
        created_by=user,
        org_unit=user.org_unit,
    )
    return job


def test_a_failed_job_is_queued_again_with_the_same_parameters() -> None:
    user = make_user(username="dieuphoi")
    job = _failed_import(user)
    client = _client(user)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:retry", args=[job.pk]) in page
    response = client.post(reverse("jobs:retry", args=[job.pk]))
    again = Job.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "jobs:detail", args=[again.pk]
    )
    assert (again.status, again.handler, again.params) == (
        Job.Status.QUEUED,
        job.handler,
        job.params,
    )
    assert again.created_by == user
    default_storage.delete(job.params["path"])


def test_retry_needs_a_failed_job_its_file_the_capability_and_the_scope() -> None:
    user = make_user(username="dieuphoi")
    job = _failed_import(user)
    default_storage.delete(job.params["path"])
    with pytest.raises(JobRetryRefused, match="tải tệp lên lại"):
        job_retry(job=job, user=user)
    response = _client(user).post(reverse("jobs:retry", args=[job.pk]), follow=True)
    assert "tải tệp lên lại" in response.content.decode()
    job.status = Job.Status.SUCCEEDED
    job.save()
    with pytest.raises(JobRetryRefused, match="đã thất bại"):
        job_retry(job=job, user=user)
    job.status = Job.Status.FAILED
    job.save()
    # Another commune's coordinator does not see the job; a police officer cannot import outreach.
    other = make_user(username="xakhac", unit_code=OLD_AN_GIANG)
    assert _client(other).post(reverse("jobs:retry", args=[job.pk])).status_code == 404
    police = make_user(username="congan", role=User.Role.POLICE, unit_code=HOANG_HOP)
    job.created_by = police
    job.save()
    assert _client(police).post(reverse("jobs:retry", args=[job.pk])).status_code == 403
    assert Job.objects.count() == 1
