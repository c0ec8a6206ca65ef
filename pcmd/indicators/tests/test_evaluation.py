"""Targets evaluated against what is expected by now: pro-rated, milestones, statuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pcmd.accounts.tests.factories import HOANG_HOP, unit
from pcmd.common.periods import period_parse
from pcmd.enforcement.models import Case
from pcmd.enforcement.tests.factories import make_case, make_establishment, make_inspection
from pcmd.indicators.evaluation import Status, expected_fraction, target_evaluate
from pcmd.outreach.models import OutreachEvent
from pcmd.outreach.tests.factories import make_event
from pcmd.plans.models import Milestone
from pcmd.plans.tests.factories import make_plan, make_target

pytestmark = pytest.mark.django_db
MID_YEAR = date(2025, 6, 30)


def inspection_target() -> object:
    return make_target(
        text="tổ chức kiểm tra ít nhất 20% số cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn",
        population="cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm", value=20,
    )  # fmt: skip


def test_half_the_year_is_expected_by_the_end_of_june() -> None:
    year = period_parse("2025")
    assert expected_fraction(year, date(2025, 6, 29)) == Decimal(5) / 12
    assert expected_fraction(year, MID_YEAR) == Decimal("0.5")
    assert expected_fraction(year, date(2026, 1, 5)) == 1


@pytest.mark.parametrize(
    ("inspected", "status", "actual"),
    [(1, Status.AT_RISK, "8.3"), (2, Status.ON_TRACK, "16.7"), (3, Status.ACHIEVED, "25.0"),
     (0, Status.OFF_TRACK, "0.0")],
)  # fmt: skip
def test_a_20_percent_inspection_target_expects_10_percent_by_june(
    inspected: int, status: Status, actual: str
) -> None:
    target = inspection_target()
    places = [make_establishment(name=f"Nhà nghỉ {i}") for i in range(12)]
    for place in places[:inspected]:
        make_inspection(place, inspected_on=date(2025, 4, 1))
    result = target_evaluate(target, period="2025", today=MID_YEAR)  # type: ignore[arg-type]
    assert (result.status, result.actual, result.expected) == (status, Decimal(actual), 10)
    assert result.indicator is not None and result.indicator.code == "establishments-inspected"


def test_monthly_posts_with_a_month_missed() -> None:
    target = make_target(
        text="Thông tin về phòng, chống mại dâm được đăng tải trên trang thông tin điện tử xã "
        "ít nhất một tháng, một lần.", kind="frequency", unit="times", value=1, per="month",
        population="",
    )  # fmt: skip
    commune = unit(HOANG_HOP)
    for month in (1, 2, 4, 5, 6):
        make_event(org_unit=commune, date=date(2025, month, 3), form=OutreachEvent.Form.WEBSITE)
    result = target_evaluate(target, period="2025", today=MID_YEAR)  # type: ignore[arg-type]
    assert (result.status, result.actual, result.expected) == (
        Status.AT_RISK, Decimal("41.7"), Decimal("50.0"),
    )  # fmt: skip
    assert result.explanation.startswith("Đạt 41,7%") or result.explanation.startswith("Đạt 41.7%")
    over = target_evaluate(target, period="2025", today=date(2026, 1, 2))  # type: ignore[arg-type]
    assert over.status == Status.OFF_TRACK and over.explanation.startswith("Hết kỳ")


def test_a_change_target_is_met_from_its_lower_bound() -> None:
    target = make_target(
        text="Số tội phạm liên quan đến hoạt động mại dâm được xử lý tăng từ 3-5% so với năm 2024",
        kind="change", comparator="between", value=3, value_max=5,
        population="tội phạm liên quan đến hoạt động mại dâm", baseline_year=2024,
    )  # fmt: skip
    for day in (date(2024, 4, 9), date(2025, 5, 6), date(2025, 6, 1)):
        make_case(opened_on=day, stage=Case.Stage.PROSECUTED, prosecuted_on=day, defendants=1)
    result = target_evaluate(target, period="2025", today=MID_YEAR)  # type: ignore[arg-type]
    assert (result.status, result.actual) == (Status.ACHIEVED, Decimal("100.0"))


def test_a_milestone_is_the_goal_of_its_year() -> None:
    plan = make_plan(period_start=2016, period_end=2020)
    target = make_target(
        plan=plan, value=100, population="thôn",
        text="Đến năm 2017 đạt 75%, năm 2020 đạt 100% số thôn tuyên truyền",
    )  # fmt: skip
    Milestone.objects.create(target=target, year=2017, value=75)
    assert target_evaluate(target, period="2017", today=MID_YEAR).goal == 75  # type: ignore[arg-type]
    assert target_evaluate(target, period="2020", today=MID_YEAR).goal == 100  # type: ignore[arg-type]


def test_an_unmapped_target_or_a_future_period_has_no_data() -> None:
    target = make_target(text="Một chỉ tiêu lạ", population="con mèo")
    result = target_evaluate(target, period="2025", today=MID_YEAR)  # type: ignore[arg-type]
    assert result.status == Status.NO_DATA and "chưa được gán" in result.explanation
    result = target_evaluate(inspection_target(), period="2026", today=MID_YEAR)  # type: ignore[arg-type]
    assert result.status == Status.NO_DATA and "chưa bắt đầu" in result.explanation
