"""Read and check a file of villages (XLSX or CSV) before anything is written.

Owns: village_rows_read(), village_kind_parse(), VILLAGE_KINDS, RowError, VillageRow.
Invariants: reading never writes; every problem is reported with its row number (as the user
sees it in the spreadsheet, header = row 1) and a Vietnamese message; names come out NFC.
Not here: the write itself and the checks against the database (services.villages_import).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from pcmd.common.text import nfc, search_key
from pcmd.orgunits.models import OrgUnit

VILLAGE_IMPORT_MAX_ROWS = 5000
VILLAGE_IMPORT_MAX_BYTES = 2 * 1024 * 1024
VILLAGE_IMPORT_EXTENSIONS = (".xlsx", ".csv")

VILLAGE_KINDS: tuple[str, ...] = (
    OrgUnit.Kind.VILLAGE,
    OrgUnit.Kind.HAMLET,
    OrgUnit.Kind.MEKONG_HAMLET,
    OrgUnit.Kind.HIGHLAND_VILLAGE,
    OrgUnit.Kind.RESIDENTIAL_GROUP,
    OrgUnit.Kind.QUARTER,
    OrgUnit.Kind.OTHER_VILLAGE,
)

# The words people write in the "Loại" column, as search keys. Regional names map to the
# nearest kind: "khóm" is the Mekong delta's urban ấp, "buôn"/"plei"/"làng" the highland bản.
_KIND_WORDS: dict[str, str] = {
    "thon": OrgUnit.Kind.VILLAGE,
    "lang": OrgUnit.Kind.VILLAGE,
    "xom": OrgUnit.Kind.HAMLET,
    "ap": OrgUnit.Kind.MEKONG_HAMLET,
    "soc": OrgUnit.Kind.MEKONG_HAMLET,
    "ban": OrgUnit.Kind.HIGHLAND_VILLAGE,
    "buon": OrgUnit.Kind.HIGHLAND_VILLAGE,
    "plei": OrgUnit.Kind.HIGHLAND_VILLAGE,
    "to dan pho": OrgUnit.Kind.RESIDENTIAL_GROUP,
    "to": OrgUnit.Kind.RESIDENTIAL_GROUP,
    "khu pho": OrgUnit.Kind.QUARTER,
    "khom": OrgUnit.Kind.QUARTER,
    "khu": OrgUnit.Kind.QUARTER,
    "khac": OrgUnit.Kind.OTHER_VILLAGE,
    "don vi khac": OrgUnit.Kind.OTHER_VILLAGE,
}

_HEADERS: dict[str, str] = {
    "ten": "name",
    "ten thon": "name",
    "ten thon to dan pho": "name",
    "ten don vi": "name",
    "name": "name",
    "loai": "kind",
    "loai don vi": "kind",
    "kind": "kind",
    "type": "kind",
    "ma": "code",
    "ma so": "code",
    "ma don vi": "code",
    "code": "code",
}


def village_kind_parse(value: Any) -> str | None:
    """“Thôn”, “tổ dân phố”, “ap”, “mekong_hamlet” -> a village kind; None if unknown."""
    text = nfc(str(value or ""))
    if text in VILLAGE_KINDS:
        return text
    key = search_key(text)
    if key.replace(" ", "_") in VILLAGE_KINDS:
        return key.replace(" ", "_")
    if key in _KIND_WORDS:
        return _KIND_WORDS[key]
    for kind in VILLAGE_KINDS:
        if search_key(str(OrgUnit.Kind(kind).label)) == key:
            return kind
    return None


@dataclass(frozen=True)
class RowError:
    """A problem in row `row` of the file (0: the file as a whole)."""

    row: int
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        return _("Dòng %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass(frozen=True)
class VillageRow:
    row: int
    name: str
    kind: str
    code: str


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores "12" typed as a number as 12.0
    return nfc(str(value))


def _rows_xlsx(data: bytes) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _rows_csv(data: bytes) -> Iterator[list[str]]:
    text = data.decode("utf-8-sig")  # also reads plain UTF-8; Excel adds the BOM
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _header_map(cells: list[str]) -> dict[str, int] | None:
    """Column positions if `cells` is a header row, else None."""
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        field = _HEADERS.get(search_key(cell))
        if field and field not in found:
            found[field] = i
    return found if "name" in found else None


def village_rows_read(*, data: bytes, filename: str) -> tuple[list[VillageRow], list[RowError]]:
    """Every row of the file, and every error found by reading it alone (no database)."""
    lower = (filename or "").lower()
    if not lower.endswith(VILLAGE_IMPORT_EXTENSIONS):
        return [], [RowError(0, _("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))]
    if len(data) > VILLAGE_IMPORT_MAX_BYTES:
        return [], [
            RowError(
                0,
                _("Tệp quá lớn (tối đa %(mb)d MB).")
                % {"mb": VILLAGE_IMPORT_MAX_BYTES // (1024 * 1024)},
            )
        ]
    if not data:
        return [], [RowError(0, _("Tệp rỗng."))]
    raw: Iterable[Any]
    try:
        raw = list(_limited(_rows_xlsx(data) if lower.endswith(".xlsx") else _rows_csv(data)))
    except _TooManyRows:
        return [], [
            RowError(
                0,
                _("Tệp có quá nhiều dòng (tối đa %(n)s dòng).")
                % {"n": f"{VILLAGE_IMPORT_MAX_ROWS:,}".replace(",", ".")},
            )
        ]
    except UnicodeDecodeError:
        return [], [RowError(0, _("Không đọc được tệp CSV: hãy lưu tệp với mã hóa UTF-8."))]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, csv.Error, IndexError):
        return [], [RowError(0, _("Không đọc được tệp: tệp bị hỏng hoặc không đúng định dạng."))]

    rows: list[VillageRow] = []
    errors: list[RowError] = []
    columns = {"name": 0, "kind": 1, "code": 2}
    for number, cells in raw:
        texts = [_cell_text(c) for c in cells]
        if number == 1:
            header = _header_map(texts)
            if header is not None:
                columns = header
                continue

        name, kind_text, code = (_column(texts, columns, f) for f in ("name", "kind", "code"))
        kind = village_kind_parse(kind_text)
        if not name:
            errors.append(RowError(number, _("thiếu tên thôn, tổ dân phố.")))
        elif len(name) > 200:
            errors.append(RowError(number, _("tên dài quá 200 ký tự.")))
        if not kind_text:
            errors.append(RowError(number, _("thiếu loại (ví dụ: Thôn, Tổ dân phố, Ấp, Bản).")))
        elif kind is None:
            errors.append(
                RowError(
                    number,
                    _("loại “%(kind)s” không hợp lệ; dùng một trong: %(choices)s.")
                    % {"kind": kind_text, "choices": village_kind_choices_text()},
                )
            )
        if len(code) > 20:
            errors.append(RowError(number, _("mã dài quá 20 ký tự.")))
        if name and kind:
            rows.append(VillageRow(number, name, kind, code))
    if not rows and not errors:
        errors.append(RowError(0, _("Tệp không có dòng dữ liệu nào.")))
    return rows, errors


def _column(texts: list[str], columns: dict[str, int], field: str) -> str:
    i = columns.get(field)
    return texts[i] if i is not None and i < len(texts) else ""


def village_kind_choices_text() -> str:
    return ", ".join(str(OrgUnit.Kind(k).label) for k in VILLAGE_KINDS)


class _TooManyRows(Exception):
    pass


def _limited(rows: Iterable[Any]) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of the non-empty rows; stops reading past the row limit."""
    data_rows = 0
    for number, cells in enumerate(rows, 1):
        cells = list(cells or ())
        if not any(_cell_text(c) for c in cells):
            continue
        data_rows += 1
        if data_rows > VILLAGE_IMPORT_MAX_ROWS + 1:  # +1: the header row
            raise _TooManyRows
        yield number, cells


def village_template_xlsx() -> bytes:
    """The XLSX users fill in to import villages: the columns village_rows_read() expects, a
    help sheet, and a drop-down of the accepted kinds."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "Thôn"
    ws.append(["Tên", "Loại", "Mã"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for column, width in (("A", 32), ("B", 22), ("C", 14)):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet("Hướng dẫn")
    help_ws.append(["Cột", "Ý nghĩa"])
    help_ws.append(["Tên", "Tên thôn, tổ dân phố, ví dụ “Thôn 1”, “Tổ dân phố Đông” (bắt buộc)"])
    help_ws.append(["Loại", "Một trong các loại bên dưới (bắt buộc)"])
    help_ws.append(["Mã", "Mã riêng của địa phương, nếu có (không bắt buộc)"])
    help_ws.append([])
    help_ws.append(["Loại được chấp nhận"])
    first = help_ws.max_row + 1
    for kind in VILLAGE_KINDS:
        help_ws.append([str(OrgUnit.Kind(kind).label)])
    help_ws.column_dimensions["A"].width = 24
    help_ws.column_dimensions["B"].width = 70
    validation = DataValidation(
        type="list", formula1=f"='Hướng dẫn'!$A${first}:$A${help_ws.max_row}", allow_blank=True
    )
    ws.add_data_validation(validation)
    validation.add("B2:B5000")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
