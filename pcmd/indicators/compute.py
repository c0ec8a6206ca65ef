"""Computing an indicator's value for one unit and one period, from the records, on read.

Owns: Value, ValueScope, value_scope(), indicator_value(), part_records(), unit_area(),
coverage_units(), coverage_breakdown().
Invariants: a unit's value counts the records of its subtree as the hierarchy stood on the last
day of the period (or the unit's last day, if it ended sooner), with the records of the units it
succeeded — through the OrgUnitScope closure, the same one that decides who sees what; where an
AggregateEntry exists for a unit of that subtree, it replaces the records under that unit, so
nothing is counted twice; the topmost entry wins. A percentage is None when its denominator is 0
("no data"), never 0 %. Values are true values: suppression is for display (pcmd.sealing).
Not here: which indicator a target uses (mapping.py), targets' status (evaluation.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from pcmd.common.periods import Period, period_parse
from pcmd.indicators.models import AggregateEntry, Indicator
from pcmd.indicators.sources import measure_function, source_get
from pcmd.orgunits.models import OrgUnit, OrgUnitLink, OrgUnitScope, OrgUnitSuccession
from pcmd.orgunits.selectors import orgunit_ancestors, orgunit_descendants, valid_on_q

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Value:
    """numerator / denominator, and the value shown (a percentage for percent kinds)."""

    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    entries: tuple[int, ...] = field(default=())  # ids of the aggregate entries used

    @property
    def has_data(self) -> bool:
        return self.value is not None


def _pct(numerator: Decimal, denominator: Decimal | None) -> Decimal | None:
    if not denominator:
        return None
    return (HUNDRED * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _closure(holders: Any) -> QuerySet[OrgUnitScope]:
    if isinstance(holders, (list, set, tuple, QuerySet)):
        return OrgUnitScope.objects.filter(holder__in=holders)
    return OrgUnitScope.objects.filter(holder=holders)


def unit_area(unit: OrgUnit | int, path: str) -> Q:
    """Q for records (whose unit id is at `path`) in the subtree of `unit`, successions included.

    The scope table holds every unit as its own holder, so one IN (subquery) covers the unit
    too. An OR with `path = unit` kept PostgreSQL from joining on the (unit, date) index: it
    scanned the date index of the whole country (150-170 ms a query for a commune's half-year
    at national scale instead of about 10)."""
    pk = unit.pk if isinstance(unit, OrgUnit) else unit
    return Q(**{f"{path}__in": _closure(pk).values("unit_id")})


def _as_of(unit: OrgUnit, period: Period) -> date:
    """The day the hierarchy is read on: the period's last day, or the unit's, if sooner."""
    if unit.valid_to is not None and unit.valid_to < period.end:
        return unit.valid_to
    return period.end


@dataclass
class ValueScope:
    """Where records count for one computation, and which aggregate entries replace them."""

    unit: OrgUnit
    entries: list[AggregateEntry]
    early: set[int] = field(default_factory=set)  # see _early(): not this unit's on that day

    @property
    def entry_unit_ids(self) -> list[int]:
        return [e.org_unit_id for e in self.entries]

    def records_q(self, path: str, *, own: bool = False) -> Q:
        q = Q(**{path: self.unit.pk}) if own else unit_area(self.unit, path)
        if self.early and not own:
            q &= ~Q(**{f"{path}__in": sorted(self.early)})
        if self.entries:
            ids = self.entry_unit_ids
            q &= ~Q(**{f"{path}__in": _closure(ids).values("unit_id")})
        return q


def value_scope(indicator: Indicator, unit: OrgUnit, period: Period) -> ValueScope:
    """The unit, the topmost aggregate entries of its subtree for this indicator and period,
    and the units that on the period's last day still counted for themselves."""
    entries = list(
        AggregateEntry.objects.filter(indicator=indicator, period=period.id).filter(
            Q(org_unit__in=_closure(unit).values("unit_id"))  # the unit is its own holder
        )
    )
    early = _early([unit.pk], _as_of(unit, period)).get(unit.pk, set())
    own = [e for e in entries if e.org_unit_id == unit.pk]
    if own:
        return ValueScope(unit, own, early)
    if len(entries) > 1:
        ids = [e.org_unit_id for e in entries]
        covered = set(
            _closure(ids).exclude(unit_id=F("holder_id")).values_list("unit_id", flat=True)
        )
        entries = [e for e in entries if e.org_unit_id not in covered]
    return ValueScope(unit, [e for e in entries if e.org_unit_id not in early], early)


def _early(holders: list[int], day: date) -> dict[int, set[int]]:
    """holder -> units (with their subtrees) in its closure only through a succession that took
    effect after `day`: on that day they still existed and counted for themselves.

    Xã Hoằng Hợp became part of Xã Hoằng Giang on 1/7/2025: its records of the first half of
    2025 count for Hoằng Hợp and its district in 2025S1, not for Hoằng Giang; in 2025 they count
    for Hoằng Giang (Hoằng Hợp no longer exists on 31/12/2025).
    """
    members = _closure(holders).values("unit_id")
    successions = list(
        OrgUnitSuccession.objects.filter(effective_date__gt=day)
        .filter(Q(successor_id__in=holders) | Q(successor_id__in=members))
        .values_list("predecessor_id", "successor_id")
    )
    if not successions:
        return {}
    successors = {s for _p, s in successions}
    holders_of: dict[int, set[int]] = defaultdict(set)
    for holder in holders:
        if holder in successors:
            holders_of[holder].add(holder)
    for holder, member in (
        _closure(holders).filter(unit_id__in=successors).values_list("holder_id", "unit_id")
    ):
        holders_of[member].add(holder)
    ancestors: dict[int, set[int]] = {}
    early: dict[int, set[int]] = defaultdict(set)
    wanted = {p for p, s in successions if holders_of.get(s, set()) - {p}}
    parents = _parents_on(day) if len(wanted) > 20 else None  # a reform: read the tree once
    for predecessor, successor in successions:
        for holder in holders_of[successor]:
            if holder == predecessor:
                continue
            if predecessor not in ancestors:
                if parents is not None:
                    chain_ids: set[int] = set()
                    current = predecessor
                    while current in parents and len(chain_ids) < 10:
                        current = parents[current]
                        chain_ids.add(current)
                    ancestors[predecessor] = chain_ids
                else:
                    chain = orgunit_ancestors(OrgUnit(pk=predecessor), on=day)
                    ancestors[predecessor] = {a.pk for a in chain}
            if holder not in ancestors[predecessor]:
                early[holder].add(predecessor)
    for units in early.values():
        units |= set(_closure(sorted(units)).values_list("unit_id", flat=True))
    return dict(early)


def _parents_on(day: date) -> dict[int, int]:
    """child -> parent as the tree stood on `day` (orgunit_parent for every unit at once)."""
    parents: dict[int, int] = {}
    links = OrgUnitLink.objects.filter(valid_on_q(day)).order_by("pk")
    for child, parent in links.values_list("child_id", "parent_id"):
        parents.setdefault(child, parent)
    return parents


def part_records_everywhere(part: dict[str, Any], start: date, end: date) -> QuerySet[Any]:
    """The records a definition part counts between `start` and `end`, in every unit."""
    source = source_get(part["source"])
    qs = source.queryset().filter(source.in_period(start, end, date_field=part.get("date")))
    for name, value in (part.get("filter") or {}).items():
        qs = qs.filter(**{f"{name}__in": value} if isinstance(value, list) else {name: value})
    return qs


def part_records(part: dict[str, Any], scope: ValueScope, start: date, end: date) -> QuerySet[Any]:
    """The records a definition part counts in `scope` between `start` and `end`."""
    source = source_get(part["source"])
    qs = part_records_everywhere(part, start, end)
    return qs.filter(scope.records_q(source.unit_field, own=bool(part.get("own"))))


def _measure(part: dict[str, Any], qs: QuerySet[Any]) -> Decimal:
    source = source_get(part["source"])
    if part.get("sum"):
        total = qs.aggregate(total=Sum(part["sum"]))["total"]
        return Decimal(total or 0)
    if part.get("distinct"):
        path = source.distincts[part["distinct"]]
        return Decimal(qs.exclude(**{f"{path}__isnull": True}).values(path).distinct().count())
    return Decimal(qs.count())


def _distinct_values(part: dict[str, Any], qs: QuerySet[Any]) -> set[Any]:
    path = source_get(part["source"]).distincts[part["distinct"]]
    return set(qs.exclude(**{f"{path}__isnull": True}).values_list(path, flat=True).distinct())


def _entries_sum(scope: ValueScope) -> tuple[Decimal, Decimal]:
    num = sum((e.numerator for e in scope.entries), Decimal(0))
    den = sum((e.denominator or Decimal(0) for e in scope.entries), Decimal(0))
    return num, den


def _count_value(part: dict[str, Any], scope: ValueScope, start: date, end: date) -> Decimal:
    return _measure(part, part_records(part, scope, start, end)) + _entries_sum(scope)[0]


def coverage_units(indicator: Indicator, unit: OrgUnit, period: Period) -> QuerySet[OrgUnit]:
    """The units a coverage indicator counts under `unit` (its level, as of the period's end)."""
    level = indicator.definition["level"]
    on = _as_of(unit, period)
    if unit.level == level:
        return OrgUnit.objects.filter(pk=unit.pk)
    return orgunit_descendants(unit, on=on).filter(level=level)


def _coverage_counts(
    indicator: Indicator, scope: ValueScope, period: Period
) -> tuple[list[int], dict[int, int]]:
    """The units counted (ids) and how many matching records each has in the period."""
    definition = indicator.definition
    targets = list(coverage_units(indicator, scope.unit, period).values_list("pk", flat=True))
    if scope.entries:
        hidden = set(scope.entry_unit_ids) | set(
            _closure(scope.entry_unit_ids).values_list("unit_id", flat=True)
        )
        targets = [t for t in targets if t not in hidden]
    source = source_get(definition["source"])
    path = source.unit_field
    # "own" means the counted unit's own records (a district's plan, not its communes'); the
    # records are gathered over the whole scope, then given to the counted units below.
    gather = {k: v for k, v in definition.items() if k != "own"}
    counts = dict(
        part_records(gather, scope, period.start, period.end)
        .values_list(path)
        .annotate(n=Count("pk"))
        .values_list(path, "n")
    )
    per_target: dict[int, int] = defaultdict(int)
    for target in targets:
        per_target[target] += counts.get(target, 0)
    if not definition.get("own"):
        early = _early(targets, _as_of(scope.unit, period))
        pairs = _closure(targets).filter(unit_id__in=list(counts))
        for holder, member in pairs.values_list("holder_id", "unit_id"):
            if holder != member and member not in early.get(holder, ()):
                per_target[holder] += counts.get(member, 0)
    return targets, per_target


def coverage_breakdown(
    indicator: Indicator, unit: OrgUnit, period: Period
) -> list[tuple[OrgUnit, int, bool]]:
    """(unit counted, its matching records, covered?) for the drill-down of a coverage value."""
    scope = value_scope(indicator, unit, period)
    targets, per_target = _coverage_counts(indicator, scope, period)
    minimum = int(indicator.definition.get("min", 1))
    units = OrgUnit.objects.in_bulk(targets)
    rows = [(units[t], per_target[t], per_target[t] >= minimum) for t in targets]
    return sorted(rows, key=lambda row: (row[2], row[0].key))


def _coverage(indicator: Indicator, scope: ValueScope, period: Period) -> Value:
    minimum = int(indicator.definition.get("min", 1))
    targets, per_target = _coverage_counts(indicator, scope, period)
    covered = Decimal(sum(1 for t in targets if per_target[t] >= minimum))
    entry_num, entry_den = _entries_sum(scope)
    numerator = covered + entry_num
    denominator = Decimal(len(targets)) + entry_den
    return Value(numerator, denominator, _pct(numerator, denominator), _ids(scope))


def _ids(scope: ValueScope) -> tuple[int, ...]:
    return tuple(e.pk for e in scope.entries)


def _ratio(indicator: Indicator, scope: ValueScope, period: Period) -> Value:
    """numerator / denominator; when both count the same distinct key (establishments, staff,
    agencies), the numerator only counts members of the denominator (inspected establishments
    that were active, trained officials who are on the roster), so the share never tops 100 %."""
    definition = indicator.definition
    parts = definition["numerator"]
    parts = parts if isinstance(parts, list) else [parts]
    den_part = definition["denominator"]
    den_qs = part_records(den_part, scope, period.start, period.end)
    key = den_part.get("distinct")
    if key and all(p.get("distinct") == key for p in parts):
        members = _distinct_values(den_part, den_qs)
        union: set[Any] = set()
        for part in parts:
            union |= _distinct_values(part, part_records(part, scope, period.start, period.end))
        numerator, denominator = Decimal(len(union & members)), Decimal(len(members))
    elif len(parts) == 1:
        numerator = _measure(parts[0], part_records(parts[0], scope, period.start, period.end))
        denominator = _measure(den_part, den_qs)
    else:
        union = set()
        for part in parts:
            union |= _distinct_values(part, part_records(part, scope, period.start, period.end))
        numerator, denominator = Decimal(len(union)), _measure(den_part, den_qs)
    entry_num, entry_den = _entries_sum(scope)
    numerator += entry_num
    denominator += entry_den
    return Value(numerator, denominator, _pct(numerator, denominator), _ids(scope))


def _frequency(indicator: Indicator, scope: ValueScope, period: Period, months_total: int) -> Value:
    definition = indicator.definition
    months = period.months()
    if scope.entries and scope.entries[0].org_unit_id == scope.unit.pk:
        entry = scope.entries[0]
        den = entry.denominator if entry.denominator is not None else Decimal(months_total)
        return Value(entry.numerator, den, _pct(entry.numerator, den), _ids(scope))
    source = source_get(definition["source"])
    date_field = definition.get("date") or (source.dates[0] if source.dates else "")
    qs = part_records(definition, scope, period.start, period.end)
    with_record = {
        (d.year, d.month)
        for d in qs.annotate(m=TruncMonth(date_field)).values_list("m", flat=True).distinct()
        if d is not None
    }
    numerator = Decimal(sum(1 for m in months if (m.start.year, m.start.month) in with_record))
    denominator = Decimal(months_total)
    return Value(numerator, denominator, _pct(numerator, denominator), _ids(scope))


def indicator_value(
    indicator: Indicator,
    unit: OrgUnit,
    period: Period | str,
    *,
    since_year: int | None = None,
    until: date | None = None,
) -> Value:
    """The value of `indicator` for `unit` over `period` ("2025S1", a Period ...).

    `since_year` is where a cumulative indicator starts when its definition does not say
    (the programme's first year, given by the target being evaluated). `until` cuts the period
    short — the year to date, as a six-monthly report measures a year's target on 30 June:
    records after it are left out, and a monthly frequency still counts over the whole period
    ("every month of the year": 5 months with a post by June is 5 of 12).
    """
    if isinstance(period, str):
        period = period_parse(period)
    months_total = len(period.months())
    cut_days = None
    if until is not None and until < period.end:
        period = replace(period, end=max(until, period.start))
        cut_days = period.end - period.start
    if indicator.kind == Indicator.Kind.FREQUENCY:
        scope = value_scope(indicator, unit, period)
        return _frequency(indicator, scope, period, months_total)
    scope = value_scope(indicator, unit, period)
    definition = indicator.definition
    kind = indicator.kind
    if kind == Indicator.Kind.COVERAGE:
        return _coverage(indicator, scope, period)
    if kind == Indicator.Kind.RATIO:
        return _ratio(indicator, scope, period)
    if kind == Indicator.Kind.MEASURE:
        source = source_get(definition["source"])
        function = measure_function(source, definition["measure"])
        qs = part_records(definition, scope, period.start, period.end)
        num, den = function(qs, period.start, period.end)
        entry_num, entry_den = _entries_sum(scope)
        numerator, denominator = Decimal(num) + entry_num, Decimal(den) + entry_den
        return Value(numerator, denominator, _pct(numerator, denominator), _ids(scope))
    if kind in (Indicator.Kind.COUNT, Indicator.Kind.SUM):
        n = _count_value(definition, scope, period.start, period.end)
        return Value(n, None, n, _ids(scope))
    if kind == Indicator.Kind.CUMULATIVE:
        first = definition.get("since") or since_year or period.start.year
        n = _count_value(definition["base"], scope, date(int(first), 1, 1), period.end)
        return Value(n, None, n, _ids(scope))
    # CHANGE: this period against the baseline period, each with its own aggregate entries.
    baseline = definition.get("baseline", "last_year")
    base_period = (
        period.last_year() if baseline == "last_year" else period_parse(str(int(baseline)))
    )
    if cut_days is not None:
        # The year to date against the same stretch of the baseline year, not its whole.
        base_period = replace(base_period, end=min(base_period.end, base_period.start + cut_days))
    current = _count_value(definition["base"], scope, period.start, period.end)
    base_scope = value_scope(indicator, unit, base_period)
    base = _count_value(definition["base"], base_scope, base_period.start, base_period.end)
    change = (
        None
        if not base
        else ((current - base) * HUNDRED / base).quantize(Decimal("0.1"), ROUND_HALF_UP)
    )
    return Value(current, base, change, _ids(scope) + _ids(base_scope))
