"""Indicators over the sealed records: tips handled in time and people reached by support,
measured by the records apps' own rules and shown suppressed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pcmd.accounts.tests.factories import HOANG_HOA, HOANG_HOP, unit
from pcmd.common.periods import period_parse
from pcmd.indicators.compute import indicator_value
from pcmd.indicators.definitions import definition_check
from pcmd.indicators.evaluation import Status, target_evaluate
from pcmd.indicators.models import Indicator
from pcmd.plans.tests.factories import make_target
from pcmd.support.casefiles import services as support
from pcmd.support.casefiles.models import Beneficiary, ServiceKind
from pcmd.support.tests.casefiles.factories import make_beneficiary
from pcmd.tips import services as tips
from pcmd.tips.tests.factories import at, classified, make_tip, officer

pytestmark = pytest.mark.django_db


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def test_tips_handled_in_time_follow_the_tips_deadline_clock() -> None:
    police = officer()
    on_time = classified(make_tip(received_at=at(2025, 3, 1, 10)), police)
    tips.tip_handle(tip=on_time, acting_user=police, outcome="not_substantiated",
                    handled_at=at(2025, 3, 10, 9))  # fmt: skip
    late = classified(make_tip(received_at=at(2025, 3, 2, 10)), police)
    tips.tip_handle(tip=late, acting_user=police, outcome="not_substantiated",
                    handled_at=at(2025, 5, 30, 9))  # fmt: skip
    make_tip(received_at=at(2024, 12, 1, 10))  # another period
    value = indicator_value(ind("tips-handled-in-time"), unit(HOANG_HOP), "2025S1")
    assert (value.numerator, value.denominator, value.value) == (1, 2, Decimal("50.0"))
    assert indicator_value(ind("tips-handled-in-time"), unit(HOANG_HOA), "2025S1").numerator == 1


def _person(name: str, *, served: bool, needs: bool = True) -> Beneficiary:
    person = make_beneficiary(full_name=name)
    support.assessment_create(
        beneficiary=person, acting_user=None, assessed_on=date(2025, 2, 10),
        needs=["legal_aid"] if needs else [], eligible=True,
    )  # fmt: skip
    if served:
        support.service_create(
            beneficiary=person, acting_user=None, kind=ServiceKind.LEGAL_AID,
            provided_on=date(2025, 3, 1), provider_name="Trung tâm trợ giúp pháp lý",
        )  # fmt: skip
    return person


def test_people_reached_count_those_in_need_and_eligible() -> None:
    for i in range(5):
        _person(f"Người Mẫu {i}", served=i < 4)
    _person("Người Không Cần", served=False, needs=False)
    value = indicator_value(ind("support-reached"), unit(HOANG_HOP), "2025")
    assert (value.numerator, value.denominator, value.value) == (4, 5, Decimal("80.0"))


def test_a_target_over_fewer_than_five_people_shows_no_figures() -> None:
    target = make_target(
        text="Ít nhất 70% người bán dâm có nhu cầu và đủ điều kiện được tiếp cận dịch vụ hỗ trợ",
        population="người bán dâm có nhu cầu và đủ điều kiện", value=70,
    )  # fmt: skip
    for i in range(3):
        _person(f"Người Mẫu {i}", served=i < 2)
    result = target_evaluate(target, period="2025", today=date(2025, 12, 31))  # type: ignore[arg-type]
    assert result.indicator is not None and result.indicator.code == "support-reached"
    assert result.status == Status.NO_DATA and result.actual is None
    assert "Dưới 5 người" in result.explanation and "67" not in result.explanation
    assert result.fraction == "<5/<5"


def test_an_unknown_measure_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        definition_check("measure", {"source": "tips.tips", "measure": "magic"})
    assert "không có phép đo “magic”" in exc.value.messages[0]


def test_a_tip_forwarded_within_an_area_counts_once_there_and_at_each_unit() -> None:
    from pcmd.indicators.rollup import Tree, area_for_period, values_for_period
    from pcmd.orgunits.models import OrgUnit

    police = officer()
    tip = classified(make_tip(received_at=at(2025, 3, 1, 10)), police)
    copy = tips.tip_transfer(tip=tip, acting_user=police, to_unit=unit(HOANG_HOA),
                             at=at(2025, 3, 1, 15))  # fmt: skip
    district = officer("conganhuyen", unit_code=HOANG_HOA)
    tips.tip_handle(tip=classified(copy, district), acting_user=district,
                    outcome="not_substantiated", handled_at=at(2025, 3, 20, 9))  # fmt: skip
    indicator = ind("tips-handled-in-time")
    hop = indicator_value(indicator, unit(HOANG_HOP), "2025S1")
    hoa = indicator_value(indicator, unit(HOANG_HOA), "2025S1")
    assert hop.denominator == 1  # the commune passed it on (in time)
    assert hoa.denominator == 1  # the district holds both the tip and its copy: one report
    national = OrgUnit.objects.get(level="national")
    assert indicator_value(indicator, national, "2025S1").denominator == 1
    # The rebuild of stored values gives the same figures.
    period = period_parse("2025S1")
    figures = values_for_period(indicator, area_for_period(Tree.load(), period))
    assert figures[unit(HOANG_HOP).pk] == (hop.numerator, hop.denominator)
    assert figures[unit(HOANG_HOA).pk] == (hoa.numerator, hoa.denominator)
    assert figures[national.pk][1] == 1
