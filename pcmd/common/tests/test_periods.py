from datetime import date

import pytest

from pcmd.common.periods import PeriodError, period_containing, period_parse


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("2025S1", date(2025, 1, 1), date(2025, 6, 30)),
        ("2025s2", date(2025, 7, 1), date(2025, 12, 31)),
        ("2025Q1", date(2025, 1, 1), date(2025, 3, 31)),
        ("2024Q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("202502", date(2025, 2, 1), date(2025, 2, 28)),
        ("202402", date(2024, 2, 1), date(2024, 2, 29)),
        ("2016-2020", date(2016, 1, 1), date(2020, 12, 31)),
        (" 2016 - 2020 ", date(2016, 1, 1), date(2020, 12, 31)),
    ],
)
def test_period_ids_cover_whole_days(text: str, start: date, end: date) -> None:
    period = period_parse(text)
    assert (period.start, period.end) == (start, end)
    assert period.contains(start) and period.contains(end)
    assert period.label


def test_labels_are_vietnamese() -> None:
    assert period_parse("2025Q2").label == "Quý II/2025"
    assert period_parse("2025S1").label == "6 tháng đầu năm 2025"
    assert period_parse("202503").label == "Tháng 03/2025"


@pytest.mark.parametrize("text", ["", "abc", "202513", "2025Q5", "2025S3", "2020-2016", "25"])
def test_bad_ids_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(PeriodError, match="không"):
        period_parse(text)


@pytest.mark.parametrize(
    ("day", "kind", "expected"),
    [
        (date(2025, 6, 30), "half", "2025S1"),
        (date(2025, 7, 1), "half", "2025S2"),
        (date(2025, 4, 1), "quarter", "2025Q2"),
        (date(2025, 12, 31), "month", "202512"),
        (date(2016, 2, 29), "year", "2016"),
    ],
)
def test_the_period_containing_a_day(day: date, kind: str, expected: str) -> None:
    period = period_containing(day, kind)
    assert period.id == expected
    assert period.contains(day)
    assert period.kind == kind


def test_an_unknown_period_kind_is_refused() -> None:
    with pytest.raises(PeriodError):
        period_containing(date(2025, 1, 1), "week")


def test_months_of_a_period() -> None:
    assert [p.id for p in period_parse("2025S1").months()] == [
        "202501", "202502", "202503", "202504", "202505", "202506",
    ]  # fmt: skip
    assert len(period_parse("2016-2020").months()) == 60
    assert [p.id for p in period_parse("202511").months()] == ["202511"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2025", "2024"), ("2025S2", "2024S2"), ("2025Q1", "2024Q1"), ("202503", "202403"),
     ("2021-2025", "2020-2024")],
)  # fmt: skip
def test_the_same_period_last_year(text: str, expected: str) -> None:
    assert period_parse(text).last_year().id == expected
