"""Adding up the children's figures without counting anything twice.

Owns: figures_consolidate(), frozen_numbers().
Invariants: an additive figure of a unit with children is
    live value of the unit + Σ over children with an approved report (frozen − live),
so a child with an approved report contributes its frozen numbers, any other child its live
ones, and the unit's own-level records (and those of abolished units that are no child's) are
counted exactly once; shares add numerators and denominators; figures that are not additive
(a unit's own monthly web posts) keep the unit's live value.
Not here: which children a unit has (build.report_children).
"""

from __future__ import annotations

from pcmd.reports.builder.figures import SPECS, ZERO, Numbers
from pcmd.reports.content import (
    Figure,
)

# --- Consolidation ------------------------------------------------------------------------


def _additive(key: str) -> bool:
    spec = SPECS.get(key)
    return True if spec is None else spec.additive


def _add(a: Numbers, b: Numbers, sign: int = 1) -> Numbers:
    num = a[0] + sign * b[0]
    if a[1] is None and b[1] is None:
        return num, None
    return num, (a[1] or ZERO) + sign * (b[1] or ZERO)


def frozen_numbers(figure: Figure) -> Numbers:
    return figure.numerator or ZERO, figure.denominator


def figures_consolidate(
    own: dict[str, Numbers], corrections: list[tuple[dict[str, Numbers], dict[str, Numbers]]]
) -> dict[str, Numbers]:
    """The unit's live numbers, each additive one corrected by (frozen − live) for every child
    whose approved report is used: nothing is counted twice, own-level records stay in."""
    out = dict(own)
    for frozen, live in corrections:
        for key in set(frozen) | set(live):
            if not _additive(key):
                continue
            base = out.get(key, (ZERO, None))
            out[key] = _add(
                _add(base, frozen.get(key, (ZERO, None))), live.get(key, (ZERO, None)), -1
            )
    return out
