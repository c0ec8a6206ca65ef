"""The report's kind follows its period; the period must fall within the plan's years."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from pcmd.common.periods import period_parse
from pcmd.plans.tests.factories import make_plan
from pcmd.reports.models import Report, kind_for_period
from pcmd.reports.tests.factories import HOANG_HOP, make_report, unit


@pytest.mark.parametrize(
    ("period", "kind"),
    [("2025S1", "half"), ("2025", "year"), ("2025Q1", "quarter"), ("2016-2020", "final")],
)
def test_the_kind_follows_the_period(period: str, kind: str) -> None:
    assert kind_for_period(period_parse(period)) == kind


def test_a_programme_period_can_be_a_midterm_review_but_a_month_is_refused() -> None:
    assert kind_for_period(period_parse("2021-2023"), review="midterm") == "midterm"
    with pytest.raises(ValidationError, match="theo tháng"):
        kind_for_period(period_parse("202503"))


@pytest.mark.django_db
def test_clean_refuses_a_period_outside_the_plan_and_a_bad_period() -> None:
    plan = make_plan(period_start=2016, period_end=2020)
    report = Report(org_unit=unit(HOANG_HOP), period="2021", kind="year", plan=plan)
    with pytest.raises(ValidationError, match="2016-2020"):
        report.clean()
    report.period = "2019"
    report.clean()
    report.period = "năm ngoái"
    with pytest.raises(ValidationError, match="không phải là kỳ hợp lệ"):
        report.clean()


@pytest.mark.django_db
def test_one_report_per_unit_period_and_kind() -> None:
    make_report()
    with pytest.raises(IntegrityError):
        make_report()
