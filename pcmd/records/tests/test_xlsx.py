from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from pcmd.records.xlsx import (
    Column,
    RowError,
    cell_safe,
    xlsx_export,
    xlsx_read_rows,
    xlsx_template,
)

FORMS = [("radio", "Phát thanh"), ("meeting", "Họp thôn")]
AUDIENCES = [("youth", "Thanh niên"), ("pupils", "Học sinh")]
COLUMNS = [
    Column("on", "Ngày", kind="date", required=True),
    Column("form", "Hình thức", kind="choice", choices=FORMS, required=True),
    Column("audiences", "Đối tượng", kind="choice", choices=AUDIENCES, multiple=True),
    Column("people", "Số người", kind="int"),
    Column("combined", "Lồng ghép", kind="bool"),
    Column("topic", "Chủ đề", max_length=20),
]  # fmt: skip


def _book(rows: list[list[Any]], header: list[str] | None = None) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header or [c.label for c in COLUMNS])
    for row in rows:
        ws.append(row)
    return wb


def _bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read(
    rows: list[list[Any]], header: list[str] | None = None
) -> tuple[list[Any], list[RowError]]:
    return xlsx_read_rows(data=_bytes(_book(rows, header)), columns=COLUMNS)


def test_good_rows_are_converted_by_label_or_code() -> None:
    rows, errors = read(
        [
            [datetime(2025, 3, 15), "Phát thanh", "Thanh niên; hoc sinh", 30, "Có", "Ma túy"],
            ["01/04/2025", "meeting", None, None, None, None],
        ]
    )
    assert errors == []
    assert rows[0] == {
        "_row": 2, "on": date(2025, 3, 15), "form": "radio", "audiences": ["youth", "pupils"],
        "people": 30, "combined": True, "topic": "Ma túy",
    }  # fmt: skip
    assert rows[1]["on"] == date(2025, 4, 1)
    assert rows[1]["audiences"] == [] and rows[1]["people"] is None


def test_every_bad_cell_is_reported_with_row_column_and_reason() -> None:
    rows, errors = read(
        [
            ["32/13/2025", "Hát", "Người già", -5, "có lẽ", "x" * 30],
            [None, None, None, "mười", None, None],
        ]
    )
    assert rows == []
    found = {(e.row, e.column) for e in errors}
    assert found == {
        (2, "Ngày"), (2, "Hình thức"), (2, "Đối tượng"), (2, "Số người"), (2, "Lồng ghép"),
        (2, "Chủ đề"), (3, "Ngày"), (3, "Hình thức"), (3, "Số người"),
    }  # fmt: skip
    messages = {(e.row, e.column): e.message for e in errors}
    assert "âm" in messages[(2, "Số người")]
    assert "trống" in messages[(3, "Ngày")]
    assert str(errors[0]).startswith("Dòng 2, cột “Ngày”:")


def test_wrong_and_missing_columns_are_refused() -> None:
    rows, errors = read([["01/01/2025"]], header=["Ngày", "Cột lạ"])
    assert rows == []
    assert any("Cột lạ" in e.message for e in errors)
    assert any("Hình thức" in e.message and "thiếu" in e.message for e in errors)


def test_formulas_are_refused_not_evaluated() -> None:
    rows, errors = read([["01/01/2025", "Phát thanh", None, "=1+1", None, None]])
    assert rows == []
    assert [(e.row, e.column) for e in errors] == [(2, "Số người")]
    assert "công thức" in errors[0].message


def test_merged_cells_are_refused() -> None:
    wb = _book([["01/01/2025", "Phát thanh"], ["02/01/2025", "Phát thanh"]])
    assert wb.active is not None
    wb.active.merge_cells("B2:B3")
    rows, errors = xlsx_read_rows(data=_bytes(wb), columns=COLUMNS)
    assert rows == [] and "gộp" in errors[0].message


def test_too_many_rows_and_not_a_workbook_are_refused() -> None:
    rows, errors = xlsx_read_rows(
        data=_bytes(_book([["01/01/2025", "Phát thanh"]] * 3)), columns=COLUMNS, max_rows=2
    )
    assert rows == [] and "quá nhiều" in errors[0].message
    assert "xlsx" in xlsx_read_rows(data=b"a,b\n1,2", columns=COLUMNS)[1][0].message
    assert xlsx_read_rows(data=b"", columns=COLUMNS)[1][0].message == "Tệp rỗng."


def test_header_only_file_has_no_rows() -> None:
    rows, errors = read([])
    assert rows == [] and "không có dòng" in errors[0].message


def test_template_has_header_instructions_and_dropdowns() -> None:
    data = xlsx_template(
        columns=COLUMNS, sheet_title="Tuyên truyền", instructions=["Điền mỗi dòng"]
    )
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == [c.label for c in COLUMNS]
    assert wb.worksheets[1]["A1"].value == "Điền mỗi dòng"
    assert len(ws.data_validations.dataValidation) == 3  # form, audiences, combined
    # The template reads back as a file with no data rows (not as wrong columns).
    assert "không có dòng" in xlsx_read_rows(data=data, columns=COLUMNS)[1][0].message


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rx"])
def test_export_escapes_cells_a_spreadsheet_would_run(text: str) -> None:
    data = xlsx_export(columns=COLUMNS, rows=[{"topic": text, "on": date(2025, 1, 2)}])
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws["F2"].value == "'" + text
    assert ws["F2"].data_type == "s"
    assert ws["A2"].value == datetime(2025, 1, 2)
    assert cell_safe("Bình thường") == "Bình thường"


def test_export_shows_choice_labels() -> None:
    data = xlsx_export(
        columns=COLUMNS,
        rows=[{"form": "radio", "audiences": ["youth", "pupils"], "combined": True, "people": 5}],
    )
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in ws[2]][1:5] == ["Phát thanh", "Thanh niên; Học sinh", 5, "Có"]


@pytest.mark.parametrize(
    ("cell", "people"),
    [(2.0, 2), ("1.500", 1500), ("1 500", 1500), ("12", 12), (2.5, None), ("2.5", None),
     ("1.50", None), ("12.3456", None)],
)  # fmt: skip
def test_whole_numbers_take_thousands_separators_but_not_fractions(
    cell: Any, people: int | None
) -> None:
    rows, errors = read([["01/04/2025", "meeting", None, cell, None, None]])
    if people is None:
        assert rows == [] and [e.column for e in errors] == ["Số người"]
        assert "không phải là số nguyên" in errors[0].message
    else:
        assert errors == [] and rows[0]["people"] == people
