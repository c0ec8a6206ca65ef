from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from pcmd.common.periods import period_parse
from pcmd.indicators.rollsql import AREA_TABLE, SAME_TABLE, ServerAreas
from pcmd.indicators.rollup import Tree, area_for_period

pytestmark = pytest.mark.django_db


def _rows(number: int) -> set[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT holder, unit FROM {AREA_TABLE} WHERE area = %s", [number])
        return {(h, u) for h, u in cursor.fetchall()}


def test_each_area_in_the_database_holds_exactly_the_pairs_of_its_area_in_memory() -> None:
    call_command("demo", stdout=StringIO())
    tree = Tree.load()
    areas = {p: area_for_period(tree, period_parse(p)) for p in ("2025S1", "2025", "2026")}
    # Before the merger took effect, the new units' areas leave their predecessors out.
    assert areas["2025S1"].removed
    server = ServerAreas()
    try:
        for area in areas.values():
            pairs = {(h, u) for h, units in area.area.items() for u in units}
            number = server.number(area)
            assert _rows(number) == pairs
            # Units collapsed onto another are counted for exactly its holders.
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT unit, same FROM {SAME_TABLE} WHERE area = %s", [number])
                same = cursor.fetchall()
            assert same
            for unit, twin in same:
                assert set(area.holders_of[unit]) == set(area.holders_of[twin]) and unit != twin
        assert len({server.number(a) for a in areas.values()}) == 3
    finally:
        server.drop()


def test_identical_areas_share_their_rows_and_the_tables_go_with_the_rebuild() -> None:
    call_command("demo", stdout=StringIO())
    tree = Tree.load()
    server = ServerAreas()
    year, half = (area_for_period(tree, period_parse(p)) for p in ("2026", "2026S1"))
    assert set(year.as_of) == set(half.as_of) and not year.removed and not half.removed
    assert server.number(year) == server.number(half) == 1
    server.drop()
    with connection.cursor() as cursor, pytest.raises(Exception, match="pcmd_rollup_area"):
        cursor.execute(f"SELECT COUNT(*) FROM {AREA_TABLE}")
