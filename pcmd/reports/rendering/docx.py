"""Write a periodic report as a DOCX in the official layout of Decree 30/2020/NĐ-CP, Phụ lục I.

Owns: report_docx().
Input: a ReportDocument (content.py): the figures as shown after suppression, the narrative
and the particulars of the document (number, place, date, signer, recipients).
Layout (DOMAIN.md §5.1-§5.2): A4 portrait, the decree's margins and Times New Roman, page
numbers from page 2 (pcmd.common.docx, shared with the plans); an optional "DỰ THẢO" box in
the first page's header; the header table; "BÁO CÁO" and the trích yếu; the preamble; I. the
situation and II. the results, a line per figure ("- Số buổi tuyên truyền: 12 buổi (cùng kỳ năm
trước: 9 buổi);"), then the target table in the layout of QĐ 29/QĐ-BLĐTBXH Phụ lục 1 and the
tasks with their status, the overdue ones listed again; III. Đánh giá chung (ưu điểm; tồn tại,
hạn chế; nguyên nhân; bài học kinh nghiệm); IV. Phương hướng, nhiệm vụ; V. Đề xuất, kiến nghị;
"Nơi nhận" and the signature; for a consolidated report a landscape annex with one table per
domain, the child units as rows and a "Tổng cộng" row.
Invariants: only Figure.shown / last_year_shown are printed (never the true numbers); every
text goes through text.clean() (NFC, no control characters); a part with nothing to say is
left out of an approved document and marked "(Chưa có nội dung)" in a draft, so the writer sees
what is missing; the words of the document are Vietnamese whatever the user's language (it is
the official document, not the interface).
Not here: what the figures are (builder.py), who may download (views), the XLSX (xlsx.py).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt
from docx.table import Table

from pcmd.common.docx import (
    BLANK,
    CENTER,
    FONT,
    LANDSCAPE_TEXT_WIDTH_MM,
    LEFT,
    TEXT_WIDTH_MM,
    UBND,
    closing_table,
    dated_line,
    document_new,
    header_table,
    issuer_lines,
    landscape_section,
    paragraph,
    paragraph_borders,
    place_from_unit,
    title_block,
    vn_date,
)
from pcmd.reports.content import Figure, FigureGroup, ReportDocument
from pcmd.reports.rendering.text import (
    clean,
    figure_line,
    next_period_label,
    one_line,
    paragraphs,
    period_year,
)

_QUOTE = {'"': "&quot;"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
MISSING = "(Chưa có nội dung)"
DRAFT_MARK = "DỰ THẢO"
TABLE_PT = 11
ARCHIVE = "Lưu: VT"

TARGET_HEADERS = (
    "TT",
    "Chỉ số",
    "Đơn vị tính",
    "Thực hiện trong kỳ",
    "Chỉ tiêu năm",
    "Lũy kế",
    "Chỉ tiêu kế hoạch",
    "Đánh giá",
)
TARGET_WIDTHS = (9, 40, 14, 18, 18, 18, 18, 30)  # mm, 165 in all
TASK_HEADERS = ("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng")
TASK_WIDTHS = (9, 70, 34, 22, 30)
ANNEX_FIXED_WIDTHS = (10, 50)  # TT, Đơn vị
ANNEX_COLUMNS = 8  # figures per annex table; a wider domain continues in a second table

ASSESSMENT = (
    ("strengths", "Ưu điểm"),
    ("shortcomings", "Tồn tại, hạn chế"),
    ("causes", "Nguyên nhân"),
    ("lessons", "Bài học kinh nghiệm"),
)


def report_docx(document: ReportDocument) -> bytes:
    """The report as a .docx file."""
    with translation.override("vi"):
        return _ReportWriter(document).render()


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _fmt_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _report_number(number: str) -> str:
    """ "5/BC-UBND" -> "05/BC-UBND"; "" -> blanks for the clerk, "      /BC-UBND"."""
    number = one_line(number)
    if not number:
        return f"{BLANK}/BC-UBND"
    match = re.match(r"^(\d)(/.*)$", number)
    return f"0{match[1]}{match[2]}" if match else number


def _xml_rows(
    rows: list[list[str]],
    twips: list[str],
    style_ids: list[str],
    *,
    header: bool = False,
    bold_last: bool = False,
) -> str:
    """<w:tr> elements as text: a paragraph of the given style per cell, line breaks kept as
    <w:br/>. Text is XML-escaped here (it shows unchanged) after clean() removed what XML
    cannot hold."""
    row_pr = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
    v_align = '<w:vAlign w:val="center"/>' if header else ""
    starts = [
        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{v_align}</w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{escape(style, _QUOTE)}"/></w:pPr>'
        for w, style in zip(twips, style_ids, strict=True)
    ]
    out = []
    for index, values in enumerate(rows, start=1):
        run_pr = "<w:rPr><w:b/></w:rPr>" if bold_last and index == len(rows) else ""
        out.append("<w:tr>" + row_pr)
        for start, value in zip(starts, values, strict=True):
            text = clean(value)
            out.append(start)
            if text:
                lines = '</w:t><w:br/><w:t xml:space="preserve">'.join(
                    escape(line) for line in text.split("\n")
                )
                out.append(f'<w:r>{run_pr}<w:t xml:space="preserve">{lines}</w:t></w:r>')
            out.append("</w:p></w:tc>")
        out.append("</w:tr>")
    return "".join(out)


class _ReportWriter:
    def __init__(self, document: ReportDocument) -> None:
        self.d = document
        self.c = document.content
        self.doc: Any = document_new()
        self.parts = 0
        self.issuer = issuer_lines(one_line(document.issuer), one_line(self.c.unit_name))
        self._table_styles()

    # --- set-up -----------------------------------------------------------------------------

    def _table_styles(self) -> None:
        """Paragraph styles for table cells: one style per kind of cell keeps each cell to a
        style reference (a province's annex has thousands of cells)."""
        from docx.enum.style import WD_STYLE_TYPE

        styles = self.doc.styles
        self.cell_styles = {}
        for name, align, bold in (
            ("PCMD Table", LEFT, False),
            ("PCMD Table Number", CENTER, False),
            ("PCMD Table Head", CENTER, True),
        ):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.font.size = Pt(TABLE_PT)
            style.font.name = FONT
            style.font.bold = bold
            fmt = style.paragraph_format
            fmt.alignment = align
            fmt.space_before = Pt(2)
            fmt.space_after = Pt(2)
            fmt.line_spacing = 1.0
            fmt.first_line_indent = Mm(0)
            self.cell_styles[name] = style

    # --- small writers ----------------------------------------------------------------------

    def _para(self, text: str, **options: Any) -> Any:
        return paragraph(self.doc, clean(text), **options)

    def _heading(self, text: str, *, level: int) -> None:
        self._para(text, bold=level <= 2, italic=level >= 3, keep_with_next=True)

    def _missing(self) -> None:
        self._para(MISSING, italic=True)

    def _lines(self, items: list[str], *, bullet: str = "-") -> None:
        """ "- …;" lines, the last ending with "."."""
        for index, item in enumerate(items):
            text = item.rstrip(" .;,")
            end = "." if index == len(items) - 1 else ";"
            self._para(f"{bullet} {text}{end}")

    def _text(self, text: str) -> bool:
        """A narrative text, a paragraph per line; False when there is none."""
        lines = paragraphs(text)
        for line in lines:
            self._para(line)
        return bool(lines)

    def _part(self, title: str, body: Callable[[], object], *, empty: bool) -> None:
        """A Roman-numbered part; an empty one is left out of a final document."""
        if empty and not self.d.draft:
            return
        self.parts += 1
        self._heading(f"{ROMAN[self.parts - 1]}. {title.upper()}", level=1)
        if empty:
            self._missing()
        else:
            body()

    # --- tables -----------------------------------------------------------------------------

    def _grid(
        self,
        headers: list[str],
        rows: list[list[str]],
        widths_mm: list[float],
        *,
        numeric_from: int,
        bold_last: bool = False,
    ) -> Table:
        """A bordered table with a repeated bold header row; columns from `numeric_from` on
        are centred (figures), the others left-aligned (names), the first (TT) centred.

        The rows are written as XML text and parsed once: python-docx looks a style up by
        walking every style for each paragraph, which took 20 s for a province's annex, and
        building the cells element by element still took 1 s."""
        table = self.doc.add_table(rows=0, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = 1  # centred on the page
        table.autofit = False  # fixed layout: the widths below hold in Word and LibreOffice
        tbl = table._tbl
        widths = [Mm(w) for w in widths_mm]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        twips = [str(int(w.twips)) for w in widths]
        ids = {name: style.style_id for name, style in self.cell_styles.items()}
        body = [
            ids["PCMD Table Number"] if i == 0 or i >= numeric_from else ids["PCMD Table"]
            for i in range(len(headers))
        ]
        head = [ids["PCMD Table Head"]] * len(headers)
        xml = _xml_rows([headers], twips, head, header=True)
        xml += _xml_rows(rows, twips, body, bold_last=bold_last)
        for tr in parse_xml(f"<w:tbl {nsdecls('w')}>{xml}</w:tbl>"):
            tbl.append(tr)
        return table

    # --- page 1 -----------------------------------------------------------------------------

    def _draft_mark(self) -> None:
        """A boxed "DỰ THẢO" at the top right of page 1, in its own (first-page) header."""
        par = self.doc.sections[0].first_page_header.paragraphs[0]
        par.alignment = CENTER
        par.paragraph_format.left_indent = Mm(TEXT_WIDTH_MM - 32)
        run = par.runs[0] if par.runs else par.add_run()
        run.text = DRAFT_MARK
        run.bold = True
        run.font.size = Pt(13)
        run.font.name = FONT
        paragraph_borders(par, ("top", "left", "bottom", "right"), size=8)

    def _header(self) -> None:
        place = one_line(self.d.place) or place_from_unit(one_line(self.c.unit_name))
        header_table(
            self.doc,
            parent_body=one_line(self.d.issuer_parent),
            issuer=self.issuer,
            number=_report_number(self.d.number),
            dated=dated_line(place, self.d.issued_on, year=period_year(self.c.period)),
        )

    def _title(self) -> None:
        title = paragraphs(self.d.title) or [
            f"Kết quả công tác phòng, chống mại dâm {_lower_first(one_line(self.c.period_label))}"
        ]
        title_block(self.doc, "BÁO CÁO", title)

    def _body_name(self) -> str:
        """The issuing body as a sentence names it: "Ủy ban nhân dân huyện Hoằng Hóa"."""
        if self.issuer[0] == UBND:
            return f"Ủy ban nhân dân {_lower_first(one_line(self.c.unit_name))}"
        return " ".join(self.issuer)

    def _preamble(self) -> None:
        if self._text(self.d.preamble):
            return
        lead = ""
        if self.c.plan_number:
            day, month, year = vn_date(self.c.plan_issued_on)
            when = f" ngày {day}/{month}/{year}" if year else ""
            lead = f"Thực hiện Kế hoạch số {one_line(self.c.plan_number)}{when}, "
        period = _lower_first(one_line(self.c.period_label))
        body = self._body_name()
        if lead:
            body = _lower_first(body) if body.startswith("Ủy ban") is False else body
        self._para(f"{lead}{body} báo cáo kết quả công tác phòng, chống mại dâm {period} như sau:")

    # --- I and II ---------------------------------------------------------------------------

    @staticmethod
    def _printable(figure: Figure) -> bool:
        return figure.shown.strip() not in ("", "—")

    def _group_empty(self, group: FigureGroup) -> bool:
        return not any(self._printable(f) for f in group.figures) and not paragraphs(group.text)

    def _group(self, group: FigureGroup, number: str) -> None:
        self._heading(f"{number}. {one_line(group.title)}", level=2)
        figures = [f for f in group.figures if self._printable(f)]
        if not figures:
            if not self._text(group.text):
                self._missing()
            return
        # A breakdown ("establishments.type.karaoke") is a "+" line under its total.
        for index, figure in enumerate(figures):
            sub = figure.key.count(".") >= 2
            last = index == len(figures) - 1
            end = "." if last else ";"
            self._para(f"{'+' if sub else '-'} {figure_line(figure)}{end}")

    def _groups(self, groups: list[FigureGroup]) -> int:
        """The groups worth printing, numbered as the builder numbered them; the last number."""
        last = 0
        for index, group in enumerate(groups, start=1):
            if self._group_empty(group) and not self.d.draft:
                continue
            number = one_line(group.number).rstrip(".") or str(index)
            last = int(number) if number.isdigit() else last + 1
            self._group(group, number)
        return last

    def _situation(self) -> None:
        self._groups(self.c.situation)

    def _results(self) -> None:
        number = self._groups(self.c.results)
        if self.c.targets:
            number += 1
            self._heading(f"{number}. Kết quả thực hiện các chỉ tiêu", level=2)
            self._targets()
        if self.c.tasks:
            number += 1
            self._heading(f"{number}. Tình hình thực hiện các nhiệm vụ của kế hoạch", level=2)
            self._tasks()

    def _targets(self) -> None:
        rows = []
        for row in self.c.targets:
            assessment = one_line(row.status_label)
            if one_line(row.explanation):
                assessment = f"{assessment}\n{one_line(row.explanation)}".strip()
            rows.append(
                [
                    row.number,
                    one_line(row.indicator) or one_line(row.text),
                    row.unit,
                    row.this_period,
                    row.year_target,
                    row.cumulative,
                    row.programme_target,
                    assessment,
                ]
            )
        self._grid(list(TARGET_HEADERS), rows, list(TARGET_WIDTHS), numeric_from=2)
        self._para("", indent=False, space_after=0)

    def _tasks(self) -> None:
        tasks = self.c.tasks
        done = sum(1 for t in tasks if t.status == "done")
        overdue = [t for t in tasks if t.overdue]
        summary = f"Kế hoạch có {len(tasks)} nhiệm vụ; đến hết kỳ báo cáo đã hoàn thành {done}"
        summary += f", {len(overdue)} nhiệm vụ quá hạn." if overdue else "."
        self._para(summary)
        self._heading("a) Tình hình thực hiện từng nhiệm vụ", level=3)
        rows = [
            [
                t.number,
                one_line(t.title),
                one_line(t.lead),
                _fmt_date(t.deadline),
                one_line(t.status_label) + (" (quá hạn)" if t.overdue else ""),
            ]
            for t in tasks
        ]
        self._grid(list(TASK_HEADERS), rows, list(TASK_WIDTHS), numeric_from=3)
        self._para("", indent=False, space_after=0)
        if overdue:
            self._heading("b) Nhiệm vụ chậm tiến độ, quá hạn", level=3)
            self._lines(
                [
                    f"{one_line(t.title)}"
                    + (f" ({one_line(t.lead)}" if t.lead else " (")
                    + (f"; thời hạn {_fmt_date(t.deadline)})" if t.deadline else ")")
                    for t in overdue
                ]
            )

    # --- III, IV, V -------------------------------------------------------------------------

    def _assessment(self) -> None:
        number = 0
        for name, title in ASSESSMENT:
            text = getattr(self.d.narrative, name)
            if not paragraphs(text) and not self.d.draft:
                continue
            number += 1
            self._heading(f"{number}. {title}", level=2)
            if not self._text(text):
                self._missing()

    # --- closing and annex ------------------------------------------------------------------

    def _recipients(self) -> list[str]:
        """The recipients with the archive line last ("- Lưu: VT, …")."""
        names = [one_line(r).lstrip("-").strip() for r in self.d.recipients]
        names = [n for n in names if n.rstrip(".;,")]
        archive = [n for n in names if n.lower().startswith("lưu")]
        rest = [n for n in names if not n.lower().startswith("lưu")]
        return [*rest, *(archive or [ARCHIVE])]

    def _signer_lines(self) -> list[str]:
        mode = one_line(self.d.signing_mode).upper().rstrip(".")
        title = one_line(self.d.signer_title).upper() or "CHỦ TỊCH"
        if mode == "KT":
            superior = re.sub(r"^PHÓ\s+", "", title)
            return [f"KT. {superior}", title]
        if mode == "TM":
            return [f"TM. {self.issuer[0]}", title]
        return [title]

    def _closing(self) -> None:
        closing_table(
            self.doc,
            recipients=self._recipients(),
            signer_lines=self._signer_lines(),
            signer_name=one_line(self.d.signer_name),
        )

    def _annex(self) -> None:
        landscape_section(self.doc)
        day, month, year = vn_date(self.d.issued_on)
        if not year:
            day, month, year = BLANK, BLANK, period_year(self.c.period) or BLANK
        note = (
            f"(Kèm theo Báo cáo số {_report_number(self.d.number)} ngày {day} tháng {month} "
            f"năm {year} của {self._body_name()})"
        )
        title_block(
            self.doc,
            "PHỤ LỤC",
            [f"Số liệu của các đơn vị trực thuộc {_lower_first(one_line(self.c.period_label))}"],
            note=note,
            text_width_mm=LANDSCAPE_TEXT_WIDTH_MM,
        )
        children = self.c.children
        marked = [c for c in children if c.report_status != "approved"]
        totals = self.c.figures()
        table_number = 0
        for group in [*self.c.situation, *self.c.results]:
            keys = [f.key for f in group.figures]
            if not keys:
                continue
            for start in range(0, len(keys), ANNEX_COLUMNS):
                chunk = group.figures[start : start + ANNEX_COLUMNS]
                table_number += 1
                more = " (tiếp theo)" if start else ""
                self._para(
                    f"Biểu {table_number}. {one_line(group.title)}{more}",
                    bold=True, indent=False, keep_with_next=True,
                )  # fmt: skip
                free = LANDSCAPE_TEXT_WIDTH_MM - sum(ANNEX_FIXED_WIDTHS)
                widths = [*ANNEX_FIXED_WIDTHS, *([free / len(chunk)] * len(chunk))]
                headers = [
                    "TT",
                    "Đơn vị",
                    *(f"{one_line(f.label)} ({one_line(f.unit)})" for f in chunk),
                ]
                rows = []
                for index, child in enumerate(children, start=1):
                    star = " (*)" if child.report_status != "approved" else ""
                    rows.append(
                        [
                            str(index),
                            f"{one_line(child.unit_name)}{star}",
                            *(self._child_shown(child.figures.get(f.key)) for f in chunk),
                        ]
                    )
                rows.append(
                    ["", "Tổng cộng", *(self._child_shown(totals.get(f.key)) for f in chunk)]
                )
                self._grid(headers, rows, widths, numeric_from=2, bold_last=True)
                self._para("", indent=False, space_after=0)
        if marked:
            self._para(
                "(*) Đơn vị chưa có báo cáo được cấp trên phê duyệt tại thời điểm lập báo cáo.",
                italic=True,
                size=12,
            )

    @staticmethod
    def _child_shown(figure: Figure | None) -> str:
        return figure.shown if figure is not None and figure.shown else "—"

    # --- the whole ----------------------------------------------------------------------------

    def render(self) -> bytes:
        if self.d.draft:
            self._draft_mark()
        self._header()
        self._title()
        self._preamble()
        c, n = self.c, self.d.narrative
        self._part(
            "Tình hình tệ nạn mại dâm trên địa bàn",
            self._situation,
            empty=all(self._group_empty(g) for g in c.situation),
        )
        self._part(
            "Kết quả thực hiện",
            self._results,
            empty=all(self._group_empty(g) for g in c.results) and not (c.targets or c.tasks),
        )
        self._part(
            "Đánh giá chung",
            self._assessment,
            # A draft shows each of the four headings, marked where still empty.
            empty=not any(paragraphs(getattr(n, name)) for name, _t in ASSESSMENT)
            and not self.d.draft,
        )
        following = next_period_label(c.period)
        self._part(
            f"Phương hướng, nhiệm vụ {following}".strip(),
            lambda: self._text(n.next_tasks),
            empty=not paragraphs(n.next_tasks),
        )
        self._part(
            "Đề xuất, kiến nghị",
            lambda: self._text(n.recommendations),
            empty=not paragraphs(n.recommendations),
        )
        self._closing()
        if self.d.consolidated and c.children:
            self._annex()
        props = self.doc.core_properties
        props.title = one_line(self.d.title)[:255]
        props.author = props.last_modified_by = " ".join(self.issuer)[:255]
        props.subject = "Báo cáo"
        props.keywords = DRAFT_MARK if self.d.draft else ""
        props.comments = ""
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()
