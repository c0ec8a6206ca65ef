"""plans.demo.demo_load: both seeds imported, issued, with progress; idempotent."""

from __future__ import annotations

import pytest

from pcmd.accounts.tests.factories import unit
from pcmd.orgunits.demo import demo_load as orgunits_demo_load
from pcmd.plans.demo import demo_load
from pcmd.plans.models import Plan, Task, TaskProgress

pytestmark = pytest.mark.django_db


def test_demo_imports_both_seeds_issued_with_tasks_under_way_and_done() -> None:
    orgunits_demo_load()
    result = demo_load()
    assert len(result.created["plans"]) == 2
    commune = Plan.objects.get(org_unit=unit("15919"))
    assert commune.status == Plan.Status.ISSUED and commune.targets.count() == 9
    assert commune.parent is not None
    assert (commune.parent.number, commune.parent.org_unit) == ("39/KH-UBND", unit("399"))
    province = Plan.objects.get(org_unit=unit("89"))
    assert province.number == "1994/QĐ-UBND" and province.status == Plan.Status.ISSUED
    for plan in (commune, province):
        statuses = set(plan.tasks.values_list("status", flat=True))
        assert {Task.Status.DONE, Task.Status.IN_PROGRESS} <= statuses
    assert TaskProgress.objects.count() == 6


def test_demo_twice_creates_nothing_more() -> None:
    orgunits_demo_load()
    demo_load()
    before = (Plan.objects.count(), TaskProgress.objects.count())
    again = demo_load()
    assert again.created_count == 0 and again.existing == 2
    assert (Plan.objects.count(), TaskProgress.objects.count()) == before
