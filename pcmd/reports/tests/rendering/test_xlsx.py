"""The report XLSX: a sheet per domain with the child units, totals, targets; safe to open."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from pcmd.reports.content import ChildRow, FigureGroup
from pcmd.reports.rendering.xlsx import report_xlsx, shown_value
from pcmd.reports.tests.rendering.factories import figure, make_content, make_document

HEADER, SUB, FIRST = 4, 5, 6  # the header rows and the first unit's row of a domain sheet


def _book(**overrides: Any) -> Any:
    return load_workbook(io.BytesIO(report_xlsx(make_document(**overrides))))


def _sheet(book: Any, title: str) -> Any:
    return next(ws for ws in book.worksheets if title in ws["A1"].value)


def test_a_sheet_per_domain_then_targets_and_tasks() -> None:
    assert _book().sheetnames == [
        "Thông tin",
        "I.1 Cơ sở kinh doanh dịch vụ dễ",
        "I.2 Người bán dâm và người có",
        "I.3 Tụ điểm, địa bàn phức tạp",
        "II.1 Công tác truyền thông",
        "II.2 Công tác kiểm tra, xử lý",
        "II.3 Tiếp nhận, xử lý tố giác",
        "II.4 Đào tạo, tập huấn",
        "II.5 Kinh phí thực hiện",
        "Chỉ tiêu",
        "Nhiệm vụ",
    ]


def test_domain_sheet_rows_are_the_children_and_a_total() -> None:
    ws = _sheet(_book(), "CÔNG TÁC TRUYỀN THÔNG")
    assert ws["A1"].value == "II.1 CÔNG TÁC TRUYỀN THÔNG, TUYÊN TRUYỀN"
    assert ws["A2"].value == "Huyện Hoằng Hóa - 6 tháng đầu năm 2025"
    headers = [ws.cell(HEADER, c).value for c in range(1, 9)]
    assert headers == [
        "TT", "Đơn vị", "Số hoạt động tuyên truyền (hoạt động)", None,
        "Số lượt người tham dự (lượt người)", None,
        "Số tin, bài trên trang thông tin điện tử (tin, bài)", None,
    ]  # fmt: skip
    assert [ws.cell(SUB, c).value for c in range(3, 9)] == ["Kỳ báo cáo", "Cùng kỳ năm trước"] * 3
    assert f"C{HEADER}:D{HEADER}" in {str(r) for r in ws.merged_cells.ranges}
    names = [ws.cell(r, 2).value for r in range(FIRST, ws.max_row + 1)]
    assert names == ["Xã Hoằng Hợp", "Xã Hoằng Quý", "Xã Hoằng Phú", "Xã Hoằng Kim", "Tổng cộng"]
    assert [ws.cell(r, 1).value for r in range(FIRST, ws.max_row + 1)] == [1, 2, 3, 4, None]
    first = [ws.cell(FIRST, c).value for c in range(3, 9)]
    assert first == [12, 9, 1245, 980, 6, 4]
    total = [ws.cell(ws.max_row, c) for c in range(3, 9)]
    assert [c.value for c in total] == [48, 36, 4980, 3920, 24, 16]
    assert all(c.font.b for c in total)
    assert ws.cell(FIRST, 5).number_format == "#,##0"
    assert ws.freeze_panes == f"C{FIRST}"
    assert ws.column_dimensions["B"].width >= 20
    assert ws.page_setup.orientation == "landscape"


def test_figures_not_compared_with_last_year_get_one_column() -> None:
    ws = _sheet(_book(), "TỤ ĐIỂM")
    assert [ws.cell(SUB, c).value for c in range(3, 6)] == [
        "Kỳ báo cáo", "Kỳ báo cáo", "Cùng kỳ năm trước",
    ]  # fmt: skip


def test_a_unit_without_children_is_its_own_row_without_a_total() -> None:
    book = _book(content=make_content(children=0, unit_name="Xã Hoằng Hợp"))
    ws = _sheet(book, "KINH PHÍ")
    assert ws.max_row == FIRST
    assert ws.cell(FIRST, 2).value == "Xã Hoằng Hợp"
    assert ws.cell(FIRST, 3).value == 50_000_000
    assert "Báo cáo của các đơn vị trực thuộc" not in [c.value for c in book["Thông tin"]["A"]]


def test_suppressed_cells_are_printed_as_given() -> None:
    ws = _sheet(_book(), "NGƯỜI BÁN DÂM")
    women = ws.cell(FIRST, 4)
    assert women.value == "<5" and women.data_type == "s"
    assert ws.cell(FIRST, 3).value == 7  # the child's total is not small
    assert ws.cell(ws.max_row, 4).value == 16


def test_labels_that_look_like_formulas_are_stored_as_text() -> None:
    content = make_content()
    content.results[0].figures[0].label = '=HYPERLINK("http://x","bấm")'
    content.children[0].unit_name = "+cmd|' /C calc'!A0"
    content.children[1].unit_name = "@SUM(1+1)"
    data = report_xlsx(make_document(content=content))
    ws = _sheet(load_workbook(io.BytesIO(data)), "CÔNG TÁC TRUYỀN THÔNG")
    label = ws.cell(HEADER, 3)
    assert label.data_type == "s" and label.value.startswith("'=HYPERLINK")
    assert ws.cell(FIRST, 2).value.startswith("'+cmd")
    assert ws.cell(FIRST + 1, 2).value == "'@SUM(1+1)"
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)


def test_control_characters_are_dropped_and_text_is_nfc() -> None:
    content = make_content()
    content.results[0].title = "Công tác truyền thông\x00\x1b, tuyên truyền"
    content.children[0].unit_name = "Xa\u0303 Hoằng Hợp\x07"  # NFD "Xã"
    book = load_workbook(io.BytesIO(report_xlsx(make_document(content=content))))
    ws = _sheet(book, "CÔNG TÁC TRUYỀN THÔNG, TUYÊN TRUYỀN")
    assert ws.cell(FIRST, 2).value == "Xã Hoằng Hợp"


def test_shares_and_money_become_numbers_with_formats() -> None:
    group = FigureGroup(
        key="results.outreach",
        number="1",
        title="Công tác truyền thông, tuyên truyền",
        figures=[
            figure("coverage", "Thôn có hoạt động tuyên truyền", "85,7%", unit="%"),
            figure("budget", "Kinh phí", "12.500.000", unit="đồng"),
            figure("share", "Tỷ lệ", "—", unit="%"),
        ],
    )
    content = make_content(children=0, situation=[], results=[group])
    ws = _sheet(_book(content=content), "CÔNG TÁC TRUYỀN THÔNG")
    share, money, none = (ws.cell(FIRST, c) for c in (3, 4, 5))
    assert share.value == pytest.approx(0.857) and share.number_format == "0.0%"
    assert money.value == 12_500_000 and money.number_format == "#,##0"
    assert none.value == "—" and none.data_type == "s"


def test_a_child_missing_a_figure_shows_a_dash() -> None:
    content = make_content()
    content.children.append(
        ChildRow(unit_id=9, unit_code="X", unit_name="Xã Mới", report_id=None,
                 report_status="not_started")
    )  # fmt: skip
    ws = _sheet(_book(content=content), "KINH PHÍ")
    row = next(r for r in range(FIRST, ws.max_row + 1) if ws.cell(r, 2).value == "Xã Mới")
    assert ws.cell(row, 3).value == "—"
    statuses = [row[3].value for row in _book(content=content)["Thông tin"].iter_rows()]
    assert "Chưa lập" in statuses and "Đã gửi" in statuses and "Đã duyệt" in statuses


def test_target_sheet_in_the_national_layout() -> None:
    ws = _book()["Chỉ tiêu"]
    assert [c.value for c in ws[HEADER]] == [
        "TT", "Chỉ số", "Chỉ tiêu theo kế hoạch", "Đơn vị tính", "Số liệu thực hiện trong kỳ",
        "Chỉ tiêu kế hoạch năm", "Số liệu lũy kế", "Chỉ tiêu kế hoạch giai đoạn", "Đánh giá",
        "Giải thích",
    ]  # fmt: skip
    first = [c.value for c in ws[HEADER + 1]]
    assert first[:4] == [
        "1",
        "Thôn có hoạt động tuyên truyền",
        "100% thôn tổ chức tuyên truyền",
        "%",
    ]
    assert first[4:8] == [pytest.approx(0.857), pytest.approx(0.9), pytest.approx(0.857), 1]
    assert first[8] == "Có nguy cơ không đạt"
    assert ws.max_row == HEADER + 3
    assert ws.freeze_panes == f"C{HEADER + 1}"


def test_task_sheet_with_deadlines_as_dates() -> None:
    ws = _book()["Nhiệm vụ"]
    second = [c.value for c in ws[HEADER + 2]]
    assert second[1] == "Kiểm tra các cơ sở kinh doanh dịch vụ dễ bị lợi dụng"
    assert second[3].date().isoformat() == "2025-05-31"
    assert ws.cell(HEADER + 2, 4).number_format == "DD/MM/YYYY"
    assert second[5] == "Có"


def test_draft_is_marked_on_every_sheet() -> None:
    book = _book(draft=True)
    assert all("(DỰ THẢO)" in ws["A1"].value for ws in book.worksheets)
    assert not any("DỰ THẢO" in ws["A1"].value for ws in _book(draft=False).worksheets)


@pytest.mark.parametrize(
    ("shown", "value", "number_format"),
    [
        ("1.245", 1245, "#,##0"),
        ("12.500.000", 12_500_000, "#,##0"),
        ("0", 0, "#,##0"),
        ("85,7%", 0.857, "0.0%"),
        ("100%", 1.0, "0%"),
        ("2,5", 2.5, "#,##0.0"),
        ("<5", "<5", None),
        ("—", "—", None),
        ("1.2.3", "1.2.3", None),
        ("=1+1", "=1+1", None),
    ],
)
def test_shown_value(shown: str, value: Any, number_format: str | None) -> None:
    got, fmt = shown_value(shown)
    assert got == pytest.approx(value) if isinstance(value, float) else got == value
    assert fmt == number_format


def test_the_build_time_is_printed_in_vietnam_time() -> None:
    from datetime import UTC, datetime

    # A live build stamps timezone.now(), in UTC: 01:30 UTC is 08:30 in Hà Nội.
    content = make_content(built_at=datetime(2025, 7, 2, 1, 30, tzinfo=UTC))
    sheet = load_workbook(io.BytesIO(report_xlsx(make_document(content=content))))["Thông tin"]
    facts = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert facts["Số liệu lập lúc"] == "08:30 02/07/2025"
