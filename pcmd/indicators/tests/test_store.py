"""The stored values: the rebuild gives exactly what indicator_value() computes on read, for
every indicator, unit and period of the demo (mergers, coverage, distinct keys, tips forwarded
inside an area); a record write marks what it counts in stale in its own transaction; the
refresh recomputes it; a write during a refresh is not lost; readers never see a stale value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from pcmd.accounts.models import User
from pcmd.enforcement.models import Case, Establishment, HotSpot, Inspection
from pcmd.indicators import store
from pcmd.indicators.compute import indicator_value
from pcmd.indicators.models import AggregateEntry, Indicator, IndicatorValue
from pcmd.indicators.store import (
    value_read,
    values_read,
    values_rebuild,
    values_refresh,
)
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
from pcmd.orgunits.selectors import orgunit_get_by_code
from pcmd.outreach.models import OutreachEvent
from pcmd.plans.models import Plan
from pcmd.support.casefiles.models import Beneficiary
from pcmd.support.models import PilotModel
from pcmd.tips.models import Tip
from pcmd.training.models import StaffMember, TrainingCourse

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("demo", stdout=StringIO())


def _stored(code: str, unit: OrgUnit, period: str) -> IndicatorValue:
    return IndicatorValue.objects.get(indicator__code=code, org_unit=unit, period=period)


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_stored_value_equals_the_value_computed_on_read(demo: None, year: int) -> None:
    result = values_rebuild(year)
    assert result.rows == IndicatorValue.objects.filter(period__startswith=str(year)).count()
    # Every unit holding records of the demo, and a few without any (all zeros).
    record_units: set[int] = set()
    for model in (OutreachEvent, Inspection, Establishment, Tip, Beneficiary, StaffMember,
                  TrainingCourse, PilotModel, Plan, Case, HotSpot):  # fmt: skip
        record_units |= set(model.objects.values_list("org_unit_id", flat=True))
    assert record_units
    holders = sorted(
        set(
            OrgUnitScope.objects.filter(unit_id__in=record_units).values_list(
                "holder_id", flat=True
            )
        )
    )
    # The chain of the merged commune, every fourth other unit with records, two without.
    hop = orgunit_get_by_code("15919", on=date(2025, 1, 1))
    chain = set(OrgUnitScope.objects.filter(unit=hop).values_list("holder_id", flat=True))
    interesting = chain | set(holders[::4])
    interesting |= set(
        IndicatorValue.objects.exclude(org_unit_id__in=holders)
        .filter(period=str(year))
        .values_list("org_unit_id", flat=True)[:2]
    )
    rows = IndicatorValue.objects.filter(
        period__startswith=str(year), org_unit_id__in=interesting
    ).select_related("indicator", "org_unit")
    checked = 0
    for row in rows:
        value = indicator_value(row.indicator, row.org_unit, row.period)
        assert (row.numerator, row.denominator) == (value.numerator, value.denominator), (
            row.indicator.code,
            row.org_unit.name,
            row.period,
        )
        checked += 1
    assert checked > 100


def test_the_merger_counts_in_the_half_year_for_the_old_commune_and_in_the_year_for_the_new(
    demo: None,
) -> None:
    values_rebuild(2025, indicators=Indicator.objects.filter(code="outreach-events"))
    hop = orgunit_get_by_code("15919", on=date(2025, 1, 1))
    giang = OrgUnit.objects.get(name="Xã Hoằng Giang", valid_to__isnull=True)
    events_h1 = OutreachEvent.objects.filter(
        org_unit__in=[hop, *OrgUnit.objects.filter(parent_links__parent=hop)],
        date__gte=date(2025, 1, 1),
        date__lte=date(2025, 6, 30),
    ).count()
    assert events_h1 > 0
    assert _stored("outreach-events", hop, "2025S1").numerator == events_h1
    # Hoằng Hợp joined Hoằng Giang on 1/7/2025: its first half counts for Hoằng Giang's
    # year, not for Hoằng Giang's first half.
    giang_h1 = _stored("outreach-events", giang, "2025S1").numerator
    giang_year = _stored("outreach-events", giang, "2025").numerator
    giang_h2 = _stored("outreach-events", giang, "2025S2").numerator
    assert giang_year == giang_h2 + events_h1 + giang_h1
    district = OrgUnit.objects.get(pk=_stored("outreach-events", hop, "2025S1").org_unit_id)
    assert district == hop


def test_a_saved_record_marks_its_ancestors_stale_and_readers_see_it_at_once(demo: None) -> None:
    values_rebuild(2026)
    giang = OrgUnit.objects.get(name="Xã Hoằng Giang", valid_to__isnull=True)
    province = OrgUnit.objects.get(code="38", level=OrgUnit.Level.PROVINCE, valid_to__isnull=True)
    events = Indicator.objects.get(code="outreach-events")
    before = value_read(events, province, "2026").numerator
    OutreachEvent.objects.create(
        org_unit=giang, date=date(2026, 3, 2), form=OutreachEvent.Form.MEETING, topic="Họp dân"
    )
    # A count moves by the record itself, in the writing transaction: the row stays fresh.
    row = _stored("outreach-events", province, "2026")
    assert not row.stale and row.numerator == before + 1
    assert value_read(events, province, "2026").numerator == before + 1
    assert _stored("outreach-events", province, "2026S1").numerator == (
        indicator_value(events, province, "2026S1").numerator
    )
    assert _stored("outreach-events", giang, "2026").numerator == (
        indicator_value(events, giang, "2026").numerator
    )
    # A coverage cannot be added to: it is marked stale, and readers compute it meanwhile.
    coverage = Indicator.objects.get(code="outreach-commune-coverage")
    cov_row = _stored("outreach-commune-coverage", province, "2026")
    assert cov_row.stale
    assert value_read(coverage, province, "2026") == indicator_value(coverage, province, "2026")
    # Another province is untouched.
    other = OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE, valid_to__isnull=True).exclude(
        pk=province.pk
    )[0]
    assert not _stored("outreach-commune-coverage", other, "2026").stale
    assert values_refresh() > 0
    cov_row.refresh_from_db()
    assert not cov_row.stale
    assert (cov_row.numerator, cov_row.denominator) == (
        indicator_value(coverage, province, "2026").numerator,
        indicator_value(coverage, province, "2026").denominator,
    )


def test_a_record_dated_before_the_reform_is_left_to_the_refresh(demo: None) -> None:
    values_rebuild(2025, indicators=Indicator.objects.filter(code="outreach-events"))
    hop = orgunit_get_by_code("15919", on=date(2025, 1, 1))
    OutreachEvent.objects.create(
        org_unit=hop, date=date(2025, 3, 2), form=OutreachEvent.Form.MEETING, topic="Họp dân"
    )
    assert _stored("outreach-events", hop, "2025S1").stale
    values_refresh(limit=10_000)
    events = Indicator.objects.get(code="outreach-events")
    for row in IndicatorValue.objects.filter(indicator=events, period__startswith="2025"):
        if row.org_unit_id == hop.pk or row.numerator:
            assert row.numerator == indicator_value(events, row.org_unit, row.period).numerator


def test_a_write_during_a_refresh_keeps_the_row_stale(demo: None) -> None:
    values_rebuild(2026)
    giang = OrgUnit.objects.get(name="Xã Hoằng Giang", valid_to__isnull=True)
    OutreachEvent.objects.create(
        org_unit=giang, date=date(2026, 3, 2), form=OutreachEvent.Form.MEETING, topic="Họp dân"
    )
    row = _stored("outreach-events", giang, "2026")
    version = row.version
    # The refresh read the row's version, then a second write marked it again.
    OutreachEvent.objects.create(
        org_unit=giang, date=date(2026, 3, 3), form=OutreachEvent.Form.MEETING, topic="Họp dân"
    )
    row.refresh_from_db()
    assert row.version == version + 1
    updated = IndicatorValue.objects.filter(pk=row.pk, version=version).update(stale=False)
    assert updated == 0  # the refresh that started before the second write clears nothing


def test_a_deleted_record_and_a_moved_record_mark_both_places(demo: None) -> None:
    giang = OrgUnit.objects.get(name="Xã Hoằng Giang", valid_to__isnull=True)
    other = OrgUnit.objects.filter(level="commune", valid_to__isnull=True).exclude(pk=giang.pk)[0]
    event = OutreachEvent.objects.create(
        org_unit=giang, date=date(2026, 3, 2), form=OutreachEvent.Form.MEETING, topic="Họp dân"
    )
    values_rebuild(2026)
    events = Indicator.objects.get(code="outreach-events")
    event.org_unit = other
    event.save()
    for unit in (giang, other):  # taken from where it was, added where it is now
        assert (
            _stored("outreach-events", unit, "2026").numerator
            == indicator_value(events, unit, "2026").numerator
        )
    assert _stored("outreach-village-coverage", giang, "2026").stale
    assert _stored("outreach-village-coverage", other, "2026").stale
    values_refresh(limit=10_000)
    moved_in = _stored("outreach-events", other, "2026").numerator
    assert moved_in == indicator_value(events, other, "2026").numerator >= 1
    event.delete()
    assert _stored("outreach-village-coverage", other, "2026").stale
    values_refresh(limit=10_000)
    assert not IndicatorValue.objects.filter(stale=True).exists()
    assert _stored("outreach-events", other, "2026").numerator == moved_in - 1
    for unit in (giang, other):
        assert (
            _stored("outreach-events", unit, "2026").numerator
            == indicator_value(events, unit, "2026").numerator
        )


def test_stored_values_count_aggregate_entries_once(demo: None) -> None:
    province = OrgUnit.objects.get(code="38", level=OrgUnit.Level.PROVINCE, valid_to__isnull=True)
    giang = OrgUnit.objects.get(name="Xã Hoằng Giang", valid_to__isnull=True)
    events = Indicator.objects.get(code="outreach-events")
    AggregateEntry.objects.create(
        indicator=events,
        org_unit=giang,
        period="2026",
        numerator=Decimal(500),
        entered_by=User.objects.filter(is_superuser=True).first(),
    )
    values_rebuild(2026, indicators=[events])
    assert _stored("outreach-events", giang, "2026").numerator == 500
    assert (
        _stored("outreach-events", province, "2026").numerator
        == indicator_value(events, province, "2026").numerator
    )


def test_reading_many_values_uses_the_table_in_one_query(
    demo: None, django_assert_max_num_queries: object
) -> None:
    values_rebuild(2026)
    province = OrgUnit.objects.get(code="38", level=OrgUnit.Level.PROVINCE, valid_to__isnull=True)
    communes = list(OrgUnit.objects.filter(parent_links__parent=province, level="commune")[:50])
    indicators = list(Indicator.objects.filter(kind__in=["count", "sum", "coverage", "ratio"]))
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        values = values_read(indicators, communes, "2026")
    assert len(values) == len(indicators) * len(communes)


def test_an_xlsx_import_marks_what_its_rows_count_in(demo: None) -> None:
    from pcmd.orgunits.management.commands.bench import _outreach_xlsx
    from pcmd.outreach.services import outreach_events_import

    giang = OrgUnit.objects.get(name="Xã Hoằng Giang", valid_to__isnull=True)
    province = OrgUnit.objects.get(code="38", level=OrgUnit.Level.PROVINCE, valid_to__isnull=True)
    values_rebuild(2026, indicators=Indicator.objects.filter(code="outreach-events"))
    before = _stored("outreach-events", province, "2026").numerator
    admin = User.objects.filter(is_superuser=True).first()
    data = _outreach_xlsx(3, giang, date(2026, 2, 1))
    result = outreach_events_import(data=data, commune=giang, acting_user=admin)
    assert result.created == 3
    assert _stored("outreach-events", province, "2026").stale
    values_refresh()
    assert _stored("outreach-events", province, "2026").numerator == before + 3


def test_a_bulk_read_gives_every_figure_and_builds_values_when_looked_up(demo: None) -> None:
    values_rebuild(2026)
    province = OrgUnit.objects.get(code="38", level=OrgUnit.Level.PROVINCE, valid_to__isnull=True)
    units = [province, *OrgUnit.objects.filter(parent_links__parent=province)[:5]]
    indicators = list(Indicator.objects.all())
    events = Indicator.objects.get(code="outreach-events")
    IndicatorValue.objects.filter(indicator=events, org_unit=province, period="2026").update(
        stale=True
    )
    values = values_read(indicators, units, "2026")
    assert len(values) == len(indicators) * len(units) == len(list(values))
    assert set(values) == {(i.pk, u.pk) for i in indicators for u in units}
    assert not values._values.keys() - {(events.pk, province.pk)}  # only the stale one computed
    for indicator in indicators:
        for unit in units:
            expected = indicator_value(indicator, unit, "2026")
            key = (indicator.pk, unit.pk)
            assert values.figures(key) == (expected.numerator, expected.denominator)
            got = values[key]
            assert (got.numerator, got.denominator, got.value) == (
                expected.numerator,
                expected.denominator,
                expected.value,
            ), indicator.code
            assert values.get(key) is got  # built once
    assert values.get((0, 0)) is None and (0, 0) not in values


def test_stale_coverage_is_refreshed_for_all_its_units_in_one_pass(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcmd.indicators import store

    coverage = Indicator.objects.get(code="outreach-village-coverage")
    events = Indicator.objects.get(code="outreach-events")
    values_rebuild(2026, indicators=[coverage, events])
    giang = OrgUnit.objects.get(name="Xã Hoằng Giang", valid_to__isnull=True)
    village = OrgUnitScope.objects.filter(holder=giang, unit__level="village").first()
    assert village is not None
    OutreachEvent.objects.create(
        org_unit_id=village.unit_id, date=date(2026, 3, 2), form=OutreachEvent.Form.MEETING,
        topic="Họp dân",
    )  # fmt: skip
    stale = list(IndicatorValue.objects.filter(indicator=coverage, stale=True))
    assert {r.org_unit.level for r in stale} >= {"commune", "province", "national"}
    passes: list[int] = []
    set_wise = store.values_for_period
    monkeypatch.setattr(
        store, "values_for_period", lambda *a, **k: passes.append(1) or set_wise(*a, **k)
    )
    assert values_refresh(limit=10_000) >= len(stale)
    assert len(passes) == len({r.period for r in stale})  # one pass a period, not one a unit
    for row in stale:
        row.refresh_from_db()
        value = indicator_value(coverage, row.org_unit, row.period)
        assert not row.stale
        assert (row.numerator, row.denominator) == (value.numerator, value.denominator)


def _all_rows(year: int) -> list[tuple[object, ...]]:
    return sorted(
        IndicatorValue.objects.filter(period__startswith=str(year)).values_list(
            "indicator_id", "org_unit_id", "period", "numerator", "denominator", "stale"
        )
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the rebuild runs on several connections only there"
)
def test_a_group_failing_on_another_connection_leaves_every_stored_value_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The other connections read what was committed (the hierarchy, no records of this
    # test's): enough to see that a failure there undoes everything this one wrote.
    values_rebuild(2026, workers=1)
    IndicatorValue.objects.update(numerator=7)  # what a complete rebuild would put right
    before = _all_rows(2026)
    assert len(before) > 1000
    real = store._group_batch
    computed: list[str] = []

    def failing(group: list[Indicator], *args: object) -> list[object]:
        if any(i.code == "inspections" for i in group):
            raise RuntimeError("mất kết nối")
        batch = real(group, *args)  # type: ignore[arg-type]
        computed.append(group[0].code)
        return batch

    monkeypatch.setattr(store, "_group_batch", failing)
    with pytest.raises(RuntimeError, match="mất kết nối"):
        values_rebuild(2026, workers=2)
    assert computed  # other groups were computed (and some written) before the failure
    assert _all_rows(2026) == before
