"""Every value of a period at once: the records grouped by unit in one query per definition part,
then added up over each unit's area in memory — what store.values_rebuild() writes.

Owns: Area, area_for_period(), period_holders(), values_for_period().
Invariants: the figures are exactly those of compute.indicator_value() for each unit (a test
compares every stored value of the demo with it): the same area (the scope closure as the
hierarchy stood on the unit's last day in the period, predecessors merged later left out), the
same coverage units, the same intersections of distinct keys. What cannot be added up from
per-unit groups — a unit whose area holds an aggregate entry — is left to indicator_value().
Not here: storing (store.py), one value on read (compute.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.module_loading import import_string

from pcmd.common.periods import Period
from pcmd.indicators.compute import Value, _pct, indicator_value, part_records_everywhere
from pcmd.indicators.models import AggregateEntry, Indicator
from pcmd.indicators.sources import source_get
from pcmd.orgunits.models import OrgUnit, OrgUnitLink, OrgUnitScope, OrgUnitSuccession

HOLDER_LEVELS = (
    OrgUnit.Level.NATIONAL,
    OrgUnit.Level.PROVINCE,
    OrgUnit.Level.DISTRICT,
    OrgUnit.Level.COMMUNE,
)

Figures = dict[int, tuple[Decimal, Decimal | None]]  # unit id -> (numerator, denominator)


@dataclass
class Tree:
    """The hierarchy read once: closure pairs, links, successions, units' levels and validity."""

    closure: dict[int, set[int]]  # holder -> units it holds (itself included)
    links: list[tuple[int, int, date | None, date | None]]  # child, parent, from, to
    successions: list[tuple[int, int, date]]  # predecessor, successor, effective
    units: dict[int, tuple[str, date | None, date | None]]  # id -> level, valid from, to

    @classmethod
    def load(cls) -> Tree:
        closure: dict[int, set[int]] = defaultdict(set)
        for holder, unit in OrgUnitScope.objects.values_list("holder_id", "unit_id").iterator(
            chunk_size=20_000
        ):
            closure[holder].add(unit)
        return cls(
            closure=closure,
            links=list(
                OrgUnitLink.objects.values_list("child_id", "parent_id", "valid_from", "valid_to")
            ),
            successions=list(
                OrgUnitSuccession.objects.values_list(
                    "predecessor_id", "successor_id", "effective_date"
                )
            ),
            units={
                pk: (level, start, end)
                for pk, level, start, end in OrgUnit.objects.values_list(
                    "id", "level", "valid_from", "valid_to"
                )
            },
        )

    def valid_on(self, unit: int, day: date) -> bool:
        _level, start, end = self.units[unit]
        return (start is None or start <= day) and (end is None or end >= day)

    def parents_on(self, day: date) -> dict[int, int]:
        parents: dict[int, int] = {}
        for child, parent, start, end in self.links:
            if (start is None or start <= day) and (end is None or end >= day):
                parents.setdefault(child, parent)
        return parents

    def children_on(self, day: date) -> dict[int, list[int]]:
        """As orgunit_descendants reads it: links valid on `day` to children valid on `day`."""
        children: dict[int, list[int]] = defaultdict(list)
        for child, parent, start, end in self.links:
            in_force = (start is None or start <= day) and (end is None or end >= day)
            if in_force and self.valid_on(child, day):
                children[parent].append(child)
        return children

    def early(self, holders: Iterable[int], day: date) -> dict[int, set[int]]:
        """compute._early() for many holders at once, in memory."""
        later = [(p, s) for p, s, effective in self.successions if effective > day]
        if not later:
            return {}
        holders = set(holders)
        holders_of: dict[int, set[int]] = defaultdict(set)
        successors = {s for _p, s in later}
        for holder in holders:
            for member in self.closure.get(holder, ()):
                if member in successors:
                    holders_of[member].add(holder)
            if holder in successors:
                holders_of[holder].add(holder)
        parents = self.parents_on(day)
        ancestors: dict[int, set[int]] = {}
        early: dict[int, set[int]] = defaultdict(set)
        for predecessor, successor in later:
            for holder in holders_of.get(successor, ()):
                if holder == predecessor:
                    continue
                if predecessor not in ancestors:
                    chain: set[int] = set()
                    current = predecessor
                    while current in parents and len(chain) < 10:
                        current = parents[current]
                        chain.add(current)
                    ancestors[predecessor] = chain
                if holder not in ancestors[predecessor]:
                    early[holder].add(predecessor)
        for units in early.values():
            units |= {m for u in list(units) for m in self.closure.get(u, {u})}
        return dict(early)


@dataclass
class Area:
    """For one period: the units that have a value, and whose records count for whom."""

    period: Period
    tree: Tree
    as_of: dict[int, date]  # holder -> the day its hierarchy is read on
    area: dict[int, set[int]] = field(default_factory=dict)  # holder -> record units
    holders_of: dict[int, list[int]] = field(default_factory=dict)  # record unit -> holders

    def holders(self) -> list[int]:
        return list(self.as_of)


def period_holders(tree: Tree, period: Period) -> dict[int, date]:
    """Units above the village valid during the period, and the day each is read on."""
    out = {}
    for pk, (level, start, end) in tree.units.items():
        if level not in HOLDER_LEVELS:
            continue
        if (start is not None and start > period.end) or (end is not None and end < period.start):
            continue
        out[pk] = end if end is not None and end < period.end else period.end
    return out


def area_for_period(tree: Tree, period: Period, holders: dict[int, date] | None = None) -> Area:
    as_of = holders if holders is not None else period_holders(tree, period)
    by_day: dict[date, list[int]] = defaultdict(list)
    for holder, day in as_of.items():
        by_day[day].append(holder)
    area: dict[int, set[int]] = {}
    for day, group in by_day.items():
        early = tree.early(group, day)
        for holder in group:
            units = set(tree.closure.get(holder, ())) | {holder}
            area[holder] = units - early.get(holder, set())
    holders_of: dict[int, list[int]] = defaultdict(list)
    for holder, units in area.items():
        for unit in units:
            holders_of[unit].append(holder)
    return Area(period, tree, as_of, area, dict(holders_of))


def _roll(area: Area, per_unit: Iterable[tuple[int, Any]]) -> dict[int, Decimal]:
    """Sum per-unit figures over every holder whose area holds the unit."""
    out: dict[int, Decimal] = defaultdict(Decimal)
    for unit, n in per_unit:
        if unit is None or not n:
            continue
        for holder in area.holders_of.get(unit, ()):
            out[holder] += Decimal(n)
    return out


def _part_per_unit(part: dict[str, Any], start: date, end: date) -> list[tuple[int, Any]]:
    source = source_get(part["source"])
    qs = part_records_everywhere(part, start, end)
    path = source.unit_field
    if part.get("sum"):
        return list(qs.values_list(path).annotate(n=Sum(part["sum"])).values_list(path, "n"))
    return list(qs.values_list(path).annotate(n=Count("pk")).values_list(path, "n"))


def _keys(part: dict[str, Any], start: date, end: date) -> dict[Any, set[int]]:
    """distinct key -> the units of the records that carry it."""
    source = source_get(part["source"])
    key_path = source.distincts[part["distinct"]]
    qs = part_records_everywhere(part, start, end).exclude(**{f"{key_path}__isnull": True})
    out: dict[Any, set[int]] = defaultdict(set)
    for unit, key in qs.values_list(source.unit_field, key_path).distinct().order_by():
        out[key].add(unit)
    return out


def _key_holders(area: Area, keys: dict[Any, set[int]]) -> dict[Any, set[int]]:
    out = {}
    for key, units in keys.items():
        holders: set[int] = set()
        for unit in units:
            holders.update(area.holders_of.get(unit, ()))
        out[key] = holders
    return out


def _part_measure(part: dict[str, Any], area: Area) -> dict[int, Decimal]:
    """compute._measure() of one part for every holder."""
    period = area.period
    if part.get("distinct") and not part.get("sum"):
        out: dict[int, Decimal] = defaultdict(Decimal)
        for holders in _key_holders(area, _keys(part, period.start, period.end)).values():
            for holder in holders:
                out[holder] += 1
        return out
    return _roll(area, _part_per_unit(part, period.start, period.end))


def _ratio(indicator: Indicator, area: Area) -> Figures:
    definition = indicator.definition
    parts = definition["numerator"]
    parts = parts if isinstance(parts, list) else [parts]
    den_part = definition["denominator"]
    period = area.period
    key = den_part.get("distinct")
    num: dict[int, Decimal] = defaultdict(Decimal)
    den: dict[int, Decimal] = defaultdict(Decimal)
    if key and all(p.get("distinct") == key for p in parts):
        members = _key_holders(area, _keys(den_part, period.start, period.end))
        found: dict[Any, set[int]] = defaultdict(set)
        for part in parts:
            for k, holders in _key_holders(area, _keys(part, period.start, period.end)).items():
                found[k] |= holders
        for k, holders in members.items():
            for holder in holders:
                den[holder] += 1
            for holder in holders & found.get(k, set()):
                num[holder] += 1
    elif len(parts) == 1:
        num = _part_measure(parts[0], area)
        den = _part_measure(den_part, area)
    else:
        union: dict[Any, set[int]] = defaultdict(set)
        for part in parts:
            for k, holders in _key_holders(area, _keys(part, period.start, period.end)).items():
                union[k] |= holders
        for holders in union.values():
            for holder in holders:
                num[holder] += 1
        den = _part_measure(den_part, area)
    return {h: (num.get(h, Decimal(0)), den.get(h, Decimal(0))) for h in area.as_of}


def _coverage(indicator: Indicator, area: Area) -> Figures:
    definition = indicator.definition
    level = definition["level"]
    minimum = int(definition.get("min", 1))
    own = bool(definition.get("own"))
    period, tree = area.period, area.tree
    gather = {k: v for k, v in definition.items() if k != "own"}
    counts: dict[int, int] = defaultdict(int)
    for unit, n in _part_per_unit(gather, period.start, period.end):
        counts[unit] += int(n)
    by_day: dict[date, list[int]] = defaultdict(list)
    for holder, day in area.as_of.items():
        by_day[day].append(holder)
    out: Figures = {}
    for day, group in by_day.items():
        children = tree.children_on(day)
        targets_of: dict[int, list[int]] = {}
        for holder in group:
            if tree.units[holder][0] == level:
                targets_of[holder] = [holder]
                continue
            found, frontier = [], [holder]
            seen: set[int] = set()
            while frontier:
                nxt = []
                for unit in frontier:
                    for child in children.get(unit, ()):
                        if child not in seen:
                            seen.add(child)
                            nxt.append(child)
                frontier = nxt
            found = [u for u in seen if tree.units[u][0] == level]
            targets_of[holder] = found
        all_targets = {t for ts in targets_of.values() for t in ts}
        early = {} if own else tree.early(all_targets, day)
        covered: dict[int, bool] = {}
        for target in all_targets:
            if own:
                n = counts.get(target, 0)
            else:
                members = tree.closure.get(target, set()) | {target}
                members = members - early.get(target, set())
                n = sum(counts.get(m, 0) for m in members)
            covered[target] = n >= minimum
        for holder in group:
            targets = targets_of[holder]
            num = Decimal(sum(1 for t in targets if covered[t]))
            out[holder] = (num, Decimal(len(targets)))
    return out


def _frequency(indicator: Indicator, area: Area) -> Figures:
    definition = indicator.definition
    period = area.period
    source = source_get(definition["source"])
    date_field = definition.get("date") or (source.dates[0] if source.dates else "")
    qs = part_records_everywhere(definition, period.start, period.end)
    pairs = (
        qs.annotate(m=TruncMonth(date_field))
        .values_list(source.unit_field, "m")
        .distinct()
        .order_by()
    )
    months_of: dict[int, set[tuple[int, int]]] = defaultdict(set)
    own = bool(definition.get("own"))
    for unit, month in pairs:
        if month is None:
            continue
        holders = [unit] if own else area.holders_of.get(unit, [])
        for holder in holders:
            months_of[holder].add((month.year, month.month))
    wanted = {(m.start.year, m.start.month) for m in period.months()}
    total = Decimal(len(wanted))
    return {h: (Decimal(len(months_of.get(h, set()) & wanted)), total) for h in area.as_of}


def _measure(indicator: Indicator, area: Area) -> Figures:
    definition = indicator.definition
    source = source_get(definition["source"])
    function: Callable[..., Any] = import_string(source.measures_by_unit[definition["measure"]])
    period = area.period
    qs = part_records_everywhere(definition, period.start, period.end)
    per_unit, overlaps = function(qs, period.start, period.end, unit_field=source.unit_field)
    num: dict[int, Decimal] = defaultdict(Decimal)
    den: dict[int, Decimal] = defaultdict(Decimal)
    for unit, (n, d) in per_unit.items():
        for holder in area.holders_of.get(unit, ()):
            num[holder] += n
            den[holder] += d
    # A record counted twice where one area holds both units (a tip and its forwarded copy).
    for unit_a, unit_b, n, d in overlaps:
        both = set(area.holders_of.get(unit_a, ())) & set(area.holders_of.get(unit_b, ()))
        for holder in both:
            num[holder] -= n
            den[holder] -= d
    return {h: (num.get(h, Decimal(0)), den.get(h, Decimal(0))) for h in area.as_of}


def _count(part: dict[str, Any], area: Area, start: date, end: date) -> dict[int, Decimal]:
    return _roll(area, _part_per_unit(part, start, end))


def values_for_period(
    indicator: Indicator,
    area: Area,
    *,
    base_area: Callable[[Period], Area] | None = None,
) -> Figures:
    """(numerator, denominator) of `indicator` for every holder of `area`, as indicator_value()
    gives them (denominator None for counts). `base_area` gives the area of another period
    (the baseline of a change)."""
    kind = indicator.kind
    definition = indicator.definition
    period = area.period
    zero = Decimal(0)
    if kind in (Indicator.Kind.COUNT, Indicator.Kind.SUM):
        counted = _count(definition, area, period.start, period.end)
        out: Figures = {h: (counted.get(h, zero), None) for h in area.as_of}
    elif kind == Indicator.Kind.CUMULATIVE:
        first = int(definition.get("since") or period.start.year)
        counted = _count(definition["base"], area, date(first, 1, 1), period.end)
        out = {h: (counted.get(h, zero), None) for h in area.as_of}
    elif kind == Indicator.Kind.COVERAGE:
        out = _coverage(indicator, area)
    elif kind == Indicator.Kind.RATIO:
        out = _ratio(indicator, area)
    elif kind == Indicator.Kind.FREQUENCY:
        out = _frequency(indicator, area)
    elif kind == Indicator.Kind.MEASURE:
        out = _measure(indicator, area)
    else:  # CHANGE
        baseline = definition.get("baseline", "last_year")
        from pcmd.common.periods import period_parse

        base_period = (
            period.last_year() if baseline == "last_year" else period_parse(str(int(baseline)))
        )
        current = _count(definition["base"], area, period.start, period.end)
        other = base_area(base_period) if base_area else area_for_period(area.tree, base_period)
        base = _count(definition["base"], other, base_period.start, base_period.end)
        out = {h: (current.get(h, zero), base.get(h, zero)) for h in area.as_of}
    # Units whose area holds an aggregate entry: the records under the entry do not count
    # there, and the entries replace them; those few are computed one by one.
    entry_units = set(
        AggregateEntry.objects.filter(indicator=indicator, period=period.id).values_list(
            "org_unit_id", flat=True
        )
    )
    if kind == Indicator.Kind.CHANGE:
        entry_units |= set(
            AggregateEntry.objects.filter(
                Q(period=period.last_year().id), indicator=indicator
            ).values_list("org_unit_id", flat=True)
        )
    touched = {h for unit in entry_units for h in area.holders_of.get(unit, ())}
    if touched:
        units = OrgUnit.objects.in_bulk(touched)
        for holder in touched:
            value = indicator_value(indicator, units[holder], period)
            out[holder] = (value.numerator, value.denominator)
    return out


def figures_value(indicator: Indicator, numerator: Decimal, denominator: Decimal | None) -> Value:
    """The Value indicator_value() gives, from a stored numerator and denominator."""
    if indicator.kind == Indicator.Kind.CHANGE:
        change = (
            None
            if not denominator
            else ((numerator - denominator) * 100 / denominator).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            )
        )
        return Value(numerator, denominator, change)
    if indicator.is_percent:
        return Value(numerator, denominator, _pct(numerator, denominator))
    return Value(numerator, None, numerator)
