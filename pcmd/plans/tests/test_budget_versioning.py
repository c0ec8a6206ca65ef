"""Budget lines under optimistic locking: a save based on an older version is refused (service,
page and API), the other person's version is shown, nothing is lost; the edit page shows the
line's history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import OLD_AN_GIANG, make_user, unit
from pcmd.common.records import StaleRecord
from pcmd.plans import services
from pcmd.plans.models import BudgetLine, Plan, Task
from pcmd.plans.tests.test_budget import make_plan

pytestmark = pytest.mark.django_db


def make_line(plan: Plan, **fields: object) -> BudgetLine:
    values: dict[str, object] = {"year": 2025, "source": "state", "allocated": Decimal(1_000_000)}
    values.update(fields)
    return services.budgetline_create(plan=plan, acting_user=None, **values)


def test_each_save_raises_the_version_and_a_stale_save_is_refused() -> None:
    line = make_line(make_plan())
    assert line.version == 1
    first = BudgetLine.objects.get(pk=line.pk)
    second = BudgetLine.objects.get(pk=line.pk)
    services.budgetline_update(
        line=first, acting_user=None, expected_version=1, spent=Decimal(400_000)
    )
    assert first.version == 2
    with pytest.raises(StaleRecord) as exc:
        services.budgetline_update(
            line=second, acting_user=None, expected_version=1, spent=Decimal(900_000)
        )
    assert exc.value.current.version == 2 and exc.value.current.spent == Decimal(400_000)
    stored = BudgetLine.objects.get(pk=line.pk)
    assert (stored.version, stored.spent) == (2, Decimal(400_000))
    assert AuditEvent.objects.filter(action="update", object_id=str(line.pk)).count() == 1


def test_a_late_save_on_the_page_shows_the_current_line_and_keeps_what_was_typed(
    client: Client,
) -> None:
    plan = make_plan()
    line = make_line(plan, text="Tuyên truyền")
    user = make_user()
    client.force_login(user)
    url = reverse("plans:budget-edit", args=[line.pk])
    page = client.get(url)
    assert page.context["form"].initial["version"] == 1
    services.budgetline_update(
        line=BudgetLine.objects.get(pk=line.pk), acting_user=None, expected_version=1,
        spent=Decimal(250_000), text="Sửa bởi người khác",
    )  # fmt: skip
    mine = {"year": "2025", "source": "other", "text": "Bản của tôi", "spent": "300000",
            "version": "1"}  # fmt: skip
    response = client.post(url, mine)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Bản ghi vừa được người khác sửa" in body
    assert "Bản hiện tại (phiên bản 2" in body and "Sửa bởi người khác" in body
    form = response.context["form"]
    assert form.data["text"] == "Bản của tôi" and form.data["version"] == "2"
    stored = BudgetLine.objects.get(pk=line.pk)
    assert (stored.text, stored.source, stored.spent) == ("Sửa bởi người khác", "state", 250_000)
    # Saving again, now based on version 2, is a deliberate overwrite and goes through.
    again = client.post(url, {**mine, "version": "2"})
    assert again.status_code == 302
    stored.refresh_from_db()
    assert (stored.text, stored.version) == ("Bản của tôi", 3)


def test_the_edit_page_shows_who_changed_what(client: Client) -> None:
    plan = make_plan()
    task = Task.objects.create(plan=plan, number="II.1.2.a", title="Tuyên truyền trên loa")
    line = make_line(plan)
    user = make_user()
    client.force_login(user)
    url = reverse("plans:budget-edit", args=[line.pk])
    response = client.post(
        url,
        {"year": "2025", "source": "state", "component": f"t:{task.pk}", "allocated": "1500000",
         "version": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "Lịch sử sửa đổi" in body and user.username in body
    assert "1.000.000 → 1.500.000" in body
    assert "II.1.2.a Tuyên truyền trên loa" in body


# --- API ----------------------------------------------------------------------------------


def api_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.urls("pcmd.plans.tests.api_urls")
def test_api_refuses_a_stale_version_with_409_and_the_current_line() -> None:
    line = make_line(make_plan())
    api = api_for(make_user())
    url = f"/api/budget-lines/{line.pk}/"
    ok = api.patch(url, {"spent": "200000", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api.patch(url, {"spent": "999999", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2 and stale.json()["current"]["spent"] == "200000"
    assert "người khác sửa" in stale.json()["detail"]
    assert BudgetLine.objects.get(pk=line.pk).spent == 200_000


@pytest.mark.urls("pcmd.plans.tests.api_urls")
def test_api_creates_lists_and_deletes_with_the_page_rules() -> None:
    plan = make_plan()
    api = api_for(make_user())
    bad = api.post(
        "/api/budget-lines/",
        {"plan": plan.pk, "year": 2024, "source": "state", "allocated": "-1"},
        format="json",
    )
    assert bad.status_code == 400 and "allocated" in bad.json()
    out_of_period = api.post(
        "/api/budget-lines/", {"plan": plan.pk, "year": 2024, "source": "state"}, format="json"
    )
    assert out_of_period.status_code == 400
    assert "thời kỳ của kế hoạch" in out_of_period.json()["year"][0]
    created = api.post(
        "/api/budget-lines/",
        {"plan": plan.pk, "year": 2025, "source": "other", "allocated": "5000000"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["version"] == 1
    listed = api.get("/api/budget-lines/", {"plan": plan.pk, "year": 2025}).json()
    assert [r["id"] for r in listed["results"]] == [created.json()["id"]]
    assert api.get("/api/budget-lines/", {"year": "x"}).status_code == 400
    assert api.delete(f"/api/budget-lines/{created.json()['id']}/").status_code == 204
    assert not BudgetLine.objects.exists()


@pytest.mark.urls("pcmd.plans.tests.api_urls")
def test_api_hides_other_provinces_and_refuses_writers_without_budget_rights() -> None:
    foreign = Plan.objects.create(
        org_unit=unit(OLD_AN_GIANG), title="Kế hoạch tỉnh", period_start=2016, period_end=2020
    )
    foreign_line = make_line(foreign, year=2017)
    own = make_line(make_plan())
    api = api_for(make_user())
    assert [r["id"] for r in api.get("/api/budget-lines/").json()["results"]] == [own.pk]
    assert api.get(f"/api/budget-lines/{foreign_line.pk}/").status_code == 404
    created = api.post(
        "/api/budget-lines/", {"plan": foreign.pk, "year": 2017, "source": "state"}, format="json"
    )
    assert created.status_code == 404
    police = api_for(make_user(username="ca", role=User.Role.POLICE))
    refused = police.patch(f"/api/budget-lines/{own.pk}/", {"spent": "1"}, format="json")
    assert refused.status_code == 403
    assert BudgetLine.objects.get(pk=own.pk).spent is None
