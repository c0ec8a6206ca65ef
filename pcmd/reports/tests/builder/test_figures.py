"""How a figure is printed: Vietnamese numbers, suppressed counts of people."""

from __future__ import annotations

from decimal import Decimal

from pcmd.reports.builder.figures import FIGURES, SPECS, figure_shown, spec_of_part


def test_counts_of_people_are_suppressed_when_shown_but_kept_true() -> None:
    assert figure_shown((Decimal(3), None), people=True) == (Decimal(3), "<5")
    assert figure_shown((Decimal(3), Decimal(4)), people=True)[1] == "—"
    assert figure_shown((Decimal(1234), None), people=False)[1] == "1.234"
    assert figure_shown((Decimal(1), Decimal(3)), people=False)[1] == "33,3%"
    assert figure_shown((Decimal("1234567.25"), None), people=False)[1] == "1.234.567,3"
    assert figure_shown((Decimal(0), Decimal(0)), people=False)[1] == "—"


def test_every_figure_key_is_unique_and_breakdowns_take_their_totals_unit() -> None:
    assert len(SPECS) == len(FIGURES)
    assert spec_of_part("people.group.sex_worker").people
    assert str(spec_of_part("support.service.legal_aid").unit) == "người"
