from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOP, make_user, unit
from pcmd.plans import services
from pcmd.plans.models import BudgetLine, Plan, Task

pytestmark = pytest.mark.django_db


def make_plan() -> Plan:
    return Plan.objects.create(
        org_unit=unit(HOANG_HOP), title="Kế hoạch PCMD 2025", period_start=2025, period_end=2025
    )


def test_create_checks_year_amounts_and_component() -> None:
    plan, other = make_plan(), make_plan()
    foreign_task = Task.objects.create(plan=other, title="Khác")
    with pytest.raises(ValidationError) as exc:
        services.budgetline_create(
            plan=plan, acting_user=None, year=2024, source="state", allocated=Decimal(-1),
            task=foreign_task,
        )  # fmt: skip
    assert {"year", "allocated", "task"} <= set(exc.value.message_dict)


def test_overspending_is_allowed_with_a_warning_and_audited() -> None:
    plan = make_plan()
    user = make_user()
    task = Task.objects.create(plan=plan, title="Tuyên truyền")
    line = services.budgetline_create(
        plan=plan, acting_user=user, year=2025, source="state", task=task,
        allocated=Decimal(10_000_000), spent=Decimal(12_000_000),
    )  # fmt: skip
    assert services.budget_warnings(line)
    assert AuditEvent.objects.filter(action="create", object_id=str(line.pk)).exists()


def test_only_budget_managers_of_the_plan_unit_write() -> None:
    plan = make_plan()
    with pytest.raises(PermissionDenied):
        services.budgetline_create(
            plan=plan, acting_user=make_user(role=User.Role.POLICE), year=2025, source="state"
        )


def test_budget_page_adds_edits_and_totals(client: Client) -> None:
    plan = make_plan()
    client.force_login(make_user())
    url = reverse("plans:budget", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"year": "2025", "source": "state", "allocated": "5000000", "spent": "6000000"}
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(plan=plan)
    page = client.get(url).content.decode()
    assert "Vượt dự toán" in page
    bad = client.post(url, {"year": "2025", "source": "state", "spent": "-5"})
    assert bad.status_code == 422
    edit = reverse("plans:budget-edit", args=[line.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"year": "2025", "source": "other", "spent": "1"}).status_code == 302
    line.refresh_from_db()
    assert line.source == "other"
    assert client.post(reverse("plans:budget-delete", args=[line.pk])).status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


def test_reader_sees_budget_but_cannot_add(client: Client) -> None:
    plan = make_plan()
    client.force_login(make_user(role=User.Role.LEADER))
    url = reverse("plans:budget", args=[plan.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"year": "2025", "source": "state"}).status_code == 403
