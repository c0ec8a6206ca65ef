# ruff: noqa: S608 - SQL for an in-memory DuckDB of the bench, from checked definitions only
"""Benchmarks of the stored values, for `pcmd bench` (figures printed, never asserted).

Owns: bench_indicators() -> the figures rebuild_year_s, duckdb_rebuild_year_s,
ratio_to_duckdb, national_read_s (national_read_built_s: every Value built as well),
commune_dashboard_ms, freshness_ms.
Invariants: runs inside the caller's transaction (rolled back by `pcmd bench`); DuckDB is a
benchmark-only dependency (the `bench` extra): without it the DuckDB figures are None.
The DuckDB run is given the same rows — the records of every source the indicators read,
exported unfiltered, and the hierarchy as the rebuild reads it (each unit's area on the
period's last day, each coverage's counted units) — and computes the same values in SQL; how
many of its values agree with the rebuild's is reported beside its time.
Not here: the rebuild itself (store.py, rollup.py).
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date
from typing import Any

from django.db import transaction

from pcmd.indicators.models import Indicator, IndicatorValue
from pcmd.indicators.rollup import Area, Tree, area_for_period
from pcmd.indicators.sources import SOURCES, Source, source_get
from pcmd.indicators.store import (
    value_read,
    values_read,
    values_rebuild,
    values_refresh,
    values_vacuum,
    year_periods,
)
from pcmd.orgunits.models import OrgUnit

# Kinds the DuckDB run computes; the named measures run Python selectors (a deadline clock),
# which DuckDB cannot, so the ratio compares the rebuild of the same indicators.
DUCKDB_KINDS = ("count", "sum", "cumulative", "change", "coverage", "ratio", "frequency")


_CPU: dict[str, float] = {}  # the last _timed() call's CPU seconds of this process


def _timed(fn: Any) -> tuple[float, Any]:
    """Wall seconds and result; the process's own CPU seconds (the database server's work
    left out) in _CPU["last"] — the figure that a machine shared with other jobs moves least."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    _CPU["last"] = time.process_time() - cpu
    return time.perf_counter() - started, result


def bench_indicators(year: int) -> dict[str, Any]:
    """The figures of the stored values on the database in use, for `year`: run outside a
    transaction, as `pcmd rebuild_values` runs (the rebuild replaces the stored values with
    the same ones, on several connections on PostgreSQL); bench_freshness() writes a record."""
    indicators = list(Indicator.objects.filter(is_active=True))
    # Each rebuild starts on the table as `pcmd rebuild_values` leaves it (vacuumed).
    values_vacuum()
    rebuild_s, result = _timed(lambda: values_rebuild(year, indicators=indicators))
    rebuild_cpu = _CPU["last"]
    subset = [i for i in indicators if i.kind in DUCKDB_KINDS]
    values_vacuum()
    subset_s, _r = _timed(lambda: values_rebuild(year, indicators=subset))
    values_vacuum()
    figures: dict[str, Any] = {
        "rebuild_year_s": round(rebuild_s, 3),
        "rebuild_rows": result.rows,
        "rebuild_year_cpu_s": round(rebuild_cpu, 3),
        "rebuild_subset_s": round(subset_s, 3),
    }
    figures.update(_duckdb(year, subset, subset_s))
    periods = [p.id for p in year_periods(year)]
    units = list(
        OrgUnit.objects.filter(pk__in=IndicatorValue.objects.filter(period=str(year)).values(
            "org_unit_id"
        ))
    )  # fmt: skip
    read_s, read = _timed(
        lambda: sum(len(values_read(indicators, units, period)) for period in periods)
    )
    figures["national_read_s"] = round(read_s, 3)
    figures["national_read_cpu_s"] = round(_CPU["last"], 3)
    figures["national_read_values"] = read

    def read_and_build() -> int:  # the same read, every Value built (what the old read did)
        built = 0
        for period in periods:
            values = values_read(indicators, units, period)
            built += sum(1 for key in values if values[key] is not None)
        return built

    built_s, _built = _timed(read_and_build)
    figures["national_read_built_s"] = round(built_s, 3)
    commune = _busiest_commune(year)
    if commune is not None:
        dash_s, _v = _timed(lambda: values_read(indicators, [commune], str(year)))
        figures["commune_dashboard_ms"] = round(dash_s * 1000, 2)
        figures["commune"] = commune.name
    return figures


def bench_freshness(year: int) -> dict[str, Any]:
    """Save one awareness event in the busiest commune → its province's value fresh again
    (inside the caller's transaction, rolled back after)."""
    commune = _busiest_commune(year)
    return _freshness(commune, year) if commune is not None else {}


def _busiest_commune(year: int) -> OrgUnit | None:
    from django.db.models import Count

    from pcmd.outreach.models import OutreachEvent

    row = (
        OutreachEvent.objects.filter(
            date__year=year, org_unit__level=OrgUnit.Level.COMMUNE, org_unit__valid_to__isnull=True
        )
        .values("org_unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if row is None:
        return OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE, valid_to__isnull=True).first()
    return OrgUnit.objects.get(pk=row["org_unit_id"])


def _freshness(commune: OrgUnit, year: int) -> dict[str, Any]:
    """Save one awareness event in `commune` → its province's stored value is fresh again."""
    from pcmd.orgunits.selectors import orgunit_ancestors
    from pcmd.outreach.models import OutreachEvent

    day = date(year, 6, 15)
    province = next(
        (u for u in orgunit_ancestors(commune, on=day) if u.level == OrgUnit.Level.PROVINCE), None
    )
    if province is None:
        return {}
    events = Indicator.objects.get(code="outreach-events")
    before = value_read(events, province, str(year)).numerator
    started = time.perf_counter()
    with transaction.atomic():
        OutreachEvent.objects.create(
            org_unit=commune, date=day, form=OutreachEvent.Form.MEETING, topic="Đo độ tươi"
        )
    saved = time.perf_counter()
    row = IndicatorValue.objects.get(indicator=events, org_unit=province, period=str(year))
    refreshed = 0
    while row.stale:
        step = values_refresh(limit=5)
        row.refresh_from_db()
        if not step:  # nothing left that a refresh can clear: report it, do not spin
            break
        refreshed += step
    done = time.perf_counter()
    return {
        "freshness_ms": round((done - started) * 1000, 1),
        "freshness_save_ms": round((saved - started) * 1000, 1),
        "freshness_rows_refreshed": refreshed,
        "freshness_agree": not row.stale and row.numerator == before + 1,
    }


# --- DuckDB ---------------------------------------------------------------------------------


def _columns(source: Source) -> dict[str, str]:
    """Export name -> ORM path of the columns a source's definitions may use."""
    cols = {"unit": source.unit_field}
    for i, name in enumerate(source.dates):
        cols[f"d{i}"] = name
    if source.active is not None:
        cols["a_from"], cols["a_to"] = source.active
    for name in source.filters:
        cols["f_" + name.replace("__", "_")] = name
    for name in source.sums:
        cols["s_" + name] = name
    for name, path in source.distincts.items():
        cols["k_" + name] = path
    return cols


def _load(con: Any, table: str, columns: list[tuple[str, str]], rows: Any) -> int:
    """CREATE `table` and fill it from `rows` through a CSV file (DuckDB's fast path)."""
    import csv
    import tempfile

    con.execute(f"CREATE TABLE {table} ({', '.join(f'{n} {t}' for n, t in columns)})")
    count = 0
    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
            count += 1
        f.flush()
        if count:
            con.execute(f"COPY {table} FROM '{f.name}' (HEADER false, NULLSTR '')")
    return count


def _export(con: Any, source: Source) -> int:
    cols = _columns(source)
    model = source.model_class()
    columns = []
    for name, path in cols.items():
        if name.startswith(("d", "a_")):
            kind = "DATE"
        elif name.startswith("s_"):
            kind = "DOUBLE"
        elif name in ("unit",) or name.startswith("k_") or path.endswith("_id"):
            kind = "BIGINT"
        elif source.filters.get(path) == "bool":
            kind = "BOOLEAN"
        else:
            kind = "VARCHAR"
        columns.append((name, kind))
    del model
    rows = source.queryset().values_list(*cols.values()).order_by().iterator(50_000)
    return _load(con, "src_" + source.key.replace(".", "_"), columns, rows)


def _where(part: dict[str, Any], start: date, end: date, *, alias: str = "s") -> str:
    source = source_get(part["source"])
    cols = _columns(source)
    back = {path: name for name, path in cols.items()}
    if source.active is not None and not part.get("date"):
        clause = (
            f"({alias}.a_from IS NULL OR {alias}.a_from <= DATE '{end}') AND "
            f"({alias}.a_to IS NULL OR {alias}.a_to >= DATE '{start}')"
        )
    else:
        column = back[part.get("date") or source.dates[0]]
        clause = f"{alias}.{column} BETWEEN DATE '{start}' AND DATE '{end}'"
    for name, value in (part.get("filter") or {}).items():
        column = back[name]
        values = value if isinstance(value, list) else [value]
        literal = ", ".join(str(v).upper() if isinstance(v, bool) else repr(str(v)) for v in values)
        clause += f" AND {alias}.{column} IN ({literal})"
    return clause


def _sql_measure(part: dict[str, Any], start: date, end: date, period: str) -> str:
    """SELECT holder, n for one part (count, sum or distinct keys)."""
    table = "src_" + part["source"].replace(".", "_")
    where = _where(part, start, end)
    if part.get("sum"):
        value = f"SUM(s.s_{part['sum']})"
    elif part.get("distinct"):
        value = f"COUNT(DISTINCT s.k_{part['distinct']})"
    else:
        value = "COUNT(*)"
    return (
        f"SELECT m.holder, {value} AS n FROM {table} s JOIN member m "
        f"ON m.unit = s.unit AND m.period = '{period}' WHERE {where} GROUP BY m.holder"
    )


def _sql_keys(part: dict[str, Any], start: date, end: date, period: str) -> str:
    table = "src_" + part["source"].replace(".", "_")
    return (
        f"SELECT DISTINCT m.holder, s.k_{part['distinct']} AS k FROM {table} s JOIN member m "
        f"ON m.unit = s.unit AND m.period = '{period}' "
        f"WHERE {_where(part, start, end)} AND s.k_{part['distinct']} IS NOT NULL"
    )


def _duckdb_values(
    con: Any, indicator: Indicator, period: Any
) -> dict[int, tuple[float, float | None]]:
    d = indicator.definition
    kind, pid = indicator.kind, period.id
    start, end = period.start, period.end
    if kind in ("count", "sum"):
        sql = _sql_measure(d, start, end, pid)
    elif kind == "cumulative":
        first = date(int(d.get("since") or start.year), 1, 1)
        sql = _sql_measure(d["base"], first, end, pid)
    elif kind == "change":
        base = period.last_year()
        sql = (
            f"SELECT c.holder, c.n, b.n FROM ({_sql_measure(d['base'], start, end, pid)}) c "
            f"FULL JOIN ({_sql_measure(d['base'], base.start, base.end, base.id)}) b USING (holder)"
        )
    elif kind == "frequency":
        table = "src_" + d["source"].replace(".", "_")
        join = "s.unit AS holder" if d.get("own") else "m.holder"
        member = "" if d.get("own") else f"JOIN member m ON m.unit = s.unit AND m.period = '{pid}'"
        months = len(period.months())
        sql = (
            f"SELECT holder, COUNT(DISTINCT month) AS n, {months} FROM (SELECT {join}, "
            f"date_trunc('month', s.d0) AS month FROM {table} s {member} "
            f"WHERE {_where(d, start, end)}) GROUP BY holder"
        )
    elif kind == "ratio":
        parts = d["numerator"] if isinstance(d["numerator"], list) else [d["numerator"]]
        den = d["denominator"]
        key = den.get("distinct")
        if key and all(p.get("distinct") == key for p in parts):
            union = " UNION ".join(_sql_keys(p, start, end, pid) for p in parts)
            sql = (
                f"SELECT dk.holder, COUNT(nk.k), COUNT(*) "
                f"FROM ({_sql_keys(den, start, end, pid)}) dk LEFT JOIN ({union}) nk "
                f"ON nk.holder = dk.holder AND nk.k = dk.k GROUP BY dk.holder"
            )
        else:
            sql = (
                f"SELECT holder, n.n, dn.n FROM ({_sql_measure(parts[0], start, end, pid)}) n "
                f"FULL JOIN ({_sql_measure(den, start, end, pid)}) dn USING (holder)"
            )
    else:  # coverage
        gather = {k: v for k, v in d.items() if k != "own"}
        table = "src_" + d["source"].replace(".", "_")
        minimum = int(d.get("min", 1))
        members = "cov_member" if not d.get("own") else "cov_self"
        sql = (
            f"WITH counts AS (SELECT s.unit, COUNT(*) AS n FROM {table} s "
            f"WHERE {_where(gather, start, end)} GROUP BY s.unit), "
            f"per_target AS (SELECT t.target, COALESCE(SUM(c.n), 0) AS n FROM "
            f"(SELECT DISTINCT target FROM cov_target WHERE period = '{pid}' "
            f"AND level = '{d['level']}') t "
            f"LEFT JOIN {members} cm ON cm.target = t.target AND cm.period = '{pid}' "
            f"LEFT JOIN counts c ON c.unit = cm.unit GROUP BY t.target) "
            f"SELECT ct.holder, SUM(CASE WHEN p.n >= {minimum} THEN 1 ELSE 0 END), COUNT(*) "
            f"FROM cov_target ct JOIN per_target p ON p.target = ct.target "
            f"WHERE ct.period = '{pid}' AND ct.level = '{d['level']}' GROUP BY ct.holder"
        )
    out = {}
    for row in con.execute(sql).fetchall():
        num = float(row[1] or 0)
        den = float(row[2] or 0) if len(row) > 2 else None
        out[row[0]] = (num, den)
    return out


def _hierarchy_rows(
    tree: Tree, areas: dict[str, Area], levels: set[str]
) -> tuple[list[tuple[str, int, int]], list[tuple[str, str, int, int]], list[tuple[str, int, int]]]:
    """member(period, holder, unit), cov_target(period, level, holder, target),
    cov_member(period, target, unit) — as the rebuild reads the hierarchy."""
    member = [(pid, h, u) for pid, a in areas.items() for h, units in a.area.items() for u in units]
    targets: list[tuple[str, str, int, int]] = []
    cov_member: set[tuple[str, int, int]] = set()
    for pid, area in areas.items():
        day = area.period.end
        children = tree.children_on(day)
        for level in levels:
            for holder in area.as_of:
                if tree.units[holder][0] == level:
                    found = [holder]
                else:
                    seen: set[int] = set()
                    frontier = [holder]
                    while frontier:
                        frontier = [
                            c for u in frontier for c in children.get(u, ()) if c not in seen
                        ]
                        seen.update(frontier)
                    found = [u for u in seen if tree.units[u][0] == level]
                targets += [(pid, level, holder, t) for t in found]
        all_targets = {t for p, _l, _h, t in targets if p == pid}
        early = tree.early(all_targets, day)
        for target in all_targets:
            for unit in (tree.closure.get(target, set()) | {target}) - early.get(target, set()):
                cov_member.add((pid, target, unit))
    return member, targets, sorted(cov_member)


def _duckdb(year: int, indicators: list[Indicator], rebuild_s: float) -> dict[str, Any]:
    try:
        import duckdb
    except ImportError:
        return {"duckdb_rebuild_year_s": None, "ratio_to_duckdb": None}
    con = duckdb.connect()
    export_started = time.perf_counter()
    keys = {s.key for i in indicators for s in _sources(i)}
    exported = {key: _export(con, SOURCES[key]) for key in sorted(keys)}
    tree = Tree.load()
    periods = year_periods(year)
    areas = {p.id: area_for_period(tree, p) for p in periods}
    for p in periods:
        base = p.last_year()
        areas[base.id] = area_for_period(tree, base)
    levels = {i.definition["level"] for i in indicators if i.kind == "coverage"}
    member, targets, cov_member = _hierarchy_rows(tree, areas, levels)
    _load(con, "member", [("period", "VARCHAR"), ("holder", "BIGINT"), ("unit", "BIGINT")], member)
    _load(
        con,
        "cov_target",
        [("period", "VARCHAR"), ("level", "VARCHAR"), ("holder", "BIGINT"), ("target", "BIGINT")],
        targets,
    )
    _load(
        con, "cov_member", [("period", "VARCHAR"), ("target", "BIGINT"), ("unit", "BIGINT")],
        cov_member,
    )  # fmt: skip
    con.execute(
        "CREATE TABLE cov_self AS SELECT DISTINCT period, target, target AS unit FROM cov_target"
    )
    export_s = time.perf_counter() - export_started

    started = time.perf_counter()
    results = {(i.pk, p.id): _duckdb_values(con, i, p) for i in indicators for p in periods}
    duck_s = time.perf_counter() - started

    stored: dict[tuple[int, str], dict[int, tuple[float, float | None]]] = defaultdict(dict)
    for ind, unit, period, num, den in IndicatorValue.objects.filter(
        indicator__in=indicators, period__in=[p.id for p in periods]
    ).values_list("indicator_id", "org_unit_id", "period", "numerator", "denominator"):
        stored[ind, period][unit] = (float(num), float(den) if den is not None else None)
    agree = total = 0
    for key, values in stored.items():
        duck = results.get(key, {})
        for unit, (want_num, want_den) in values.items():
            total += 1
            got = duck.get(unit, (0.0, 0.0 if want_den is not None else None))
            same_den = want_den is None or abs((got[1] or 0) - want_den) < 1e-6
            if abs(got[0] - want_num) < 1e-6 and same_den:
                agree += 1
    return {
        "duckdb_rebuild_year_s": round(duck_s, 3),
        "ratio_to_duckdb": round(rebuild_s / duck_s, 2) if duck_s else None,
        "duckdb_export_s": round(export_s, 2),
        "duckdb_rows_exported": sum(exported.values()),
        "duckdb_agree": f"{agree}/{total}",
        "duckdb_indicators": len(indicators),
    }


def _sources(indicator: Indicator) -> list[Source]:
    from pcmd.indicators.sources import definition_sources

    return definition_sources(indicator.kind, indicator.definition)
