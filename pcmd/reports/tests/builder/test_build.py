"""The figures of a report come from the records through the indicators, and consolidate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pcmd.indicators.models import Indicator
from pcmd.indicators.store import values_read
from pcmd.orgunits.models import OrgUnit
from pcmd.reports.builder import report_content_build
from pcmd.reports.content import content_to_json
from pcmd.reports.tests.factories import (
    HOANG_GIANG,
    HOANG_HOA,
    HOANG_HOP,
    THANH_HOA,
    event,
    make_report,
    unit,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 15)


def test_report_figures_equal_the_indicator_values_for_the_same_unit_and_period() -> None:
    commune = unit(HOANG_HOP)
    event(commune, date(2025, 3, 10), participants=40)
    event(commune, date(2025, 5, 2), participants=25)
    event(commune, date(2024, 4, 1), participants=10)  # same period last year
    content = report_content_build(unit=commune, period="2025S1", today=TODAY)
    figures = content.figures()
    indicators = list(Indicator.objects.filter(code__in=list(figures)))
    assert len(indicators) > 10
    values = values_read(indicators, [commune], "2025S1")
    for indicator in indicators:
        value = values[indicator.pk, commune.pk]
        figure = figures[indicator.code]
        assert (figure.numerator, figure.denominator) == (value.numerator, value.denominator)
    assert figures["outreach-events"].numerator == 2
    assert figures["outreach-events"].last_year == 1
    assert figures["outreach-participants"].shown == "65"
    assert content.kind == "half"
    assert content.period_label == "6 tháng đầu năm 2025"


def _events(content) -> Decimal:  # type: ignore[no-untyped-def]
    return content.figures()["outreach-events"].numerator


def _approve(report, content) -> None:  # type: ignore[no-untyped-def]
    report.content = content_to_json(content)
    report.status = "approved"
    report.save()


def test_district_consolidates_its_old_communes_frozen_where_approved_live_elsewhere() -> None:
    district = unit(HOANG_HOA)
    hoang_hop = unit(HOANG_HOP)
    content = report_content_build(unit=district, period="2025S1", today=TODAY)
    codes = {c.unit_code for c in content.children}
    assert HOANG_HOP in codes and len(codes) > 10
    assert all(c.report_status == "not_started" for c in content.children)
    other = next(c for c in content.children if c.unit_code != HOANG_HOP)
    event(hoang_hop, date(2025, 2, 1))
    event(hoang_hop, date(2025, 3, 1))
    event(OrgUnit.objects.get(pk=other.unit_id), date(2025, 4, 1))
    event(district, date(2025, 5, 1))  # the district's own-level work
    report = make_report(code=HOANG_HOP, period="2025S1")
    _approve(report, report_content_build(unit=hoang_hop, period="2025S1", today=TODAY))
    event(hoang_hop, date(2025, 6, 1))  # recorded after approval: not in the frozen figures
    content = report_content_build(unit=district, period="2025S1", today=TODAY)
    assert _events(content) == 2 + 1 + 1  # frozen Hoằng Hợp + live other commune + own
    row = next(c for c in content.children if c.unit_code == HOANG_HOP)
    assert row.report_status == "approved" and row.report_id == report.pk
    assert row.figures["outreach-events"].numerator == 2
    assert row.narrative["strengths"].startswith("Công tác tuyên truyền")


def test_province_2025_consolidates_merged_communes_carrying_the_old_commune_once() -> None:
    province = unit(THANH_HOA, on=date(2025, 12, 31))
    hoang_giang = unit(HOANG_GIANG, on=date(2025, 12, 31))
    hoang_hop = unit(HOANG_HOP)
    event(hoang_hop, date(2025, 3, 1))  # old commune, January-June
    event(hoang_giang, date(2025, 9, 1))
    own = report_content_build(unit=hoang_giang, period="2025", today=TODAY)
    assert _events(own) == 2  # Hoằng Giang's 2025 carries what Hoằng Hợp recorded
    report = make_report(org_unit=hoang_giang, period="2025")
    _approve(report, own)
    content = report_content_build(unit=province, period="2025", today=TODAY)
    codes = {c.unit_code for c in content.children}
    assert HOANG_GIANG in codes and HOANG_HOP not in codes and HOANG_HOA not in codes
    assert _events(content) == 2  # not 3: the old commune's event is counted once


def test_results_follow_the_plans_own_components_and_carry_its_targets_and_tasks() -> None:
    from pcmd.plans.tests.factories import import_commune_plan

    plan = import_commune_plan()
    content = report_content_build(unit=unit(HOANG_HOP), period="2025S1", plan=plan, today=TODAY)
    titles = [g.title for g in content.results]
    assert "Nâng cao hiệu quả công tác truyền thông" in titles
    assert "Tăng cường kiểm tra" in titles and "Kinh phí thực hiện" in titles
    assert titles.index("Nâng cao hiệu quả công tác truyền thông") < titles.index(
        "Tăng cường kiểm tra"
    )
    assert [g.number for g in content.results] == [str(i) for i in range(1, len(titles) + 1)]
    assert content.targets and content.plan_id == plan.pk
    row = content.targets[0]
    assert row.status_label and row.programme_target != ""
    assert len(content.tasks) == plan.tasks.count()
    assert all(t.overdue is False or t.deadline is not None for t in content.tasks)


def test_target_table_goals_are_those_the_evaluation_measures_against() -> None:
    """ "At least one post a month" asks for 100 % of the months, not "1%" (the raw value)."""
    from pcmd.orgunits.demo import demo_load
    from pcmd.plans import services as plan_services
    from pcmd.plans.tests.test_import_seeds import parsed

    demo_load()
    plan = plan_services.plan_import(
        parsed=parsed("hoang_hop_2025.txt"), org_unit=unit(HOANG_HOP), acting_user=None,
        accept_warnings=True,
    )  # fmt: skip
    content = report_content_build(unit=unit(HOANG_HOP), period="2025S1", plan=plan, today=TODAY)
    rows = {row.text: row for row in content.targets}
    monthly = next(row for text, row in rows.items() if "một tháng, một lần" in text)
    assert (monthly.year_target, monthly.programme_target) == ("100%", "100%")
    villages = next(row for text, row in rows.items() if "80% số thôn" in text)
    assert (villages.year_target, villages.programme_target) == ("80%", "80%")
    # Inspections and criminal cases both fall under the seed's component 3: one heading each.
    titles = [group.title for group in content.results]
    assert len(titles) == len(set(titles)), titles
    assert titles.index("Đấu tranh, điều tra, truy tố, xét xử tội phạm") == (
        titles.index("Tăng cường kiểm tra; kịp thời phát hiện, xử lý các vi phạm pháp luật về "
                     "phòng, chống mại dâm; điều tra, truy tố các tội phạm liên quan đến mại dâm")
        + 1
    )  # fmt: skip
