"""The stored values of indicators: rebuilt from the records, marked stale by every record
write in the same transaction, refreshed within a second, read many at a time.

Owns: STORED_KINDS, values_rebuild(), values_read() (Values), values_mark_stale(),
values_refresh(), record_written() (the write hook every records app reaches through signals
or its importer).
Invariants: a value read through values_read() is always what compute.indicator_value() gives
now: a stored row is used only when it is fresh (not stale and, for values that move with the
clock, computed today); otherwise the value is computed on read. A record write marks the rows
of every unit whose area may hold it stale before its transaction commits, so no reader ever
sees a value older than a committed write. Only the rebuild and the refresh write rows; the
refresh clears a mark only if no write marked the row again since it started (`version`).
On PostgreSQL the rebuild holds a lock, taken before it reads the records, that makes record
writes wait for it (the whole rebuild's seconds when it computes on several connections, one
group's otherwise), so a write during a rebuild is never lost.
Not here: computing one value (compute.py), the whole period at once (rollup.py).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from pcmd.common.periods import Period, period_parse
from pcmd.indicators.compute import Value, _as_of, indicator_value
from pcmd.indicators.models import Indicator, IndicatorValue
from pcmd.indicators.rollsql import ServerAreas
from pcmd.indicators.rollup import (
    Records,
    Tree,
    area_for_period,
    figures_value,
    is_key_ratio,
    period_holders,
    records_plan,
    values_for_period,
)
from pcmd.indicators.sources import SOURCES, definition_sources
from pcmd.orgunits.models import OrgUnit, OrgUnitScope

log = logging.getLogger(__name__)

# The periods a rebuild stores for a year: the year and its two halves (what the six-monthly
# and annual reports and the dashboards read). Other periods are computed on read.
STORED_KINDS = ("year", "half")

Progress = Callable[[int, int, str], None]


def year_periods(year: int) -> list[Period]:
    return [period_parse(str(year)), period_parse(f"{year}S1"), period_parse(f"{year}S2")]


def _time_dependent(indicator: Indicator) -> bool:
    return any(s.time_dependent for s in definition_sources(indicator.kind, indicator.definition))


def _lock_for_rebuild() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = IndicatorValue._meta.db_table
            cursor.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
    _tune_reads()


def _tune_reads() -> None:
    """Settings of the transaction that reads a rebuild's records."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The grouped reads of a national year hash 300,000 groups: in memory, not on disk.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # Compiling a grouped read of 30 filtered aggregates took 0.7 s of its 4.5 s, more
            # than it saved (see docs/performance.md): the rebuild's reads run interpreted.
            cursor.execute("SET LOCAL jit = off")


@dataclass(frozen=True)
class RebuildResult:
    year: int
    rows: int
    indicators: int
    seconds: float


def _by_shared_sources(indicators: list[Indicator]) -> list[list[Indicator]]:
    """The indicators in groups that share no source with another group (a ratio joins the
    groups of its parts), in their given order."""
    group_of: dict[str, int] = {}
    groups: dict[int, list[Indicator]] = {}
    for n, indicator in enumerate(indicators):
        keys = {s.key for s in definition_sources(indicator.kind, indicator.definition)}
        joined = sorted({group_of[k] for k in keys if k in group_of})
        members = [indicator]
        for g in joined:
            members = groups.pop(g) + members
        for member in members:
            for s in definition_sources(member.kind, member.definition):
                group_of[s.key] = n
        groups[n] = members
    order = {i.pk: n for n, i in enumerate(indicators)}
    return [sorted(g, key=lambda i: order[i.pk]) for _n, g in sorted(groups.items())]


def values_rebuild(
    year: int,
    *,
    indicators: Iterable[Indicator] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> RebuildResult:
    """Compute and store every value of `year` (the year, S1, S2) for every unit above the
    village, from the records, whose groups of indicators sharing a source read their
    records in one query per source (rollup.Records); readers keep the old rows until the
    new ones are in place. On PostgreSQL `workers` threads (REBUILD_WORKERS unless called
    inside a transaction, whose rows their connections would not see) compute the groups
    side by side in one transaction; otherwise one transaction per group."""
    import time

    started = time.perf_counter()
    if indicators is None:
        indicators = Indicator.objects.filter(is_active=True)
    chosen = list(indicators)
    tree = Tree.load()
    periods = year_periods(year)
    areas = {p.id: area_for_period(tree, p) for p in periods}
    base_areas: dict[str, Any] = {}

    current = {h for area in areas.values() for h in area.as_of}

    def base_area(period: Period) -> Any:
        # A baseline (last year's) is only read for the holders of this year's periods.
        if period.id not in base_areas:
            holders = {h: d for h, d in period_holders(tree, period).items() if h in current}
            base_areas[period.id] = area_for_period(tree, period, holders)
        return base_areas[period.id]

    def area_of(period: Period) -> Any:
        return areas[period.id] if period.id in areas else base_area(period)

    context = _Rebuild(periods, areas, area_of, base_area, progress, len(chosen) * len(periods))
    if workers is None:  # inside a transaction the other connections would not see its rows
        workers = 1 if connection.in_atomic_block else REBUILD_WORKERS
    if workers > 1 and connection.vendor == "postgresql":
        rows = _rebuild_parallel(chosen, context, workers)
    else:
        rows = _rebuild_serial(chosen, context)
    return RebuildResult(year, rows, len(chosen), time.perf_counter() - started)


def values_vacuum() -> None:
    """After a rebuild (PostgreSQL, outside a transaction): reclaim the rows it replaced and
    refresh the planner's figures. A national year leaves 250,000 dead rows that the next
    rebuild's deletes and the readers' index scans step over: a rebuild on the unvacuumed
    table took 16.6 s against 14.4 s (see docs/performance.md)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {IndicatorValue._meta.db_table}")


# Threads computing a rebuild's groups side by side, each on its own connection, while the
# first connection holds the lock and writes (see docs/decisions.md, 2026-12-07).
REBUILD_WORKERS = 2


@dataclass
class _Rebuild:
    """What every group of a rebuild reads alike."""

    periods: list[Period]
    areas: dict[str, Any]
    area_of: Callable[[Period], Any]
    base_area: Callable[[Period], Any]
    progress: Progress | None
    total: int
    done: int = 0

    def tick(self, steps: int, message: str) -> None:
        self.done += steps
        if self.progress:
            self.progress(self.done, self.total, message)


def _group_batch(
    group: list[Indicator], context: _Rebuild, server: ServerAreas
) -> list[tuple[Any, ...]]:
    """Every (indicator, unit, period, numerator, denominator) of a group, from the records."""
    records = Records(server)
    for indicator in group:
        for period in context.periods:
            records_plan(records, indicator, period, context.area_of)
    records.fetch()
    batch: list[tuple[Any, ...]] = []
    for indicator in group:
        for period in context.periods:
            figures = values_for_period(
                indicator, context.areas[period.id], base_area=context.base_area, records=records
            )
            batch += [
                (indicator.pk, unit, period, num, den) for unit, (num, den) in figures.items()
            ]
    return batch


def _group_write(group: list[Indicator], periods: list[Period], batch: list[Any]) -> None:
    """Replace the group's rows of the periods with `batch`."""
    stamp = timezone.now()
    old = IndicatorValue.objects.filter(
        indicator__in=[i.pk for i in group], period__in=[p.id for p in periods]
    )
    if connection.vendor == "postgresql":
        old.delete()
        _write_rows(batch, stamp)
    else:  # replacing rows in place beats delete + insert on SQLite (see decisions)
        _write_rows(batch, stamp, upsert=True)
        old.exclude(computed_at=stamp).delete()  # units no longer in the period


def _rebuild_serial(chosen: list[Indicator], context: _Rebuild) -> int:
    """One transaction per group of indicators sharing a source: the lock is taken before
    the records are read, so a write waits for the group and is never lost."""
    rows = 0
    server = ServerAreas()
    try:
        for group in _by_shared_sources(chosen):
            with transaction.atomic():
                _lock_for_rebuild()
                batch = _group_batch(group, context, server)
                _group_write(group, context.periods, batch)
            rows += len(batch)
            context.tick(len(group) * len(context.periods), group[-1].code)
    finally:
        server.drop()
    return rows


def _tasks(chosen: list[Indicator]) -> list[list[Indicator]]:
    """The groups a parallel rebuild hands out, the ones reading the most rows first (so that
    the last to finish is a short one): a ratio of distinct keys reads its sources in a query
    of its own, so it is a task alone rather than waiting in the group of its sources."""
    alone = [[i] for i in chosen if is_key_ratio(i)]
    tasks = alone + _by_shared_sources([i for i in chosen if not is_key_ratio(i)])
    tables = {s.key: s.model_class()._meta.db_table for i in chosen for s in _indicator_sources(i)}
    with connection.cursor() as cursor:  # the planner's row counts: no table is scanned
        cursor.execute(
            "SELECT relname, GREATEST(reltuples, 0) FROM pg_class WHERE relname = ANY(%s)",
            [sorted(set(tables.values()))],
        )
        rows = dict(cursor.fetchall())

    def cost(task: list[Indicator]) -> float:
        keys = {s.key for i in task for s in _indicator_sources(i)}
        return sum(rows.get(tables[k], 0) for k in keys) * len(task)

    return sorted(tasks, key=cost, reverse=True)


def _indicator_sources(indicator: Indicator) -> list[Any]:
    return definition_sources(indicator.kind, indicator.definition)


def _rebuild_parallel(chosen: list[Indicator], context: _Rebuild, workers: int) -> int:
    """One transaction holding the lock for the whole rebuild (a record write waits for it,
    the rebuild's seconds); `workers` threads compute the groups, each on a connection of
    its own that reads what was committed before the lock, and this one writes each batch as
    it comes."""
    import queue
    import threading

    from django.db import connections

    tasks: queue.Queue[list[Indicator]] = queue.Queue()
    done: queue.Queue[tuple[list[Indicator], list[Any] | None, BaseException | None]]
    done = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        server = ServerAreas()
        try:
            while not stop.is_set():
                try:
                    group = tasks.get_nowait()
                except queue.Empty:
                    return
                try:
                    with transaction.atomic():
                        _tune_reads()
                        batch = _group_batch(group, context, server)
                except BaseException as error:  # handed to the writer, which raises it
                    done.put((group, None, error))
                    return
                done.put((group, batch, None))
        finally:
            try:
                server.drop()
            finally:
                connections.close_all()  # this thread's connections

    rows = 0
    with transaction.atomic():
        _lock_for_rebuild()
        all_tasks = _tasks(chosen)
        for task in all_tasks:
            tasks.put(task)
        threads = [threading.Thread(target=work, daemon=True) for _n in range(workers)]
        for thread in threads:
            thread.start()
        try:
            for _n in range(len(all_tasks)):
                group, batch, error = done.get()
                if error is not None:
                    raise error
                assert batch is not None
                _group_write(group, context.periods, batch)
                rows += len(batch)
                context.tick(len(group) * len(context.periods), group[-1].code)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
    return rows


_COLUMNS = (
    "indicator_id", "org_unit_id", "period", "period_start", "period_end", "numerator",
    "denominator", "stale", "version", "computed_at",
)  # fmt: skip


def _write_rows(batch: list[tuple[Any, ...]], now: datetime, *, upsert: bool = False) -> None:
    """Insert (indicator, unit, period, numerator, denominator) rows without building model
    instances: COPY on PostgreSQL, executemany elsewhere (the ORM's bulk_create spent 70% of a
    rebuild preparing values, see docs/decisions.md)."""
    ops = connection.ops
    table = ops.quote_name(IndicatorValue._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in _COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_rows(cursor, f"COPY {table} ({columns}) FROM STDIN", batch, now)
            return
        stamp = ops.adapt_datetimefield_value(now)
        dates: dict[str, tuple[Any, Any]] = {}
        rows = []
        for indicator, unit, period, num, den in batch:
            if period.id not in dates:
                dates[period.id] = (
                    ops.adapt_datefield_value(period.start),
                    ops.adapt_datefield_value(period.end),
                )
            start, end = dates[period.id]
            rows.append((
                indicator, unit, period.id, start, end, ops.adapt_decimalfield_value(num, 20, 2),
                None if den is None else ops.adapt_decimalfield_value(den, 20, 2), False, 0, stamp,
            ))  # fmt: skip
        marks = ", ".join(["%s"] * len(_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - our names
        if upsert:
            key = ", ".join(ops.quote_name(c) for c in ("period", "org_unit_id", "indicator_id"))
            sets = ", ".join(
                f"{ops.quote_name(c)} = excluded.{ops.quote_name(c)}"
                for c in ("numerator", "denominator", "stale", "version", "computed_at")
            )
            sql += f" ON CONFLICT ({key}) DO UPDATE SET {sets}"
        cursor.executemany(sql, rows)


def _copy_rows(cursor: Any, copy_sql: str, batch: list[tuple[Any, ...]], now: datetime) -> None:
    """COPY's text format written as lines of our own: ints, period ids, ISO dates and
    Decimals need no escaping, and one write of many lines costs a third of a write_row()
    per row (0.6 s for a national year)."""
    when, null = now.isoformat(), "\\N"
    dates: dict[str, tuple[str, str]] = {}
    lines = []
    for indicator, unit, period, num, den in batch:
        day = dates.get(period.id)
        if day is None:
            day = dates[period.id] = (period.start.isoformat(), period.end.isoformat())
        lines.append(
            f"{indicator}\t{unit}\t{period.id}\t{day[0]}\t{day[1]}\t{num}\t"
            f"{null if den is None else den}\tf\t0\t{when}\n"
        )
    with cursor.cursor.copy(copy_sql) as copy:
        for start in range(0, len(lines), 20_000):
            copy.write("".join(lines[start : start + 20_000]))


class Values(Mapping[tuple[int, int], Value]):
    """{(indicator id, unit id): Value} as values_read() gives it. A national read is 250,000
    stored figures: each Value is built when it is first looked up, and figures() gives the
    numerator and denominator without building one (see docs/performance.md)."""

    def __init__(
        self,
        indicators: dict[int, Indicator],
        figures: dict[tuple[int, int], tuple[Decimal, Decimal | None]],
        computed: dict[tuple[int, int], Value],
    ) -> None:
        self._indicators = indicators
        self._figures = figures
        self._values = computed

    def __getitem__(self, key: tuple[int, int]) -> Value:
        value = self._values.get(key)
        if value is None:
            num, den = self._figures[key]
            value = figures_value(self._indicators[key[0]], num, den)
            self._values[key] = value
        return value

    def __iter__(self) -> Iterator[tuple[int, int]]:
        yield from self._figures
        yield from (k for k in self._values if k not in self._figures)

    def __len__(self) -> int:
        return len(self._figures) + sum(1 for k in self._values if k not in self._figures)

    def __contains__(self, key: object) -> bool:
        return key in self._figures or key in self._values

    def figures(self, key: tuple[int, int]) -> tuple[Decimal, Decimal | None]:
        """(numerator, denominator) of one value, as stored or computed."""
        if key in self._figures:
            return self._figures[key]
        value = self._values[key]
        return value.numerator, value.denominator


def _fetch_all(rows: Any) -> list[tuple[Any, ...]]:
    """The rows of a values_list() query. On PostgreSQL straight from the driver, which gives
    the same ints and Decimals in a third of the ORM's time (no per-row converters to run);
    elsewhere the ORM converts what the driver gives (SQLite's decimals)."""
    if connection.vendor != "postgresql":
        return list(rows)
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def values_stored(
    indicators: Iterable[Indicator], units: Iterable[OrgUnit], period: Period
) -> dict[tuple[int, int], tuple[Decimal, Decimal | None]]:
    """{(indicator id, unit id): (numerator, denominator)} of the stored rows that are fresh —
    equal to what indicator_value() computes now; the others are left out."""
    wanted = {i.pk: i for i in indicators}
    unit_ids = {u.pk for u in units}
    qs = IndicatorValue.objects.filter(period=period.id, indicator__in=list(wanted))
    if len(unit_ids) < 1000:  # a dashboard; a whole country reads the period and keeps its units
        qs = qs.filter(org_unit__in=sorted(unit_ids))
    # Fresh rows only, decided by the database: values that move with the clock count when
    # computed today. (Reading computed_at to decide in Python took 8 of 9 s of a national
    # read, see docs/performance.md.)
    moving = [pk for pk, i in wanted.items() if _time_dependent(i)]
    today = datetime.combine(timezone.localdate(), datetime.min.time())
    qs = qs.filter(stale=False).exclude(
        indicator_id__in=moving, computed_at__lt=timezone.make_aware(today)
    )
    figures: dict[tuple[int, int], tuple[Decimal, Decimal | None]] = {}
    rows = qs.values_list("indicator_id", "org_unit_id", "numerator", "denominator")
    for ind, unit, num, den in _fetch_all(rows):
        if unit in unit_ids:
            figures[ind, unit] = (num, den)
    return figures


def values_read(
    indicators: Iterable[Indicator], units: Iterable[OrgUnit], period: Period | str
) -> Values:
    """{(indicator id, unit id): Value} — stored where fresh, computed on read where not."""
    if isinstance(period, str):
        period = period_parse(period)
    indicators, units = list(indicators), list(units)
    by_pk = {u.pk: u for u in units}
    wanted = {i.pk: i for i in indicators}
    figures = values_stored(indicators, units, period)
    computed: dict[tuple[int, int], Value] = {}
    if len(figures) < len(wanted) * len(by_pk):  # some are not stored, or not fresh
        for indicator in indicators:
            for unit_pk, unit in by_pk.items():
                if (indicator.pk, unit_pk) not in figures:
                    computed[indicator.pk, unit_pk] = indicator_value(indicator, unit, period)
    return Values(wanted, figures, computed)


def value_read(indicator: Indicator, unit: OrgUnit, period: Period | str) -> Value:
    return values_read([indicator], [unit], period)[indicator.pk, unit.pk]


# --- writes -------------------------------------------------------------------------------


def _indicators_by_source() -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for indicator in Indicator.objects.filter(is_active=True).only("pk", "kind", "definition"):
        for source in definition_sources(indicator.kind, indicator.definition):
            if indicator.pk not in out[source.key]:
                out[source.key].append(indicator.pk)
    return out


def values_mark_stale(
    source_keys: Iterable[str],
    unit_ids: Iterable[int | None],
    first_day: date | None,
    *,
    exclude: Iterable[int] = (),
) -> int:
    """Mark stale the stored values that records of these sources, at these units, from
    `first_day` on (None: any day), may count in; returns how many rows were marked.
    `exclude`: indicators the caller has brought up to date itself (deltas)."""
    units = {u for u in unit_ids if u is not None}
    if not units:
        return 0
    by_source = _indicators_by_source()
    ids = {pk for key in source_keys for pk in by_source.get(key, ())} - set(exclude)
    if not ids:
        return 0
    holders = set(
        OrgUnitScope.objects.filter(unit_id__in=units).values_list("holder_id", flat=True)
    )
    qs = IndicatorValue.objects.filter(indicator_id__in=ids, org_unit_id__in=holders | units)
    if first_day is not None:
        # A change compares with last year: a record also moves next year's values.
        qs = qs.filter(period_end__gte=first_day)
    return qs.update(stale=True, version=F("version") + 1)


# Kinds refreshed for all the stale units of an (indicator, period) in one set-wise pass (the
# rebuild's roll-up) rather than one computation on read per unit: a commune, its province and
# the country, national scale — coverage 6-13 s → 1.2 s, tips in time 14 s → 1.8 s; the other
# kinds read few records and are quicker per unit (0.02-1 s) than a pass (0.3-2.8 s).
SET_WISE_KINDS = (Indicator.Kind.COVERAGE, Indicator.Kind.MEASURE)


def values_refresh(*, limit: int = 500, now: datetime | None = None) -> int:
    """Recompute up to `limit` stale rows (and rows that move with the clock, once a day),
    lowest units first; returns how many were refreshed. A row marked again while it was being
    computed (its version moved) stays stale for the next pass."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    moving = [i.pk for i in Indicator.objects.filter(is_active=True) if _time_dependent(i)]
    start_of_day = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    pending = IndicatorValue.objects.filter(
        Q(stale=True) | Q(indicator_id__in=moving, computed_at__lt=start_of_day)
    ).select_related("indicator", "org_unit")
    order = {"commune": 0, "district": 1, "province": 2, "national": 3}
    rows = sorted(pending[: limit * 4], key=lambda r: order.get(r.org_unit.level, 4))[:limit]
    groups: dict[tuple[int, str], list[IndicatorValue]] = defaultdict(list)
    for row in rows:
        groups[row.indicator_id, row.period].append(row)
    tree: Tree | None = None
    refreshed = 0
    for (_indicator_id, period_id), group in groups.items():
        indicator = group[0].indicator
        versions = {row.pk: row.version for row in group}
        if indicator.kind in SET_WISE_KINDS:
            tree = tree or Tree.load()
            period = period_parse(period_id)
            area = area_for_period(
                tree, period, {r.org_unit_id: _as_of(r.org_unit, period) for r in group}
            )
            figures = values_for_period(indicator, area)
            computed = {r.pk: figures.get(r.org_unit_id, (Decimal(0), None)) for r in group}
        else:
            computed = {}
            for row in group:
                value = indicator_value(indicator, row.org_unit, row.period)
                computed[row.pk] = (value.numerator, value.denominator)
        for pk, (numerator, denominator) in computed.items():
            refreshed += IndicatorValue.objects.filter(pk=pk, version=versions[pk]).update(
                numerator=numerator,
                denominator=denominator,
                stale=False,
                computed_at=timezone.now(),
            )
    return refreshed


def _path_value(instance: Any, path: str) -> Any:
    value = instance
    for name in path.split("__"):
        if value is None:
            return None
        if name == "date" and isinstance(value, datetime):
            return timezone.localdate(value) if timezone.is_aware(value) else value.date()
        value = getattr(value, name, None)
    return value


def related_model(model: Any, name: str) -> Any:
    """The model `name` leads to from `model`, or None (a lookup such as received_at__date)."""
    try:
        return model._meta.get_field(name).related_model
    except FieldDoesNotExist:
        return None


def _source_model_label(instance: Any) -> str:
    return f"{instance._meta.app_label}.{instance._meta.object_name}"


def _facts(instance: Any) -> list[tuple[str, int | None, date | None]]:
    """(source, unit id, earliest day) that `instance` counts in: for every source reading its
    model, and for every source reading a model that reaches it by a foreign key (a violation's
    unit and date are its inspection's, a participation's date its course's)."""
    label = _source_model_label(instance)
    out: list[tuple[str, int | None, date | None]] = []
    for source in SOURCES.values():
        if source.model == label:
            unit = _path_value(instance, source.unit_field)
            days = [_path_value(instance, name) for name in source.dates]
            if source.active is not None:
                days.append(_path_value(instance, source.active[0]) or date(1900, 1, 1))
            found = [d for d in days if isinstance(d, date)]
            out.append((source.key, unit, min(found) if found else None))
            continue
        hops = {p.split("__", 1)[0] for p in (source.unit_field, *source.dates) if "__" in p}
        model = source.model_class()
        for hop in hops:
            related = related_model(model, hop)
            if related is None or related is not type(instance) or instance.pk is None:
                continue
            rows = source.queryset().filter(**{hop: instance.pk}).values_list(source.unit_field)
            for (unit,) in rows.distinct().order_by():
                out.append((source.key, unit, None))
    return out


def facts_written(facts: list[tuple[str, int | None, date | None]]) -> None:
    if not facts:
        return
    days = [d for _s, _u, d in facts]
    first = None if any(d is None for d in days) else min(d for d in days if d is not None)
    values_mark_stale({s for s, _u, _d in facts}, {u for _s, u, _d in facts}, first)


def record_written(before: Any | None, after: Any | None) -> None:
    """A record was created, changed or deleted: bring up to date what its old and new state
    count in. Called inside the writing transaction. Counts and sums of records dated after
    the last reform, with no aggregate entry, are added to in place (the row stays fresh);
    everything else is marked stale for the refresh."""
    facts = (_facts(before) if before is not None else []) + (
        _facts(after) if after is not None else []
    )
    if not facts:
        return
    done = _apply_deltas(before, after)
    days = [d for _s, _u, d in facts]
    first = None if any(d is None for d in days) else min(d for d in days if d is not None)
    values_mark_stale({s for s, _u, _d in facts}, {u for _s, u, _d in facts}, first, exclude=done)


def _contribution(part: dict[str, Any], instance: Any) -> tuple[int, date, Decimal] | None:
    """(unit, day, amount) that `instance` adds to a count or sum part, or None."""
    source = SOURCES[part["source"]]
    day = _path_value(instance, part.get("date") or source.dates[0])
    unit = _path_value(instance, source.unit_field)
    if not isinstance(day, date) or unit is None:
        return None
    for name, wanted in (part.get("filter") or {}).items():
        value = _path_value(instance, name)
        allowed = wanted if isinstance(wanted, list) else [wanted]
        if value not in allowed and str(value) not in [str(a) for a in allowed]:
            return None
    summed = part.get("sum")
    amount = Decimal(_path_value(instance, summed) or 0) if summed else Decimal(1)
    return unit, day, amount


def _apply_deltas(before: Any | None, after: Any | None) -> set[int]:
    """Add the record's change to the stored counts and sums it moves; the indicators done."""
    from pcmd.indicators.models import AggregateEntry
    from pcmd.orgunits.models import OrgUnitSuccession

    instance = after if after is not None else before
    label = _source_model_label(instance)
    keys = {s.key for s in SOURCES.values() if s.model == label and s.active is None}
    if not keys:
        return set()
    done: set[int] = set()
    additive = Indicator.objects.filter(
        is_active=True, kind__in=[Indicator.Kind.COUNT, Indicator.Kind.SUM]
    )
    for indicator in additive:
        if indicator.definition.get("source") not in keys:
            continue
        changes = [
            (c, sign)
            for state, sign in ((before, -1), (after, 1))
            if state is not None and (c := _contribution(indicator.definition, state)) is not None
        ]
        first = min((c[1] for c, _sign in changes), default=None)
        if first is not None:
            year_start = date(first.year, 1, 1)
            # Before a reform (a merger taking effect later) an area depends on the day: leave
            # those to the refresh, as any unit whose figures were typed in (aggregate entries).
            if OrgUnitSuccession.objects.filter(effective_date__gt=year_start).exists():
                continue
            if AggregateEntry.objects.filter(indicator=indicator).exists():
                continue
        for (unit, day, amount), sign in changes:
            holders = set(
                OrgUnitScope.objects.filter(unit_id=unit).values_list("holder_id", flat=True)
            )
            IndicatorValue.objects.filter(
                indicator=indicator,
                org_unit_id__in=holders | {unit},
                period_start__lte=day,
                period_end__gte=day,
            ).update(numerator=F("numerator") + sign * amount, version=F("version") + 1)
        done.add(indicator.pk)
    return done


def records_bulk_written(objects: Iterable[Any]) -> None:
    """Records written in bulk (bulk_create sends no signals): mark, once for all of them, what
    they count in. Only the sources reading their own model are considered: an importer that
    writes children (violations of inspections) passes them too."""
    keys: set[str] = set()
    units: set[int] = set()
    first: date | None = date.max
    sources: dict[str, list[Any]] = {}
    for obj in objects:
        label = _source_model_label(obj)
        if label not in sources:
            sources[label] = [s for s in SOURCES.values() if s.model == label]
        for source in sources[label]:
            keys.add(source.key)
            units.add(_path_value(obj, source.unit_field))
            days = [_path_value(obj, name) for name in source.dates]
            if source.active is not None:
                days.append(_path_value(obj, source.active[0]) or date(1900, 1, 1))
            found = [d for d in days if isinstance(d, date)]
            first = None if not found or first is None else min(first, *found)
    if keys:
        values_mark_stale(keys, units, first)


def records_imported(
    source_keys: Iterable[str], unit_ids: Iterable[int], first_day: date | None
) -> None:
    """An importer wrote records in bulk (no signals): mark what they count in."""
    values_mark_stale(source_keys, unit_ids, first_day)


def numbers(value: Value) -> tuple[Decimal, Decimal | None]:
    return value.numerator, value.denominator
