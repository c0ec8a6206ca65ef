"""Small-cell suppression: "<5", complementary cells, and percentages over tiny bases."""

import pytest
from django.utils import translation

from pcmd.sealing.suppression import (
    SMALL_CELL,
    suppress_cells,
    suppress_count,
    suppress_percent,
)


@pytest.fixture(autouse=True)
def _vietnamese() -> None:
    with translation.override("vi"):
        yield


def test_counts_of_one_to_four_read_less_than_five() -> None:
    assert [suppress_count(n) for n in range(0, 6)] == ["0", "<5", "<5", "<5", "<5", "5"]
    assert suppress_count(None) == "—"
    assert SMALL_CELL == 5


def test_large_counts_are_formatted_for_display_like_other_numbers() -> None:
    assert suppress_count(12345) == "12345"  # Django's Vietnamese format has no grouping
    with translation.override("en"):
        assert suppress_count(12345) == "12,345"


def _recoverable(cells: dict[str, int], shown: dict[str, str], total: int) -> list[str]:
    """Cells whose true value is the only one consistent with what is shown (brute force)."""
    hidden = [k for k, v in shown.items() if not v.replace(".", "").isdigit()]
    ranges = {
        k: range(1, SMALL_CELL) if shown[k] == "<5" else range(SMALL_CELL, total + 1)
        for k in hidden
    }
    shown_sum = sum(cells[k] for k in cells if k not in hidden)
    solutions: list[dict[str, int]] = [{}]
    for key in hidden:
        solutions = [{**s, key: v} for s in solutions for v in ranges[key]]
    solutions = [s for s in solutions if sum(s.values()) + shown_sum == total]
    return [k for k in hidden if len({s[k] for s in solutions}) == 1]


def test_one_small_cell_next_to_a_total_forces_a_second_suppression() -> None:
    cells = {"A": 3, "B": 10, "C": 12}
    shown = suppress_cells(cells, total=25)
    assert shown["A"] == "<5"
    others = [k for k in ("B", "C") if shown[k] != str(cells[k])]
    assert others, "A could be worked out as 25 - 10 - 12"
    assert _recoverable(cells, shown, 25) == []


def test_without_a_total_only_small_cells_are_hidden() -> None:
    assert suppress_cells({"A": 3, "B": 10, "C": 12}) == {"A": "<5", "B": "10", "C": "12"}


def test_complementary_cell_is_chosen_so_the_small_cell_stays_unknown() -> None:
    # With B=5 hidden as "≥5", A + B = 6 would pin A = 1 and B = 5: C must go too.
    cells = {"A": 1, "B": 5, "C": 9}
    shown = suppress_cells(cells, total=15)
    assert shown["A"] == "<5"
    assert shown["B"] == "≥5"
    assert shown["C"] == "≥5"
    assert _recoverable(cells, shown, 15) == []


def test_two_small_cells_summing_to_two_are_not_left_computable() -> None:
    cells = {"A": 1, "B": 1, "C": 20}
    shown = suppress_cells(cells, total=22)
    assert shown["A"] == shown["B"] == "<5"
    assert shown["C"] == "≥5"
    assert _recoverable(cells, shown, 22) == []


def test_a_small_total_hides_itself_so_no_complementary_cell_is_needed() -> None:
    assert suppress_cells({"A": 3, "B": 0}, total=3) == {"A": "<5", "B": "0"}


@pytest.mark.parametrize(
    "cells",
    [
        {"a": 1, "b": 7, "c": 30, "d": 0},
        {"a": 4, "b": 4, "c": 5, "d": 6},
        {"a": 2, "b": 6, "c": 6},
        {"a": 1, "b": 2, "c": 3, "d": 50},
    ],
)
def test_no_suppressed_cell_can_be_recovered(cells: dict[str, int]) -> None:
    total = sum(cells.values())
    assert _recoverable(cells, suppress_cells(cells, total=total), total) == []


def test_percent_over_fewer_than_five_people_is_a_dash() -> None:
    assert suppress_percent(2, 3) == "—"
    assert suppress_percent(0, 0) == "—"


def test_percent_of_a_suppressed_numerator_is_a_dash() -> None:
    assert suppress_percent(2, 40) == "—"


def test_percent_otherwise_is_a_whole_number() -> None:
    assert suppress_percent(14, 20) == "70%"
    assert suppress_percent(0, 20) == "0%"
    assert suppress_percent(7, 9) == "78%"
