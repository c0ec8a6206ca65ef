"""Building blocks of an administrative document in the layout of Decree 30/2020/NĐ-CP, Phụ lục I.

Owns: the page set-up (A4, margins, Times New Roman, page numbers from page 2), paragraphs and
table-cell paragraphs, short rules, borderless tables, the header table (issuing body and number
left, national name, motto and place/date right), the title block, the "Nơi nhận" / signature
table, Vietnamese dates, and the issuing body's lines.
Entry points: document_new(), paragraph(), cell_paragraph(), short_rule(), borderless(),
paragraph_borders(),
header_table(), title_block(), closing_table(), landscape_section(), dated_line(), vn_date(),
issuer_lines(), place_from_unit(), page_field().
Invariants: every size and margin lies inside the decree's ranges (DOMAIN.md §5.1); the first
page's header never carries a page number; every run is set in FONT. Callers pass text that is
already XML-safe (python-docx refuses control characters).
Not here: what a plan or a report says (plans.rendering, reports.rendering).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 14
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165 mm
LANDSCAPE_TEXT_WIDTH_MM = PAGE_HEIGHT_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 252 mm
HEADER_LEFT_MM = 62
FIRST_LINE_INDENT = Cm(1.27)
BLANK = "      "  # room for the clerk to write a day, a month or a number by hand

UBND = "ỦY BAN NHÂN DÂN"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT

_UNIT_PREFIXES = (
    "thành phố",
    "thị trấn",
    "thị xã",
    "đặc khu",
    "phường",
    "tỉnh",
    "huyện",
    "quận",
    "xã",
)
_ABBREVIATIONS = (("UBND", UBND), ("HĐND", "HỘI ĐỒNG NHÂN DÂN"))


# --- words -------------------------------------------------------------------------------


def vn_date(value: Any) -> tuple[str, str, str]:
    """(day, month, year) as the decree writes them: day < 10 and months 1-2 get a leading 0."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            value = None
    if not isinstance(value, date):
        return ("", "", "")
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return (day, month, str(value.year))


def dated_line(place: str, issued_on: Any, *, year: str = "") -> str:
    """ "Hoằng Hợp, ngày 03 tháng 7 năm 2025"; without a date, blanks to fill in by hand (and
    `year` when the caller knows it)."""
    day, month, yr = vn_date(issued_on)
    if not yr:
        day, month, yr = BLANK, BLANK, year or BLANK
    when = f"ngày {day} tháng {month} năm {yr}"
    return f"{place}, {when}" if place else when.capitalize()


def place_from_unit(name: str | None) -> str:
    """The place name of a unit: "Xã Hoằng Hợp" -> "Hoằng Hợp"."""
    name = (name or "").strip()
    lowered = name.lower()
    for prefix in _UNIT_PREFIXES:
        if lowered.startswith(prefix + " "):
            return name[len(prefix) + 1 :].strip()
    return name


def _expand(text: str) -> str:
    for short, long in _ABBREVIATIONS:
        text = re.sub(rf"\b{short}\b", long, text)
    return text


def issuer_lines(issuer: str | None, org_unit_name: str | None) -> list[str]:
    """The issuing body in capitals, the way headers break it: "ỦY BAN NHÂN DÂN" / "XÃ …"."""
    text = _expand((issuer or "").strip())
    if not text and org_unit_name:
        text = f"{UBND} {org_unit_name.strip()}"
    text = text.upper()
    if not text:
        return [UBND]
    if text.startswith(UBND + " "):
        return [UBND, text[len(UBND) + 1 :].strip()]
    return [text]


# --- page --------------------------------------------------------------------------------


def page_field(paragraph: Paragraph) -> None:
    """A PAGE field (the page number, updated by Word and LibreOffice)."""
    run = paragraph.add_run()
    run.font.name = FONT
    run.font.size = Pt(BODY_PT)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "2"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, shown, end):
        run._r.append(element)


def _page_size(section: Section, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long_side, short_side = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
    section.page_width = long_side if landscape else short_side
    section.page_height = short_side if landscape else long_side
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def _styles(document: Any) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    fmt.line_spacing = 1.15
    # LibreOffice moves a whole chain of kept-together headings to the next page when
    # widow control is on, leaving half a page empty; Word does not need it either.
    fmt.widow_control = False
    for name in ("Header", "Footer"):
        if name in [s.name for s in styles]:
            styles[name].font.name = FONT
            styles[name].font.size = Pt(BODY_PT)


def document_new() -> Any:
    """An empty A4 portrait document: the decree's margins and fonts, page numbers centred in
    the top margin from page 2 on (page 1 has its own, empty, header)."""
    document = Document()
    section = document.sections[0]
    _page_size(section, landscape=False)
    section.different_first_page_header_footer = True
    header_par = section.header.paragraphs[0]
    header_par.alignment = CENTER
    page_field(header_par)
    section.first_page_header.paragraphs[0].text = ""
    _styles(document)
    return document


def landscape_section(document: Any) -> Section:
    """A new landscape section on a new page (an annex of tables); its page numbers go on."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page_size(section, landscape=True)
    # The first page of the annex is not page 1 of the document: it shows its number.
    section.different_first_page_header_footer = False
    return section


# --- paragraphs ----------------------------------------------------------------------------


def _run(paragraph: Paragraph, text: str, *, bold: bool, italic: bool, size: float) -> Any:
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    run.font.size = Pt(size)
    run.font.name = FONT
    return run


def paragraph(
    container: Any,
    text: str = "",
    *,
    align: Any = JUSTIFY,
    bold: bool = False,
    italic: bool = False,
    size: float = BODY_PT,
    indent: bool = True,
    space_after: float = 6,
    keep_with_next: bool = False,
) -> Paragraph:
    """A body paragraph: justified with a first-line indent unless told otherwise."""
    par = container.add_paragraph()
    fmt = par.paragraph_format
    par.alignment = align
    fmt.first_line_indent = FIRST_LINE_INDENT if indent else Cm(0)
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if keep_with_next:
        fmt.keep_with_next = True
    if text:
        _run(par, text, bold=bold, italic=italic, size=size)
    return par


def cell_paragraph(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    align: Any = CENTER,
    underline: bool = False,
    first: bool = False,
    space_after: float = 0,
) -> Paragraph:
    """A paragraph in a table cell (the cell's own first paragraph when `first`)."""
    par = cell.paragraphs[0] if first else cell.add_paragraph()
    par.alignment = align
    fmt = par.paragraph_format
    fmt.first_line_indent = Cm(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = 1.0
    if text:
        run = _run(par, text, bold=bold, italic=italic, size=size)
        run.underline = underline
    return par


# What may follow <w:pBdr> in <w:pPr> and <w:tblBorders> in <w:tblPr> (ECMA-376 order): Word
# refuses a document whose property elements come out of order.
PBDR_SUCCESSORS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
TBLBORDERS_SUCCESSORS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip


def paragraph_borders(par: Paragraph, edges: tuple[str, ...], *, size: int = 6) -> None:
    """Solid black borders on the given edges ("top", "left", "bottom", "right")."""
    borders = OxmlElement("w:pBdr")
    for edge in edges:
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:space"), "1")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    par._p.get_or_add_pPr().insert_element_before(borders, *PBDR_SUCCESSORS)


def short_rule(par: Paragraph, *, width_mm: float, cell_width_mm: float) -> None:
    """A short solid line under the paragraph above (a bottom border on an empty one)."""
    side = max((cell_width_mm - width_mm) / 2, 0)
    fmt = par.paragraph_format
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.space_after = Pt(6)
    paragraph_borders(par, ("bottom",))
    ppr = par._p.get_or_add_pPr()
    # An empty paragraph keeps the font size small so the line sits close to the text.
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")
    mark.append(size)
    ppr.append(mark)


def borderless(table: Table, widths_mm: list[float]) -> None:
    """No borders, fixed column widths, centred on the page."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # <w:tblLayout w:type="fixed"/>
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, *TBLBORDERS_SUCCESSORS)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)
    for column, width in zip(table.columns, widths_mm, strict=False):
        column.width = Mm(width)


# --- the parts of the document -------------------------------------------------------------


def header_table(
    document: Any, *, parent_body: str, issuer: list[str], number: str, dated: str
) -> Table:
    """The borderless two-column header of page 1: parent body (if any), issuing body in bold
    with its short rule, "Số: …" left; national name, motto with its rule, place and date
    (italic) right."""
    left_w, right_w = HEADER_LEFT_MM, TEXT_WIDTH_MM - HEADER_LEFT_MM
    table = document.add_table(rows=2, cols=2)
    borderless(table, [left_w, right_w])
    top_left, top_right = table.rows[0].cells
    bottom_left, bottom_right = table.rows[1].cells

    first = True
    if parent_body:
        cell_paragraph(top_left, parent_body.upper(), first=True)
        first = False
    for line in issuer:
        cell_paragraph(top_left, line, bold=True, first=first)
        first = False
    short_rule(cell_paragraph(top_left, ""), width_mm=left_w / 2.6, cell_width_mm=left_w)

    cell_paragraph(top_right, NATIONAL_NAME, bold=True, size=12.5, first=True)
    cell_paragraph(top_right, MOTTO, bold=True, size=14, underline=True, space_after=6)

    cell_paragraph(bottom_left, f"Số: {number}", first=True, space_after=6)
    cell_paragraph(bottom_right, dated, italic=True, size=14, first=True, space_after=6)
    paragraph(document, "", indent=False, space_after=0)
    return table


def title_block(
    document: Any,
    kind: str,
    lines: list[str],
    *,
    note: str = "",
    text_width_mm: float = TEXT_WIDTH_MM,
) -> None:
    """The type name ("BÁO CÁO") and the trích yếu, centred and bold, an optional italic note
    under them, and a short rule (centred on a text `text_width_mm` wide)."""
    paragraph(document, kind, align=CENTER, bold=True, indent=False, space_after=0)
    for line in lines or [""]:
        paragraph(document, line, align=CENTER, bold=True, indent=False, space_after=0)
    if note:
        paragraph(document, note, align=CENTER, italic=True, indent=False, space_after=0)
    rule = paragraph(document, "", align=CENTER, indent=False)
    short_rule(rule, width_mm=50, cell_width_mm=text_width_mm)


def closing_table(
    document: Any, *, recipients: list[str], signer_lines: list[str], signer_name: str
) -> Table:
    """The borderless last table: "Nơi nhận:" and its "- …;" lines (the last ends with ".")
    left; the signing authority, room for the signature and seal, and the signer's name
    right. Recipients and signature stay on one page, with the paragraph before them (a
    signature alone on the last page is not accepted)."""
    paragraphs = document.paragraphs
    if paragraphs:
        paragraphs[-1].paragraph_format.keep_with_next = True
    paragraph(document, "", indent=False, space_after=0, keep_with_next=True)
    left_w = 80.0
    right_w = TEXT_WIDTH_MM - left_w
    table = document.add_table(rows=1, cols=2)
    borderless(table, [left_w, right_w])
    left, right = table.rows[0].cells
    row_pr = table.rows[0]._tr.get_or_add_trPr()
    row_pr.append(OxmlElement("w:cantSplit"))

    names = [str(r).strip() for r in recipients if str(r).strip()]
    if names:
        cell_paragraph(left, "Nơi nhận:", bold=True, italic=True, size=12, align=LEFT, first=True)
        for index, name in enumerate(names):
            name = name.lstrip("-").strip().rstrip(".;,").strip()
            end = "." if index == len(names) - 1 else ";"
            cell_paragraph(left, f"- {name}{end}", size=11, align=LEFT)

    first = True
    for line in signer_lines:
        cell_paragraph(right, line.upper(), bold=True, size=14, first=first)
        first = False
    if signer_name or not first:
        # Room for the signature and the seal.
        signed = cell_paragraph(right, signer_name, bold=True, size=14, first=first)
        signed.paragraph_format.space_before = Pt(0 if first else 80)
    return table
