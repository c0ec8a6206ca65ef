"""Small-cell suppression of counts of people in sealed records, applied when shown or exported.

Owns: SMALL_CELL, suppress_count(), suppress_cells(), suppress_percent().
Invariants: a count of 1..4 people reads "<5"; when a total is shown, no suppressed cell can be
worked out exactly from the total and the other cells (complementary suppression hides further
cells, smallest first, shown as "≥5"); a percentage reads "—" when its denominator is under 5
or its numerator is a suppressed count. Stored and frozen figures keep their true values.
Not here: the counting itself (the selectors of tips / support).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from django.utils.formats import number_format

SMALL_CELL = 5
SMALL = "<5"
HIDDEN = "≥5"
NOT_SHOWN = "—"

K = TypeVar("K", bound=Hashable)


def _is_small(n: int) -> bool:
    return 0 < n < SMALL_CELL


def _number(n: int) -> str:
    return str(number_format(n))


def suppress_count(n: int | None) -> str:
    """ "<5" for 1..4, "—" for None, otherwise the number formatted for display."""
    if n is None:
        return NOT_SHOWN
    if _is_small(n):
        return SMALL
    return _number(n)


def _exactly_known(small: list[int], hidden: list[int], hidden_sum: int) -> bool:
    """Can someone who knows the rule pin down one small cell from the hidden sum?

    Each small cell lies in 1..SMALL_CELL-1, each complementary cell in SMALL_CELL..∞, and all
    of them add up to `hidden_sum` (the total minus the cells shown).
    """
    if not small:
        return False
    # The bounds are the same for every small cell: they depend only on how many there are.
    top = SMALL_CELL - 1
    others = len(small) - 1
    upper = min(top, hidden_sum - others - SMALL_CELL * len(hidden))
    lower = 1 if hidden else max(1, hidden_sum - top * others)
    return lower >= upper


def suppress_cells(cells: Mapping[K, int], *, total: int | None = None) -> dict[K, str]:
    """Display strings for a row of counts; pass the total when the total is shown with them.

    The total itself is shown with suppress_count(total): a total of 1..4 reads "<5" and then
    gives nothing away, so no complementary cell is needed.
    """
    small = [key for key, n in cells.items() if _is_small(n)]
    hidden: list[K] = []
    if small and total is not None and total >= SMALL_CELL:
        candidates = sorted(
            (key for key, n in cells.items() if n >= SMALL_CELL), key=lambda key: cells[key]
        )
        while True:
            suppressed = set(small) | set(hidden)
            shown_sum = sum(n for key, n in cells.items() if key not in suppressed)
            if not _exactly_known(
                [cells[key] for key in small], [cells[key] for key in hidden], total - shown_sum
            ):
                break
            if not candidates:
                break
            hidden.append(candidates.pop(0))
    result: dict[K, str] = {}
    for key, n in cells.items():
        if key in hidden:
            result[key] = HIDDEN
        else:
            result[key] = suppress_count(n)
    return result


def suppress_percent(numerator: int, denominator: int) -> str:
    """A whole percentage, or "—" when the base is under 5 people or the numerator is 1..4.

    With the denominator shown, a percentage of a suppressed numerator would give it back.
    """
    if denominator < SMALL_CELL or _is_small(numerator):
        return NOT_SHOWN
    percent = round(100 * numerator / denominator)
    return f"{_number(percent)}%"
