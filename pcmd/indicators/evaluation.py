"""Evaluating a plan's target: actual value, expected value by now, status, one-line reason.

Owns: Status, Evaluation, target_evaluate(), target_goal(), expected_fraction().
Invariants: the actual value always comes from compute.indicator_value (records and aggregate
entries), never typed in; the goal of a year is its milestone when the plan gives one; what is
expected by now is pro-rated by whole months elapsed for an indicator that accumulates through
the period ("at least one post a month" expects 6 months by 30 June; a 20 % inspection target
expects 10 %), and is the goal itself for a rate that does not (tips handled in time); "=" and
"between" targets are met from their lower value up.
Not here: which indicator a target uses (mapping.py), how values are computed (compute.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcmd.common.periods import Period, period_parse
from pcmd.indicators.compute import Value, indicator_value
from pcmd.indicators.models import Indicator, TargetMeasure
from pcmd.indicators.sources import definition_is_sealed
from pcmd.orgunits.models import OrgUnit
from pcmd.plans.models import Target
from pcmd.sealing.suppression import SMALL_CELL, suppress_count

AT_RISK_SHARE = Decimal("0.8")  # below 80 % of what is expected by now is off track


class Status(models.TextChoices):
    ACHIEVED = "achieved", gettext_lazy("Đạt")
    ON_TRACK = "on_track", gettext_lazy("Đúng tiến độ")
    AT_RISK = "at_risk", gettext_lazy("Có nguy cơ không đạt")
    OFF_TRACK = "off_track", gettext_lazy("Chậm, không đạt")
    NO_DATA = "no_data", gettext_lazy("Chưa có số liệu")


@dataclass(frozen=True)
class Evaluation:
    target: Target
    indicator: Indicator | None
    unit: OrgUnit
    period: Period
    value: Value | None
    actual: Decimal | None
    goal: Decimal
    expected: Decimal | None
    status: Status
    explanation: str
    fraction: str = ""  # "numerator/denominator" as shown (suppressed when it counts people)


def expected_fraction(period: Period, today: date) -> Decimal:
    """The share of the period's whole months that are over by `today` (0 to 1)."""
    months = period.months()
    done = sum(1 for m in months if m.end <= today)
    return Decimal(done) / Decimal(len(months))


def _accumulates(indicator: Indicator) -> bool:
    default = indicator.kind != Indicator.Kind.CHANGE
    return bool(indicator.definition.get("accumulates", default))


def target_goal(target: Target, year: int) -> Decimal:
    """The goal of `year`: its milestone when the plan gives one, else the target's value; a
    frequency target ("at least once a month") asks for every month, 100 % of them."""
    milestone = next((m for m in target.milestones.all() if m.year == year), None)
    if milestone is not None:
        return Decimal(milestone.value)
    if target.kind == Target.Kind.FREQUENCY:
        return Decimal(100)  # every month of the period
    return Decimal(target.value)


def _goal(target: Target, period: Period) -> Decimal:
    return target_goal(target, period.end.year)


def _actual(target: Target, value: Value) -> Decimal | None:
    if target.unit == Target.Unit.COUNT and target.kind != Target.Kind.FREQUENCY:
        return value.numerator  # "03 huyện", "03 mô hình": how many, whatever the share
    return value.value


def _met(target: Target, actual: Decimal, goal: Decimal) -> bool:
    if target.comparator == Target.Comparator.LE:
        return actual <= goal
    if target.comparator == Target.Comparator.LT:
        return actual < goal
    if target.comparator == Target.Comparator.GT:
        return actual > goal
    return actual >= goal


def _fmt(number: Decimal | None, percent: bool) -> str:
    if number is None:
        return "—"
    if number == number.to_integral():
        text = number_format(int(number))
    else:
        text = number_format(number, 1)
    return f"{text}%" if percent else text


def _fraction(value: Value, sealed: bool) -> str:
    if value.denominator is None:
        return ""
    num, den = int(value.numerator), int(value.denominator)
    if sealed:
        return f"{suppress_count(num)}/{suppress_count(den)}"
    return f"{number_format(num)}/{number_format(den)}"


def default_period(target: Target, today: date) -> Period:
    """The plan's year holding `today` (or its last year), or the single year of the plan."""
    plan = target.plan
    year = min(max(today.year, plan.period_start), plan.period_end)
    return period_parse(str(year))


def target_evaluate(
    target: Target,
    *,
    unit: OrgUnit | None = None,
    period: Period | str | None = None,
    today: date | None = None,
) -> Evaluation:
    """Evaluate `target` for `unit` (default: the plan's unit) over `period` (default: the
    plan's current year) as of `today`."""
    today = today or timezone.localdate()
    unit = unit or target.plan.org_unit
    if period is None:
        period = default_period(target, today)
    elif isinstance(period, str):
        period = period_parse(period)
    goal = _goal(target, period)
    measure = TargetMeasure.objects.filter(target=target).select_related("indicator").first()
    indicator = measure.indicator if measure else None
    percent = target.unit == Target.Unit.PERCENT or target.kind == Target.Kind.FREQUENCY

    shown_fraction = ""  # set once the value is known; read when a result is made

    def result(value: Value | None, actual: Decimal | None, expected: Decimal | None,
               status: Status, explanation: str) -> Evaluation:  # fmt: skip
        return Evaluation(
            target, indicator, unit, period, value, actual, goal, expected, status, explanation,
            shown_fraction,
        )  # fmt: skip

    if indicator is None:
        return result(None, None, None, Status.NO_DATA, _("Chỉ tiêu chưa được gán chỉ số đo."))
    if today < period.start:
        return result(None, None, None, Status.NO_DATA, _("Kỳ đánh giá chưa bắt đầu."))
    value = indicator_value(
        indicator, unit, period, since_year=target.plan.period_start, until=today
    )
    sealed = definition_is_sealed(indicator.kind, indicator.definition)
    shown_fraction = _fraction(value, sealed)
    if sealed and value.denominator is not None and value.denominator < SMALL_CELL:
        return result(
            None, None, None, Status.NO_DATA,
            _("Dưới 5 người: không hiển thị số liệu, để không lộ danh tính."),
        )  # fmt: skip
    actual = _actual(target, value)
    if actual is None:
        return result(
            value, None, None, Status.NO_DATA, _("Chưa có số liệu (mẫu số bằng 0) trong kỳ.")
        )
    over = today >= period.end
    share = (
        Decimal(1) if over or not _accumulates(indicator) else (expected_fraction(period, today))
    )
    expected = (goal * share).quantize(Decimal("0.1"), ROUND_HALF_UP)
    shown = {"actual": _fmt(actual, percent), "goal": _fmt(goal, percent)}
    if _met(target, actual, goal):
        return result(
            value, actual, expected, Status.ACHIEVED,
            _("Đạt %(actual)s, chỉ tiêu %(goal)s.") % shown,
        )  # fmt: skip
    if over:
        return result(
            value, actual, expected, Status.OFF_TRACK,
            _("Hết kỳ: đạt %(actual)s, chưa đạt chỉ tiêu %(goal)s.") % shown,
        )  # fmt: skip
    shown["expected"] = _fmt(expected, percent)
    shown["day"] = today.strftime("%d/%m/%Y")
    if _met(target, actual, expected):
        status = Status.ON_TRACK
        text = _("Đạt %(actual)s; đến %(day)s cần %(expected)s (chỉ tiêu cả kỳ %(goal)s).")
    elif actual >= expected * AT_RISK_SHARE:
        status = Status.AT_RISK
        text = _("Đạt %(actual)s, thấp hơn mức cần có đến %(day)s là %(expected)s "
                 "(chỉ tiêu cả kỳ %(goal)s).")  # fmt: skip
    else:
        status = Status.OFF_TRACK
        text = _("Chỉ đạt %(actual)s, cần %(expected)s đến %(day)s (chỉ tiêu cả kỳ %(goal)s).")
    return result(value, actual, expected, status, text % shown)
