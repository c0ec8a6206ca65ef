"""What a unit's dashboard shows for a period: its targets' cards, the built-in indicators'
values, month-by-month trends, the league table and map of its children.

Owns: DashboardPeriod, TargetCard, ValueCard, Trend, LeagueRow, ChildrenView;
dashboard_period(), default_period(), period_choices(), unit_plans(), target_cards(),
builtin_cards(), trends(), children_view().
Invariants: a target's card is what pcmd.indicators.evaluation.target_evaluate() says (the year
measured as of the half's last day, as the plan evaluation page does); the values of the
built-in indicators and of the children come from pcmd.indicators.store.values_read() (stored
where fresh, never recomputed otherwise); the children are the unit's children as the hierarchy
stood on the period's last day (or the unit's last day, if it ended sooner); figures over
sealed records (people) are suppressed for display (pcmd.sealing.suppression) and a suppressed
child takes no rank; the number of queries does not grow with the number of children; the
trends are counted from the records and kept in the cache under a key made of the versions of
the unit's stored values that every such record write bumps (never served behind a write).
Not here: scope checks on the unit (views.py, through pcmd.accounts.permissions), drawing
(charts.py, maps.py), alerts (alerts.py).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import caches
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import has_capability
from pcmd.common.periods import Period, period_containing, period_parse
from pcmd.indicators.compute import Value, part_records, value_scope
from pcmd.indicators.evaluation import Evaluation, Status, target_evaluate
from pcmd.indicators.models import AggregateEntry, Indicator, IndicatorValue
from pcmd.indicators.sources import definition_is_sealed, definition_sources, source_get
from pcmd.indicators.store import values_read
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
from pcmd.orgunits.selectors import orgunit_children
from pcmd.plans.models import Plan, Target
from pcmd.reports.dashboards.maps import MapPoint, band_of, map_place
from pcmd.sealing.suppression import (
    HIDDEN,
    NOT_SHOWN,
    SMALL,
    SMALL_CELL,
    suppress_cells,
    suppress_count,
)

HUNDRED = Decimal(100)
# The key indicators whose months the dashboard draws; tips are counted straight from their
# source (no built-in indicator counts them) and only for roles that may see tip figures.
TREND_CODES = ("outreach-events", "inspections")
TIPS_TREND = {"source": "tips.tips"}
TIPS_CAPABILITIES = ("tip.view", "tip.stats")
# Months counted on read are kept under a key that changes with every write (_monthly_key);
# the time limit only frees the space of keys no longer asked for.
TREND_CACHE_SECONDS = 24 * 3600
DEFAULT_LEAGUE_CODE = "outreach-events"
# Statuses in the order a reader should look at them (what needs attention first).
STATUS_ORDER = [Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.ACHIEVED, Status.NO_DATA]


# --- The period -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardPeriod:
    """The period shown, the day it is measured on and the day the hierarchy is read on."""

    period: Period
    as_of: date  # min(today, the period's last day)
    tree_day: date  # the period's last day, or the unit's if it ended sooner


def unit_last_day(unit: OrgUnit, today: date) -> date:
    """Today, or the unit's last day if it ended before (an old commune shows its last half)."""
    return unit.valid_to if unit.valid_to is not None and unit.valid_to < today else today


def default_period(unit: OrgUnit, today: date) -> Period:
    """The six months holding today (or the unit's last day)."""
    return period_containing(unit_last_day(unit, today), "half")


def dashboard_period(unit: OrgUnit, period: Period, today: date) -> DashboardPeriod:
    tree_day = period.end
    if unit.valid_to is not None and unit.valid_to < tree_day:
        tree_day = unit.valid_to
    return DashboardPeriod(period, min(today, period.end), tree_day)


def period_choices(unit: OrgUnit, today: date, *, years: int = 5) -> list[Period]:
    """Halves and years of the last `years` years that have begun and that the unit lived in
    (a new commune starts at its creation), newest first."""
    last = unit_last_day(unit, today)
    out: list[Period] = []
    for year in range(last.year, last.year - years, -1):
        for text in (f"{year}S2", f"{year}S1", f"{year}"):
            period = period_parse(text)
            born = unit.valid_from is None or period.end >= unit.valid_from
            if period.start <= last and born:
                out.append(period)
    return out


# --- Formatting -----------------------------------------------------------------------------


def fmt_number(number: Decimal | None, *, percent: bool = False) -> str:
    if number is None:
        return "—"
    if number == number.to_integral():
        text = str(number_format(int(number), force_grouping=True))
    else:
        text = str(number_format(number, 1, force_grouping=True))
    return f"{text}%" if percent else text


def shown_value(indicator: Indicator, value: Value) -> tuple[str, Decimal | None]:
    """(text, the number it stands for, or None when suppressed or empty) for display."""
    sealed = definition_is_sealed(indicator.kind, indicator.definition)
    if value.value is None:
        return "—", None
    if sealed:
        if value.denominator is not None:
            # As suppress_percent(): a base under 5 people, or 1..4 of them, is not shown.
            if value.denominator < SMALL_CELL or 0 < value.numerator < SMALL_CELL:
                return "—", None
        elif 0 < value.value < SMALL_CELL:
            return suppress_count(int(value.value)), None
    return fmt_number(value.value, percent=indicator.is_percent), value.value


# --- Targets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetCard:
    """One target of a plan of the unit, as the evaluation sees it."""

    evaluation: Evaluation
    text: str
    shown: str  # the actual value, formatted ("41,7%", "12")
    goal: str
    progress: int | None  # 0..100 towards the goal, None when not meaningful
    status: str
    status_label: str
    explanation: str
    indicator_code: str
    plan: Plan


def unit_plans(unit: OrgUnit, period: Period) -> list[Plan]:
    """The unit's issued plans whose years hold the period's year."""
    year = period.end.year
    return list(
        Plan.objects.filter(
            org_unit=unit,
            status__in=[Plan.Status.ISSUED, Plan.Status.CLOSED],
            period_start__lte=year,
            period_end__gte=period.start.year,
        ).order_by("-period_start", "pk")
    )


def _progress(target: Target, evaluation: Evaluation) -> int | None:
    if evaluation.actual is None or evaluation.status == Status.NO_DATA:
        return None
    if target.comparator in (Target.Comparator.LE, Target.Comparator.LT):
        return None  # "at most N": nothing to progress towards
    if target.kind == Target.Kind.CHANGE:
        return None  # a change can be negative: the word says it
    if evaluation.goal <= 0:
        return 100
    share = (evaluation.actual * HUNDRED / evaluation.goal).quantize(Decimal(1), ROUND_HALF_UP)
    return int(min(max(share, Decimal(0)), HUNDRED))


def target_cards(unit: OrgUnit, dp: DashboardPeriod, plans: list[Plan]) -> list[TargetCard]:
    """A card per target of `plans`, measured for `unit` over the year of the period as of its
    end (a half) or over the period (a year)."""
    period = dp.period
    measured = period_parse(str(period.start.year)) if period.kind == "half" else period
    cards = []
    for plan in plans:
        for target in plan.targets.order_by("order"):
            ev = target_evaluate(target, unit=unit, period=measured, today=dp.as_of)
            percent = target.unit == Target.Unit.PERCENT or target.kind == Target.Kind.FREQUENCY
            cards.append(
                TargetCard(
                    evaluation=ev,
                    text=target.text,
                    shown=fmt_number(ev.actual, percent=percent),
                    goal=fmt_number(ev.goal, percent=percent),
                    progress=_progress(target, ev),
                    status=str(ev.status),
                    status_label=str(Status(ev.status).label),
                    explanation=ev.explanation,
                    indicator_code=ev.indicator.code if ev.indicator else "",
                    plan=plan,
                )
            )
    cards.sort(key=lambda c: STATUS_ORDER.index(Status(c.status)))
    return cards


@dataclass(frozen=True)
class ValueCard:
    indicator: Indicator
    shown: str
    value: Decimal | None


def builtin_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_builtin=True, is_active=True).order_by("code"))


def builtin_cards(unit: OrgUnit, period: Period) -> list[ValueCard]:
    """The built-in indicators' values for `unit` (a unit without a plan)."""
    indicators = builtin_indicators()
    values = values_read(indicators, [unit], period)
    out = []
    for indicator in indicators:
        shown, number = shown_value(indicator, values[indicator.pk, unit.pk])
        out.append(ValueCard(indicator, shown, number))
    return out


# --- Trends ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendMonth:
    label: str  # "T1"
    now: Decimal | None
    now_shown: str
    before: Decimal | None
    before_shown: str


@dataclass(frozen=True)
class Trend:
    key: str
    title: str
    months: list[TrendMonth]
    now_total: str
    before_total: str
    has_entries: bool  # aggregate entries of the period are not split by month (a note says so)


def _watched(part: dict[str, Any], indicator: Indicator | None) -> list[int]:
    """Indicators whose stored rows change (a new `version`) whenever a record that `part`
    counts is written: the trend's own count, or for a part of no indicator those reading its
    source that every write marks (a count or sum may be updated by a delta that skips records
    outside its filter, which this part may count)."""
    if indicator is not None:
        return [indicator.pk]
    additive = (Indicator.Kind.COUNT, Indicator.Kind.SUM)
    return [
        i.pk
        for i in Indicator.objects.filter(is_active=True).exclude(kind__in=additive)
        if any(s.key == part["source"] for s in definition_sources(i.kind, i.definition))
    ]


def _monthly_key(
    part: dict[str, Any], unit: OrgUnit, period: Period, watched: list[int], stamps: dict[Any, Any]
) -> str | None:
    """The cache key of a trend's months: the part, the unit, the period and the version and
    computation time of the watched stored values of that unit and period. A record written in
    the unit's area bumps a version (store.values_mark_stale, store._apply_deltas), a rebuild
    or a refresh sets a new computation time: either gives a new key. None: a watched value is
    not stored (a period the store does not keep, a year not rebuilt) — count on read."""
    marks = [stamps.get((pk, period.id)) for pk in watched]
    if not watched or any(m is None for m in marks):
        return None
    blob = json.dumps([part, unit.pk, period.id, marks], sort_keys=True, default=str)
    return "pcmd:trend:" + hashlib.sha256(blob.encode()).hexdigest()


def _monthly(
    part: dict[str, Any], scope: Any, period: Period, key: str | None = None
) -> dict[tuple[int, int], int]:
    """The month counts, counted and kept under `key` (trends() reads the kept ones first)."""
    out = _monthly_counted(part, scope, period)
    if key is not None:
        caches["pages"].set(key, out, TREND_CACHE_SECONDS)
    return out


def _monthly_counted(
    part: dict[str, Any], scope: Any, period: Period
) -> dict[tuple[int, int], int]:
    source = source_get(part["source"])
    date_field = (part.get("date") or source.dates[0]).removesuffix("__date")
    qs: QuerySet[Any] = part_records(part, replace(scope, entries=[]), period.start, period.end)
    rows = qs.annotate(m=TruncMonth(date_field)).values("m").annotate(n=Count("pk")).order_by()
    out: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows:
        if row["m"] is not None:
            out[row["m"].year, row["m"].month] += row["n"]
    return out


def scope_units(unit: OrgUnit) -> QuerySet[Any]:
    """A subquery of the ids of the units in `unit`'s area (successions included)."""
    return OrgUnitScope.objects.filter(holder=unit).values("unit_id")


def trends(unit: OrgUnit, period: Period, *, user: Any, today: date) -> list[Trend]:
    """Month by month over `period` and the same months of last year: awareness activities,
    inspections and (for roles that see tip figures) tips received, counted from the records of
    the unit's area as the hierarchy stood on each period's last day."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=TREND_CODES)}
    wanted: list[tuple[str, str, dict[str, Any], Indicator | None, bool]] = [
        (code, indicators[code].display_name, indicators[code].definition, indicators[code], False)
        for code in TREND_CODES
        if code in indicators
    ]
    if any(has_capability(user, c) for c in TIPS_CAPABILITIES):
        wanted.append(("tips", _("Số tin báo, tố giác tiếp nhận"), TIPS_TREND, None, True))
    if not wanted:
        return []
    before_period = period.last_year()
    anchor = next((i for _k, _t, _d, i, _s in wanted if i is not None), None)
    if anchor is None:
        anchor = Indicator.objects.order_by("pk").first()
    if anchor is None:
        return []
    scopes: dict[str, Any] = {}

    def scope_of(p: Period) -> Any:  # asked only when a month count is not kept
        if p.id not in scopes:
            scopes[p.id] = value_scope(anchor, unit, p)
        return scopes[p.id]

    # Indicators with aggregate entries (typed per period, not per month) in the unit's area.
    with_entries = set(
        AggregateEntry.objects.filter(
            indicator__in=[i for *_rest, i, _s in wanted if i is not None],
            period__in=[period.id, before_period.id],
        )
        .filter(org_unit__in=scope_units(unit))  # the unit is its own holder
        .values_list("indicator_id", flat=True)
    )
    months_now, months_before = period.months(), before_period.months()
    watched = {key: _watched(part, indicator) for key, _t, part, indicator, _s in wanted}
    # Read before counting: a write committed in between then gives a fresher count under the
    # older key, never an older count under the newer one.
    stamps = {
        (pk, p): (version, computed_at)
        for pk, p, version, computed_at in IndicatorValue.objects.filter(
            org_unit=unit,
            period__in=[period.id, before_period.id],
            indicator_id__in={pk for ids in watched.values() for pk in ids},
        ).values_list("indicator_id", "period", "version", "computed_at")
    }
    # Every kept month count in one read of the cache (a database table in production).
    cache_keys = {
        (key, p.id): _monthly_key(part, unit, p, watched[key], stamps)
        for key, _t, part, _i, _s in wanted
        for p in (period, before_period)
    }
    kept = caches["pages"].get_many([k for k in cache_keys.values() if k is not None])

    def months_of(key: str, part: dict[str, Any], p: Period) -> dict[tuple[int, int], int]:
        cache_key = cache_keys[key, p.id]
        if cache_key is not None and cache_key in kept:
            return dict(kept[cache_key])
        return _monthly(part, scope_of(p), p, cache_key)

    out = []
    for key, title, part, indicator, sealed in wanted:
        has_entries = indicator is not None and indicator.pk in with_entries
        now = months_of(key, part, period)
        before = months_of(key, part, before_period)

        keys_now = [(m.start.year, m.start.month) for m in months_now]
        keys_before = [(m.start.year, m.start.month) for m in months_before]
        counts_now = {k: now.get(k, 0) for k in keys_now}
        counts_before = {k: before.get(k, 0) for k in keys_before}
        total_now, total_before = sum(counts_now.values()), sum(counts_before.values())
        if sealed:
            # Counts of people beside their total: complementary suppression, so no small cell
            # can be worked out from the total and the others.
            text_now = suppress_cells(counts_now, total=total_now)
            text_before = suppress_cells(counts_before, total=total_before)
        else:
            text_now = {k: fmt_number(Decimal(n)) for k, n in counts_now.items()}
            text_before = {k: fmt_number(Decimal(n)) for k, n in counts_before.items()}

        def exact(n: int, text: str) -> Decimal | None:
            return None if text in (SMALL, HIDDEN, NOT_SHOWN) else Decimal(n)  # None: suppressed

        rows = []
        for k_now, k_before, m_now in zip(keys_now, keys_before, months_now, strict=True):
            future = m_now.start > today  # months still to come have no bar
            rows.append(
                TrendMonth(
                    _("T%(m)d") % {"m": m_now.start.month},
                    None if future else exact(counts_now[k_now], text_now[k_now]),
                    "" if future else text_now[k_now],
                    exact(counts_before[k_before], text_before[k_before]),
                    text_before[k_before],
                )
            )  # fmt: skip
        totals = (
            (suppress_count(total_now), suppress_count(total_before))
            if sealed
            else (fmt_number(Decimal(total_now)), fmt_number(Decimal(total_before)))
        )
        out.append(
            Trend(
                key=key,
                title=title,
                months=rows,
                now_total=totals[0],
                before_total=totals[1],
                has_entries=has_entries,
            )
        )
    return out


# --- Children: league table and map --------------------------------------------------------


@dataclass(frozen=True)
class LeagueRow:
    unit: OrgUnit
    rank: int | None  # None: suppressed or no data
    shown: str
    value: Decimal | None


@dataclass(frozen=True)
class ChildrenView:
    indicator: Indicator
    rows: list[LeagueRow]  # sorted: highest first, then the unranked by name
    points: list[MapPoint]
    unplaced: list[LeagueRow]  # children without coordinates
    top: Decimal
    sealed: bool
    own: LeagueRow  # the unit itself (its total), for the map when no child is placed
    own_point: MapPoint | None


def counts_whole(indicator: Indicator) -> bool:
    """Whether the indicator's values are whole numbers (counts), so bands are too."""
    return indicator.kind in (Indicator.Kind.COUNT, Indicator.Kind.CUMULATIVE) or (
        indicator.kind == Indicator.Kind.SUM and not indicator.is_percent
    )


def league_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True).order_by("name"))


def children_view(
    unit: OrgUnit, dp: DashboardPeriod, indicator: Indicator, *, url_of: Any = None
) -> ChildrenView:
    """The children of `unit` on the period's last day, ranked by `indicator`, and placed on the
    map by their centroids; `url_of(unit)` gives the link of a child (its own dashboard)."""
    children = list(orgunit_children(unit, on=dp.tree_day))
    values = values_read([indicator], [*children, unit], dp.period)
    sealed = definition_is_sealed(indicator.kind, indicator.definition)
    rows = []
    for child in children:
        shown, number = shown_value(indicator, values[indicator.pk, child.pk])
        rows.append(LeagueRow(child, None, shown, number))
    ranked = sorted((r for r in rows if r.value is not None), key=lambda r: (-r.value, r.unit.name))  # type: ignore[operator]
    unranked = sorted((r for r in rows if r.value is None), key=lambda r: r.unit.name)
    league: list[LeagueRow] = []
    previous: Decimal | None = None
    rank = 0
    for position, row in enumerate(ranked, start=1):
        if row.value != previous:  # equal values share a rank (1, 2, 2, 4)
            rank, previous = position, row.value
        league.append(replace(row, rank=rank))
    league += unranked
    top = max((r.value for r in league if r.value is not None), default=Decimal(0))
    whole = counts_whole(indicator)
    placed = [r for r in league if r.unit.latitude is not None and r.unit.longitude is not None]
    xy = map_place([(r.unit.latitude, r.unit.longitude) for r in placed])  # type: ignore[misc]
    points = [
        MapPoint(
            r.unit.pk,
            r.unit.name,
            x,
            y,
            r.value,
            r.shown,
            band_of(r.value, top),
            url_of(r.unit) if url_of else "",
        )  # fmt: skip
        for r, (x, y) in zip(placed, xy, strict=True)
    ]
    own_shown, own_number = shown_value(indicator, values[indicator.pk, unit.pk])
    own = LeagueRow(unit, None, own_shown, own_number)
    own_point = None
    if not points and unit.latitude is not None and unit.longitude is not None:
        ((x, y),) = map_place([(unit.latitude, unit.longitude)])
        own_point = MapPoint(
            unit.pk, unit.name, x, y, own_number, own_shown,
            band_of(own_number, own_number or Decimal(0), whole=whole),
        )  # fmt: skip
    return ChildrenView(
        indicator=indicator,
        rows=league,
        points=points,
        unplaced=[r for r in league if r.unit.pk not in {p.unit.pk for p in placed}],
        top=top,
        sealed=sealed,
        own=own,
        own_point=own_point,
    )
