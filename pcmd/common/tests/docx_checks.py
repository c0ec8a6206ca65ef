"""Checks of the Decree 30/2020 page layout shared by the DOCX tests of plans and reports."""

from __future__ import annotations

from typing import Any

from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm


def assert_decree_page(section: Any, *, landscape: bool = False) -> None:
    """A4 in the given orientation; margins top/bottom 20-25, left 30-35, right 15-20 mm."""
    long_side, short_side = Mm(297), Mm(210)
    width, height = (long_side, short_side) if landscape else (short_side, long_side)
    assert section.orientation == (WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT)
    assert abs(section.page_width - width) < Mm(1)
    assert abs(section.page_height - height) < Mm(1)
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20


def assert_decree_font(document: Any) -> None:
    """Times New Roman 13-14 pt for the body, for every script."""
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Times New Roman"


def is_borderless(table: Any) -> bool:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    return borders is not None and all(edge.get(qn("w:val")) == "nil" for edge in borders)
