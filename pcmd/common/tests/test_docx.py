"""The Decree 30/2020 building blocks: dates, the issuing body, the page, the closing table."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from pcmd.common.docx import (
    closing_table,
    dated_line,
    document_new,
    issuer_lines,
    landscape_section,
    place_from_unit,
    vn_date,
)
from pcmd.common.tests.docx_checks import assert_decree_font, assert_decree_page, is_borderless


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 7, 3), ("03", "7", "2025")),
        (date(2025, 2, 15), ("15", "02", "2025")),
        (date(2025, 12, 31), ("31", "12", "2025")),
        ("2016-01-09", ("09", "01", "2016")),
        ("not a date", ("", "", "")),
        (None, ("", "", "")),
    ],
)
def test_vn_date_leading_zeros(day: object, expected: tuple[str, str, str]) -> None:
    assert vn_date(day) == expected


def test_dated_line_with_and_without_a_date() -> None:
    assert dated_line("Hoằng Hợp", date(2025, 7, 3)) == "Hoằng Hợp, ngày 03 tháng 7 năm 2025"
    blank = dated_line("Hoằng Hợp", None, year="2025")
    assert blank.startswith("Hoằng Hợp, ngày ") and blank.endswith(" năm 2025")
    assert dated_line("", date(2025, 7, 3)) == "Ngày 03 tháng 7 năm 2025"


def test_issuer_lines_and_place() -> None:
    assert issuer_lines("UBND xã Hoằng Hợp", None) == ["ỦY BAN NHÂN DÂN", "XÃ HOẰNG HỢP"]
    assert issuer_lines("", "Tỉnh An Giang") == ["ỦY BAN NHÂN DÂN", "TỈNH AN GIANG"]
    assert issuer_lines("Sở Y tế", None) == ["SỞ Y TẾ"]
    assert place_from_unit("Xã Hoằng Hợp") == "Hoằng Hợp"
    assert place_from_unit("Thành phố Thanh Hóa") == "Thanh Hóa"


def test_new_document_and_landscape_section_follow_the_decree() -> None:
    document = document_new()
    landscape_section(document)
    out = io.BytesIO()
    document.save(out)
    again = Document(io.BytesIO(out.getvalue()))
    assert_decree_font(again)
    assert_decree_page(again.sections[0])
    assert_decree_page(again.sections[1], landscape=True)
    assert again.sections[0].different_first_page_header_footer
    assert not again.sections[1].different_first_page_header_footer


def test_closing_table_punctuates_recipients_and_leaves_room_to_sign() -> None:
    document = document_new()
    table = closing_table(
        document,
        recipients=["- UBND huyện (b/c).", "", "Lưu: VT;"],
        signer_lines=["TM. ỦY BAN NHÂN DÂN", "Chủ tịch"],
        signer_name="",
    )
    assert is_borderless(table)
    left, right = table.rows[0].cells
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", "- UBND huyện (b/c);", "- Lưu: VT."]
    assert [p.text for p in right.paragraphs] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", ""]
    assert right.paragraphs[-1].paragraph_format.space_before.pt >= 60
