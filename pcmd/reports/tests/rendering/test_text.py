"""The words of the report documents: clean text, figure lines, the next period."""

from __future__ import annotations

import unicodedata

import pytest

from pcmd.reports.rendering.text import (
    clean,
    figure_line,
    next_period_label,
    paragraphs,
    period_year,
    with_unit,
)
from pcmd.reports.tests.rendering.factories import figure


def test_clean_keeps_line_breaks_drops_what_xml_cannot_hold_and_is_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Hoằng Hợp")
    assert clean(f" {nfd}\x00\x1f\x7f\x85\ud800 \t x \r\n y\u2028z ") == "Hoằng Hợp x\ny\nz"
    assert clean(None) == ""
    assert clean("<b>&amp;</b>") == "<b>&amp;</b>"  # nothing escaped


def test_paragraphs_are_the_non_empty_lines() -> None:
    assert paragraphs("Một.\n\n  \nHai.\x0bBa.") == ["Một.", "Hai.", "Ba."]


@pytest.mark.parametrize(
    ("shown", "unit", "expected"),
    [
        ("12", "buổi", "12 buổi"),
        ("<5", "người", "<5 người"),
        ("45,5%", "%", "45,5%"),
        ("45,5%", "lượt", "45,5%"),
        ("—", "người", "—"),
        ("12", "", "12"),
    ],
)
def test_with_unit(shown: str, unit: str, expected: str) -> None:
    assert with_unit(shown, unit) == expected


def test_figure_line_prints_the_shown_values_only() -> None:
    compared = figure("x", "Số buổi", "12", unit="buổi", numerator=12, last_year_shown="9")
    assert figure_line(compared) == "Số buổi: 12 buổi (cùng kỳ năm trước: 9 buổi)"
    small = figure("p", "Nữ", "<5", numerator=3, last_year_shown="—")
    assert figure_line(small) == "Nữ: <5 người"


@pytest.mark.parametrize(
    ("period", "label", "year"),
    [
        ("2025S1", "6 tháng cuối năm 2025", "2025"),
        ("2025S2", "6 tháng đầu năm 2026", "2025"),
        ("2025", "năm 2026", "2025"),
        ("2025Q4", "quý I/2026", "2025"),
        ("2016-2020", "giai đoạn 2021-2025", "2020"),
        ("nonsense", "", ""),
    ],
)
def test_next_period_and_year(period: str, label: str, year: str) -> None:
    assert next_period_label(period) == label
    assert period_year(period) == year
