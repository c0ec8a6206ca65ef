"""Header, basis, signer and recipients on short texts written for the tests."""

from __future__ import annotations

from datetime import date

import pytest

from pcmd.plans.parsing import parse_text
from pcmd.plans.parsing.basis import read_basis
from pcmd.plans.parsing.header import find_period, pretty_body
from pcmd.plans.parsing.numbers import find_doc_number, parse_date

PLAN_BODY = """
I. MỤC TIÊU, CHỈ TIÊU CHỦ YẾU
1. Chỉ tiêu
- Phấn đấu trên 70% xã, phường, thị trấn không có tệ nạn mại dâm.
II. NHIỆM VỤ, GIẢI PHÁP
1. Tăng cường kiểm tra các cơ sở kinh doanh dịch vụ.
- Chủ trì: Công an tỉnh.
- Thời gian thực hiện: Thường xuyên.
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("An Giang, ngày 15 tháng 7 năm 2016", date(2016, 7, 15)),
        ("ngày 17/02/2025", date(2025, 2, 17)),
        ("04/8/2016", date(2016, 8, 4)),
        ("Hà Nội, ngày 05 tháng 01 năm 2026", date(2026, 1, 5)),
        ("ngày 31/02/2020", None),
    ],
)
def test_dates_in_every_written_form(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số: 39/KH-UBND", "39/KH-UBND"),
        ("Số: 1994/QĐ-UBND", "1994/QĐ-UBND"),
        ("Nghị định số 178/2004/NĐ-CP ngày", "178/2004/NĐ-CP"),
        ("Số: 5994/BLĐTBXH-CPCTNXH", "5994/BLĐTBXH-CPCTNXH"),
        ("Số: 39 / KH - UBND", "39/KH-UBND"),
        ("phòng, chống HIV/AIDS", None),
    ],
)
def test_document_numbers(text: str, expected: str | None) -> None:
    found = find_doc_number(text)
    assert (found[1] if found else None) == expected


def test_pipe_separated_header_with_broken_words() -> None:
    text = (
        "ỦY\nBAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "TỈNH BÌNH THUẬN | Độc lập - Tự do - Hạnh phúc |\n"
        "Số:\n2578/KH-UBND | Bình Thuận, ngày 04/8/2016 |\n"
        "KẾ HOẠCH\nPhòng, chống mại dâm\ngiai đoạn 2016 - 2020\n" + PLAN_BODY
    )
    document = parse_text(text)
    assert document.kind == "plan"
    assert document.number == "2578/KH-UBND"
    assert document.issued_on == date(2016, 8, 4)
    assert document.place == "Bình Thuận"
    assert document.issuer == "UBND tỉnh Bình Thuận"
    assert document.title == "Phòng, chống mại dâm giai đoạn 2016 - 2020"
    assert document.period == (2016, 2020)
    [target] = document.targets
    assert (target.comparator, target.value, target.population) == (">", 70, "xã, phường, thị trấn")
    [task] = document.tasks
    assert task.section == "II.1" and task.lead == ["Công an tỉnh"]
    assert task.timeframe is not None and task.timeframe.kind == "ongoing"


def test_parent_body_above_the_issuer_is_not_the_issuer() -> None:
    text = (
        "UBND HUYỆN HOẰNG HÓA\nUBND XÃ HOẰNG HỢP\nSố: 12/KH-UBND\n"
        "KẾ HOẠCH\nPhòng, chống mại dâm năm 2025\n"
    )
    document = parse_text(text + PLAN_BODY)
    assert document.issuer == "UBND xã Hoằng Hợp"
    assert document.period == (2025, 2025)


def test_a_decision_followed_by_its_plan() -> None:
    text = (
        """ỦY BAN NHÂN DÂN
TỈNH NINH BÌNH
Số: 12/QĐ-UBND
Ninh Bình, ngày 02 tháng 01 năm 2020
QUYẾT ĐỊNH
Ban hành Kế hoạch phòng, chống mại dâm năm 2020
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NINH BÌNH
Căn cứ Quyết định số 1629/QĐ-TTg ngày 23/9/2019 của Thủ tướng Chính phủ phê duyệt Chương trình;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng, chống mại dâm năm 2020.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Nơi nhận:
- Như Điều 2;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
TRẦN VĂN AN
KẾ HOẠCH
Phòng, chống mại dâm năm 2020
(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 02/01/2020 của Chủ tịch UBND tỉnh)
"""
        + PLAN_BODY
    )
    document = parse_text(text)
    assert document.kind == "decision"
    assert (document.number, document.issued_on, document.place) == (
        "12/QĐ-UBND",
        date(2020, 1, 2),
        "Ninh Bình",
    )
    assert document.issuer == "UBND tỉnh Ninh Bình"
    assert document.title == "Ban hành Kế hoạch phòng, chống mại dâm năm 2020"
    assert document.plan_title == "Phòng, chống mại dâm năm 2020"
    assert document.signer is not None
    assert (document.signer.name, document.signer.title) == (
        "Trần Văn An",
        "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
    )
    assert document.recipients == ["Như Điều 2", "Lưu: VT"]
    assert [b.number for b in document.basis] == ["1629/QĐ-TTg"]
    assert len(document.targets) == 1 and len(document.tasks) == 1
    assert [s.number for s in document.sections] == ["Điều 1", "Điều 2", "I", "II"]
    assert document.warnings == []


def test_attached_plan_with_another_number_is_a_warning() -> None:
    text = (
        "Số: 12/QĐ-UBND\nQUYẾT ĐỊNH\nBan hành Kế hoạch năm 2020\nĐiều 1. Ban hành.\n"
        "KẾ HOẠCH\nPhòng, chống mại dâm năm 2020\n"
        "(Ban hành kèm theo Quyết định số 13/QĐ-UBND ngày 02/01/2020)\n" + PLAN_BODY
    )
    document = parse_text(text)
    assert any("13/QĐ-UBND" in warning for warning in document.warnings)


def test_official_letter_has_kind_letter_and_no_targets() -> None:
    text = """ỦY BAN NHÂN DÂN
TỈNH NINH BÌNH
Số: 2015/UBND-VX
V/v tăng cường công tác phòng, chống mại dâm
Ninh Bình, ngày 10 tháng 3 năm 2025
Kính gửi:
- Công an tỉnh;
- Sở Y tế.
Thực hiện chỉ đạo của Chính phủ, UBND tỉnh đề nghị các đơn vị tăng cường kiểm tra các cơ sở.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Bình
"""
    document = parse_text(text)
    assert document.kind == "letter"
    assert document.number == "2015/UBND-VX"
    assert document.title == "tăng cường công tác phòng, chống mại dâm"
    assert document.targets == [] and document.tasks == []
    assert document.signer is not None and document.signer.name == "Nguyễn Văn Bình"


def test_letter_without_any_header_starts_at_kinh_gui() -> None:
    document = parse_text("Kính gửi: Ủy ban nhân dân các huyện\nĐề nghị báo cáo kết quả.")
    assert document.kind == "letter"
    assert document.number is None


def test_report_has_kind_report() -> None:
    text = """ỦY BAN NHÂN DÂN
XÃ HOẰNG HỢP
Số: 45/BC-UBND
Hoằng Hợp, ngày 20 tháng 6 năm 2025
BÁO CÁO
Kết quả công tác phòng, chống mại dâm 6 tháng đầu năm 2025
I. KẾT QUẢ THỰC HIỆN
1. Công tác tuyên truyền
Đã tổ chức 12 buổi tuyên truyền cho 600 lượt người.
"""
    document = parse_text(text)
    assert document.kind == "report"
    assert document.issuer == "UBND xã Hoằng Hợp"
    assert document.issued_on == date(2025, 6, 20)
    assert document.targets == []
    assert document.sections[0].kind == "situation"


def test_portal_number_differing_from_the_document_is_a_warning() -> None:
    text = (
        "Số hiệu: 99/KH-UBND Loại văn bản: Kế hoạch\nNgười ký: Ai Đó\n\n"
        "Số: 12/KH-UBND\nKẾ HOẠCH\nKế hoạch năm 2025\n"
    )
    document = parse_text(text + PLAN_BODY)
    assert document.number == "12/KH-UBND"
    assert any("99/KH-UBND" in warning for warning in document.warnings)


def test_basis_lines() -> None:
    ref = read_basis(
        "Căn cứ Nghị định số 178/2004/NĐ-CP ngày 15 tháng 10 năm 2004 của Chính phủ "
        "quy định chi tiết;"
    )
    assert ref is not None
    assert (ref.number, ref.issued_on, ref.issuer, ref.relation) == (
        "178/2004/NĐ-CP",
        date(2004, 10, 15),
        "Chính phủ",
        "basis",
    )
    assert read_basis("Căn cứ tình hình thực tế tại địa phương,") is None


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("Kế hoạch phòng, chống mại dâm giai đoạn 2016 - 2020",), (2016, 2020)),
        (("Phòng, chống mại dâm năm 2025",), (2025, 2025)),
        (("Không có năm", "Thời gian: Từ năm 2021 đến hết năm 2025"), (2021, 2025)),
        (("Không có năm",), None),
    ],
)
def test_period(texts: tuple[str, ...], expected: tuple[int, int] | None) -> None:
    assert find_period(*texts) == expected


def test_pretty_body_names() -> None:
    assert pretty_body("ỦY BAN NHÂN DÂN TỈNH AN GIANG") == "UBND tỉnh An Giang"
    assert pretty_body("UBND THÀNH PHỐ HÀ NỘI") == "UBND thành phố Hà Nội"
    assert pretty_body("SỞ Y TẾ") == "SỞ Y TẾ"
