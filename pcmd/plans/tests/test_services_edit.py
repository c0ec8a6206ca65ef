"""Editing a plan: who may, status rules, targets with milestones, tasks, assignments, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pcmd.accounts.models import AuditEvent, User
from pcmd.orgunits.models import Agency
from pcmd.plans import services
from pcmd.plans.models import Plan
from pcmd.plans.tests.factories import import_commune_plan, make_agencies, make_user

pytestmark = pytest.mark.django_db


def test_coordinator_of_the_unit_edits_and_each_change_is_audited() -> None:
    user = make_user()
    plan = import_commune_plan()
    services.plan_update(plan=plan, acting_user=user, number="12/KH-UBND", title="Kế hoạch mới")
    plan.refresh_from_db()
    assert plan.number == "12/KH-UBND"
    event = AuditEvent.objects.filter(action="update", object_id=str(plan.pk)).get()
    assert event.user == user
    assert event.detail["changes"]["number"] == ["", "12/KH-UBND"]


def test_others_may_not_edit() -> None:
    plan = import_commune_plan()
    for user in (
        make_user(username="ca", role=User.Role.POLICE),
        make_user(username="tinh", unit_code="38"),
        make_user(username="nl", role=User.Role.DATA_ENTRY),
    ):
        with pytest.raises(PermissionDenied):
            services.plan_update(plan=plan, acting_user=user, title="x")
    admin = make_user(username="qt", role=User.Role.ADMIN, unit_code="VN")
    services.plan_update(plan=plan, acting_user=admin, title="Sửa bởi quản trị")


def test_status_moves_forward_and_issued_never_back_to_draft() -> None:
    plan = import_commune_plan()
    services.plan_status_set(plan=plan, status="issued", acting_user=None)
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.plan_status_set(plan=plan, status="draft", acting_user=None)
    services.plan_status_set(plan=plan, status="closed", acting_user=None)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.plan_update(plan=plan, acting_user=None, title="x")
    services.plan_status_set(plan=plan, status="issued", acting_user=None)  # reopen
    assert Plan.objects.get(pk=plan.pk).status == "issued"
    with pytest.raises(ValidationError):
        services.plan_status_set(plan=plan, status="bogus", acting_user=None)


def test_invalid_period_is_refused_and_nothing_changes() -> None:
    plan = import_commune_plan()
    with pytest.raises(ValidationError):
        services.plan_update(plan=plan, acting_user=None, period_start=2026)
    plan.refresh_from_db()
    assert plan.period_start == 2025
    with pytest.raises(ValidationError, match="Không sửa được"):
        services.plan_update(plan=plan, acting_user=None, status="issued")


def test_target_update_replaces_milestones_and_confirms_the_target() -> None:
    plan = import_commune_plan()
    target = plan.targets.get(order=0)
    services.target_update(
        target=target,
        acting_user=None,
        value="90",
        milestones=[{"year": 2025, "value": 85}, {"year": 2026, "value": 90}],
    )
    target.refresh_from_db()
    assert target.value == Decimal(90) and target.confidence == 1.0
    assert [(m.year, m.value) for m in target.milestones.all()] == [
        (2025, Decimal(85)),
        (2026, Decimal(90)),
    ]
    with pytest.raises(ValidationError):
        services.target_update(target=target, acting_user=None, comparator="between")
    with pytest.raises(ValidationError, match="lặp"):
        services.target_update(
            target=target, acting_user=None, milestones=[{"year": 1, "value": 1}] * 2
        )


def test_task_update_checks_dates() -> None:
    plan = import_commune_plan()
    task = plan.tasks.get(number="II.3.2.a")
    services.task_update(task=task, acting_user=None, title="Kiện toàn Đoàn kiểm tra liên ngành")
    with pytest.raises(ValidationError):
        services.task_update(task=task, acting_user=None, start="2025-05-01", end="2025-04-01")


def test_assignment_set_and_delete() -> None:
    agencies = make_agencies()
    plan = import_commune_plan()
    task = plan.tasks.get(number="II.1.2.a")
    radio = agencies[Agency.Kind.RADIO]
    row = services.assignment_set(
        task=task, role="support", text="Đài truyền thanh", agency=radio, acting_user=None
    )
    assert row.agency == radio and row.role == "support"
    again = services.assignment_set(
        task=task, role="support", text="Đài truyền thanh", agency=None, acting_user=None
    )
    assert again.pk == row.pk and again.agency is None
    services.assignment_delete(assignment=again, acting_user=None)
    assert not task.assignments.filter(text="Đài truyền thanh").exists()
    assert AuditEvent.objects.filter(action="delete", object_type="plans.taskassignment").exists()
    with pytest.raises(ValidationError):
        services.assignment_set(task=task, role="boss", text="x", agency=None, acting_user=None)
    from pcmd.accounts.tests.factories import unit

    foreign = Agency.objects.create(org_unit=unit("89"), name="Sở Y tế", kind="other")
    with pytest.raises(ValidationError, match="không thuộc"):
        services.assignment_set(
            task=task, role="lead", text="Sở Y tế", agency=foreign, acting_user=None
        )
