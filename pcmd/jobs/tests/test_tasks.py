"""Jobs run by the database worker: the row and the queued task outlive the web process."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from pcmd.accounts.models import User
from pcmd.jobs import registry
from pcmd.jobs.models import Job
from pcmd.jobs.services import job_enqueue
from pcmd.jobs.tasks import run_job
from pcmd.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    kinds = dict(registry.JOB_KINDS)
    for name in ("count_to_ten", "crash", "refuse"):
        kinds[f"test.{name}"] = registry.JobKind(
            f"test.{name}", f"pcmd.jobs.tests.handlers.{name}", name, "job.run_system"
        )
    monkeypatch.setattr(registry, "JOB_KINDS", kinds)


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> Any:
    # The worker closes "old" connections between tasks; inside a test's transaction that would
    # drop the test's own connection on PostgreSQL, so it becomes a no-op here.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run


def _admin() -> User:
    national = OrgUnit.objects.get(code="VN")
    return User.objects.create(username="quantri", role=User.Role.ADMIN, org_unit=national)


def test_enqueued_job_is_a_database_row_and_a_queued_task(test_handlers: None) -> None:
    job = job_enqueue(
        handler="pcmd.jobs.tests.handlers.count_to_ten",
        title="Đếm",
        params={"x": 1},
        user=None,
        org_unit=None,
    )
    assert job.status == Job.Status.QUEUED
    queued = DBTaskResult.objects.get(task_path=run_job.module_path)
    assert queued.args_kwargs == {"args": [str(job.pk)], "kwargs": {}}


def test_worker_runs_the_job_to_completion(test_handlers: None, worker: Any) -> None:
    user = _admin()
    job = job_enqueue(
        handler="pcmd.jobs.tests.handlers.count_to_ten",
        title="Đếm",
        params={"x": 7},
        user=user,
        org_unit=user.org_unit,
    )
    worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.percent) == (10, 10, 100)
    assert job.result == {"counted": 10, "param": 7}
    assert job.started_at is not None and job.finished_at is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_unexpected_error_fails_the_job_without_leaking_the_traceback(
    test_handlers: None, worker: Any
) -> None:
    job = job_enqueue(
        handler="pcmd.jobs.tests.handlers.crash", title="Hỏng", user=None, org_unit=None
    )
    worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "secret" not in job.message and "Traceback" not in job.message
    assert "quản trị" in job.message
    assert job.percent == 25


def test_job_failure_message_is_shown_as_written(test_handlers: None, worker: Any) -> None:
    job = job_enqueue(
        handler="pcmd.jobs.tests.handlers.refuse", title="Từ chối", user=None, org_unit=None
    )
    worker()
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.FAILED, "Tệp không đọc được.")


def test_handler_outside_the_allow_list_cannot_be_enqueued() -> None:
    with pytest.raises(registry.UnknownJobHandler):
        job_enqueue(handler="os.system", title="x", user=None, org_unit=None)
    assert not Job.objects.exists()


def test_tampered_row_is_refused_by_the_worker(worker: Any) -> None:
    job = Job.objects.create(handler="os.system", title="x", params={})
    run_job.enqueue(str(job.pk))
    worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Loại tác vụ này không được phép chạy."


def test_orgunits_load_is_registered_for_admins_only() -> None:
    kind = registry.JOB_KINDS["orgunits.load"]
    assert kind.capability == "job.run_system"
    assert callable(registry.handler_resolve(kind.handler))
