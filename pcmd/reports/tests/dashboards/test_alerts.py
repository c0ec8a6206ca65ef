"""Dashboard alerts: targets at risk, overdue tasks, tips near or past their deadline (only for
roles that see tips), and the registry a new kind of alert plugs into."""

from __future__ import annotations

from datetime import date

import pytest

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import HOANG_HOP, make_user, unit
from pcmd.outreach.tests.factories import hoang_hop_with_villages
from pcmd.plans.models import Plan
from pcmd.plans.tests.factories import make_plan, make_target, make_task
from pcmd.reports.dashboards import alerts, selectors
from pcmd.reports.dashboards.alerts import Alert, AlertContext, alerts_for
from pcmd.tips.tests.factories import at, classified, make_tip

pytestmark = pytest.mark.django_db
MID_YEAR = date(2025, 6, 30)


def context(user: User, **kw: object) -> AlertContext:
    return AlertContext(user=user, unit=unit(HOANG_HOP), today=MID_YEAR, **kw)  # type: ignore[arg-type]


def test_a_target_off_track_is_an_alert_with_its_status_word() -> None:
    commune = hoang_hop_with_villages()
    plan = make_plan(status=Plan.Status.ISSUED)
    make_target(plan=plan)  # 80 % of villages; none has an activity
    period = selectors.default_period(commune, MID_YEAR)
    cards = selectors.target_cards(
        commune, selectors.dashboard_period(commune, period, MID_YEAR), [plan]
    )  # noqa: E501
    user = make_user()
    found = alerts.targets_alerts(context(user, plans=[plan], cards=cards))
    assert [(a.level, a.word) for a in found] == [("bad", "Chậm, không đạt")]
    assert found[0].url == f"/indicators/plans/{plan.pk}/"


def test_overdue_tasks_are_listed_three_then_counted() -> None:
    plan = make_plan(status=Plan.Status.ISSUED)
    for i in range(5):
        make_task(plan=plan, title=f"Việc {i}", end=date(2025, 3, 31), order=i)
    make_task(plan=plan, title="Việc chưa đến hạn", end=date(2025, 9, 30), order=9)
    found = alerts.tasks_alerts(context(make_user(), plans=[plan]))
    assert [a.text for a in found] == [
        "Nhiệm vụ quá hạn (hạn 31/03/2025): Việc 0",
        "Nhiệm vụ quá hạn (hạn 31/03/2025): Việc 1",
        "Nhiệm vụ quá hạn (hạn 31/03/2025): Việc 2",
        "Còn 2 nhiệm vụ quá hạn khác của kế hoạch.",
    ]
    assert all(a.word == "Quá hạn" for a in found)


def test_tips_near_and_past_their_deadline_only_for_roles_that_see_tips() -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    tip = classified(make_tip(), police)  # due 21/03/2025 10:00
    near = alerts.tips_alerts(context(police, now=at(2025, 3, 19, 9)))
    assert [(a.level, a.word) for a in near] == [("warn", "Sắp đến hạn")]
    assert tip.reference in near[0].text and near[0].url == f"/tips/{tip.pk}/"
    late = alerts.tips_alerts(context(police, now=at(2025, 3, 25)))
    assert [a.word for a in late] == ["Quá hạn"]
    assert alerts.tips_alerts(context(police, now=at(2025, 3, 10))) == []
    coordinator = make_user(username="dieuphoi")
    assert alerts.tips_alerts(context(coordinator, now=at(2025, 3, 25))) == []


def test_a_new_provider_is_one_registration_and_past_comes_before_near() -> None:
    def reports_due(ctx: AlertContext) -> list[Alert]:
        return [Alert("warn", "Sắp đến hạn", "Báo cáo 6 tháng đầu năm sắp đến hạn nộp")]

    alerts.alert_provider(reports_due)
    try:
        plan = make_plan(status=Plan.Status.ISSUED)
        make_task(plan=plan, title="Việc", end=date(2025, 3, 31))
        found = alerts_for(context(make_user(), plans=[plan]))
        mine = [a for a in found if a.text.startswith(("Nhiệm vụ", "Báo cáo 6 tháng đầu năm"))]
        assert [a.word for a in mine] == ["Quá hạn", "Sắp đến hạn"]
        levels = [a.level for a in found]  # every past alert (any provider) before the near ones
        assert levels == sorted(levels, key=lambda level: level != "bad")
    finally:
        alerts.ALERT_PROVIDERS.remove(reports_due)


def _reports_context(user: User, code: str, today: date) -> AlertContext:
    return AlertContext(user=user, unit=user.org_unit, today=today)


def test_the_units_report_due_soon_then_overdue_then_returned() -> None:
    from pcmd.reports.tests.factories import HOANG_GIANG, make_report

    user = make_user(username="giang", unit_code=HOANG_GIANG)
    # 2026S1 ends on 30/06 and is due 15 days later.
    [soon] = alerts.reports_alerts(_reports_context(user, HOANG_GIANG, date(2026, 7, 10)))
    assert (soon.level, soon.word) == ("warn", "Sắp đến hạn") and "15/07/2026" in soon.text
    [late] = alerts.reports_alerts(_reports_context(user, HOANG_GIANG, date(2026, 8, 1)))
    assert (late.level, late.word) == ("bad", "Quá hạn")
    report = make_report(org_unit=unit(HOANG_GIANG, on=date(2026, 8, 1)), period="2026S1",
                         status="returned")  # fmt: skip
    [back] = alerts.reports_alerts(_reports_context(user, HOANG_GIANG, date(2026, 8, 1)))
    assert back.word == "Bị trả lại" and back.url == f"/reports/{report.pk}/"
    report.status = "submitted"
    report.save()
    assert alerts.reports_alerts(_reports_context(user, HOANG_GIANG, date(2026, 8, 1))) == []


def test_children_late_with_their_reports_are_counted_for_the_unit_above() -> None:
    from pcmd.reports.tests.factories import HOANG_HOA

    user = make_user(username="huyen", role=User.Role.LEADER, unit_code=HOANG_HOA)
    found = alerts.reports_alerts(_reports_context(user, HOANG_HOA, date(2025, 8, 1)))
    children = [a for a in found if "đơn vị cấp dưới" in a.text]
    assert len(children) == 1 and children[0].url == "/reports/children/?period=2025S1"
    assert children[0].text.split("/")[0].isdigit()


def test_a_dissolved_unit_is_not_asked_for_reports_after_it_ended() -> None:
    user = make_user(username="hop")
    assert alerts.reports_alerts(_reports_context(user, HOANG_HOP, date(2026, 8, 1))) == []
