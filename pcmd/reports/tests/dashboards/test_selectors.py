"""The dashboard's numbers: the indicators' values, the league table's order, the trends, the
target cards — and a number of queries that does not grow with the number of children."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import HOANG_HOP, THANH_HOA, make_user, unit
from pcmd.common.periods import period_parse
from pcmd.enforcement.tests.factories import make_establishment, make_inspection
from pcmd.indicators.compute import indicator_value
from pcmd.indicators.evaluation import Status, target_evaluate
from pcmd.indicators.models import Indicator
from pcmd.indicators.store import values_rebuild
from pcmd.orgunits.selectors import orgunit_children
from pcmd.outreach.tests.factories import hoang_hop_with_villages, make_event
from pcmd.plans.models import Plan
from pcmd.plans.tests.factories import make_plan, make_target
from pcmd.reports.dashboards import selectors
from pcmd.tips.tests.factories import at, make_tip

pytestmark = pytest.mark.django_db
S1 = period_parse("2025S1")
MID_YEAR = date(2025, 6, 30)


def events_in_villages(counts: list[int]) -> list:
    commune = hoang_hop_with_villages()
    villages = list(orgunit_children(commune, on=MID_YEAR))
    for village, n in zip(villages, counts, strict=False):
        for day in range(n):
            make_event(org_unit=village, date=date(2025, 2, day + 1))
    return villages


def test_league_values_equal_the_indicator_values_and_rank_highest_first() -> None:
    villages = events_in_villages([1, 3, 0, 3, 2])
    commune = unit(HOANG_HOP)
    indicator = Indicator.objects.get(code="outreach-events")
    dp = selectors.dashboard_period(commune, S1, MID_YEAR)
    view = selectors.children_view(commune, dp, indicator)
    by_unit = {row.unit.pk: row for row in view.rows}
    for village in villages:
        assert by_unit[village.pk].value == indicator_value(indicator, village, S1).value
    ranked = [(row.unit.pk, row.rank, row.value) for row in view.rows[:5]]
    # 3, 3 share rank 1; then 2 (rank 3), 1 (rank 4), 0 (rank 5); ties by name.
    assert [r[1] for r in ranked] == [1, 1, 3, 4, 5]
    assert [r[2] for r in ranked] == [3, 3, 2, 1, 0]
    assert {ranked[0][0], ranked[1][0]} == {villages[1].pk, villages[3].pk}
    assert view.own.value == indicator_value(indicator, commune, S1).value == 9


def test_a_sealed_indicator_hides_small_counts_and_gives_them_no_rank() -> None:
    indicator = Indicator.objects.get(code="tips-handled-in-time")
    make_tip(unit_code=HOANG_HOP, received_at=at(2025, 3, 1, 9))
    district = unit("399")
    dp = selectors.dashboard_period(district, S1, MID_YEAR)
    view = selectors.children_view(district, dp, indicator)
    hoang_hop = next(r for r in view.rows if r.unit.code == HOANG_HOP)
    assert view.sealed and hoang_hop.rank is None and hoang_hop.shown == "—"
    assert all(r.rank is None for r in view.rows)  # no commune has 5 tips: nothing ranked


def test_the_map_places_the_children_that_have_coordinates() -> None:
    province = unit(THANH_HOA)
    indicator = Indicator.objects.get(code="outreach-events")
    dp = selectors.dashboard_period(province, S1, MID_YEAR)
    view = selectors.children_view(province, dp, indicator)
    placed = {p.unit_id for p in view.points}
    with_coords = {r.unit.pk for r in view.rows if r.unit.latitude is not None}
    assert placed == with_coords and len(placed) > 10
    assert {r.unit.pk for r in view.unplaced} == {r.unit.pk for r in view.rows} - placed


def test_without_placed_children_the_unit_itself_is_on_the_map() -> None:
    events_in_villages([2])
    commune = unit(HOANG_HOP)
    indicator = Indicator.objects.get(code="outreach-events")
    view = selectors.children_view(
        commune, selectors.dashboard_period(commune, S1, MID_YEAR), indicator
    )
    assert view.points == [] and view.own_point is not None
    assert view.own_point.shown == "2"


def test_monthly_trend_adds_up_to_the_period_value_and_compares_last_year() -> None:
    commune = hoang_hop_with_villages()
    for month, n in ((1, 2), (3, 1), (6, 4)):
        for day in range(n):
            make_event(org_unit=commune, date=date(2025, month, day + 1))
    make_event(org_unit=commune, date=date(2024, 3, 5))
    make_inspection(make_establishment(name="Karaoke A"), inspected_on=date(2025, 2, 2))
    user = make_user(username="dieuphoi")
    trends = {t.key: t for t in selectors.trends(commune, S1, user=user, today=MID_YEAR)}
    events = trends["outreach-events"]
    assert [m.now for m in events.months] == [Decimal(n) for n in (2, 0, 1, 0, 0, 4)]
    assert [m.before for m in events.months] == [Decimal(n) for n in (0, 0, 1, 0, 0, 0)]
    indicator = Indicator.objects.get(code="outreach-events")
    assert sum(m.now for m in events.months) == indicator_value(indicator, commune, S1).value
    assert events.now_total == "7" and events.before_total == "1"
    assert [m.now for m in trends["inspections"].months][1] == 1
    assert trends["tips"].now_total == "0"  # everyone sees tip figures, suppressed


def test_tips_by_month_are_shown_suppressed_to_the_police() -> None:
    make_tip(unit_code=HOANG_HOP, received_at=at(2025, 2, 3, 9))
    police = make_user(username="congan", role=User.Role.POLICE)
    commune = unit(HOANG_HOP)
    trends = {t.key: t for t in selectors.trends(commune, S1, user=police, today=MID_YEAR)}
    february = trends["tips"].months[1]
    assert (february.now, february.now_shown) == (None, "<5")
    assert trends["tips"].months[0].now_shown == "0"


def test_target_cards_are_the_evaluation_of_the_year_as_of_the_half() -> None:
    hoang_hop_with_villages()
    commune = unit(HOANG_HOP)
    plan = make_plan(status=Plan.Status.ISSUED)
    make_target(plan=plan)  # at least 80 % of villages with an awareness activity
    events_in_villages([1, 1])
    dp = selectors.dashboard_period(commune, S1, date(2026, 1, 5))
    plans = selectors.unit_plans(commune, S1)
    assert plans == [plan]
    (card,) = selectors.target_cards(commune, dp, plans)
    expected = target_evaluate(
        plan.targets.get(), unit=commune, period=period_parse("2025"), today=MID_YEAR
    )
    assert (card.evaluation.actual, card.status) == (expected.actual, expected.status)
    assert card.status_label == Status(expected.status).label
    assert card.progress == int((expected.actual * 100 / 80).quantize(Decimal(1)))
    assert card.explanation == expected.explanation


def test_a_draft_plan_gives_no_cards_and_the_built_ins_are_shown() -> None:
    commune = unit(HOANG_HOP)
    make_plan()  # a draft
    assert selectors.unit_plans(commune, S1) == []
    make_event(org_unit=commune, date=date(2025, 4, 1))
    cards = {c.indicator.code: c for c in selectors.builtin_cards(commune, S1)}
    assert cards["outreach-events"].shown == "1"
    assert set(cards) == set(
        Indicator.objects.filter(is_builtin=True, is_active=True).values_list("code", flat=True)
    )


def test_default_period_is_the_half_holding_today_or_the_units_last_day() -> None:
    assert selectors.default_period(unit(HOANG_HOP), date(2026, 12, 3)).id == "2025S1"
    assert selectors.default_period(unit(THANH_HOA), date(2026, 12, 3)).id == "2026S2"
    choices = [p.id for p in selectors.period_choices(unit(HOANG_HOP), date(2026, 12, 3))]
    assert choices[:3] == ["2025S1", "2025", "2024S2"] and "2025S2" not in choices
    new_unit = unit(HOANG_HOP)
    new_unit.valid_from, new_unit.valid_to = date(2025, 7, 1), None  # as a unit made in the reform
    choices = [p.id for p in selectors.period_choices(new_unit, date(2026, 12, 3))]
    assert choices == ["2026S2", "2026S1", "2026", "2025S2", "2025"]


# A province's children (communes) are stored values: one query for the children, one for
# the values, however many communes. A commune's children are villages, which the store does not
# hold (it keeps every unit above the village): those are computed on read, a fixed few queries
# a village (the demo commune had 6 on 30/6/2025).
@pytest.mark.parametrize(("code", "queries"), [(THANH_HOA, 2), (HOANG_HOP, 20)])
def test_children_view_queries_are_a_fixed_baseline(
    code: str, queries: int, django_assert_num_queries: object
) -> None:
    hoang_hop_with_villages()
    indicator = Indicator.objects.get(code="outreach-events")
    values_rebuild(2025, indicators=[indicator])
    target = unit(code)
    dp = selectors.dashboard_period(target, S1, MID_YEAR)
    with django_assert_num_queries(queries):  # type: ignore[operator]
        view = selectors.children_view(target, dp, indicator)
    assert len(view.rows) == (26 if code == THANH_HOA else 6)  # districts; villages on 30/6


def test_the_bench_figures_are_measured_and_count_their_queries() -> None:
    from pcmd.reports.dashboards.bench import bench_dashboard

    hoang_hop_with_villages()
    make_target(plan=make_plan(status=Plan.Status.ISSUED))
    figures = bench_dashboard(2025, today=MID_YEAR)
    assert figures["dashboard_province_children_q"] > 0
    assert figures["dashboard_commune_cards_q"] > 0
    assert {"dashboard_province_children_ms", "dashboard_province_trends_ms"} <= set(figures)


def test_a_trend_says_when_aggregate_entries_cannot_be_split_by_month() -> None:
    from pcmd.indicators.models import AggregateEntry

    district = unit("399")
    AggregateEntry.objects.create(
        indicator=Indicator.objects.get(code="inspections"),
        org_unit=unit(HOANG_HOP),
        period="2025S1",
        numerator=4,
    )
    user = make_user(username="huyen", unit_code="399")
    trends = {t.key: t for t in selectors.trends(district, S1, user=user, today=MID_YEAR)}
    assert trends["inspections"].has_entries and not trends["outreach-events"].has_entries


def test_tips_by_month_beside_their_total_hide_a_complementary_month() -> None:
    for month, n in ((1, 6), (2, 2)):  # January 6 tips, February 2: total 8
        for day in range(n):
            make_tip(unit_code=HOANG_HOP, received_at=at(2025, month, day + 1, 9))
    police = make_user(username="congan", role=User.Role.POLICE)
    trends = {t.key: t for t in selectors.trends(unit(HOANG_HOP), S1, user=police, today=MID_YEAR)}
    tips = trends["tips"]
    assert tips.now_total == "8"
    # February reads "<5"; January would give it away (8 - 6), so it reads "≥5".
    assert [m.now_shown for m in tips.months[:3]] == ["≥5", "<5", "0"]
    assert tips.months[0].now is None and tips.months[2].now == 0


def _counting_queries(queries: CaptureQueriesContext) -> list[str]:
    tables = ('"outreach_outreachevent"', '"enforcement_inspection"', '"tips_tip"')
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)]


def test_trend_months_are_counted_once_then_read_again_until_a_record_moves_them() -> None:
    commune = hoang_hop_with_villages()
    make_event(org_unit=commune, date=date(2025, 3, 1))
    make_event(org_unit=commune, date=date(2024, 3, 1))
    make_tip(unit_code=HOANG_HOP, received_at=at(2025, 2, 3, 9))
    watched = Indicator.objects.filter(
        pk__in=selectors._watched(selectors.TIPS_TREND, None)
    ) | Indicator.objects.filter(code__in=selectors.TREND_CODES)
    for year in (2024, 2025):
        values_rebuild(year, indicators=list(watched))
    police = make_user(username="congan", role=User.Role.POLICE)

    def months() -> tuple[dict[str, list[str]], list[str]]:
        with CaptureQueriesContext(connection) as queries:
            got = selectors.trends(commune, S1, user=police, today=MID_YEAR)
        shown = {
            t.key: [m.now_shown for m in t.months] + [m.before_shown for m in t.months] for t in got
        }
        return shown, _counting_queries(queries)

    first, counted = months()
    assert len(counted) == 6  # three trends, this year and last
    assert first["outreach-events"][:6] == ["0", "0", "1", "0", "0", "0"]
    again, counted = months()
    assert again == first and counted == []
    # Nor is where to count worked out (aggregate entries, successions) when nothing is counted.
    with CaptureQueriesContext(connection) as queries:
        selectors.trends(commune, S1, user=police, today=MID_YEAR)
    assert not [q for q in queries if "orgunits_orgunitsuccession" in q["sql"]]

    # A record of this year, through the page's own path (a save): only this year is counted.
    make_event(org_unit=commune, date=date(2025, 3, 2))
    moved, counted = months()
    assert moved["outreach-events"][:6] == ["0", "0", "2", "0", "0", "0"]
    assert moved["outreach-events"][6:] == first["outreach-events"][6:]
    assert len(counted) == 1
    # Last year's, and a tip (a part of no indicator: the tips' measures are watched).
    make_event(org_unit=commune, date=date(2024, 4, 2))
    make_tip(unit_code=HOANG_HOP, received_at=at(2025, 2, 4, 9))
    moved, counted = months()
    assert moved["outreach-events"][6:] == ["0", "0", "1", "1", "0", "0"]
    assert moved["tips"][:6] == ["0", "<5", "0", "0", "0", "0"]
    # Last year's events (twice: a change against last year moves this year's values too),
    # this year's tips.
    assert len(counted) == 3
    # A year not stored: counted on every read, so never behind.
    assert selectors.trends(commune, period_parse("2023S1"), user=police, today=MID_YEAR)


def test_kept_months_live_in_the_pages_cache_apart_from_the_rate_limits() -> None:
    from django.core.cache import caches

    commune = hoang_hop_with_villages()
    values_rebuild(2024, indicators=Indicator.objects.filter(code__in=selectors.TREND_CODES))
    values_rebuild(2025, indicators=Indicator.objects.filter(code__in=selectors.TREND_CODES))
    selectors.trends(commune, S1, user=make_user(username="dieuphoi"), today=MID_YEAR)
    default, pages = caches["default"], caches["pages"]
    assert pages._cache and not default._cache  # type: ignore[attr-defined]  # locmem in tests
