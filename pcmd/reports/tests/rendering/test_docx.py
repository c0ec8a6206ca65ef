"""The report DOCX: every element of the Decree 30/2020 layout, read back with python-docx."""

from __future__ import annotations

import dataclasses
import io
import unicodedata
import zipfile
from datetime import date
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from pcmd.common.tests.docx_checks import (
    assert_decree_font,
    assert_decree_page,
    assert_schema_order,
    is_borderless,
)
from pcmd.reports.content import FigureGroup, Narrative
from pcmd.reports.rendering.docx import report_docx
from pcmd.reports.tests.rendering.factories import figure, make_content, make_document

NATIONAL_TABLE = [
    "TT",
    "Chỉ số",
    "Đơn vị tính",
    "Thực hiện trong kỳ",
    "Chỉ tiêu năm",
    "Lũy kế",
    "Chỉ tiêu kế hoạch",
    "Đánh giá",
]


def _open(**overrides: Any) -> Any:
    return Document(io.BytesIO(report_docx(make_document(**overrides))))


def _texts(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs]


def _all_text(document: Any) -> str:
    """Every paragraph and every table cell, in document order."""
    body = document.element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def _closing(document: Any) -> Any:
    return next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")


def _has_bottom_rule(paragraph: Any) -> bool:
    borders = paragraph._p.pPr.find(qn("w:pBdr"))
    return borders is not None and borders.find(qn("w:bottom")).get(qn("w:val")) == "single"


# --- page ----------------------------------------------------------------------------------


def test_page_is_a4_portrait_with_the_decree_margins() -> None:
    assert_decree_page(_open().sections[0])


def test_times_new_roman_13_to_14_pt() -> None:
    document = _open()
    assert_decree_font(document)
    sizes = {r.font.size.pt for p in document.paragraphs for r in p.runs if r.font.size}
    assert sizes <= {12, 13, 14}  # body 14, notes 12; no stray size


@pytest.mark.parametrize("draft", [False, True])
def test_properties_follow_the_schema_order_word_requires(draft: bool) -> None:
    assert_schema_order(report_docx(make_document(draft=draft)))


def test_page_numbers_centred_in_the_top_margin_from_page_two() -> None:
    section = _open().sections[0]
    assert section.different_first_page_header_footer
    header = section.header
    assert not header.is_linked_to_previous
    instr = "".join(node.text or "" for node in header._element.iter(qn("w:instrText")))
    assert instr.strip() == "PAGE"
    assert header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert not section.first_page_header._element.findall(".//" + qn("w:instrText"))


# --- header and title ----------------------------------------------------------------------


def test_header_table_is_borderless_with_issuer_rule_number_motto_and_date() -> None:
    document = _open()
    header = document.tables[0]
    assert is_borderless(header)
    left = header.rows[0].cells[0].paragraphs
    assert [p.text for p in left[:2]] == ["ỦY BAN NHÂN DÂN", "HUYỆN HOẰNG HÓA"]
    assert all(r.bold for p in left[:2] for r in p.runs)
    assert left[2].text == "" and _has_bottom_rule(left[2])
    right = header.rows[0].cells[1].paragraphs
    assert right[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and right[0].runs[0].bold
    assert right[1].text == "Độc lập - Tự do - Hạnh phúc"
    assert right[1].runs[0].bold and right[1].runs[0].underline
    assert header.rows[1].cells[0].text == "Số: 25/BC-UBND"
    dated = header.rows[1].cells[1].paragraphs[0]
    assert dated.text == "Hoằng Hóa, ngày 03 tháng 7 năm 2025"
    assert all(run.italic for run in dated.runs)


def test_parent_body_is_written_above_the_issuer_not_bold() -> None:
    header = _open(issuer_parent="Ủy ban nhân dân tỉnh Thanh Hóa", issuer="SỞ Y TẾ").tables[0]
    left = header.rows[0].cells[0].paragraphs
    assert left[0].text == "ỦY BAN NHÂN DÂN TỈNH THANH HÓA"
    assert not left[0].runs[0].bold
    assert left[1].text == "SỞ Y TẾ" and left[1].runs[0].bold


def test_blank_number_and_date_leave_room_for_the_clerk() -> None:
    header = _open(number="", issued_on=None).tables[0]
    number = header.rows[1].cells[0].text
    assert number.startswith("Số:") and number.endswith("/BC-UBND")
    assert number.replace(" ", "") == "Số:/BC-UBND"
    dated = header.rows[1].cells[1].text
    assert dated.startswith("Hoằng Hóa, ngày ") and dated.endswith("năm 2025")
    assert dated.replace(" ", "") == "HoằngHóa,ngàythángnăm2025"


def test_day_below_ten_and_january_february_get_a_leading_zero() -> None:
    header = _open(issued_on=date(2025, 2, 5), number="5/BC-UBND").tables[0]
    assert header.rows[1].cells[1].text == "Hoằng Hóa, ngày 05 tháng 02 năm 2025"
    assert header.rows[1].cells[0].text == "Số: 05/BC-UBND"


def test_title_block_is_bold_centred_with_its_short_rule() -> None:
    paragraphs = _open().paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p.text == "BÁO CÁO")
    kind, title, rule = paragraphs[index : index + 3]
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(r.bold for r in kind.runs)
    assert title.text.startswith("Kết quả công tác phòng, chống mại dâm 6 tháng đầu năm 2025")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(r.bold for r in title.runs)
    assert rule.text == "" and _has_bottom_rule(rule)
    preamble = paragraphs[index + 3]
    assert preamble.text.startswith("Thực hiện Kế hoạch số 39/KH-UBND")
    assert preamble.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY


def test_preamble_is_written_from_the_plan_when_the_clerk_gave_none() -> None:
    texts = _texts(_open(preamble=""))
    assert (
        "Thực hiện Kế hoạch số 39/KH-UBND ngày 15/01/2025, Ủy ban nhân dân huyện Hoằng Hóa báo "
        "cáo kết quả công tác phòng, chống mại dâm 6 tháng đầu năm 2025 như sau:"
    ) in texts


# --- body ----------------------------------------------------------------------------------


def test_numbered_parts_in_the_usual_order() -> None:
    texts = _texts(_open())
    parts = [t for t in texts if t.split(".")[0] in {"I", "II", "III", "IV", "V"}]
    assert parts == [
        "I. TÌNH HÌNH TỆ NẠN MẠI DÂM TRÊN ĐỊA BÀN",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2025",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    results = texts[texts.index("II. KẾT QUẢ THỰC HIỆN") : texts.index("III. ĐÁNH GIÁ CHUNG")]
    numbered = [t for t in results if t[:2].rstrip(".").isdigit()]
    assert numbered == [
        "1. Công tác truyền thông, tuyên truyền",
        "2. Công tác kiểm tra, xử lý vi phạm",
        "3. Tiếp nhận, xử lý tố giác, tin báo",
        "4. Đào tạo, tập huấn",
        "5. Kinh phí thực hiện",
        "6. Kết quả thực hiện các chỉ tiêu",
        "7. Tình hình thực hiện các nhiệm vụ của kế hoạch",
    ]
    assessment = texts[texts.index("III. ĐÁNH GIÁ CHUNG") : texts.index(parts[3])]
    assert [t for t in assessment if t[:2].rstrip(".").isdigit()] == [
        "1. Ưu điểm",
        "2. Tồn tại, hạn chế",
        "3. Nguyên nhân",
        "4. Bài học kinh nghiệm",
    ]


def test_headings_are_bold_and_kept_with_their_text() -> None:
    document = _open()
    heading = next(p for p in document.paragraphs if p.text == "II. KẾT QUẢ THỰC HIỆN")
    assert all(r.bold for r in heading.runs)
    assert heading.paragraph_format.keep_with_next
    sub = next(p for p in document.paragraphs if p.text.startswith("a) "))
    assert all(r.italic for r in sub.runs)


def test_a_line_per_figure_with_the_same_period_last_year() -> None:
    document = _open()
    line = next(p for p in document.paragraphs if "Số hoạt động tuyên truyền" in p.text)
    assert (
        line.text == "- Số hoạt động tuyên truyền: 48 hoạt động (cùng kỳ năm trước: 36 hoạt động);"
    )
    assert line.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(line.paragraph_format.first_line_indent.cm - 1.27) < 0.01
    texts = _texts(document)
    assert "- Số tiền xử phạt: 50.000.000 đồng (cùng kỳ năm trước: 36.000.000 đồng)." in texts
    assert "+ Karaoke: 60 cơ sở (cùng kỳ năm trước: 56 cơ sở);" in texts  # a breakdown
    assert "- Kinh phí đã sử dụng: 128.000.000 đồng (cùng kỳ năm trước: 160.000.000 đồng)." in texts


def test_only_the_shown_value_is_printed_never_the_true_count() -> None:
    people = FigureGroup(
        key="situation.people",
        number="1",
        title="Người bán dâm và người có nguy cơ được ghi nhận",
        figures=[
            figure("people.total", "Tổng số người", "7", numerator=7),
            figure("people.group.women", "Nữ", "<5", numerator=3, value=3),
            figure("people.group.men", "Nam", "<5", numerator=4, value=4),
        ],
    )
    content = make_content(children=0, situation=[people])
    text = _all_text(Document(io.BytesIO(report_docx(make_document(content=content)))))
    assert "+ Nữ: <5 người;" in text and "+ Nam: <5 người." in text
    assert "3 người" not in text and "4 người" not in text


def test_target_table_in_the_national_layout() -> None:
    document = _open()
    table = next(
        t for t in document.tables if t.rows[0].cells[0].text == "TT" and len(t.columns) == 8
    )
    assert [c.text for c in table.rows[0].cells] == NATIONAL_TABLE
    assert table.style.name == "Table Grid"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows[0] == [
        "1", "Thôn có hoạt động tuyên truyền", "%", "85,7%", "90%", "85,7%", "100%",
        "Có nguy cơ không đạt",
    ]  # fmt: skip
    assert rows[1][-1] == "Đúng tiến độ\nKiểm tra tiếp trong quý III"
    assert len(rows) == 3
    assert all(r.bold for r in table.rows[0].cells[1].paragraphs[0].runs) or (
        document.styles[table.rows[0].cells[1].paragraphs[0].style.name].font.bold
    )


def test_target_without_an_indicator_shows_the_plan_wording() -> None:
    content = make_content()
    content.targets[0] = dataclasses.replace(content.targets[0], indicator="")
    document = Document(io.BytesIO(report_docx(make_document(content=content))))
    table = next(t for t in document.tables if len(t.columns) == 8)
    assert table.rows[1].cells[1].text == "100% thôn tổ chức tuyên truyền"


def test_tasks_with_their_status_and_the_overdue_ones_listed_again() -> None:
    document = _open()
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Nhiệm vụ")
    assert [c.text for c in table.rows[0].cells] == [
        "TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng",
    ]  # fmt: skip
    statuses = [row.cells[4].text for row in table.rows[1:]]
    assert statuses == [
        "Đang thực hiện", "Đang thực hiện (quá hạn)", "Hoàn thành", "Chưa thực hiện (quá hạn)",
    ]  # fmt: skip
    assert table.rows[2].cells[3].text == "31/05/2025"
    texts = _texts(document)
    assert (
        "Kế hoạch có 4 nhiệm vụ; đến hết kỳ báo cáo đã hoàn thành 1, 2 nhiệm vụ quá hạn." in texts
    )
    overdue = texts[texts.index("b) Nhiệm vụ chậm tiến độ, quá hạn") + 1 :][:2]
    assert overdue == [
        "- Kiểm tra các cơ sở kinh doanh dịch vụ dễ bị lợi dụng (Công an; thời hạn 31/05/2025);",
        "- Rà soát, lập hồ sơ quản lý người bán dâm (Công an; thời hạn 30/04/2025).",
    ]


def test_narrative_is_split_into_justified_paragraphs() -> None:
    texts = _texts(_open())
    start = texts.index("3. Nguyên nhân")
    assert texts[start + 1 : start + 3] == [
        "- Khách quan: địa bàn rộng, các cơ sở hoạt động phân tán.",
        "- Chủ quan: lực lượng kiểm tra còn mỏng, kiêm nhiệm nhiều việc.",
    ]


def test_empty_sections_are_left_out_of_a_final_report_and_the_rest_renumbered() -> None:
    narrative = Narrative(shortcomings="Còn chậm.", next_tasks="Tiếp tục kiểm tra.")
    texts = _texts(_open(narrative=narrative))
    assert "1. Ưu điểm" not in texts
    assert "1. Tồn tại, hạn chế" in texts and "2. Nguyên nhân" not in texts
    assert not any(t.startswith("V. ") for t in texts)
    assert not any("Chưa có nội dung" in t for t in texts)


def test_empty_sections_are_marked_in_a_draft() -> None:
    texts = _texts(_open(narrative=Narrative(), draft=True))
    assert "1. Ưu điểm" in texts and "4. Bài học kinh nghiệm" in texts
    assert "V. ĐỀ XUẤT, KIẾN NGHỊ" in texts
    assert texts.count("(Chưa có nội dung)") == 6


def test_control_characters_cannot_break_the_xml_and_text_is_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Hoằng Hợp")
    narrative = Narrative(
        strengths=f"Tuyên truyền ở {decomposed}\x00 tốt <b>&amp; đều</b>\x1f\x7f.\ufffe",
        recommendations="Dòng một\r\nDòng hai\x0cDòng ba\x0bDòng bốn",
    )
    data = report_docx(make_document(narrative=narrative, title="Báo cáo\x08 6 tháng"))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in xml)
    texts = _texts(Document(io.BytesIO(data)))
    assert "Tuyên truyền ở Hoằng Hợp tốt <b>&amp; đều</b>." in texts  # NFC, nothing escaped
    start = texts.index("IV. ĐỀ XUẤT, KIẾN NGHỊ")  # no IV. Phương hướng: renumbered
    assert texts[start + 1 : start + 5] == ["Dòng một", "Dòng hai", "Dòng ba", "Dòng bốn"]
    assert "Báo cáo 6 tháng" in texts


# --- closing ---------------------------------------------------------------------------------


def test_recipients_and_signature_table() -> None:
    document = _open()
    closing = _closing(document)
    assert is_borderless(closing)
    left, right = closing.rows[0].cells
    first = left.paragraphs[0]
    assert first.runs[0].bold and first.runs[0].italic and first.runs[0].font.size.pt == 12
    lines = [p.text for p in left.paragraphs[1:]]
    assert lines == [
        "- UBND tỉnh Thanh Hóa (b/c);",
        "- Sở Y tế (b/c);",
        "- Các ngành, đơn vị (t/h);",
        "- Lưu: VT.",
    ]
    assert all(r.font.size.pt == 11 and not r.bold for p in left.paragraphs[1:] for r in p.runs)
    signer = list(right.paragraphs)
    assert [p.text for p in signer] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Phụng"]
    assert all(r.bold for p in signer for r in p.runs)
    assert signer[2].paragraph_format.space_before.pt >= 60  # room for signature and seal


def test_committee_signing_on_behalf_and_the_archive_line_kept_last() -> None:
    document = _open(
        signing_mode="TM.",
        signer_title="CHỦ TỊCH",
        recipients=["Lưu: VT, VHXH", "UBND tỉnh (b/c)"],
    )
    left, right = _closing(document).rows[0].cells
    assert [p.text for p in right.paragraphs][:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert [p.text for p in left.paragraphs[1:]] == ["- UBND tỉnh (b/c);", "- Lưu: VT, VHXH."]


# --- annex and draft ------------------------------------------------------------------------


def test_consolidated_report_has_a_landscape_annex_of_the_children() -> None:
    document = _open()
    assert len(document.sections) == 2
    annex = document.sections[1]
    assert_decree_page(annex, landscape=True)
    assert not annex.different_first_page_header_footer  # its first page is numbered
    texts = _texts(document)
    assert "PHỤ LỤC" in texts
    assert any(
        t.startswith("(Kèm theo Báo cáo số 25/BC-UBND ngày 03 tháng 7 năm 2025") for t in texts
    )
    first = next(t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị")
    assert [c.text for c in first.rows[0].cells][2] == "Tổng số cơ sở (cơ sở)"
    names = [row.cells[1].text for row in first.rows[1:]]
    assert names == [
        "Xã Hoằng Hợp", "Xã Hoằng Quý", "Xã Hoằng Phú", "Xã Hoằng Kim (*)", "Tổng cộng",
    ]  # fmt: skip
    assert [c.text for c in first.rows[-1].cells][2:] == ["168", "72", "60", "36"]
    assert all(r.bold for c in first.rows[-1].cells for p in c.paragraphs for r in p.runs)
    assert any(t.startswith("(*) Đơn vị chưa có báo cáo") for t in texts)


def test_annex_tables_split_a_wide_domain_and_the_closing_comes_before_the_annex() -> None:
    content = make_content()
    wide = content.results[0]
    extra = [figure(f"outreach.extra.{i}", f"Chỉ số {i}", str(i), unit="lần") for i in range(7)]
    wide.figures.extend(extra)
    document = Document(io.BytesIO(report_docx(make_document(content=content))))
    texts = _texts(document)
    assert "Biểu 4. Công tác truyền thông, tuyên truyền" in texts
    assert "Biểu 5. Công tác truyền thông, tuyên truyền (tiếp theo)" in texts
    children = list(document.element.body)
    annex_title = next(
        i
        for i, el in enumerate(children)
        if "".join(t.text or "" for t in el.iter(qn("w:t"))) == "PHỤ LỤC"
    )
    assert children.index(_closing(document)._tbl) < annex_title


def test_annex_has_a_row_per_child_under_a_header_repeated_on_every_page() -> None:
    content = make_content(children=30)
    document = Document(io.BytesIO(report_docx(make_document(content=content))))
    annex = [t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị"]
    assert len(annex) == len(content.situation) + len(content.results)
    for table in annex:
        assert len(table.rows) == 1 + 30 + 1
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert [row.cells[0].text for row in table.rows[1:4]] == ["1", "2", "3"]
        assert table.rows[30].cells[1].text == "Xã Số 30"


def test_a_report_without_children_has_no_annex() -> None:
    document = Document(io.BytesIO(report_docx(make_document(content=make_content(children=0)))))
    assert len(document.sections) == 1
    assert "PHỤ LỤC" not in _texts(document)


def test_draft_carries_a_visible_mark_on_page_one() -> None:
    draft = _open(draft=True).sections[0].first_page_header
    assert draft.paragraphs[0].text == "DỰ THẢO"
    assert draft.paragraphs[0].runs[0].bold
    assert draft._element.find(".//" + qn("w:pBdr")) is not None  # boxed
    final = _open(draft=False).sections[0].first_page_header
    assert "DỰ THẢO" not in "".join(p.text for p in final.paragraphs)


@pytest.mark.parametrize("period", ["2025", "2016-2020", "2025Q1"])
def test_section_four_names_the_next_period(period: str) -> None:
    expected = {
        "2025": "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026",
        "2016-2020": "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN 2021-2025",
        "2025Q1": "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II/2025",
    }[period]
    content = make_content(period=period)
    assert expected in _texts(Document(io.BytesIO(report_docx(make_document(content=content)))))
