"""Values computed from records: coverage, frequency, ratio, change, roll-up through the 2025
merger, and aggregate entries that replace records without counting anything twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pcmd.accounts.tests.factories import HOANG_GIANG, HOANG_HOA, HOANG_HOP, OLD_AN_GIANG, THANH_HOA
from pcmd.enforcement.models import Case
from pcmd.enforcement.tests.factories import make_case, make_establishment, make_inspection
from pcmd.indicators.compute import indicator_value
from pcmd.indicators.models import AggregateEntry, Indicator
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_descendants, village_list
from pcmd.outreach.models import OutreachEvent
from pcmd.outreach.tests.factories import hoang_hop_with_villages, make_event, unit
from pcmd.plans.models import Plan
from pcmd.plans.tests.factories import make_plan

pytestmark = pytest.mark.django_db


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def test_village_coverage_counts_villages_with_an_activity() -> None:
    commune = hoang_hop_with_villages()
    villages = list(village_list(commune))
    assert len(villages) == 6
    make_event(org_unit=villages[0], date=date(2025, 2, 1))
    make_event(org_unit=villages[0], date=date(2025, 3, 1))  # the same village twice
    make_event(org_unit=villages[1], date=date(2025, 6, 30))
    make_event(org_unit=commune, date=date(2025, 4, 1))  # the commune hall: no village
    make_event(org_unit=villages[2], date=date(2024, 12, 31))  # another period
    value = indicator_value(ind("outreach-village-coverage"), commune, "2025S1")
    assert (value.numerator, value.denominator, value.value) == (2, 6, Decimal("33.3"))


def test_records_of_a_merged_commune_roll_up_to_its_district_and_successor() -> None:
    make_event(org_unit=unit(HOANG_HOP), date=date(2025, 3, 10))
    events = ind("outreach-events")
    assert indicator_value(events, unit(HOANG_HOP), "2025S1").value == 1
    assert indicator_value(events, unit(HOANG_HOA), "2025S1").value == 1
    assert indicator_value(events, unit(HOANG_GIANG), "2025").value == 1  # its successor
    # ... but not before the merger: on 30/06/2025 Hoằng Hợp still counted for itself.
    assert indicator_value(events, unit(HOANG_GIANG), "2025S1").value == 0
    coverage = indicator_value(ind("outreach-commune-coverage"), unit(HOANG_HOA), "2025S1")
    assert coverage.numerator == 1  # Hoằng Hợp, not its future successor as well
    assert indicator_value(events, unit(THANH_HOA), "2025").value == 1
    assert indicator_value(events, unit(OLD_AN_GIANG), "2025").value == 0
    assert indicator_value(events, unit(HOANG_HOA), "2025S2").value == 0


def test_an_aggregate_entry_replaces_the_records_under_its_unit() -> None:
    events = ind("outreach-events")
    make_event(org_unit=unit(HOANG_HOP), date=date(2025, 3, 10))  # replaced by the entry
    make_event(org_unit=unit(HOANG_GIANG), date=date(2025, 3, 11))  # still counted
    AggregateEntry.objects.create(
        indicator=events, org_unit=unit(HOANG_HOP), period="2025S1", numerator=10
    )
    assert indicator_value(events, unit(HOANG_HOP), "2025S1").value == 10
    district = indicator_value(events, unit(HOANG_HOA), "2025S1")
    assert district.value == 11 and len(district.entries) == 1
    # An entry for the district itself wins over the commune's: counted once.
    AggregateEntry.objects.create(
        indicator=events, org_unit=unit(HOANG_HOA), period="2025S1", numerator=30
    )
    assert indicator_value(events, unit(HOANG_HOA), "2025S1").value == 30
    assert indicator_value(events, unit(THANH_HOA), "2025S1").value == 30
    # Another period has no entries: the records count.
    assert indicator_value(events, unit(HOANG_HOA), "2025Q1").value == 2


def test_monthly_web_posts_count_the_months_with_a_post_of_the_unit_itself() -> None:
    commune = hoang_hop_with_villages()
    for month in (1, 2, 4, 5, 6):
        make_event(org_unit=commune, date=date(2025, month, 5), form=OutreachEvent.Form.WEBSITE)
    make_event(org_unit=commune, date=date(2025, 4, 20), form=OutreachEvent.Form.WEBSITE)
    # March: only a meeting, and a post by a village (not the commune's website).
    make_event(org_unit=commune, date=date(2025, 3, 5), form=OutreachEvent.Form.MEETING)
    village = village_list(commune).first()
    make_event(org_unit=village, date=date(2025, 3, 6), form=OutreachEvent.Form.WEBSITE)
    value = indicator_value(ind("web-posts-monthly"), commune, "2025S1")
    assert (value.numerator, value.denominator, value.value) == (5, 6, Decimal("83.3"))


def test_change_against_the_previous_year() -> None:
    def prosecuted(day: date) -> None:
        make_case(opened_on=day, stage=Case.Stage.PROSECUTED, prosecuted_on=day, defendants=1)

    for day in (date(2024, 4, 9), date(2024, 10, 17)):
        prosecuted(day)
    for day in (date(2025, 2, 1), date(2025, 5, 6), date(2025, 6, 1)):
        prosecuted(day)
    make_case(opened_on=date(2025, 6, 2))  # detected only: not handled yet
    change = indicator_value(ind("cases-handled-change"), unit(HOANG_HOP), "2025S1")
    assert (change.numerator, change.denominator, change.value) == (3, 1, Decimal("200.0"))
    change = indicator_value(ind("cases-handled-change"), unit(HOANG_HOP), "2025Q1")
    assert (change.numerator, change.denominator, change.value) == (1, 0, None)  # 2024Q1: none
    change = indicator_value(ind("cases-handled-change"), unit(HOANG_HOA), "2025")
    assert (change.numerator, change.denominator, change.value) == (3, 2, Decimal("50.0"))


def test_inspected_share_counts_active_establishments_once() -> None:
    active = [make_establishment(name=f"Nhà nghỉ {i}") for i in range(4)]
    closed = make_establishment(
        name="Quán đã đóng", opened_on=date(2019, 1, 1), closed_on=date(2024, 6, 30)
    )
    make_inspection(active[0], inspected_on=date(2025, 3, 1))
    make_inspection(active[0], inspected_on=date(2025, 5, 1))
    make_inspection(active[1], inspected_on=date(2025, 4, 1))
    make_inspection(active[2], inspected_on=date(2024, 12, 1))  # last year
    assert closed.closed_on is not None
    value = indicator_value(ind("establishments-inspected"), unit(HOANG_HOP), "2025")
    assert (value.numerator, value.denominator, value.value) == (2, 4, Decimal("50.0"))


def test_district_plans_count_only_the_districts_own_plans() -> None:
    province = unit(OLD_AN_GIANG, on=date(2017, 1, 1))
    districts = list(
        orgunit_descendants(province, on=date(2017, 12, 31)).filter(level=OrgUnit.Level.DISTRICT)
    )
    for district in districts[:2]:
        make_plan(org_unit=district, status=Plan.Status.ISSUED, issued_on=date(2017, 3, 1),
                  period_start=2017, period_end=2017)  # fmt: skip
    commune = orgunit_descendants(districts[2], on=date(2017, 12, 31)).first()
    make_plan(org_unit=commune, status=Plan.Status.ISSUED, issued_on=date(2017, 3, 1),
              period_start=2017, period_end=2017)  # fmt: skip
    make_plan(org_unit=districts[3], status=Plan.Status.DRAFT, issued_on=date(2017, 3, 1),
              period_start=2017, period_end=2017)  # fmt: skip
    value = indicator_value(ind("district-integrated-plans"), province, "2017")
    assert (value.numerator, value.denominator) == (2, len(districts))
    assert len(districts) == 11


def test_no_denominator_means_no_data_not_zero_percent() -> None:
    value = indicator_value(ind("establishments-inspected"), unit(HOANG_HOP), "2025")
    assert (value.numerator, value.denominator, value.value, value.has_data) == (0, 0, None, False)


def test_the_year_to_date_leaves_out_later_records_and_keeps_twelve_months() -> None:
    commune = unit(HOANG_GIANG)
    for month in (2, 5, 9):
        make_event(org_unit=commune, date=date(2025, month, 3), form=OutreachEvent.Form.WEBSITE)
    posts = ind("web-posts-monthly")
    to_june = indicator_value(posts, commune, "2025", until=date(2025, 6, 30))
    assert (to_june.numerator, to_june.denominator) == (2, 12)
    whole = indicator_value(posts, commune, "2025")
    assert (whole.numerator, whole.denominator) == (3, 12)
    events = indicator_value(ind("outreach-events"), commune, "2025", until=date(2025, 6, 30))
    assert events.value == 2


def test_a_change_to_date_compares_with_the_same_stretch_of_last_year() -> None:
    for day in (date(2024, 3, 1), date(2024, 10, 1), date(2025, 4, 1)):
        make_case(opened_on=day, stage=Case.Stage.PROSECUTED, prosecuted_on=day, defendants=1)
    change = ind("cases-handled-change")
    to_june = indicator_value(change, unit(HOANG_HOP), "2025", until=date(2025, 6, 30))
    assert (to_june.numerator, to_june.denominator, to_june.value) == (1, 1, Decimal("0.0"))
    whole = indicator_value(change, unit(HOANG_HOP), "2025")
    assert (whole.numerator, whole.denominator, whole.value) == (1, 2, Decimal("-50.0"))
