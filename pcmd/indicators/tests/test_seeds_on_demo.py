"""Every target of both seed plans, evaluated on the demo data; each expected figure is counted
here straight from the records (not through pcmd.indicators), so the engine is checked against
an independent count."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Q

from pcmd.enforcement.models import Case, Establishment, Inspection
from pcmd.indicators.evaluation import target_evaluate
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.orgunits.selectors import orgunit_descendants, orgunit_get_by_code, village_list
from pcmd.outreach.models import OutreachEvent
from pcmd.plans.models import Plan
from pcmd.support.casefiles.selectors import support_reach
from pcmd.support.models import PilotModel
from pcmd.tips.selectors import handled_in_time
from pcmd.training.models import StaffMember, TrainingCourse

pytestmark = pytest.mark.django_db
H1_START, H1_END = date(2025, 1, 1), date(2025, 6, 30)


@pytest.fixture
def demo() -> None:
    call_command("demo", stdout=StringIO())


def _value(plan: Plan, needle: str, unit: OrgUnit, period: str, today: date) -> tuple[int, ...]:
    target = next(t for t in plan.targets.all() if needle in t.text)
    result = target_evaluate(target, unit=unit, period=period, today=today)
    assert result.value is not None, (needle, result.explanation)
    value = result.value
    return (int(value.numerator),) if value.denominator is None else (
        int(value.numerator), int(value.denominator),
    )  # fmt: skip


def test_the_commune_plan_on_the_first_half_of_2025(demo: None) -> None:
    hop = orgunit_get_by_code("15919", on=H1_START)
    plan = Plan.objects.get(org_unit=hop, period_start=2025)
    h1 = Q(date__gte=H1_START, date__lte=H1_END)

    def value(needle: str) -> tuple[int, ...]:
        return _value(plan, needle, hop, "2025", H1_END)

    villages = [v for v in village_list(hop) if v.valid_to is None or v.valid_to >= H1_END]
    covered = [v for v in villages if OutreachEvent.objects.filter(h1, org_unit=v).exists()]
    assert value("80% số thôn") == (len(covered), len(villages))
    assert 0 < len(covered) < len(villages) == 6  # most villages, not all

    months = {
        e.date.month
        for e in OutreachEvent.objects.filter(h1, org_unit=hop, form=OutreachEvent.Form.WEBSITE)
    }
    assert value("trang thông tin điện tử") == (len(months), 12)
    assert len(months) == 5  # the demo misses one month

    agencies = Agency.objects.filter(org_unit=hop).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=H1_END),
        Q(valid_to__isnull=True) | Q(valid_to__gte=H1_START),
    )
    area = [hop.pk, *[v.pk for v in village_list(hop)]]
    active = (
        set(OutreachEvent.objects.filter(h1, org_unit__in=area).values_list("agency", flat=True))
        | set(
            TrainingCourse.objects.filter(
                org_unit__in=area, end_date__gte=H1_START, end_date__lte=H1_END
            ).values_list("organiser", flat=True)
        )
        | set(
            Inspection.objects.filter(
                org_unit__in=area, inspected_on__gte=H1_START, inspected_on__lte=H1_END
            ).values_list("team__memberships__agency", flat=True)
        )
    )
    ids = set(agencies.values_list("pk", flat=True))
    assert value("100% các đơn vị trong xã") == (len(ids & active), len(ids))

    in_time = handled_in_time(unit=hop, period="2025S1")
    known = in_time.in_time + in_time.late + in_time.open_overdue
    assert value("100% tin báo") == (in_time.in_time, known)
    assert known > in_time.in_time > 0  # one tip overdue in the demo

    def prosecuted(start: date, end: date) -> int:
        return Case.objects.filter(
            org_unit__in=area, prosecuted_on__gte=start, prosecuted_on__lte=end
        ).count()

    assert value("so với năm 2024") == (
        prosecuted(H1_START, H1_END), prosecuted(date(2024, 1, 1), date(2024, 6, 30)),
    )  # fmt: skip

    live = Establishment.objects.filter(org_unit__in=area).filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=H1_END),
        Q(closed_on__isnull=True) | Q(closed_on__gte=H1_START),
    )
    inspected = set(
        Inspection.objects.filter(
            establishment__in=live, inspected_on__gte=H1_START, inspected_on__lte=H1_END
        ).values_list("establishment", flat=True)
    )
    assert value("20% số cơ sở") == (len(inspected), live.count())
    assert inspected and live.count() >= 10

    with_model = [v for v in villages if PilotModel.objects.filter(org_unit=v).exists()]
    assert value("10% địa bàn") == (len(with_model), len(villages))

    reach = support_reach(start=H1_START, end=H1_END, unit=hop, groups=["sex_worker"])
    assert value("70% người bán dâm") == (reach.reached, reach.in_need)
    assert reach.in_need >= 5

    relevant = StaffMember.objects.filter(org_unit__in=area, pcmd_relevant=True).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=H1_END),
        Q(active_to__isnull=True) | Q(active_to__gte=H1_START),
    )
    trained = set(
        TrainingCourse.participants.through.objects.filter(
            staffmember__in=relevant,
            trainingcourse__end_date__gte=H1_START,
            trainingcourse__end_date__lte=H1_END,
        ).values_list("staffmember", flat=True)
    )
    assert value("15% đội ngũ cán bộ") == (len(trained), relevant.count())
    assert trained and relevant.count() > len(trained)


def test_the_province_plan_over_2016_2020(demo: None) -> None:
    old = orgunit_get_by_code("89", on=date(2016, 1, 1))
    plan = Plan.objects.filter(org_unit=old, period_start=2016, period_end=2020).order_by("pk")[0]
    end = date(2020, 12, 31)
    districts = list(
        orgunit_descendants(old, on=end).filter(level=OrgUnit.Level.DISTRICT).order_by("pk")
    )

    def value(needle: str, period: str = "2020") -> tuple[int, ...]:
        return _value(plan, needle, old, period, end)

    year = Q(issued_on__gte=date(2020, 1, 1), issued_on__lte=end)
    planned = {
        p.org_unit_id for p in Plan.objects.filter(year, org_unit__in=districts, status="issued")
    }
    assert value("xây dựng kế hoạch lồng ghép") == (len(planned), len(districts))
    assert 0 < len(planned) <= len(districts) == 11

    def districts_with(kind: str) -> int:
        return sum(
            1
            for d in districts
            if PilotModel.objects.filter(
                kind=kind,
                start_date__lte=end,
                org_unit__in=[d.pk, *orgunit_descendants(d, on=end).values_list("pk", flat=True)],
            )
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=date(2020, 1, 1)))
            .exists()
        )

    assert value("can thiệp giảm tác hại") == (
        districts_with(PilotModel.Kind.HARM_REDUCTION_GBV), len(districts),
    )  # fmt: skip
    models = PilotModel.objects.filter(start_date__gte=date(2016, 1, 1), start_date__lte=end)
    assert value("quyền của người lao động", "2016-2020") == (
        models.filter(kind=PilotModel.Kind.WORKERS_RIGHTS).count(),
    )
    assert value("tăng cường năng lực", "2016-2020") == (
        models.filter(kind=PilotModel.Kind.PEER_GROUPS).count(),
    )
    media = {
        e.date.month
        for e in OutreachEvent.objects.filter(
            org_unit=old, date__year=2020,
            form__in=["press", "broadcast", "website", "social_media"],
        )
    }  # fmt: skip
    assert value("phương tiện thông tin đại chúng") == (len(media), 12)
    assert media


def test_evaluating_a_target_costs_a_bounded_number_of_queries(
    demo: None, django_assert_max_num_queries: Any
) -> None:
    """The commune dashboard evaluates every target of its plan: each costs a handful of
    queries whatever the number of records (measured on the demo: 5 to 10 each)."""
    hop = orgunit_get_by_code("15919", on=H1_START)
    plan = Plan.objects.get(org_unit=hop, period_start=2025)
    targets = list(plan.targets.select_related("plan").prefetch_related("milestones"))
    for target in targets:  # tips handled in time took 40 before its tips were prefetched
        with django_assert_max_num_queries(12):
            target_evaluate(target, unit=hop, period="2025", today=H1_END)
