"""The grouped figures a rebuild adds up (rollup.Records): read all at once, one query per
source (per source and key for distinct keys), they are exactly what one query per part and
period gives; what was not asked for beforehand is still read when asked for."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.module_loading import import_string

from pcmd.common.periods import period_parse
from pcmd.indicators.compute import part_records_everywhere
from pcmd.indicators.models import Indicator
from pcmd.indicators.rollup import (
    Records,
    Tree,
    _keys,
    _part_per_unit,
    area_for_period,
    records_plan,
    values_for_period,
)
from pcmd.indicators.sources import definition_sources, source_get
from pcmd.indicators.store import _by_shared_sources, year_periods

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("demo", stdout=StringIO())


def test_records_read_at_once_equal_one_query_per_part(
    demo: None, django_assert_num_queries: object
) -> None:
    indicators = list(Indicator.objects.filter(is_active=True))
    records = Records()
    for indicator in indicators:
        for period in year_periods(2025):
            records_plan(records, indicator, period)
    wanted, wanted_keys = dict(records._wanted), dict(records._wanted_keys)
    sources = {part["source"] for part, _s, _e in wanted.values()}
    key_sources = {(part["source"], part["distinct"]) for part, _s, _e in wanted_keys.values()}
    assert len(wanted) > len(sources) and len(wanted_keys) > len(key_sources)
    # A measure computed for many periods at once (tips in time): its records, their pauses
    # and the deadline rules, read once for the year and its halves.
    measures = [
        i
        for i in indicators
        if i.kind == Indicator.Kind.MEASURE
        and i.definition["measure"] in source_get(i.definition["source"]).measures_by_windows
    ]
    assert measures
    queries = len(sources) + len(key_sources) + 3 * len(measures)
    with django_assert_num_queries(queries):  # type: ignore[operator]
        records.fetch()
    for indicator in measures:
        source = source_get(indicator.definition["source"])
        alone = import_string(source.measures_by_unit[indicator.definition["measure"]])
        for period in year_periods(2025):
            qs = part_records_everywhere(indicator.definition, period.start, period.end)
            expected_measure = alone(qs, period.start, period.end, unit_field=source.unit_field)
            assert records.measured(indicator, period) == expected_measure, period.id
    nonzero = 0
    for part, start, end in wanted.values():
        expected = sorted((u, n) for u, n in _part_per_unit(part, start, end) if n)
        with django_assert_num_queries(0):  # type: ignore[operator]
            got = sorted(records.per_unit(part, start, end))
        assert got == expected, (part, start, end)
        nonzero += bool(got)
    for part, start, end in wanted_keys.values():
        expected_keys = _keys(part, start, end)
        with django_assert_num_queries(0):  # type: ignore[operator]
            assert records.keys(part, start, end) == expected_keys, (part, start, end)
    assert nonzero > 10


def test_values_with_records_read_beforehand_equal_values_read_as_asked(demo: None) -> None:
    tree = Tree.load()
    indicators = list(Indicator.objects.filter(is_active=True))
    periods = year_periods(2025)
    areas = {p.id: area_for_period(tree, p) for p in periods}
    records = Records()
    for indicator in indicators:
        for period in periods:
            records_plan(records, indicator, period)
    records.fetch()
    for indicator in indicators:
        for period in periods:
            fresh_area = area_for_period(tree, period)  # no cached coverage units either
            assert values_for_period(
                indicator, areas[period.id], records=records
            ) == values_for_period(indicator, fresh_area), (indicator.code, period.id)


def test_indicators_are_rebuilt_in_groups_that_share_no_source(demo: None) -> None:
    indicators = list(Indicator.objects.filter(is_active=True))
    groups = _by_shared_sources(indicators)
    assert sorted(i.pk for g in groups for i in g) == sorted(i.pk for i in indicators)
    keys = [{s.key for i in g for s in definition_sources(i.kind, i.definition)} for g in groups]
    for n, mine in enumerate(keys):
        for other in keys[n + 1 :]:
            assert not mine & other
    # The agencies' ratio joins awareness events, courses and inspections in one group.
    by_code = {i.code: n for n, g in enumerate(groups) for i in g}
    assert by_code["agencies-active"] == by_code["outreach-events"] == by_code["inspections"]
    assert by_code["tips-handled-in-time"] != by_code["outreach-events"]


def test_periods_whose_hierarchy_stands_the_same_share_their_areas(demo: None) -> None:
    tree = Tree.load()
    # The merger of 1 July 2025 begins a new stretch; nothing changes in 2026.
    assert tree.same_as(date(2025, 6, 30)) < date(2025, 7, 1) <= tree.same_as(date(2025, 7, 1))
    assert tree.same_as(date(2026, 6, 30)) == tree.same_as(date(2026, 12, 31))
    year, half = (area_for_period(tree, period_parse(p)) for p in ("2026", "2026S1"))
    assert year.area is half.area and year.cache is half.cache
    assert (year.period.id, half.period.id) == ("2026", "2026S1")
    before, after = (area_for_period(tree, period_parse(p)) for p in ("2025S1", "2025S2"))
    assert before.area is not after.area and before.area != after.area
    # Shared or not, each holds what it would hold alone.
    alone = area_for_period(Tree.load(), period_parse("2026S1"))
    assert alone.area == half.area and alone.holders_of == half.holders_of
