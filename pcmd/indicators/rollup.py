"""Every value of a period at once: the records grouped by unit in one query per definition part,
then added up over each unit's area — in memory, or by the database over the rebuild's areas
written as temporary tables (rollsql.py) — what store.values_rebuild() writes.

Owns: Area, area_for_period(), period_holders(), values_for_period(), Records (the grouped
reads, one query per source for a rebuild), records_plan().
Invariants: the figures are exactly those of compute.indicator_value() for each unit (a test
compares every stored value of the demo with it): the same area (the scope closure as the
hierarchy stood on the unit's last day in the period, predecessors merged later left out), the
same coverage units, the same intersections of distinct keys. What cannot be added up from
per-unit groups — a unit whose area holds an aggregate entry — is left to indicator_value().
Not here: storing (store.py), one value on read (compute.py).
"""

from __future__ import annotations

import json
import operator
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from typing import Any

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.module_loading import import_string

from pcmd.common.periods import Period
from pcmd.indicators.compute import Value, _pct, indicator_value, part_records_everywhere
from pcmd.indicators.models import AggregateEntry, Indicator
from pcmd.indicators.rollsql import ServerAreas, key_ratios, rolled_counts
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
    cache: dict[Any, Any] = field(default_factory=dict)  # per day: children, subtrees

    @classmethod
    def load(cls) -> Tree:
        closure: dict[int, set[int]] = defaultdict(set)
        if connection.vendor == "postgresql":
            # 12,000 arrays rather than 505,000 pairs: 0.15 s instead of 0.6 s, national.
            table = OrgUnitScope._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT holder_id, array_agg(unit_id) FROM {table} GROUP BY holder_id"  # noqa: S608
                )
                closure.update((holder, set(units)) for holder, units in cursor.fetchall())
        else:
            # Fetched whole: a server-side cursor (iterator()) took 9 s for it on PostgreSQL.
            for holder, unit in OrgUnitScope.objects.values_list("holder_id", "unit_id"):
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

    def same_as(self, day: date) -> date:
        """The first day of the stretch of days the hierarchy stands the same as on `day` (no
        link, unit or succession begins or ends between them): a key for what is read on it."""
        changes = self.cache.get("changes")
        if changes is None:
            found: set[date] = set()
            for _child, _parent, start, end in self.links:
                found.update(d for d in (start, end and end + timedelta(days=1)) if d)
            for _level, start, end in self.units.values():
                found.update(d for d in (start, end and end + timedelta(days=1)) if d)
            found.update(effective for _p, _s, effective in self.successions)
            changes = self.cache["changes"] = sorted(found)
        at = bisect_right(changes, day)
        return changes[at - 1] if at else date.min

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
        key = ("children", self.same_as(day))
        if key in self.cache:
            return self.cache[key]
        children: dict[int, list[int]] = defaultdict(list)
        for child, parent, start, end in self.links:
            in_force = (start is None or start <= day) and (end is None or end >= day)
            if in_force and self.valid_on(child, day):
                children[parent].append(child)
        self.cache[key] = children
        return children

    def descendants_on(self, holder: int, day: date) -> dict[str, list[int]]:
        """The units below `holder` through children_on(day) (the holder left out), by level."""
        key = ("descendants", self.same_as(day))
        known: dict[int, dict[str, list[int]]] = self.cache.setdefault(key, {})
        if holder in known:
            return known[holder]
        children = self.children_on(day)
        frontier = [holder]
        seen: set[int] = set()
        while frontier:
            nxt = []
            for unit in frontier:
                for child in children.get(unit, ()):
                    if child not in seen:
                        seen.add(child)
                        nxt.append(child)
            frontier = nxt
        by_level: dict[str, list[int]] = defaultdict(list)
        for unit in seen:
            by_level[self.units[unit][0]].append(unit)
        known[holder] = dict(by_level)
        return known[holder]

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
    cache: dict[Any, Any] = field(default_factory=dict)  # what every indicator reads alike
    # holder -> units of its scope closure left out of its area (predecessors merged later)
    removed: dict[int, set[int]] = field(default_factory=dict)

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
    # A period whose holders stand as another's (a year and its halves, when nothing changed
    # in the year) shares its areas and what is kept on them (see docs/performance.md).
    signature = ("area", frozenset((h, tree.same_as(d)) for h, d in as_of.items()))
    twin = tree.cache.get(signature)
    if twin is not None:
        return Area(period, tree, as_of, twin.area, twin.holders_of, twin.cache, twin.removed)
    by_day: dict[date, list[int]] = defaultdict(list)
    for holder, day in as_of.items():
        by_day[day].append(holder)
    area: dict[int, set[int]] = {}
    removed: dict[int, set[int]] = {}
    for day, group in by_day.items():
        early = tree.early(group, day)
        for holder in group:
            units = set(tree.closure.get(holder, ())) | {holder}
            gone = early.get(holder, set()) & units
            area[holder] = units - gone
            if gone:
                removed[holder] = gone
    holders_of: dict[int, list[int]] = defaultdict(list)
    for holder, units in area.items():
        for unit in units:
            holders_of[unit].append(holder)
    made = Area(period, tree, as_of, area, dict(holders_of), removed=removed)
    tree.cache[signature] = made
    return made


def _part_key(part: dict[str, Any], start: date, end: date) -> str:
    """What _part_per_unit() reads of a part, as a cache key."""
    wanted = {k: part.get(k) for k in ("source", "filter", "date", "sum")}
    return json.dumps([wanted, start.isoformat(), end.isoformat()], sort_keys=True, default=str)


def _keys_key(part: dict[str, Any], start: date, end: date) -> str:
    wanted = {k: part.get(k) for k in ("source", "filter", "date", "distinct")}
    return json.dumps([wanted, start.isoformat(), end.isoformat()], sort_keys=True, default=str)


def _conditions(wanted: list[tuple[dict[str, Any], date, date]]) -> list[Q]:
    """The Q of each (part, start, end): its days and its filter."""
    out = []
    for part, start, end in wanted:
        source = source_get(part["source"])
        q = source.in_period(start, end, date_field=part.get("date"))
        for name, value in (part.get("filter") or {}).items():
            q &= Q(**{f"{name}__in": value} if isinstance(value, list) else {name: value})
        out.append(q)
    return out


class Records:
    """The grouped figures a period's values are added up from: per unit counts or sums of a
    part, and the units carrying each distinct key. Without wants, each is one query when
    asked for (what one value on demand needs). A rebuild first says everything it will ask
    for (`want`, `want_keys`), and `fetch()` reads it with one query per source (per source
    and key for distinct keys), every part and period an aggregate with its own FILTER — the
    same rows each separate query would count, read in one pass (see docs/performance.md)."""

    def __init__(self, server: ServerAreas | None = None) -> None:
        self.server = server  # the rebuild's areas in the database: it adds up by holder
        self._wanted: dict[str, tuple[dict[str, Any], date, date]] = {}
        self._wanted_keys: dict[str, tuple[dict[str, Any], date, date]] = {}
        self._per_unit: dict[str, list[tuple[int, Any]]] = {}
        self._keys: dict[str, dict[Any, set[int]]] = {}
        self._plain: set[str] = set()  # wanted per unit
        self._areas: dict[str, set[int]] = defaultdict(set)  # wanted by holder, in these areas
        self._rolled: dict[tuple[str, int], dict[int, Decimal]] = {}
        # key ratios read by holder: (indicator, area) -> periods; (indicator, period) -> figures
        self._ratios: dict[tuple[int, int], list[tuple[Indicator, Period]]] = defaultdict(list)
        self._ratio_figures: dict[tuple[int, str], tuple[dict[int, int], dict[int, int]]] = {}
        self._measures: dict[int, list[tuple[Indicator, Period]]] = defaultdict(list)
        self._measured: dict[tuple[int, str], Any] = {}  # (per unit, overlaps)

    def want_measure(self, indicator: Indicator, period: Period) -> None:
        """A named measure that can be computed for many periods at once (its source's
        measures_by_windows): read with the indicator's other periods."""
        source = source_get(indicator.definition["source"])
        if indicator.definition["measure"] in source.measures_by_windows:
            self._measures[indicator.pk].append((indicator, period))

    def measured(self, indicator: Indicator, period: Period) -> Any:
        return self._measured.get((indicator.pk, period.id))

    def want_ratio(self, indicator: Indicator, period: Period, area: Area) -> None:
        """A ratio of distinct keys, read by holder with the indicator's other periods."""
        assert self.server is not None
        self._ratios[indicator.pk, self.server.number(area)].append((indicator, period))

    def ratio(
        self, indicator: Indicator, period: Period
    ) -> tuple[dict[int, int], dict[int, int]] | None:
        return self._ratio_figures.get((indicator.pk, period.id))

    def want(self, part: dict[str, Any], start: date, end: date, area: Area | None = None) -> None:
        """Read this part with the others; with an area (and a server), summed by holder."""
        key = _part_key(part, start, end)
        if self.server is not None and area is not None:
            number = self.server.number(area)
            if (key, number) not in self._rolled:
                self._wanted[key] = (part, start, end)
                self._areas[key].add(number)
        elif key not in self._per_unit:
            self._wanted[key] = (part, start, end)
            self._plain.add(key)

    def rolled(
        self, part: dict[str, Any], start: date, end: date, area: Area
    ) -> dict[int, Decimal] | None:
        """{holder: n} of a part read by holder for this area, or None if it was not."""
        if self.server is None:
            return None
        return self._rolled.get((_part_key(part, start, end), self.server.number(area)))

    def want_keys(self, part: dict[str, Any], start: date, end: date) -> None:
        key = _keys_key(part, start, end)
        if key not in self._keys:
            self._wanted_keys[key] = (part, start, end)

    def per_unit(self, part: dict[str, Any], start: date, end: date) -> list[tuple[int, Any]]:
        key = _part_key(part, start, end)
        if key not in self._per_unit:
            self._per_unit[key] = _part_per_unit(part, start, end)
        return self._per_unit[key]

    def keys(self, part: dict[str, Any], start: date, end: date) -> dict[Any, set[int]]:
        key = _keys_key(part, start, end)
        if key not in self._keys:
            self._keys[key] = _keys(part, start, end)
        return self._keys[key]

    def fetch(self) -> None:
        by_source: dict[str, list[str]] = defaultdict(list)
        for key, (part, _start, _end) in self._wanted.items():
            by_source[part["source"]].append(key)
        for keys in by_source.values():
            self._fetch_counts(keys)
        by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key, (part, _start, _end) in self._wanted_keys.items():
            by_key[part["source"], part["distinct"]].append(key)
        for keys in by_key.values():
            self._fetch_keys(keys)
        for (_pk, number), wanted in self._ratios.items():
            self._fetch_ratio(number, wanted)
        for measured in self._measures.values():
            self._fetch_measure(measured)
        self._measures.clear()
        self._wanted.clear()
        self._wanted_keys.clear()
        self._ratios.clear()

    def _fetch_measure(self, wanted: list[tuple[Indicator, Period]]) -> None:
        definition = wanted[0][0].definition
        source = source_get(definition["source"])
        function = import_string(source.measures_by_windows[definition["measure"]])
        first, last = min(p.start for _i, p in wanted), max(p.end for _i, p in wanted)
        qs = part_records_everywhere(definition, first, last)
        windows = [(p.start, p.end) for _i, p in wanted]
        found = function(qs, windows, unit_field=source.unit_field)
        for (indicator, period), figures in zip(wanted, found, strict=True):
            self._measured[indicator.pk, period.id] = figures

    def _fetch_ratio(self, number: int, wanted: list[tuple[Indicator, Period]]) -> None:
        definition = wanted[0][0].definition
        parts = definition["numerator"]
        parts = parts if isinstance(parts, list) else [parts]
        windows = [(p.start, p.end) for _i, p in wanted]
        found = key_ratios(
            _keys_grouped([(definition["denominator"], s, e) for s, e in windows]),
            [_keys_grouped([(p, s, e) for s, e in windows]) for p in parts],
            len(windows),
            number,
        )
        for (indicator, period), figures in zip(wanted, found, strict=True):
            self._ratio_figures[indicator.pk, period.id] = figures

    def _grouped(self, keys: list[str]) -> Any:
        """One query: (unit, c0, c1 …) of these parts of one source, grouped by unit."""
        wanted = [self._wanted[k] for k in keys]
        source = source_get(wanted[0][0]["source"])
        conditions = _conditions(wanted)
        columns: dict[str, Any] = {}
        for i, ((part, _s, _e), q) in enumerate(zip(wanted, conditions, strict=True)):
            summed = part.get("sum")
            columns[f"c{i}"] = Sum(summed, filter=q) if summed else Count("pk", filter=q)
        path = source.unit_field
        qs = source.queryset().filter(reduce(operator.or_, conditions))
        return qs.values(path).annotate(**columns).values_list(path, *columns).order_by()

    def _fetch_counts(self, keys: list[str]) -> None:
        if any(k in self._plain for k in keys):
            # The source is read per unit anyway (a coverage, a frequency): one pass, added
            # up here, beats a second pass summed by the database (see docs/performance.md).
            self._plain |= set(keys)
            for key in keys:
                self._areas.pop(key, None)
        by_holder = [k for k in keys if k in self._areas]
        if by_holder:
            areas = self._areas
            found_by = rolled_counts(
                self._grouped(by_holder), len(by_holder), {n for k in by_holder for n in areas[k]}
            )
            for i, key in enumerate(by_holder):
                for number in areas.pop(key):
                    self._rolled[key, number] = found_by.get((i, number), {})
        keys = [k for k in keys if k in self._plain]
        self._plain -= set(keys)
        if not keys:
            return
        rows = self._grouped(keys)
        found: list[list[tuple[int, Any]]] = [[] for _k in keys]
        for row in rows:  # not a server-side cursor: PostgreSQL plans those for the first rows
            unit = row[0]
            for i in range(len(keys)):
                n = row[i + 1]
                if n:
                    found[i].append((unit, n))
        for key, per_unit in zip(keys, found, strict=True):
            self._per_unit[key] = per_unit

    def _fetch_keys(self, keys: list[str]) -> None:
        rows = _keys_grouped([self._wanted_keys[k] for k in keys])
        found: list[dict[Any, set[int]]] = [defaultdict(set) for _k in keys]
        for unit, value, *counts in rows.order_by():
            for carried, n in zip(found, counts, strict=True):
                if n:
                    carried[value].add(unit)
        for key, carried in zip(keys, found, strict=True):
            self._keys[key] = carried


def _roll(area: Area, per_unit: Iterable[tuple[int, Any]]) -> dict[int, Decimal]:
    """Sum per-unit figures over every holder whose area holds the unit."""
    totals: dict[int, Any] = defaultdict(int)  # ints (counts) or Decimals (sums): exact
    holders_of = area.holders_of
    for unit, n in per_unit:
        if unit is None or not n:
            continue
        for holder in holders_of.get(unit, ()):
            totals[holder] += n
    return defaultdict(Decimal, {h: Decimal(n) for h, n in totals.items()})


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


def _key_holders(area: Area, keys: dict[Any, set[int]]) -> dict[Any, Set[int]]:
    """distinct key -> the holders whose area holds a unit carrying it (read only: the sets
    of keys carried by one unit, most of them, are shared)."""
    shared: dict[int, frozenset[int]] = area.cache.setdefault("holder_sets", {})
    holders_of = area.holders_of
    out: dict[Any, Set[int]] = {}
    for key, units in keys.items():
        if len(units) == 1:
            (unit,) = units
            one = shared.get(unit)
            if one is None:
                one = shared[unit] = frozenset(holders_of.get(unit, ()))
            out[key] = one
            continue
        holders: set[int] = set()
        for unit in units:
            holders.update(holders_of.get(unit, ()))
        out[key] = holders
    return out


def _part_measure(part: dict[str, Any], area: Area, records: Records) -> dict[int, Decimal]:
    """compute._measure() of one part for every holder."""
    period = area.period
    if part.get("distinct") and not part.get("sum"):
        out: dict[int, Decimal] = defaultdict(Decimal)
        for holders in _key_holders(area, records.keys(part, period.start, period.end)).values():
            for holder in holders:
                out[holder] += 1
        return out
    return _count(part, area, period.start, period.end, records)


def is_key_ratio(indicator: Indicator) -> bool:
    """A ratio whose numerator parts and denominator count the same distinct key (the
    establishments inspected of the active ones): counted per key, not per record."""
    if indicator.kind != Indicator.Kind.RATIO:
        return False
    parts = indicator.definition["numerator"]
    parts = parts if isinstance(parts, list) else [parts]
    key = indicator.definition["denominator"].get("distinct")
    return bool(key) and all(p.get("distinct") == key for p in parts)


def _ratio(indicator: Indicator, area: Area, records: Records) -> Figures:
    definition = indicator.definition
    parts = definition["numerator"]
    parts = parts if isinstance(parts, list) else [parts]
    den_part = definition["denominator"]
    period = area.period
    num: dict[int, Decimal] = defaultdict(Decimal)
    den: dict[int, Decimal] = defaultdict(Decimal)
    if is_key_ratio(indicator) and records.server is not None:
        if records.ratio(indicator, period) is None:
            records.want_ratio(indicator, period, area)
            records.fetch()
        den_keys, num_keys = records.ratio(indicator, period) or ({}, {})
        den.update((h, Decimal(n)) for h, n in den_keys.items())
        num.update((h, Decimal(n)) for h, n in num_keys.items())
    elif is_key_ratio(indicator):
        members = _key_holders(area, records.keys(den_part, period.start, period.end))
        found: dict[Any, set[int]] = defaultdict(set)
        for part in parts:
            carried = records.keys(part, period.start, period.end)
            for k, holders in _key_holders(area, carried).items():
                found[k] |= holders
        for k, holders in members.items():
            for holder in holders:
                den[holder] += 1
            for holder in holders & found.get(k, set()):
                num[holder] += 1
    elif len(parts) == 1:
        num = _part_measure(parts[0], area, records)
        den = _part_measure(den_part, area, records)
    else:
        union: dict[Any, set[int]] = defaultdict(set)
        for part in parts:
            carried = records.keys(part, period.start, period.end)
            for k, holders in _key_holders(area, carried).items():
                union[k] |= holders
        for holders in union.values():
            for holder in holders:
                num[holder] += 1
        den = _part_measure(den_part, area, records)
    return {h: (num.get(h, Decimal(0)), den.get(h, Decimal(0))) for h in area.as_of}


def _coverage(indicator: Indicator, area: Area, records: Records) -> Figures:
    definition = indicator.definition
    level = definition["level"]
    minimum = int(definition.get("min", 1))
    own = bool(definition.get("own"))
    period = area.period
    gather = {k: v for k, v in definition.items() if k != "own"}
    counts: dict[int, int] = defaultdict(int)
    for unit, n in records.per_unit(gather, period.start, period.end):
        counts[unit] += int(n)
    out: Figures = {}
    for _day, group, targets_of, members_of in _coverage_targets(area, level, own=own):
        # The records' units → the targets they count for; then each holder's covered targets
        # as a set intersection (a national village coverage: 70,000 targets, 280,000 pairs).
        of_unit = _targets_of_units(area, level, own, members_of)
        found: dict[int, int] = defaultdict(int)
        for unit, n in counts.items():
            for target in of_unit.get(unit, ()):
                found[target] += n
        # "At least none" (min 0) covers every target.
        covered = {t for t, n in found.items() if n >= minimum} if minimum > 0 else set(members_of)
        for holder in group:
            targets = targets_of[holder]
            num = Decimal(len(covered.intersection(targets)))
            out[holder] = (num, Decimal(len(targets)))
    return out


def _targets_of_units(
    area: Area, level: str, own: bool, members_of: dict[int, Any]
) -> dict[int, list[int]]:
    """unit -> the coverage targets whose members include it (kept on the area)."""
    key = ("coverage-units", level, own, id(members_of))
    known = area.cache.get(key)
    if known is None:
        known = defaultdict(list)
        for target, members in members_of.items():
            for member in members:
                known[member].append(target)
        area.cache[key] = known
    return known


def _coverage_targets(
    area: Area, level: str, *, own: bool
) -> list[tuple[date, list[int], dict[int, list[int]], dict[int, Any]]]:
    """For each day holders are read on: the holders, the units of `level` each counts, and
    the units whose records count for each of those (itself alone when `own`). The same for
    every coverage of the level: kept on the area for the rebuild's other indicators."""
    cache_key = ("coverage", level, own)
    if cache_key in area.cache:
        return area.cache[cache_key]
    tree = area.tree
    by_day: dict[date, list[int]] = defaultdict(list)
    for holder, day in area.as_of.items():
        by_day[day].append(holder)
    out = []
    for day, group in by_day.items():
        targets_of: dict[int, list[int]] = {}
        units = tree.units
        for holder in group:
            if units[holder][0] == level:
                targets_of[holder] = [holder]
                continue
            targets_of[holder] = tree.descendants_on(holder, day).get(level, [])
        all_targets = {t for ts in targets_of.values() for t in ts}
        early = {} if own else tree.early(all_targets, day)
        members_of: dict[int, Any] = {}
        for target in all_targets:
            if own:
                members_of[target] = (target,)
            else:
                members = tree.closure.get(target, set()) | {target}
                members_of[target] = list(members - early.get(target, set()))
        out.append((day, group, targets_of, members_of))
    area.cache[cache_key] = out
    return out


def _by_month(definition: dict[str, Any]) -> bool:
    """A frequency whose months can be read as counts per month (records_plan())."""
    source = source_get(definition["source"])
    date_field = definition.get("date") or (source.dates[0] if source.dates else "")
    return source.active is None and bool(date_field) and "__" not in date_field


def _month_part(definition: dict[str, Any]) -> dict[str, Any]:
    return {k: definition[k] for k in ("source", "filter", "date") if k in definition}


def _period_months(period: Period) -> list[tuple[Period, tuple[date, date]]]:
    """Each month of the period, and its days within the period."""
    return [(m, (max(m.start, period.start), min(m.end, period.end))) for m in period.months()]


def _frequency(indicator: Indicator, area: Area, records: Records) -> Figures:
    definition = indicator.definition
    period = area.period
    source = source_get(definition["source"])
    date_field = definition.get("date") or (source.dates[0] if source.dates else "")
    months_of: dict[int, set[tuple[int, int]]] = defaultdict(set)
    own = bool(definition.get("own"))
    if _by_month(definition):
        # A flow dated by a plain date field: its months are the counts of each month's days.
        part = _month_part(definition)
        pairs: Iterable[tuple[int, Any]] = [
            (unit, month.start)
            for month, (start, end) in _period_months(period)
            for unit, _n in records.per_unit(part, start, end)
        ]
    else:
        qs = part_records_everywhere(definition, period.start, period.end)
        pairs = (
            qs.annotate(m=TruncMonth(date_field))
            .values_list(source.unit_field, "m")
            .distinct()
            .order_by()
        )
    for unit, month in pairs:
        if month is None:
            continue
        holders = [unit] if own else area.holders_of.get(unit, [])
        for holder in holders:
            months_of[holder].add((month.year, month.month))
    wanted = {(m.start.year, m.start.month) for m in period.months()}
    total = Decimal(len(wanted))
    return {h: (Decimal(len(months_of.get(h, set()) & wanted)), total) for h in area.as_of}


def _measure(indicator: Indicator, area: Area, records: Records) -> Figures:
    definition = indicator.definition
    source = source_get(definition["source"])
    period = area.period
    measured = records.measured(indicator, period)
    if measured is not None:
        per_unit, overlaps = measured
    else:
        function: Callable[..., Any] = import_string(source.measures_by_unit[definition["measure"]])
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


def _count(
    part: dict[str, Any], area: Area, start: date, end: date, records: Records
) -> dict[int, Decimal]:
    rolled = records.rolled(part, start, end, area)
    if rolled is not None:
        return defaultdict(Decimal, rolled)
    return _roll(area, records.per_unit(part, start, end))


def _keys_grouped(wanted: list[tuple[dict[str, Any], date, date]]) -> Any:
    """(unit, key, c0 …) of distinct-key parts of one source and key: the records of each
    (unit, key) pair counted for each (part, start, end) of `wanted`."""
    part = wanted[0][0]
    source = source_get(part["source"])
    key_path = source.distincts[part["distinct"]]
    conditions = _conditions(wanted)
    columns = {f"c{i}": Count("pk", filter=q) for i, q in enumerate(conditions)}
    path = source.unit_field
    qs = (
        source.queryset()
        .filter(reduce(operator.or_, conditions))
        .exclude(**{f"{key_path}__isnull": True})
    )
    return qs.values(path, key_path).annotate(**columns).values_list(path, key_path, *columns)


def values_for_period(
    indicator: Indicator,
    area: Area,
    *,
    base_area: Callable[[Period], Area] | None = None,
    records: Records | None = None,
) -> Figures:
    """(numerator, denominator) of `indicator` for every holder of `area`, as indicator_value()
    gives them (denominator None for counts). `base_area` gives the area of another period
    (the baseline of a change); `records`, the grouped figures read beforehand (see
    records_plan()), or read as asked for."""
    records = records if records is not None else Records()
    kind = indicator.kind
    definition = indicator.definition
    period = area.period
    zero = Decimal(0)
    if kind in (Indicator.Kind.COUNT, Indicator.Kind.SUM):
        counted = _count(definition, area, period.start, period.end, records)
        out: Figures = {h: (counted.get(h, zero), None) for h in area.as_of}
    elif kind == Indicator.Kind.CUMULATIVE:
        first = int(definition.get("since") or period.start.year)
        counted = _count(definition["base"], area, date(first, 1, 1), period.end, records)
        out = {h: (counted.get(h, zero), None) for h in area.as_of}
    elif kind == Indicator.Kind.COVERAGE:
        out = _coverage(indicator, area, records)
    elif kind == Indicator.Kind.RATIO:
        out = _ratio(indicator, area, records)
    elif kind == Indicator.Kind.FREQUENCY:
        out = _frequency(indicator, area, records)
    elif kind == Indicator.Kind.MEASURE:
        out = _measure(indicator, area, records)
    else:  # CHANGE
        baseline = definition.get("baseline", "last_year")
        from pcmd.common.periods import period_parse

        base_period = (
            period.last_year() if baseline == "last_year" else period_parse(str(int(baseline)))
        )
        current = _count(definition["base"], area, period.start, period.end, records)
        other = base_area(base_period) if base_area else area_for_period(area.tree, base_period)
        base = _count(definition["base"], other, base_period.start, base_period.end, records)
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


def records_plan(
    records: Records,
    indicator: Indicator,
    period: Period,
    area_of: Callable[[Period], Area] | None = None,
) -> None:
    """Tell `records` what values_for_period(indicator, period) will ask for, so that
    Records.fetch() reads it with the other indicators' in one query per source. Whatever is
    left out is read when asked for: this only decides how many queries are run. `area_of`
    gives a period's area where the database adds the counts up by holder (Records.server)."""
    kind = indicator.kind
    definition = indicator.definition
    start, end = period.start, period.end
    area = area_of(period) if area_of is not None and records.server is not None else None

    def part(p: dict[str, Any], first: date = start, last: date = end) -> None:
        if p.get("distinct") and not p.get("sum"):
            records.want_keys(p, first, last)
        else:
            records.want(p, first, last, area)

    if kind in (Indicator.Kind.COUNT, Indicator.Kind.SUM):
        records.want(definition, start, end, area)
    elif kind == Indicator.Kind.CUMULATIVE:
        since = int(definition.get("since") or start.year)
        records.want(definition["base"], date(since, 1, 1), end, area)
    elif kind == Indicator.Kind.COVERAGE:
        records.want({k: v for k, v in definition.items() if k != "own"}, start, end)
    elif kind == Indicator.Kind.RATIO:
        parts = definition["numerator"]
        parts = parts if isinstance(parts, list) else [parts]
        den_part = definition["denominator"]
        if is_key_ratio(indicator) and area is not None:
            records.want_ratio(indicator, period, area)
        elif is_key_ratio(indicator):
            for p in [den_part, *parts]:
                records.want_keys(p, start, end)
        elif len(parts) == 1:
            part(parts[0])
            part(den_part)
        else:
            for p in parts:
                records.want_keys(p, start, end)
            part(den_part)
    elif kind == Indicator.Kind.MEASURE:
        records.want_measure(indicator, period)
    elif kind == Indicator.Kind.FREQUENCY:
        if _by_month(definition):
            for _month, (month_start, month_end) in _period_months(period):
                records.want(_month_part(definition), month_start, month_end)
    elif kind == Indicator.Kind.CHANGE:
        baseline = definition.get("baseline", "last_year")
        from pcmd.common.periods import period_parse

        base_period = (
            period.last_year() if baseline == "last_year" else period_parse(str(int(baseline)))
        )
        base = area_of(base_period) if area is not None and area_of is not None else None
        records.want(definition["base"], start, end, area)
        records.want(definition["base"], base_period.start, base_period.end, base)


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
