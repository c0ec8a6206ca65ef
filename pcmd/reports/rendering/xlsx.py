"""Write a report's statistical annex as an XLSX (the template suggested in DOMAIN.md §4.3).

Owns: report_xlsx().
Layout: a "Thông tin" sheet (the report's particulars and each child unit's report status);
one sheet per domain (a FigureGroup of sections I and II) whose rows are the child units — or
the unit itself when it has none — and a "Tổng cộng" row, whose columns are the figures, each
with its value for the same period last year where the report compares it; a "Chỉ tiêu"
sheet in the layout of QĐ 29/QĐ-BLĐTBXH Phụ lục 1; a "Nhiệm vụ" sheet. Headers are Vietnamese,
the header rows frozen with the unit names, printed landscape on one page wide.
Invariants: only Figure.shown / last_year_shown are written: a shown number ("1.245",
"12.500.000", "85,7%") becomes a number cell with a number format, anything else ("<5", "—")
stays the text it is, so a suppressed cell is never turned back into a count; every text cell
is a string cell passed through records.xlsx.cell_safe (a leading = + - @ gets a "'"), so no
label can run as a formula; text goes through text.clean() (NFC, no control characters).
Not here: the DOCX (docx.py), what the figures are (builder.py).
"""

from __future__ import annotations

import io
import re
from copy import copy
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from pcmd.records.xlsx import cell_safe
from pcmd.reports.content import Figure, FigureGroup, ReportDocument
from pcmd.reports.rendering.text import REPORT_STATUS_LABELS, one_line

_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(name="Times New Roman", bold=True, size=11)
_PLAIN = Font(name="Times New Roman", size=11)
_TITLE = Font(name="Times New Roman", bold=True, size=13)
_ITALIC = Font(name="Times New Roman", italic=True, size=11)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
HEADER_ROW = 4  # rows 1-3: title, unit and period, blank
ROMAN = ("I", "II")
TARGET_HEADERS = (
    "TT",
    "Chỉ số",
    "Chỉ tiêu theo kế hoạch",
    "Đơn vị tính",
    "Số liệu thực hiện trong kỳ",
    "Chỉ tiêu kế hoạch năm",
    "Số liệu lũy kế",
    "Chỉ tiêu kế hoạch giai đoạn",
    "Đánh giá",
    "Giải thích",
)
TARGET_WIDTHS = (6, 34, 40, 12, 14, 14, 14, 14, 18, 30)
TASK_HEADERS = ("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng", "Quá hạn")
TASK_WIDTHS = (6, 60, 28, 12, 18, 10)


def _local(moment: datetime) -> datetime:
    """`moment` in the site's time zone (a live build is stamped in UTC)."""
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def report_xlsx(document: ReportDocument) -> bytes:
    """The report's annex as an .xlsx file."""
    with translation.override("vi"):
        return _XlsxWriter(document).render()


def shown_value(shown: str) -> tuple[Any, str | None]:
    """(cell value, number format) for a figure as printed: "1.245" -> (1245, "#,##0"),
    "85,7%" -> (0.857, "0.0%"), "<5" -> ("<5", None)."""
    text = one_line(shown)
    percent = text.endswith("%")
    digits = text[:-1].strip() if percent else text
    if not _NUMBER.match(digits):
        return text, None
    try:
        number = Decimal(digits.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return text, None
    places = len(digits.partition(",")[2])
    decimals = "." + "0" * places if places else ""
    if percent:
        return float(number / 100), f"0{decimals}%"
    if places:
        return float(number), f"#,##0{decimals}"
    return int(number), "#,##0"


def _sheet_title(text: str, used: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, unique."""
    base = _SHEET_FORBIDDEN.sub(" ", one_line(text)).strip("' ")
    if len(base) > 31:  # cut at a word, keep the number ("II.1 Công tác truyền thông,")
        base = base[:32].rsplit(" ", 1)[0].rstrip(" ,;-")
    base = base[:31] or "Trang"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    used.add(name.lower())
    return name


class _XlsxWriter:
    def __init__(self, document: ReportDocument) -> None:
        self.d = document
        self.c = document.content
        self.wb = Workbook()
        self.used: set[str] = set()
        self.styles: dict[tuple[tuple[str, Any], ...], Any] = {}

    # --- cells ------------------------------------------------------------------------------

    def _style(self, cell: Any, **style: Any) -> None:
        """Set a cell's style; each combination is looked up in the workbook's style tables
        once and copied after (setting fonts and borders cell by cell took 5 s for a
        province's annex)."""
        # Styles are the module's constants (alive, so their ids are stable); formats are text.
        key = tuple(sorted((n, v if isinstance(v, str) else id(v)) for n, v in style.items() if v))
        cached = self.styles.get(key)
        if cached is None:
            for name, setting in style.items():
                if setting:
                    setattr(cell, name, setting)
            self.styles[key] = copy(cell._style)
        else:
            cell._style = copy(cached)

    def _text(self, ws: Worksheet, row: int, column: int, value: object, **style: Any) -> Any:
        cell = ws.cell(row=row, column=column)
        cell.value = cell_safe(one_line(value))
        cell.data_type = "s"  # a string cell, whatever it starts with
        self._style(cell, **style)
        return cell

    def _shown(self, ws: Worksheet, row: int, column: int, shown: str, *, bold: bool) -> None:
        value, number_format = shown_value(shown)
        cell = ws.cell(row=row, column=column)
        if number_format is None:
            cell.value = cell_safe(str(value))
            cell.data_type = "s"
        else:
            cell.value = value
        font = _BOLD if bold else _PLAIN
        self._style(cell, alignment=_RIGHT, border=_BOX, font=font, number_format=number_format)

    def _title_rows(self, ws: Worksheet, title: str) -> None:
        draft = " (DỰ THẢO)" if self.d.draft else ""
        self._text(ws, 1, 1, f"{title}{draft}", font=_TITLE)
        unit = f"{one_line(self.c.unit_name)} - {one_line(self.c.period_label)}"
        self._text(ws, 2, 1, unit, font=_ITALIC)  # runs over the empty cells to its right

    def _print_setup(self, ws: Worksheet, *, header_rows: str) -> None:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_title_rows = header_rows

    def _table(
        self,
        ws: Worksheet,
        title: str,
        headers: tuple[str, ...],
        widths: tuple[int, ...],
        rows: list[list],
    ) -> None:
        """A plain table under the title rows: bold boxed headers, then text or shown cells."""
        self._title_rows(ws, title)
        ws.row_dimensions[HEADER_ROW].height = 45
        for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
            self._text(ws, HEADER_ROW, column, header, font=_BOLD, alignment=_CENTRE, border=_BOX)
            ws.column_dimensions[get_column_letter(column)].width = width
        for offset, values in enumerate(rows, start=1):
            for column, value in enumerate(values, start=1):
                row = HEADER_ROW + offset
                if isinstance(value, date):
                    cell = ws.cell(row=row, column=column, value=value)
                    self._style(cell, number_format="DD/MM/YYYY", border=_BOX, font=_PLAIN)
                else:
                    self._text(ws, row, column, value, font=_PLAIN, alignment=_WRAP, border=_BOX)
        ws.freeze_panes = f"C{HEADER_ROW + 1}"
        self._print_setup(ws, header_rows=f"{HEADER_ROW}:{HEADER_ROW}")

    # --- sheets -----------------------------------------------------------------------------

    def _info(self) -> None:
        ws = self.wb.worksheets[0]
        ws.title = _sheet_title("Thông tin", self.used)
        self._title_rows(ws, "THÔNG TIN BÁO CÁO")
        facts = [
            ("Báo cáo", one_line(self.d.title)),
            ("Đơn vị", one_line(self.c.unit_name)),
            ("Kỳ báo cáo", one_line(self.c.period_label)),
            ("Số", one_line(self.d.number)),
            ("Ngày ban hành", self.d.issued_on.strftime("%d/%m/%Y") if self.d.issued_on else ""),
            ("Tình trạng", "Dự thảo" if self.d.draft else "Chính thức"),
            ("Số liệu lập lúc", _local(self.c.built_at).strftime("%H:%M %d/%m/%Y")),
        ]
        if self.c.plan_number:
            facts.append(("Theo kế hoạch", one_line(f"{self.c.plan_number} {self.c.plan_title}")))
        row = HEADER_ROW
        for label, value in facts:
            self._text(ws, row, 1, label, font=_BOLD)
            self._text(ws, row, 2, value, font=_PLAIN)
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
            row += 1
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 16
        ws.column_dimensions["C"].width = 40
        ws.column_dimensions["D"].width = 18
        self._print_setup(ws, header_rows="1:1")
        ws.page_setup.orientation = "portrait"
        if not self.c.children:
            return
        row += 1
        self._text(ws, row, 1, "Báo cáo của các đơn vị trực thuộc", font=_BOLD)
        row += 1
        for column, header in enumerate(("TT", "Mã đơn vị", "Đơn vị", "Tình trạng"), start=1):
            self._text(ws, row, column, header, font=_BOLD, alignment=_CENTRE, border=_BOX)
        for index, child in enumerate(self.c.children, start=1):
            row += 1
            status = REPORT_STATUS_LABELS.get(child.report_status, child.report_status)
            for column, value in enumerate(
                (str(index), child.unit_code, child.unit_name, status), start=1
            ):
                self._text(ws, row, column, value, font=_PLAIN, border=_BOX)

    def _group(self, part: str, group: FigureGroup) -> None:
        number = one_line(group.number).rstrip(".")
        label = f"{part}.{number} {one_line(group.title)}" if number else one_line(group.title)
        ws = self.wb.create_sheet(_sheet_title(label, self.used))
        figures = group.figures
        units: list[tuple[str, dict[str, Figure]]] = [
            (one_line(child.unit_name), child.figures) for child in self.c.children
        ]
        own = {f.key: f for f in figures}
        compared = [self._compared(f) for f in figures]
        self._title_rows(ws, label.upper())
        sub = HEADER_ROW + 1
        for column, header in ((1, "TT"), (2, "Đơn vị")):
            self._text(ws, HEADER_ROW, column, header, font=_BOLD, alignment=_CENTRE, border=_BOX)
            self._text(ws, sub, column, "", border=_BOX)
            ws.merge_cells(
                start_row=HEADER_ROW, start_column=column, end_row=sub, end_column=column
            )
        ws.column_dimensions["A"].width = 6
        ws.column_dimensions["B"].width = 28
        column = 3
        columns: list[tuple[str, bool]] = []  # (figure key, last year?)
        for figure, both in zip(figures, compared, strict=True):
            head = f"{one_line(figure.label)} ({one_line(figure.unit)})"
            self._text(ws, HEADER_ROW, column, head, font=_BOLD, alignment=_CENTRE, border=_BOX)
            self._text(ws, sub, column, "Kỳ báo cáo", font=_BOLD, alignment=_CENTRE, border=_BOX)
            columns.append((figure.key, False))
            if both:
                self._text(ws, HEADER_ROW, column + 1, "", border=_BOX)
                self._text(
                    ws, sub, column + 1, "Cùng kỳ năm trước",
                    font=_BOLD, alignment=_CENTRE, border=_BOX,
                )  # fmt: skip
                ws.merge_cells(
                    start_row=HEADER_ROW, start_column=column, end_row=HEADER_ROW,
                    end_column=column + 1,
                )  # fmt: skip
                columns.append((figure.key, True))
            for c in range(column, column + (2 if both else 1)):
                ws.column_dimensions[get_column_letter(c)].width = 14
            column += 2 if both else 1
        ws.row_dimensions[HEADER_ROW].height = 48
        ws.row_dimensions[sub].height = 30
        rows = units or [(one_line(self.c.unit_name), own)]
        total = [("Tổng cộng", own)] if units else []
        row = sub
        for index, (name, values) in enumerate([*rows, *total], start=1):
            row += 1
            is_total = bool(units) and index == len(rows) + 1
            font = _BOLD if is_total else _PLAIN
            cell = ws.cell(row=row, column=1, value=None if is_total else index)
            self._style(cell, font=font, border=_BOX, alignment=_CENTRE)
            self._text(ws, row, 2, name, font=font, border=_BOX)
            for offset, (key, last_year) in enumerate(columns, start=3):
                found = values.get(key)
                shown = ""
                if found is not None:
                    shown = found.last_year_shown if last_year else found.shown
                self._shown(ws, row, offset, shown or "—", bold=is_total)
        ws.freeze_panes = f"C{sub + 1}"
        self._print_setup(ws, header_rows=f"{HEADER_ROW}:{sub}")

    def _compared(self, figure: Figure) -> bool:
        """Whether a figure has a same-period-last-year value anywhere in the report."""
        if one_line(figure.last_year_shown):
            return True
        return any(
            one_line(getattr(child.figures.get(figure.key), "last_year_shown", ""))
            for child in self.c.children
        )

    def _targets(self) -> None:
        ws = self.wb.create_sheet(_sheet_title("Chỉ tiêu", self.used))
        rows = [
            [
                t.number,
                t.indicator or t.text,
                t.text,
                t.unit,
                t.this_period,
                t.year_target,
                t.cumulative,
                t.programme_target,
                t.status_label,
                t.explanation,
            ]
            for t in self.c.targets
        ]
        self._table(ws, "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", TARGET_HEADERS, TARGET_WIDTHS, rows)
        for offset, target in enumerate(self.c.targets, start=1):
            for column, shown in zip(
                (5, 6, 7, 8),
                (target.this_period, target.year_target, target.cumulative,
                 target.programme_target),
                strict=True,
            ):  # fmt: skip
                self._shown(ws, HEADER_ROW + offset, column, shown or "—", bold=False)

    def _tasks(self) -> None:
        ws = self.wb.create_sheet(_sheet_title("Nhiệm vụ", self.used))
        rows = [
            [t.number, t.title, t.lead, t.deadline or "", t.status_label, "Có" if t.overdue else ""]
            for t in self.c.tasks
        ]
        self._table(ws, "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", TASK_HEADERS, TASK_WIDTHS, rows)

    def render(self) -> bytes:
        self._info()
        for part, groups in zip(ROMAN, (self.c.situation, self.c.results), strict=True):
            for group in groups:
                if group.figures:
                    self._group(part, group)
        if self.c.targets:
            self._targets()
        if self.c.tasks:
            self._tasks()
        props = self.wb.properties
        props.title = one_line(self.d.title)[:255]
        props.creator = one_line(self.d.issuer or self.c.unit_name)[:255]
        out = io.BytesIO()
        self.wb.save(out)
        return out.getvalue()
