"""Cascading a plan to a child unit and deriving an annual plan; consistency between them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pcmd.accounts.tests.factories import unit
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_children
from pcmd.plans import selectors, services
from pcmd.plans.models import Plan
from pcmd.plans.tests.factories import import_commune_plan, import_province_plan, make_user

pytestmark = pytest.mark.django_db


def a_commune_of_an_giang() -> OrgUnit:
    district = orgunit_children(unit("89"), on=date(2016, 7, 15)).filter(level="district")[0]
    return orgunit_children(district, on=date(2016, 7, 15)).filter(kind="commune")[0]


def test_cascade_to_a_commune_restates_shares_of_communes_as_shares_of_villages() -> None:
    plan = import_province_plan()
    commune = a_commune_of_an_giang()
    child = services.plan_cascade(plan=plan, child_unit=commune, acting_user=None)
    assert (child.org_unit, child.status, child.parent, child.derived_from) == (
        commune,
        Plan.Status.DRAFT,
        plan,
        plan,
    )
    share = child.targets.get(order=0)
    assert share.population == "thôn"
    assert "100% số thôn tổ chức được" in share.text and "gọi chung" not in share.text
    assert share.parent_target == plan.targets.get(order=0)
    assert [m.year for m in share.milestones.all()] == [2017, 2020]
    districts = child.targets.get(order=1)
    assert districts.population == "thôn"
    frequency = child.targets.get(order=2)
    assert frequency.population == "" and frequency.text == plan.targets.get(order=2).text
    assert child.tasks.count() == plan.tasks.count()
    assert {t.parent_task_id for t in child.tasks.all()} == set(
        plan.tasks.values_list("pk", flat=True)
    )
    assert child.sections.count() == plan.sections.count()
    assert child.basis.get().linked_plan == plan


def test_cascade_to_a_district_restates_to_its_communes() -> None:
    plan = import_province_plan()
    district = orgunit_children(unit("89"), on=date(2016, 7, 15)).filter(level="district")[0]
    child = services.plan_cascade(plan=plan, child_unit=district, acting_user=None)
    assert child.targets.get(order=0).population == "xã, phường, thị trấn"
    assert child.targets.get(order=1).population == "xã, phường, thị trấn"


def test_cascade_needs_a_unit_below_and_only_once() -> None:
    plan = import_province_plan()
    with pytest.raises(ValidationError, match="không phải là đơn vị cấp dưới"):
        services.plan_cascade(plan=plan, child_unit=unit("15919"), acting_user=None)
    commune = a_commune_of_an_giang()
    services.plan_cascade(plan=plan, child_unit=commune, acting_user=None)
    with pytest.raises(ValidationError, match="đã có"):
        services.plan_cascade(plan=plan, child_unit=commune, acting_user=None)


def test_derive_year_takes_that_years_milestones_else_the_final_value() -> None:
    plan = import_province_plan()
    annual = services.plan_derive_year(plan=plan, year=2017, acting_user=None)
    assert (annual.period_start, annual.period_end, annual.parent) == (2017, 2017, plan)
    assert "năm 2017" in annual.title and "2016 - 2020" not in annual.title
    values = {t.order: t.value for t in annual.targets.all()}
    assert values == {0: Decimal(75), 1: Decimal(50), 2: Decimal(1)}
    # the 2016-2017 task is in 2017; the undated one too
    assert annual.tasks.count() == 2
    dated = annual.tasks.get(number="II.3.2.b")
    assert (dated.start, dated.end) == (date(2017, 1, 1), date(2017, 12, 31))
    later = services.plan_derive_year(plan=plan, year=2019, acting_user=None)
    assert later.tasks.count() == 1
    with pytest.raises(ValidationError):
        services.plan_derive_year(plan=plan, year=2017, acting_user=None)
    with pytest.raises(ValidationError):
        services.plan_derive_year(plan=plan, year=2021, acting_user=None)
    with pytest.raises(ValidationError):
        services.plan_derive_year(plan=annual, year=2017, acting_user=None)


def test_consistency_lists_weaker_and_missing_targets_on_both_plans() -> None:
    plan = import_province_plan()
    annual = services.plan_derive_year(plan=plan, year=2017, acting_user=None)
    assert selectors.plan_consistency(plan=annual) == []
    weak = annual.targets.get(order=0)
    services.target_update(target=weak, acting_user=None, value=60)
    annual.targets.get(order=2).delete()
    issues = selectors.plan_consistency(plan=annual)
    assert {i.kind for i in issues} == {"weaker", "missing"}
    weaker = next(i for i in issues if i.kind == "weaker")
    assert "60%" in weaker.message and "75%" in weaker.message
    assert weaker.child_target_id == weak.pk
    assert selectors.plan_consistency(plan=plan) == issues


def test_cascade_requires_an_editor_of_the_source_plan() -> None:
    from django.core.exceptions import PermissionDenied

    plan = import_commune_plan()
    with pytest.raises(PermissionDenied):
        services.plan_derive_year(
            plan=plan, year=2025, acting_user=make_user(username="x", unit_code="89")
        )
