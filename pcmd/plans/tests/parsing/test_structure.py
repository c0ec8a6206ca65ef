"""The outline: every numbering scheme, full section numbers, heading kinds and zones."""

from __future__ import annotations

import pytest

from pcmd.plans.parsing.structure import build_outline, classify_heading, split_inline


def test_numbering_schemes_and_full_section_numbers() -> None:
    outline = build_outline(
        [
            "Căn cứ Quyết định số 1/QĐ-UBND;",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "1. Mục đích",
            "Nâng cao nhận thức.",
            "II. MỤC TIÊU, NHIỆM VỤ",
            "3. Các mục tiêu, nhiệm vụ cụ thể",
            "3.1. Tăng cường tuyên truyền.",
            "a. Mục tiêu:",
            "- Ít nhất 80% số thôn.",
            "b) Nhiệm vụ:",
            "- Tuyên truyền:",
            "+ Xây dựng tài liệu.",
            "(1) Mô hình thứ nhất.",
            "3.2. Lồng ghép.",
            "a) Mục tiêu: Phát hiện và xử lý nghiêm minh.",
            "V. TỔ CHỨC THỰC HIỆN",
            "Trên đây là Kế hoạch ./.",
        ]
    )
    assert outline.preamble == ["Căn cứ Quyết định số 1/QĐ-UBND;"]
    numbers = [(node.number, node.zone) for node in outline.walk()]
    assert numbers == [
        ("I", "purpose"),
        ("I.1", "purpose"),
        ("II", "mixed"),
        ("II.3", "mixed"),
        ("II.3.1", "mixed"),
        ("II.3.1.a", "objective"),
        ("II.3.1.b", "tasks"),
        ("II.3.2", "mixed"),
        ("II.3.2.a", "objective"),
        ("V", "organisation"),
    ]
    nodes = {node.number: node for node in outline.walk()}
    assert [(i.kind, i.text) for i in nodes["II.3.1.b"].items] == [
        ("dash", "Tuyên truyền:"),
        ("plus", "Xây dựng tài liệu."),
        ("paren", "Mô hình thứ nhất."),
    ]
    assert nodes["II.3.2.a"].title == "Mục tiêu"
    assert [i.text for i in nodes["II.3.2.a"].items] == ["Phát hiện và xử lý nghiêm minh."]
    assert [(i.kind, i.text) for i in nodes["V"].items] == [("closing", "Trên đây là Kế hoạch.")]


def test_numbers_in_sentences_are_not_headings() -> None:
    outline = build_outline(["I. CHỈ TIÊU", "100% tin báo được xử lý.", "5.300 người dân."])
    [node] = outline.nodes
    assert [item.text for item in node.items] == ["100% tin báo được xử lý.", "5.300 người dân."]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Chỉ tiêu", "targets"),
        ("Mục tiêu chung", "objective"),
        ("MỤC TIÊU, CHỈ TIÊU CHỦ YẾU", "targets"),
        ("CHỈ TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN", "mixed"),
        ("Nhiệm vụ và giải pháp", "tasks"),
        ("Nội dung hoạt động", "tasks"),
        ("GIẢI PHÁP THỰC HIỆN", "tasks"),
        ("TỔ CHỨC THỰC HIỆN", "organisation"),
        ("KINH PHÍ THỰC HIỆN", "budget"),
        ("Quan điểm", "principles"),
        ("TÌNH HÌNH CHUNG", "situation"),
        ("Nâng cao hiệu quả công tác truyền thông", None),
    ],
)
def test_heading_kinds(title: str, kind: str | None) -> None:
    assert classify_heading(title) == kind


def test_split_inline() -> None:
    assert split_inline("Thời gian thực hiện: Từ năm 2016 đến hết năm 2020.") == (
        "Thời gian thực hiện",
        "Từ năm 2016 đến hết năm 2020.",
    )
    assert split_inline("Đối tượng:") == ("Đối tượng", "")
