"""Adding up the children's figures: frozen where approved, nothing twice."""

from __future__ import annotations

from decimal import Decimal as D

from pcmd.reports.builder.consolidation import figures_consolidate


def test_an_approved_child_replaces_its_live_numbers_with_its_frozen_ones() -> None:
    # The parent's live count (12) holds its own 2, child A's live 6 and child B's live 4.
    own = {"outreach-events": (D(12), None), "establishments-inspected": (D(3), D(10))}
    frozen_a = {"outreach-events": (D(5), None), "establishments-inspected": (D(2), D(4))}
    live_a = {"outreach-events": (D(6), None), "establishments-inspected": (D(2), D(5))}
    out = figures_consolidate(own, [(frozen_a, live_a)])
    assert out["outreach-events"] == (D(11), None)  # 2 own + 5 frozen + 4 live
    assert out["establishments-inspected"] == (D(3), D(9))  # shares add both numbers


def test_figures_that_do_not_add_up_keep_the_units_own_value() -> None:
    own = {"web-posts-monthly": (D(5), D(6))}
    out = figures_consolidate(
        own, [({"web-posts-monthly": (D(6), D(6))}, {"web-posts-monthly": (D(1), D(6))})]
    )
    assert out["web-posts-monthly"] == (D(5), D(6))


def test_without_approved_children_the_units_live_numbers_stand() -> None:
    own = {"inspections": (D(7), None)}
    assert figures_consolidate(own, []) == own
