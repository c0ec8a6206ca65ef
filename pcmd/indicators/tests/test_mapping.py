"""Every target of both seed plans is mapped to its indicator when the plan is imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcmd.accounts.tests.factories import unit
from pcmd.indicators.mapping import target_map
from pcmd.indicators.models import Indicator, TargetMeasure
from pcmd.orgunits.demo import demo_load as orgunits_demo_load
from pcmd.plans import services
from pcmd.plans.models import Plan
from pcmd.plans.parsing import parse_file
from pcmd.plans.tests.factories import hoang_hop, make_target

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parents[2] / "plans" / "fixtures" / "seeds"


def imported(name: str, org_unit: object) -> Plan:
    data = parse_file((SEEDS / name).read_bytes(), name).to_dict()
    return services.plan_import(
        parsed=data, org_unit=org_unit, acting_user=None, accept_warnings=True
    )


def codes(plan: Plan) -> list[str]:
    return [
        (t.measure.indicator.code if t.measure.indicator else "")
        for t in plan.targets.select_related("measure__indicator").order_by("order")
    ]


def test_the_commune_seed_targets_are_mapped() -> None:
    orgunits_demo_load()
    plan = imported("hoang_hop_2025.txt", hoang_hop())
    assert codes(plan) == [
        "outreach-village-coverage",
        "web-posts-monthly",
        "agencies-active",
        "tips-handled-in-time",
        "cases-handled-change",
        "establishments-inspected",
        "village-pilot-models",
        "support-reached",
        "staff-trained",
    ]
    levels = dict(plan.targets.values_list("measure__indicator__code", "measure__level"))
    assert levels["outreach-village-coverage"] == "village"
    assert not TargetMeasure.objects.filter(target__plan=plan, indicator__isnull=True).exists()


def test_the_province_seed_targets_are_mapped() -> None:
    plan = imported("an_giang_1994_qd_ubnd_2016.txt", unit("89"))
    assert codes(plan) == [
        "media-monthly",
        "outreach-commune-coverage",
        "district-integrated-plans",
        "district-harm-reduction",
        "district-support-models",
        "district-support-models",
        "models-workers-rights",
        "models-peer-groups",
    ]


def test_a_mapping_made_by_hand_survives_an_edit() -> None:
    target = make_target(text="Một chỉ tiêu lạ", population="con mèo")
    measure = TargetMeasure.objects.get(target=target)
    assert measure.indicator is None and "con mèo" in measure.warning
    measure.indicator = Indicator.objects.get(code="outreach-events")
    measure.is_manual = True
    measure.save()
    target.text = "Ít nhất 80% số thôn tuyên truyền"
    target.save()
    assert target_map(target).indicator.code == "outreach-events"  # type: ignore[union-attr]


def test_targets_left_unmapped_are_mapped_when_the_catalogue_gains_their_indicator() -> None:
    from pcmd.indicators.mapping import targets_remap_unmapped

    events = Indicator.objects.get(code="outreach-village-coverage")
    events.is_active = False
    events.save()
    target = make_target()  # "Ít nhất 80% số thôn tuyên truyền": its indicator is switched off
    assert TargetMeasure.objects.get(target=target).indicator is None
    events.is_active = True
    events.save()
    assert targets_remap_unmapped() == 1
    assert TargetMeasure.objects.get(target=target).indicator == events
