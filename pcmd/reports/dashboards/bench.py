"""Benchmarks of the dashboard's selectors, for `pcmd bench` (figures printed, never asserted).

Owns: bench_dashboard() -> the figures dashboard_province_children_ms (league table and map of
Tỉnh Thanh Hóa's units), dashboard_province_trends_ms and dashboard_commune_cards_ms (the
target cards of the busiest commune plan), each with its number of queries.
Invariants: reads only; runs inside the caller's transaction, after the stored values of the
year were rebuilt (what the dashboard reads).
Not here: the stored values' own figures (pcmd.indicators.bench).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcmd.common.periods import period_parse
from pcmd.indicators.models import Indicator
from pcmd.orgunits.models import OrgUnit
from pcmd.plans.models import Plan
from pcmd.reports.dashboards import selectors


def _measure(fn: Callable[[], Any]) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        fn()
        seconds = time.perf_counter() - start
    return round(seconds * 1000, 2), len(queries.captured_queries)


def bench_dashboard(year: int, *, today: date | None = None) -> dict[str, Any]:
    today = today or date.today()
    figures: dict[str, Any] = {}
    period = period_parse(f"{year}S1")
    indicator = Indicator.objects.filter(code=selectors.DEFAULT_LEAGUE_CODE).first()
    province = (
        OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE, code="38")
        .order_by("-valid_from")
        .first()
    )
    if indicator is not None and province is not None:
        dp = selectors.dashboard_period(province, period, today)
        ms, queries = _measure(lambda: selectors.children_view(province, dp, indicator))
        figures["dashboard_province_children_ms"], figures["dashboard_province_children_q"] = (
            ms,
            queries,
        )
        ms, queries = _measure(lambda: selectors.trends(province, period, user=None, today=today))
        figures["dashboard_province_trends_ms"] = ms
    plan = (
        Plan.objects.filter(
            org_unit__level=OrgUnit.Level.COMMUNE,
            status=Plan.Status.ISSUED,
            period_start__lte=year,
            period_end__gte=year,
        )
        .select_related("org_unit")
        .first()
    )
    if plan is not None:
        unit = plan.org_unit
        dp = selectors.dashboard_period(unit, period, today)
        ms, queries = _measure(lambda: selectors.target_cards(unit, dp, [plan]))
        figures["dashboard_commune_cards_ms"], figures["dashboard_commune_cards_q"] = ms, queries
    return figures
