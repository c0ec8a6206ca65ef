"""pcmd.demo.records: the demo's operational records, deterministic and created once."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from pcmd.enforcement.models import (
    Case,
    Establishment,
    HotSpot,
    Inspection,
    InspectionTeam,
    Violation,
)
from pcmd.orgunits import selectors as units
from pcmd.orgunits.models import OrgUnit
from pcmd.outreach.models import OutreachEvent
from pcmd.plans.models import BudgetLine, Plan
from pcmd.support.models import PilotModel
from pcmd.support.selectors import pilotmodels_built
from pcmd.training.models import StaffMember, TrainingCourse

pytestmark = pytest.mark.django_db

MODELS = (
    OutreachEvent, StaffMember, TrainingCourse, Establishment, InspectionTeam, Inspection,
    Violation, HotSpot, Case, PilotModel, BudgetLine, Plan,
)  # fmt: skip


def per_model() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def content() -> list[tuple[object, ...]]:
    """What the records say (not their ids), to compare two runs on fresh databases."""
    return sorted(
        (e.org_unit.code, e.date, e.form, e.topic, e.participants)
        for e in OutreachEvent.objects.select_related("org_unit")
    )


@pytest.fixture
def demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def hoang_hop() -> OrgUnit:
    return units.orgunit_get_by_code("15919", on=date(2025, 1, 1), level="commune")


def test_second_run_creates_nothing(demo: str) -> None:
    assert "Hồ sơ trình diễn:" in demo
    first = per_model()
    assert all(first.values()), first
    assert sum(first.values()) < 1000  # modest: `make run` stays fast
    again = StringIO()
    call_command("demo", stdout=again)
    assert per_model() == first
    assert "không thay đổi gì" in again.getvalue() and "+ " not in again.getvalue()


def test_same_seed_same_data(demo: str) -> None:
    from pcmd.demo.records import _rng

    assert _rng("x").random() == _rng("x").random()
    events = content()
    assert len(events) == OutreachEvent.objects.count()
    # Deleting a section's records (An Giang) and loading again gives the same content.
    snapshot = per_model()
    OutreachEvent.objects.filter(created_by__username="angiang").delete()
    PilotModel.objects.filter(created_by__username="angiang").delete()
    Plan.objects.filter(title__startswith="Kế hoạch phòng, chống mại dâm năm").delete()
    call_command("demo", stdout=StringIO())
    assert per_model() == snapshot
    assert content() == events


def test_hoang_hop_events_in_most_but_not_all_villages(demo: str) -> None:
    commune = hoang_hop()
    villages = [v for v in units.village_list(commune) if v.is_valid_on(date(2025, 6, 30))]
    reached = set(
        OutreachEvent.objects.filter(
            org_unit__in=villages, date__range=(date(2025, 1, 1), date(2025, 6, 30))
        ).values_list("org_unit_id", flat=True)
    )
    assert len(villages) >= 5
    assert len(villages) * 0.8 <= len(reached) < len(villages)


def test_hoang_hop_misses_exactly_one_month_of_web_posts(demo: str) -> None:
    months = set(
        OutreachEvent.objects.filter(
            org_unit=hoang_hop(), form=OutreachEvent.Form.WEBSITE, date__year=2025
        ).values_list("date__month", flat=True)
    )
    assert len(set(range(1, 7)) - months) == 1
    giang = units.orgunit_get_by_code("15880", on=date(2026, 1, 1), level="commune")
    later = set(
        OutreachEvent.objects.filter(org_unit=giang, form=OutreachEvent.Form.WEBSITE).values_list(
            "date__month", flat=True
        )
    )
    assert later == set(range(7, 13))


def test_cases_in_2024_and_2025_and_a_trained_share(demo: str) -> None:
    commune = hoang_hop()
    assert Case.objects.filter(org_unit=commune, opened_on__year=2024).exists()
    assert Case.objects.filter(opened_on__year=2025).count() >= 2
    relevant = StaffMember.objects.filter(org_unit=commune, pcmd_relevant=True).count()
    trained = (
        StaffMember.objects.filter(org_unit=commune, pcmd_relevant=True, courses__isnull=False)
        .distinct()
        .count()
    )
    assert relevant and trained / relevant >= 0.15
    assert HotSpot.objects.filter(org_unit=commune, cleared_on__isnull=False).exists()
    assert Violation.objects.filter(inspection__org_unit=commune).count() == 2
    inspected = Establishment.objects.filter(org_unit=commune, inspections__isnull=False)
    assert 0 < inspected.distinct().count() < Establishment.objects.filter(org_unit=commune).count()


def test_hoang_giang_inspects_the_establishments_taken_over(demo: str) -> None:
    giang = units.orgunit_get_by_code("15880", on=date(2026, 1, 1), level="commune")
    later = Inspection.objects.filter(org_unit=giang, inspected_on__gte=date(2025, 7, 1))
    assert later.exists()
    assert set(later.values_list("establishment__org_unit", flat=True)) == {hoang_hop().pk}


def test_an_giang_pilot_models_and_district_plans(demo: str) -> None:
    province = units.orgunit_get_by_code("89", on=date(2020, 1, 1), level="province")
    for kind in ("community_services", "workers_rights", "peer_groups"):
        assert pilotmodels_built(unit=province, on=date(2020, 12, 31), kind=kind) >= 3
    districts = list(
        units.orgunit_children(province, on=date(2020, 12, 31)).filter(level=OrgUnit.Level.DISTRICT)
    )
    plans = Plan.objects.filter(org_unit__in=districts, status=Plan.Status.ISSUED)
    in_2017 = plans.filter(period_start=2017, period_end=2017).count()
    assert 0.4 * len(districts) <= in_2017 <= 0.6 * len(districts)
    assert plans.filter(period_start=2020).count() == len(districts)
    months = set(
        OutreachEvent.objects.filter(org_unit=province, form=OutreachEvent.Form.PRESS).values_list(
            "date__year", "date__month"
        )
    )
    assert len(months) == 12 * 4 + 5  # August 2016 to December 2020
