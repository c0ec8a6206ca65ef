"""Job pages: scoped list, self-refreshing progress, the admin-only system job button."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pcmd.accounts.models import User
from pcmd.jobs.models import Job
from pcmd.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db
BACKEND = "pcmd.accounts.backends.UnitModelBackend"


def _user(username: str, role: str, code: str) -> User:
    unit = OrgUnit.objects.filter(code=code, valid_to__isnull=True).exclude(level="village").first()
    return User.objects.create(username=username, role=role, org_unit=unit)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_list_shows_own_and_in_scope_jobs_only() -> None:
    user = _user("canbo", User.Role.COORDINATOR, "38")
    hoang_giang = OrgUnit.objects.get(code="15880")
    other = OrgUnit.objects.filter(code="91", valid_to__isnull=True).get()
    Job.objects.create(handler="h", title="Việc của tôi", created_by=user)
    Job.objects.create(handler="h", title="Việc trong tỉnh", org_unit=hoang_giang)
    Job.objects.create(handler="h", title="Việc An Giang", org_unit=other)
    body = _client(user).get(reverse("jobs:list")).content.decode()
    assert "Việc của tôi" in body and "Việc trong tỉnh" in body
    assert "Việc An Giang" not in body


def test_progress_partial_polls_until_the_job_has_finished() -> None:
    user = _user("canbo", User.Role.COORDINATOR, "38")
    job = Job.objects.create(
        handler="h", title="Đang chạy", created_by=user, status=Job.Status.RUNNING, done=3, total=4
    )
    client = _client(user)
    url = reverse("jobs:detail", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page and 'value="75"' in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'hx-trigger="every 2s"' in partial
    job.status, job.done = Job.Status.SUCCEEDED, 4
    job.save()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in partial and "Hoàn thành" in partial and 'value="100"' in partial


def test_job_of_another_unit_is_404() -> None:
    user = _user("canbo", User.Role.COORDINATOR, "38")
    other = OrgUnit.objects.filter(code="91", valid_to__isnull=True).get()
    job = Job.objects.create(handler="h", title="x", org_unit=other)
    assert _client(user).get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_only_admins_may_reload_the_hierarchy() -> None:
    coordinator = _user("canbo", User.Role.COORDINATOR, "38")
    url = reverse("jobs:run-orgunits-load")
    assert _client(coordinator).post(url).status_code == 403
    admin = _user("quantri", User.Role.ADMIN, "VN")
    response = _client(admin).post(url)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "jobs:detail", args=[job.pk]
    )
    assert job.handler == "pcmd.jobs.handlers.orgunits_load" and job.created_by == admin


def test_job_list_query_count(django_assert_max_num_queries: Any) -> None:
    user = _user("canbo", User.Role.COORDINATOR, "38")
    for i in range(30):
        Job.objects.create(handler="h", title=f"Việc {i}", created_by=user)
    client = _client(user)
    with django_assert_max_num_queries(9):  # 8 + the notification bell
        assert client.get(reverse("jobs:list")).status_code == 200
