"""Target sentences in the forms real plans use (DOMAIN.md §1.6), beyond the two seeds."""

from __future__ import annotations

from typing import Any

import pytest

from pcmd.plans.parsing.targets import has_quantity, is_dated_commitment, read_targets


def _one(text: str) -> dict[str, Any]:
    [target] = read_targets(text, "I.1")
    return target.to_dict()


@pytest.mark.parametrize(
    ("text", "comparator", "value"),
    [
        ("Ít nhất 80% số thôn tổ chức tuyên truyền.", ">=", 80),
        ("Tối thiểu 60% người lao động được tuyên truyền.", ">=", 60),
        ("Phấn đấu trên 70% xã, phường, thị trấn không có tệ nạn mại dâm.", ">", 70),
        ("Phấn đấu đạt 85% số xã được công nhận.", ">=", 85),
        ("Giải quyết các vụ việc đạt từ 90% trở lên.", ">=", 90),
        ("100% tin báo, tố giác được tiếp nhận, xử lý kịp thời.", "=", 100),
        ("50% huyện, thị, thành phố triển khai mô hình.", ">=", 50),
        ("Tỷ lệ tái phạm không quá 5% số người được hỗ trợ.", "<=", 5),
        ("Giảm xuống dưới 2% số cơ sở vi phạm.", "<", 2),
    ],
)
def test_comparators(text: str, comparator: str, value: int) -> None:
    target = _one(text)
    assert (target["comparator"], target["value"], target["unit"]) == (comparator, value, "%")


def test_trên_70_percent_of_communes() -> None:
    target = _one("Phấn đấu trên 70% xã, phường, thị trấn không có tệ nạn mại dâm.")
    assert target["kind"] == "level"
    assert target["population"] == "xã, phường, thị trấn"


def test_fraction_is_a_full_coverage_level_with_the_fraction_kept() -> None:
    """ "10/10 huyện" is read as kind level, value 100 %, fraction 10 of 10 (see targets.py)."""
    target = _one("10/10 huyện xây dựng kế hoạch và tổ chức thực hiện lồng ghép.")
    assert (target["kind"], target["comparator"], target["value"], target["unit"]) == (
        "level",
        "=",
        100,
        "%",
    )
    assert target["fraction"] == {"numerator": 10, "denominator": 10}
    assert target["population"] == "huyện"
    partial = _one("Ít nhất 8/10 huyện tổ chức tập huấn.")
    assert (partial["comparator"], partial["value"]) == (">=", 80)


def test_counts_with_thousands_separators_and_leading_zeros() -> None:
    target = _one("Tuyên truyền cho ít nhất 5.300 người dân về phòng, chống mại dâm.")
    assert (target["kind"], target["comparator"], target["value"], target["unit"]) == (
        "count",
        ">=",
        5300,
        "count",
    )
    assert target["population"] == "người dân"
    assert _one("Khám phá 100 vụ án liên quan đến mại dâm.")["value"] == 100
    assert _one("Xây dựng 03 mô hình tại 03 huyện.")["population"] == "mô hình"
    assert _one("Mỗi xã có ít nhất một đội tình nguyện.")["value"] == 1


def test_percent_range_change_against_a_baseline_year() -> None:
    target = _one("Số tội phạm được xử lý tăng từ 3-5% so với năm 2024.")
    assert (target["kind"], target["comparator"], target["value"], target["value_max"]) == (
        "change",
        "between",
        3,
        5,
    )
    assert target["baseline_year"] == 2024
    assert target["direction"] == "increase"
    yearly = _one("Hằng năm, tăng 03 - 05% số tội phạm liên quan đến mại dâm được xử lý.")
    assert (yearly["value"], yearly["value_max"], yearly["per"]) == (3, 5, "year")
    assert yearly["population"] == "tội phạm liên quan đến mại dâm"
    assert _one("Giảm 10% số điểm phức tạp so với năm 2020.")["direction"] == "decrease"


def test_decimal_comma() -> None:
    assert _one("Ít nhất 2,5% ngân sách được bố trí.")["value"] == 2.5


@pytest.mark.parametrize(
    ("text", "value", "per", "comparator"),
    [
        ("Thông tin được đăng tải ít nhất một tháng, một lần.", 1, "month", ">="),
        ("Thông tin được đăng tải ít nhất một tháng một lần.", 1, "month", ">="),
        ("Kiểm tra 2 lần/năm các cơ sở.", 2, "year", "="),
        ("Mỗi quý ít nhất 1 lần tổ chức họp.", 1, "quarter", ">="),
        ("Sơ kết 6 tháng một lần.", 2, "year", "="),
    ],
)
def test_frequencies(text: str, value: int, per: str, comparator: str) -> None:
    target = _one(text)
    assert (
        target["kind"],
        target["unit"],
        target["value"],
        target["per"],
        target["comparator"],
    ) == (
        "frequency",
        "times",
        value,
        per,
        comparator,
    )


def test_start_year_and_milestones() -> None:
    start = _one(
        "Từ năm 2016, thông tin về phòng, chống mại dâm được đăng ít nhất một tháng một lần."
    )
    assert start["start_year"] == 2016
    staged = _one("Đến năm 2017: 50%, năm 2020: 100% các huyện xây dựng kế hoạch lồng ghép.")
    assert staged["milestones"] == [{"year": 2017, "value": 50}, {"year": 2020, "value": 100}]
    assert staged["value"] == 100 and staged["population"] == "huyện"
    by = _one("Đến năm 2025, 100% các cơ sở được kiểm tra ít nhất một lần.")
    assert by["milestones"] == [{"year": 2025, "value": 100}]
    assert by["population"] == "cơ sở"


def test_two_targets_in_one_bullet_separated_by_semicolon() -> None:
    targets = read_targets(
        "Hằng năm tăng 3-5% số vụ án được xử lý; tổ chức kiểm tra ít nhất 20% số cơ sở kinh doanh "
        "dịch vụ; thực hiện các can thiệp giảm hại.",
        "II.3.1",
    )
    assert [(t.kind, t.value) for t in targets] == [("change", 3), ("level", 20)]
    assert targets[1].text.endswith("thực hiện các can thiệp giảm hại.")


def test_years_dates_and_document_numbers_are_not_quantities() -> None:
    assert not has_quantity("Thực hiện Nghị định số 178/2004/NĐ-CP ngày 15 tháng 10 năm 2004.")
    assert not has_quantity("Tổ chức các hoạt động trong năm 2025 và giai đoạn 2021 - 2025.")
    assert not has_quantity("Phát hiện và xử lý nghiêm minh các hành vi vi phạm pháp luật.")
    assert not has_quantity("Phòng, chống HIV/AIDS và các hoạt động (1), (2), (3).")
    assert read_targets("Phát hiện và xử lý nghiêm minh các hành vi vi phạm.", "I") == []


def test_dated_commitment_inside_a_task_list() -> None:
    assert is_dated_commitment("Đến năm 2020: Xây dựng, triển khai 03 mô hình hỗ trợ.")
    assert not is_dated_commitment("Xây dựng thử nghiệm 03 mô hình như sau:")
    assert not is_dated_commitment("Đến năm 2020 hoàn thiện thể chế.")


def test_confidence_is_lower_without_population() -> None:
    assert _one("Đạt 80%.")["confidence"] < _one("Đạt 80% số thôn.")["confidence"]
