"""XLSX in and out for every records app: a template to fill, a strict reader, a safe export.

Owns: Column, RowError, xlsx_template(), xlsx_read_rows(), xlsx_count_rows(), xlsx_export(),
cell_safe(), XLSX_MAX_BYTES, XLSX_MAX_ROWS, XLSX_MAX_UNCOMPRESSED.
Entry points: an app describes its columns once (a list of Column) and uses the three functions
for its template download, its import and its export.
Invariants: reading never writes and checks the WHOLE file before returning, so the caller writes
all rows or none; every problem carries the row number as the user sees it (header = row 1), the
column's label and a Vietnamese reason; formulas and merged cells are refused, never evaluated
(a row holding only formulas too); the package is checked before anything is inflated (entry
count, declared sizes, compression ratio, then every part streamed against its declared size
and CRC), so a zip bomb, honest or lying about its sizes, is refused with bounded memory;
every exported text that a spreadsheet could run (= + - @, tab, CR) is prefixed with "'".
Not here: checks against the database (the app's services), the write itself.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils.translation import gettext as _

from pcmd.common.text import nfc, search_key

XLSX_MAX_BYTES = 40 * 1024 * 1024
XLSX_MAX_ROWS = 100_000
# A filled 100,000-row template inflates to about 60 MB of sheet XML; real sheets compress
# 10-30 times. Beyond these the file is refused before the reader inflates it.
XLSX_MAX_UNCOMPRESSED = 256 * 1024 * 1024
XLSX_MAX_ENTRIES = 1000
XLSX_MAX_RATIO = 200
KINDS = ("text", "int", "date", "choice", "bool")
_MULTI_SPLIT = re.compile(r"\s*[;\n]\s*")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")  # a cell's formula (not <formula1> of a list)
_CELL_REF = re.compile(rb'\sr="([A-Z]+)(\d+)"')
_FIRST_SHEET = re.compile(rb'<(?:\w+:)?sheet\s[^>]*?r:id="([^"]+)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_TRUE = {"co", "x", "1", "true", "yes", "dung"}
_FALSE = {"khong", "0", "false", "no", "sai"}


@dataclass(frozen=True)
class Column:
    """A column of a records file: `key` in the row dicts, `label` in the header row."""

    key: str
    label: str
    kind: str = "text"
    choices: Sequence[tuple[str, Any]] = ()  # (code, label: str or lazy)
    required: bool = False
    multiple: bool = False  # a choice column holding several values separated by ";"
    help: str = ""
    max_length: int = 1000
    min_value: int | None = 0  # counts are never negative

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    def choice_label(self, code: str) -> str:
        return next((str(label) for value, label in self.choices if value == code), code)


@dataclass(frozen=True)
class RowError:
    """A problem in `row` of the file (0: the file as a whole) and `column` (its label)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        if self.column:
            return _("Dòng %(row)d, cột “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Dòng %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class _Reader:
    columns: list[Column]
    errors: list[RowError] = field(default_factory=list)

    def error(self, row: int, column: Column | None, message: str) -> None:
        self.errors.append(RowError(row, column.label if column else "", message))


# --- template -----------------------------------------------------------------------------


def _kind_help(column: Column) -> str:
    if column.kind == "int":
        return _("Số nguyên, không âm")
    if column.kind == "date":
        return _("Ngày, dạng dd/mm/yyyy (ví dụ 15/03/2025)")
    if column.kind == "bool":
        return _("“Có” hoặc “Không”")
    if column.kind == "choice":
        if column.multiple:
            return _("Một hoặc nhiều giá trị trong danh mục, cách nhau bởi dấu “;”")
        return _("Một giá trị trong danh mục (chọn từ danh sách)")
    return _("Chữ")


def _col_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def xlsx_template(*, columns: list[Column], sheet_title: str, instructions: list[str]) -> bytes:
    """The XLSX users fill in: the header row, an instructions sheet describing every column,
    a sheet of the valid choices, and drop-downs on the choice and yes/no columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = sheet_title[:31]
    ws.append([c.label for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns, 1):
        ws.column_dimensions[_col_letter(i)].width = max(14, min(40, len(column.label) + 4))

    help_ws = wb.create_sheet(_("Hướng dẫn"))
    for line in instructions:
        help_ws.append([line])
    help_ws.append([])
    help_ws.append([_("Cột"), _("Bắt buộc"), _("Cách ghi"), _("Ghi chú")])
    for cell in help_ws[help_ws.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        help_ws.append(
            [
                column.label,
                _("Có") if column.required else _("Không"),
                _kind_help(column),
                column.help,
            ]
        )
    help_ws.column_dimensions["A"].width = 30
    help_ws.column_dimensions["C"].width = 50
    help_ws.column_dimensions["D"].width = 50

    lists = wb.create_sheet(_("Danh mục"))
    list_col = 0
    for i, column in enumerate(columns, 1):
        values: list[str] = []
        if column.kind == "choice":
            values = [str(label) for _value, label in column.choices]
        elif column.kind == "bool":
            values = [_("Có"), _("Không")]
        if not values:
            continue
        list_col += 1
        letter = _col_letter(list_col)
        lists.cell(row=1, column=list_col, value=column.label).font = Font(bold=True)
        for j, value in enumerate(values, 2):
            lists.cell(row=j, column=list_col, value=value)
        lists.column_dimensions[letter].width = 36
        validation = DataValidation(
            type="list",
            formula1=f"='{lists.title}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=not column.required,
            # Several values ("a; b") cannot come from a drop-down: allow typing them.
            showErrorMessage=not column.multiple,
        )
        ws.add_data_validation(validation)
        target = _col_letter(i)
        validation.add(f"{target}2:{target}{XLSX_MAX_ROWS + 1}")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- reading ------------------------------------------------------------------------------


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The part name of the workbook's first sheet (what Excel shows first), e.g.
    "xl/worksheets/sheet1.xml"; "" when the package does not say."""
    workbook = archive.read("xl/workbook.xml")
    first = _FIRST_SHEET.search(workbook)
    if first is None:
        return ""
    rels = archive.read("xl/_rels/workbook.xml.rels")
    for match in _RELATIONSHIP.finditer(rels):
        attrs = dict(_ATTR.findall(match.group(0)))
        if attrs.get(b"Id") == first.group(1):
            target = attrs.get(b"Target", b"").decode()
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return ""


def _sheet_problems(data: bytes) -> tuple[list[str], set[tuple[int, int]]]:
    """Merged ranges ("A1:B2") and formula cells ((row, column index)) of the first sheet,
    read from its XML: the fast reader gives values only, and both must be refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            path = _first_sheet_path(archive)
            xml = archive.read(path) if path else b""
    except (KeyError, zipfile.BadZipFile):
        return [], set()
    merged = [m.decode() for m in _MERGE.findall(xml)]
    formulas: set[tuple[int, int]] = set()
    for match in _FORMULA.finditer(xml):
        start = xml.rfind(b"<c ", 0, match.start())
        ref = _CELL_REF.search(xml, start, match.start()) if start >= 0 else None
        if ref is None:
            formulas.add((0, -1))
            continue
        formulas.add((int(ref.group(2)), _column_index(ref.group(1).decode())))
    return merged, formulas


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - 64)
    return index - 1


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value)).strip()


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if m := _DMY.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _ISO.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _choice_index(column: Column) -> dict[str, str]:
    index: dict[str, str] = {}
    for value, label in column.choices:
        index[search_key(str(label))] = value
        index[search_key(value)] = value
        index[value] = value
    return index


class _Cell:
    """Convert one cell of a column; returns (value, error message or "")."""

    def __init__(self, column: Column) -> None:
        self.column = column
        self.index = _choice_index(column) if column.kind == "choice" else {}
        self.choices_text = "; ".join(str(label) for _v, label in column.choices)

    def empty(self) -> Any:
        if self.column.kind == "choice" and self.column.multiple:
            return []
        if self.column.kind == "bool":
            return False
        if self.column.kind == "text":
            return ""
        return None

    def convert(self, value: Any) -> tuple[Any, str]:
        kind = self.column.kind
        if kind == "text":
            text = _text(value)
            if len(text) > self.column.max_length:
                return None, _("dài quá %(n)d ký tự.") % {"n": self.column.max_length}
            return text, ""
        if kind == "int":
            return self._int(value)
        if kind == "date":
            parsed = _parse_date(value)
            if parsed is None:
                return None, _("“%(v)s” không phải là ngày (ghi dạng dd/mm/yyyy).") % {
                    "v": _text(value)
                }
            return parsed, ""
        if kind == "bool":
            if isinstance(value, bool):
                return value, ""
            key = search_key(_text(value))
            if key in _TRUE:
                return True, ""
            if key in _FALSE:
                return False, ""
            return None, _("ghi “Có” hoặc “Không”.")
        return self._choice(value)

    def _int(self, value: Any) -> tuple[Any, str]:
        if isinstance(value, bool):
            return None, _("phải là số nguyên.")
        number: int | None = None
        if isinstance(value, int):
            number = value
        elif isinstance(value, float):
            number = int(value) if value.is_integer() else None  # 2.5 people is not a count
        else:
            # "1.500" and "1 500" are Vietnamese thousands; "2.5" is not a whole number.
            text = _text(value).replace(" ", "")
            if re.fullmatch(r"-?(\d+|\d{1,3}(\.\d{3})+)", text):
                number = int(text.replace(".", ""))
        if number is None:
            return None, _("“%(v)s” không phải là số nguyên.") % {"v": _text(value)}
        if self.column.min_value is not None and number < self.column.min_value:
            if self.column.min_value == 0:
                return None, _("không được là số âm.")
            return None, _("phải từ %(n)d trở lên.") % {"n": self.column.min_value}
        return number, ""

    def _choice(self, value: Any) -> tuple[Any, str]:
        text = _text(value)
        parts = [p for p in _MULTI_SPLIT.split(text) if p] if self.column.multiple else [text]
        codes: list[str] = []
        for part in parts:
            code = self.index.get(part) or self.index.get(search_key(part))
            if code is None:
                return None, _("“%(v)s” không có trong danh mục; dùng một trong: %(c)s.") % {
                    "v": part,
                    "c": self.choices_text,
                }
            if code not in codes:
                codes.append(code)
        return (codes if self.column.multiple else codes[0]), ""


def _header(reader: _Reader, cells: list[Any]) -> list[tuple[int, Column]] | None:
    by_key: dict[str, Column] = {}
    for column in reader.columns:
        by_key[search_key(column.label)] = column
        by_key[search_key(column.key)] = column
    found: list[tuple[int, Column]] = []
    seen: set[str] = set()
    for i, value in enumerate(cells):
        text = _text(value)
        if not text:
            continue
        known = by_key.get(search_key(text))
        if known is None:
            reader.error(1, None, _("cột “%(c)s” không có trong mẫu.") % {"c": text})
        elif known.key in seen:
            reader.error(1, known, _("cột bị lặp lại."))
        else:
            seen.add(known.key)
            found.append((i, known))
    missing = [c.label for c in reader.columns if c.key not in seen and c.required]
    if missing:
        reader.error(
            1,
            None,
            _("thiếu cột bắt buộc: %(cols)s. Hãy dùng tệp mẫu.") % {"cols": ", ".join(missing)},
        )
    return None if reader.errors else found


def xlsx_read_rows(
    *, data: bytes, columns: list[Column], max_rows: int = XLSX_MAX_ROWS
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Every data row of the first sheet as {column key: value, "_row": number}, and every
    problem found by reading the file alone (no database). Rows are only usable if there are
    no errors at all."""
    if not data:
        return [], [RowError(0, "", _("Tệp rỗng."))]
    if len(data) > XLSX_MAX_BYTES:
        return [], [
            RowError(0, "", _("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": XLSX_MAX_BYTES >> 20})
        ]
    if not data.startswith(b"PK\x03\x04"):
        return [], [RowError(0, "", _("Chỉ nhận tệp Excel (.xlsx)."))]
    problem = _package_problem(data)
    if problem:
        return [], [RowError(0, "", problem)]
    try:
        values = _sheet_values(data)
    except Exception:  # the reader raises its own kinds on a damaged file
        return [], [RowError(0, "", _("Không đọc được tệp: tệp bị hỏng hoặc không phải .xlsx."))]
    reader = _Reader(columns)
    merged, formulas = _sheet_problems(data)
    for ref in merged[:50]:
        reader.error(
            0, None, _("Tệp có ô gộp (%(ref)s): hãy bỏ gộp ô rồi tải lên lại.") % {"ref": ref}
        )
    if merged:
        return [], reader.errors
    rows: list[dict[str, Any]] = []
    layout: list[tuple[int, Column]] | None = None
    converters: list[tuple[int, Column, _Cell]] = []
    data_rows = 0
    # A formula without a cached value reads as an empty cell: such a row is not blank.
    formula_rows = {row for row, _col in formulas}
    # ... and the reader's range ends at the last cell with a value: add the rows past it.
    values = values + [[] for _ in range(max(formula_rows, default=0) - len(values))]
    for number, cells in enumerate(values, 1):
        if not any(v is not None and _text(v) for v in cells) and number not in formula_rows:
            continue
        if layout is None:
            layout = _header(reader, cells)
            if layout is None:
                return [], reader.errors
            converters = [(i, col, _Cell(col)) for i, col in layout]
            continue
        data_rows += 1
        if data_rows > max_rows:
            return [], [
                RowError(
                    0,
                    "",
                    _("Tệp có quá nhiều dòng (tối đa %(n)s dòng).")
                    % {"n": f"{max_rows:,}".replace(",", ".")},
                )
            ]
        rows.append(_row(reader, number, cells, converters, formulas))
    if (0, -1) in formulas:
        reader.error(0, None, _("Tệp có ô chứa công thức; hãy dán giá trị thay cho công thức."))
    if layout is None or (not rows and not reader.errors):
        reader.error(0, None, _("Tệp không có dòng dữ liệu nào."))
    return (rows if not reader.errors else []), reader.errors


def _package_problem(data: bytes) -> str:
    """Why the package must not be inflated ("" when it may): too many parts, too large once
    inflated, a ratio no spreadsheet has, or a part that inflates to more than it declares
    (streamed in 1 MB chunks; zipfile stops at the declared size and checks the CRC)."""
    bomb = _("Tệp khi giải nén quá lớn hoặc có tỷ lệ nén bất thường; có thể là tệp nén độc hại.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > XLSX_MAX_ENTRIES:
                return bomb
            if sum(info.file_size for info in infos) > XLSX_MAX_UNCOMPRESSED:
                return bomb
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 1024 * 1024 and ratio > XLSX_MAX_RATIO:
                    return bomb
            for info in infos:
                with archive.open(info) as part:
                    while part.read(1024 * 1024):
                        pass
    except Exception:  # BadZipFile, a bad CRC, zlib.error, EOFError: a damaged package
        return _("Không đọc được tệp: tệp bị hỏng hoặc không phải .xlsx.")
    return ""


def _sheet_values(data: bytes) -> list[list[Any]]:
    """The first sheet's values from A1, one list per row ("" for an empty cell), read with
    python-calamine (a compiled reader: 100,000 rows in about a second, against 15 s)."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        sheet = workbook.get_sheet_by_index(0)
        return sheet.to_python(skip_empty_area=False)
    finally:
        workbook.close()


def _row(
    reader: _Reader,
    number: int,
    cells: Sequence[Any],
    converters: list[tuple[int, Column, _Cell]],
    formulas: set[tuple[int, int]],
) -> dict[str, Any]:
    out: dict[str, Any] = {"_row": number}
    for i, column, converter in converters:
        value = cells[i] if i < len(cells) else None
        if (number, i) in formulas:
            reader.error(number, column, _("ô chứa công thức; hãy dán giá trị thay cho công thức."))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            if column.required:
                reader.error(number, column, _("ô bắt buộc đang để trống."))
            out[column.key] = converter.empty()
            continue
        converted, message = converter.convert(value)
        if message:
            reader.error(number, column, message)
        elif column.required and converted in ("", []):
            reader.error(number, column, _("ô bắt buộc đang để trống."))
        out[column.key] = converted
    return out


def xlsx_count_rows(data: bytes) -> int:
    """Data rows of the first sheet (0 if unreadable), to decide whether an import runs now or
    as a background job."""
    if _package_problem(data):
        return 0
    try:
        values = _sheet_values(data)
    except Exception:
        return 0
    filled = sum(1 for row in values if any(v is not None and _text(v) for v in row))
    return max(0, filled - 1)


# --- export -------------------------------------------------------------------------------


def cell_safe(value: str) -> str:
    """Text a spreadsheet will show and never run: a leading = + - @ tab or CR gets a "'"."""
    return "'" + value if value.startswith(_DANGEROUS_START) else value


def _export_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "date" and isinstance(value, (date, datetime)):
        return value
    if column.kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if column.kind == "bool":
        return _("Có") if value else _("Không")
    if column.kind == "choice":
        codes = value if isinstance(value, (list, tuple)) else [value]
        value = "; ".join(column.choice_label(str(c)) for c in codes if c not in (None, ""))
    return cell_safe(str(value))


def xlsx_export(*, columns: list[Column], rows: Iterable[dict[str, Any]]) -> bytes:
    """An XLSX of `rows` (dicts by column key) under the columns' labels, safe to open."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Dữ liệu"))
    for i, column in enumerate(columns, 1):
        ws.column_dimensions[_col_letter(i)].width = max(14, min(40, len(column.label) + 4))
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=cell_safe(str(column.label)))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        out: list[Any] = []
        for column in columns:
            value = _export_value(column, row.get(column.key))
            if isinstance(value, (date, datetime)):
                moment = value if isinstance(value, datetime) else datetime.combine(value, time())
                cell = WriteOnlyCell(ws, value=moment)
                cell.number_format = "DD/MM/YYYY"
                out.append(cell)
            elif isinstance(value, str):
                # Stored as a string cell explicitly, so nothing is read as a formula.
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
