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


# The order ECMA-376 gives the children of the property elements we write (Word refuses a
# document whose properties come out of order or twice).
_ORDER = {
    "pPr": (
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
        "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ),
    "tblPr": (
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
        "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
        "tblDescription tblPrChange"
    ),
    "tcPr": (
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
        "vAlign hideMark"
    ),
    "rPr": (
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
        "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
        "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
    ),
}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def assert_schema_order(data: bytes) -> None:
    """Every pPr, tblPr, tcPr and rPr of every part holds its children once and in order."""
    import io
    import zipfile

    from lxml import etree

    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if not (name.startswith("word/") and name.endswith(".xml")):
            continue
        root = etree.fromstring(archive.read(name))
        for parent, order in _ORDER.items():
            names = order.split()
            for element in root.iter(f"{_W}{parent}"):
                tags = [c.tag.removeprefix(_W) for c in element if isinstance(c.tag, str)]
                known = [t for t in tags if t in names]
                positions = [names.index(t) for t in known]
                assert positions == sorted(set(positions)), (name, parent, tags)
