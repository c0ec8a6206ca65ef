"""Bodies, responsibilities, reporting duties and budget sources."""

from __future__ import annotations

import pytest

from pcmd.plans.parsing import parse_text
from pcmd.plans.parsing.bodies import split_bodies, subject_bodies
from pcmd.plans.parsing.responsibilities import budget_sources, read_reporting


@pytest.mark.parametrize(
    ("text", "bodies"),
    [
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Sở Kế hoạch và Đầu tư", ["Sở Kế hoạch và Đầu tư"]),
        ("Sở Lao động - Thương binh và Xã hội", ["Sở Lao động - Thương binh và Xã hội"]),
        (
            "Ủy ban nhân dân các huyện, thị, thành phố",
            ["Ủy ban nhân dân các huyện, thị, thành phố"],
        ),
        (
            "Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh",
            ["Viện Kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh"],
        ),
        (
            "Công chức văn hoá xã hội, đài truyền thanh xã, trạm y tế xã.",
            ["Công chức văn hoá xã hội", "Đài truyền thanh xã", "Trạm y tế xã"],
        ),
        (
            "Đài Phát thanh - Truyền hình và các cơ quan thông tin đại chúng",
            ["Đài Phát thanh - Truyền hình"],
        ),
    ],
)
def test_names_keep_their_own_commas_and_và(text: str, bodies: list[str]) -> None:
    assert split_bodies(text)[0] == bodies


@pytest.mark.parametrize(
    "text",
    ["các đơn vị có liên quan", "các sở, ngành liên quan", "Các ngành, đoàn thể có liên quan."],
)
def test_generic_phrases_are_not_bodies(text: str) -> None:
    bodies, generic = split_bodies(text)
    assert bodies == [] and generic


def test_subject_stops_at_the_verb_and_marks_requests() -> None:
    assert subject_bodies("Công chức văn hoá xã hội tham mưu thành lập Đoàn kiểm tra.") == (
        ["Công chức văn hoá xã hội"],
        [],
        False,
    )
    bodies, generic, requested = subject_bodies(
        "Đề nghị Ủy ban Mặt trận Tổ quốc xã, Hội Liên hiệp Phụ nữ, Đoàn Thanh niên và các tổ chức "
        "chính trị xã hội khác phối hợp với các cơ quan chức năng."
    )
    assert bodies == ["Ủy ban Mặt trận Tổ quốc xã", "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên"]
    assert generic == ["các tổ chức chính trị xã hội khác"] and requested


def test_one_responsibility_per_numbered_paragraph_with_every_body_it_names() -> None:
    text = (
        "KẾ HOẠCH\nPhòng, chống mại dâm năm 2025\n"
        "V. TỔ CHỨC THỰC HIỆN\n"
        "1. Công an tỉnh\nChủ trì đấu tranh với tội phạm.\n- Định kỳ hằng quý báo cáo kết quả.\n"
        "2. Đề nghị Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh\nPhối hợp xét xử.\n"
        "3. Sở Y tế: chủ trì các hoạt động giảm hại.\n"
    )
    duties = parse_text(text).responsibilities
    assert [(d.agencies, d.requested) for d in duties] == [
        (["Công an tỉnh"], False),
        (["Viện Kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh"], True),
        (["Sở Y tế"], False),
    ]
    assert (
        duties[0].text
        == "Công an tỉnh\nChủ trì đấu tranh với tội phạm.\nĐịnh kỳ hằng quý báo cáo kết quả."
    )
    document = parse_text(text)
    assert [(r.frequency, r.agencies) for r in document.reporting] == [
        (["quarter"], ["Công an tỉnh"])
    ]


def test_unnumbered_responsibility_paragraphs() -> None:
    text = (
        "KẾ HOẠCH\nPhòng, chống mại dâm năm 2025\nIV. TỔ CHỨC THỰC HIỆN\n"
        "- Công an xã: chủ trì kiểm tra.\n- Các đơn vị có liên quan phối hợp thực hiện.\n"
    )
    duties = parse_text(text).responsibilities
    assert [d.agencies for d in duties] == [["Công an xã"], []]


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("Định kỳ 6 tháng, hàng năm tổng hợp báo cáo Chủ tịch UBND tỉnh.", ["half_year", "year"]),
        ("Hằng tháng báo cáo kết quả về UBND xã.", ["month"]),
        ("Báo cáo đột xuất khi có yêu cầu; định kỳ hằng quý báo cáo.", ["quarter", "ad_hoc"]),
        ("Định kỳ báo cáo kết quả thực hiện.", []),
    ],
)
def test_reporting_frequency(text: str, frequency: list[str]) -> None:
    duties = read_reporting(text)
    assert sorted(f for duty in duties for f in duty.frequency) == sorted(frequency)


def test_speakers_are_not_a_reporting_duty() -> None:
    assert read_reporting("Tập huấn cho đội ngũ báo cáo viên hằng năm.") == []


def test_budget_sources() -> None:
    assert budget_sources(
        "Kinh phí được bố trí từ nguồn ngân sách Nhà nước và nguồn kinh phí huy động hợp pháp khác."
    ) == ["state_budget", "mobilised"]
