"""The rebuild's roll-up done by the database: each period's areas written once into a
temporary table (area, holder, unit), and the grouped figures of a source summed over it by
holder in the same query, instead of sent per unit to Python and added up there.

Owns: ServerAreas (the temporary tables of one rebuild), rolled_counts() (counts and sums of
many parts of one source, by holder), key_ratio() (a ratio of distinct keys, by holder).
Invariants: the figures are those rollup.py adds up in memory from the same per-unit groups
(the same SQL builds the groups): an area's rows are its holders' scope closures less what
Area.removed leaves out, so a record counts for exactly the holders of Area.holders_of.
Not here: which parts a rebuild reads (rollup.records_plan), storing (store.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection

from pcmd.orgunits.models import OrgUnitScope

AREA_TABLE = "pcmd_rollup_area"
HOLDER_TABLE = "pcmd_rollup_holder"
REMOVED_TABLE = "pcmd_rollup_removed"
# unit -> another unit of the same area counted for exactly the same holders (a village for
# its commune): distinct keys are collapsed onto it before the area is joined.
SAME_TABLE = "pcmd_rollup_same"


def _fill(
    cursor: Any, table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Write rows into a temporary table: COPY on PostgreSQL, executemany elsewhere."""
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))  # noqa: S608


def as_decimal(n: Any) -> Decimal:
    """A sum as the database gives it: an int, a Decimal, or a float (SQLite's decimals)."""
    if isinstance(n, Decimal):
        return n
    return Decimal(str(n)) if isinstance(n, float) else Decimal(n)


class ServerAreas:
    """The areas of one rebuild as temporary tables on the connection; identical areas (the
    year and its halves, when nothing changed during the year) share their rows."""

    def __init__(self) -> None:
        self._numbers: dict[int, int] = {}  # id(area) -> area number
        self._by_signature: dict[Any, int] = {}
        self._areas: list[Any] = []  # kept alive: their ids stay theirs
        self._made = False

    def _make(self, cursor: Any) -> None:
        big = "bigint" if connection.vendor == "postgresql" else "integer"
        for table, columns in (
            (AREA_TABLE, f"area integer, holder {big}, unit {big}"),
            (HOLDER_TABLE, f"area integer, holder {big}"),
            (REMOVED_TABLE, f"area integer, holder {big}, unit {big}"),
            (SAME_TABLE, f"area integer, unit {big}, same {big}"),
        ):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns})")
        self._made = True

    def number(self, area: Any) -> int:
        """The area's number in the temporary table, writing its rows the first time."""
        known = self._numbers.get(id(area))
        if known is not None:
            return known
        removed = frozenset((h, u) for h, units in area.removed.items() for u in units)
        signature = (frozenset(area.as_of), removed)
        number = self._by_signature.get(signature)
        if number is None:
            number = len(self._by_signature) + 1
            self._by_signature[signature] = number
            self._write(number, area, removed)
        self._numbers[id(area)] = number
        self._areas.append(area)
        return number

    def _write(self, number: int, area: Any, removed: frozenset[tuple[int, int]]) -> None:
        scope = OrgUnitScope._meta.db_table
        with connection.cursor() as cursor:
            if not self._made:
                self._make(cursor)
            _fill(cursor, HOLDER_TABLE, ("area", "holder"), ((number, h) for h in area.as_of))
            _fill(
                cursor,
                REMOVED_TABLE,
                ("area", "holder", "unit"),
                ((number, h, u) for h, u in removed),
            )
            cursor.execute(f"ANALYZE {HOLDER_TABLE}")  # temporary tables: never auto-analysed
            cursor.execute(f"ANALYZE {REMOVED_TABLE}")
            cursor.execute(
                f"INSERT INTO {AREA_TABLE} (area, holder, unit) "  # noqa: S608 - our names
                f"SELECT h.area, s.holder_id, s.unit_id FROM {scope} s "
                f"JOIN {HOLDER_TABLE} h ON h.holder = s.holder_id WHERE h.area = %s "
                f"AND NOT EXISTS (SELECT 1 FROM {REMOVED_TABLE} r WHERE r.area = h.area "
                f"AND r.holder = s.holder_id AND r.unit = s.unit_id) "
                f"UNION SELECT area, holder, holder FROM {HOLDER_TABLE} WHERE area = %s",
                [number, number],
            )
            cursor.execute(f"ANALYZE {AREA_TABLE}")
            first: dict[frozenset[int], int] = {}
            same = []
            for unit, holders in area.holders_of.items():
                twin = first.setdefault(frozenset(holders), unit)
                if twin != unit:
                    same.append((number, unit, twin))
            _fill(cursor, SAME_TABLE, ("area", "unit", "same"), same)
            cursor.execute(f"ANALYZE {SAME_TABLE}")

    def drop(self) -> None:
        if not self._made:
            return
        with connection.cursor() as cursor:
            for table in (AREA_TABLE, HOLDER_TABLE, REMOVED_TABLE, SAME_TABLE):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
        self._made = False


def rolled_counts(
    grouped: Any, columns: int, areas: Iterable[int]
) -> dict[tuple[int, int], dict[int, Decimal]]:
    """{(column, area): {holder: n}} of a per-unit grouped query (unit, c0 … c{columns-1}),
    each column summed over the holders of each area; zeros left out."""
    sql, params = grouped.query.sql_with_params()
    names = [f"c{i}" for i in range(columns)]
    sums = ", ".join(f"SUM(pu.{n})" for n in names)
    wanted = sorted(set(areas))
    marks = ", ".join(["%s"] * len(wanted))
    query = (
        f"WITH pu (u, {', '.join(names)}) AS ({sql}) "  # noqa: S608 - our names, ORM's SQL
        f"SELECT m.area, m.holder, {sums} FROM pu JOIN {AREA_TABLE} m ON m.unit = pu.u "
        f"WHERE m.area IN ({marks}) GROUP BY m.area, m.holder"
    )
    out: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, *wanted])
        for area, holder, *figures in cursor.fetchall():
            for i, n in enumerate(figures):
                if n:
                    out[i, area][holder] = as_decimal(n)
    return out


def key_ratios(
    denominator: Any, numerators: list[Any], windows: int, area: int
) -> list[tuple[dict[int, int], dict[int, int]]]:
    """For each of `windows` periods: ({holder: keys}, {holder: keys also carried by a
    numerator record}) of distinct-key queries grouped by (unit, key) with one count column
    per period (c0 …): a key counts for every holder whose area holds a unit carrying it.
    One pass over each source for all the periods sharing an area; the (unit, key) pairs of
    every source added up first, so that the area is joined once."""
    cols = [f"c{i}" for i in range(windows)]
    ctes, selects, params = [], [], []
    for n, (qs, is_den) in enumerate([(denominator, True), *((q, False) for q in numerators)]):
        sql, ps = qs.query.sql_with_params()
        ctes.append(f"s{n} (u, k, {', '.join(cols)}) AS ({sql})")
        params += ps
        slots = []
        for i, c in enumerate(cols):
            slots += [f"{c} AS d{i}", f"0 AS n{i}"] if is_den else [f"0 AS d{i}", f"{c} AS n{i}"]
        selects.append(f"SELECT u, k, {', '.join(slots)} FROM s{n}")  # noqa: S608
    flags = [f"{side}{i}" for i in range(windows) for side in ("d", "n")]
    pair_max = ", ".join(f"MAX({f}) AS {f}" for f in flags)
    holder_max = ", ".join(f"MAX(CASE WHEN p.{f} > 0 THEN 1 ELSE 0 END) AS {f}" for f in flags)
    sums = ", ".join(f"SUM(d{i}), SUM(d{i} * n{i})" for i in range(windows))
    query = (
        f"WITH {', '.join(ctes)}, "  # noqa: S608 - our names, the ORM's SQL
        f"pairs AS (SELECT COALESCE(t.same, a.u) AS u, a.k, {pair_max} "
        f"FROM ({' UNION ALL '.join(selects)}) a "
        f"LEFT JOIN {SAME_TABLE} t ON t.unit = a.u AND t.area = %s "
        f"GROUP BY COALESCE(t.same, a.u), a.k), "
        f"hk AS (SELECT m.holder, {holder_max} FROM pairs p "
        f"JOIN {AREA_TABLE} m ON m.unit = p.u AND m.area = %s GROUP BY m.holder, p.k) "
        f"SELECT holder, {sums} FROM hk GROUP BY holder"
    )
    out: list[tuple[dict[int, int], dict[int, int]]] = [({}, {}) for _w in range(windows)]
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, area, area])
        for holder, *figures in cursor.fetchall():
            for i in range(windows):
                den, num = figures[2 * i], figures[2 * i + 1]
                if den:
                    out[i][0][holder] = int(den)
                    out[i][1][holder] = int(num)
    return out
