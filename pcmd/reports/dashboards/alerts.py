"""The alerts of a unit's dashboard: what needs someone's attention now.

Owns: Alert, AlertContext, ALERT_PROVIDERS, alert_provider(), alerts_for(); the providers
targets_alerts (targets at risk or off track), tasks_alerts (tasks past their due date),
tips_alerts (tips near or past their handling deadline) and reports_alerts (the unit's reports
due, overdue or returned; its children's reports overdue).
Entry points: alerts_for(context) — the dashboard view. A new kind of alert is one function
taking an AlertContext and returning Alerts, registered with @alert_provider.
Invariants: alerts about individual tips go only to roles with tip.view (others learn nothing
about single tips); every alert carries its word ("Quá hạn", "Có nguy cơ") beside its colour;
providers read, never write.
Not here: notifications sent by `pcmd send_alerts` (pcmd.tips.alerts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import has_capability
from pcmd.common.periods import Period, period_containing, period_parse
from pcmd.indicators.evaluation import Status
from pcmd.orgunits.models import OrgUnit
from pcmd.plans.models import Plan
from pcmd.plans.selectors import task_due_date, tasks_overdue
from pcmd.tips.models import Tip
from pcmd.tips.selectors import tip_list_for_user, tip_rows

MAX_PER_PROVIDER = 20
DUE_SOON_DAYS = 7  # a report due within a week is announced
TASKS_LISTED = 3  # then one line for the rest, with the link to the plan


@dataclass(frozen=True)
class Alert:
    level: str  # "bad" (past, off track) or "warn" (near, at risk) — a CSS class and an order
    word: str  # what the colour means, always shown ("Quá hạn", "Sắp đến hạn", ...)
    text: str
    url: str = ""


@dataclass
class AlertContext:
    user: Any
    unit: OrgUnit
    today: date
    plans: list[Plan] = field(default_factory=list)
    cards: list[Any] = field(default_factory=list)  # selectors.TargetCard, already evaluated
    now: datetime = field(default_factory=timezone.now)  # the tips' deadline clock


AlertProvider = Callable[[AlertContext], list[Alert]]
ALERT_PROVIDERS: list[AlertProvider] = []


def alert_provider(function: AlertProvider) -> AlertProvider:
    """Register `function` as a source of dashboard alerts (in the order registered)."""
    ALERT_PROVIDERS.append(function)
    return function


def alerts_for(context: AlertContext) -> list[Alert]:
    out: list[Alert] = []
    for provider in ALERT_PROVIDERS:
        out += provider(context)[:MAX_PER_PROVIDER]
    return sorted(out, key=lambda a: 0 if a.level == "bad" else 1)


@alert_provider
def targets_alerts(context: AlertContext) -> list[Alert]:
    out = []
    for card in context.cards:
        if card.status == Status.OFF_TRACK:
            level = "bad"
        elif card.status == Status.AT_RISK:
            level = "warn"
        else:
            continue
        url = ""
        if has_capability(context.user, "plan.view"):
            url = reverse("indicators:plan-evaluation", args=[card.plan.pk])
        out.append(Alert(level, card.status_label, f"{card.text[:120]} — {card.explanation}", url))
    return out


@alert_provider
def tasks_alerts(context: AlertContext) -> list[Alert]:
    if not has_capability(context.user, "plan.view"):
        return []
    out = []
    for plan in context.plans:
        url = reverse("plans:detail", args=[plan.pk])
        overdue = list(tasks_overdue(plan=plan, today=context.today).select_related("plan"))
        for task in overdue[:TASKS_LISTED]:
            due = task_due_date(task)
            text = _("Nhiệm vụ quá hạn (hạn %(d)s): %(t)s") % {
                "d": due.strftime("%d/%m/%Y") if due else "—",
                "t": task.title[:140],
            }
            out.append(Alert("bad", _("Quá hạn"), text, url))
        if len(overdue) > TASKS_LISTED:
            more = len(overdue) - TASKS_LISTED
            text = _("Còn %(n)d nhiệm vụ quá hạn khác của kế hoạch.") % {"n": more}
            out.append(Alert("bad", _("Quá hạn"), text, url))
    return out


@alert_provider
def tips_alerts(context: AlertContext) -> list[Alert]:
    if not has_capability(context.user, "tip.view"):
        return []  # nothing about individual tips for the other roles
    tips = tip_list_for_user(user=context.user, unit=context.unit).exclude(
        status=Tip.Status.HANDLED
    )
    out = []
    for row in tip_rows(tips[:500], now=context.now):
        clock = row.clock
        if clock.due is None or clock.paused:
            continue
        due = timezone.localtime(clock.due).strftime("%d/%m/%Y %H:%M")
        if clock.overdue:
            text = _("Tin báo %(r)s đã quá hạn xử lý (hạn %(d)s).")
            level, word = "bad", _("Quá hạn")
        elif clock.near:
            text = _("Tin báo %(r)s sắp đến hạn xử lý (hạn %(d)s).")
            level, word = "warn", _("Sắp đến hạn")
        else:
            continue
        url = reverse("tips:detail", args=[row.tip.pk])
        out.append(Alert(level, word, text % {"r": row.tip.reference, "d": due}, url))
    return out


def _periods_due(today: date) -> list[Period]:
    """The reporting periods whose reports fall due around `today`: the last six months that
    ended, and last year (its annual report) in the first half of the year."""
    current = period_containing(today, "half")
    previous = period_containing(current.start - timedelta(days=1), "half")
    periods = [previous]
    if current.id.endswith("S1"):
        periods.append(period_parse(str(today.year - 1)))
    return periods


def _exists_on(unit: OrgUnit, period: Period) -> bool:
    return unit.valid_to is None or unit.valid_to >= period.end


@alert_provider
def reports_alerts(context: AlertContext) -> list[Alert]:
    """The unit's own reports due soon, overdue or returned; its children's reports overdue."""
    from pcmd.reports.models import Report, kind_for_period
    from pcmd.reports.selectors import children_overdue
    from pcmd.reports.services import default_due_on

    if not has_capability(context.user, "report.view"):
        return []
    periods = [p for p in _periods_due(context.today) if _exists_on(context.unit, p)]
    own = {
        (r.period, r.kind): r
        for r in Report.objects.filter(org_unit=context.unit, period__in=[p.id for p in periods])
    }
    out: list[Alert] = []
    for period in periods:
        report = own.get((period.id, kind_for_period(period)))
        shown = {"p": period.label}
        if report is not None:
            url = reverse("reports:detail", args=[report.pk])
        else:
            url = reverse("reports:list")
        if report is not None and report.status == Report.Status.RETURNED:
            text = _("Báo cáo %(p)s bị cấp trên trả lại: cần sửa và gửi lại.") % shown
            out.append(Alert("bad", _("Bị trả lại"), text, url))
        elif report is None or report.status == Report.Status.DRAFT:
            due = (report.due_on if report is not None else None) or default_due_on(period)
            days = (due - context.today).days
            shown["d"] = due.strftime("%d/%m/%Y")
            if days < 0:
                text = _("Báo cáo %(p)s chưa gửi, quá hạn từ %(d)s.") % shown
                out.append(Alert("bad", _("Quá hạn"), text, url))
            elif days <= DUE_SOON_DAYS:
                text = _("Báo cáo %(p)s phải gửi trước %(d)s.") % shown
                out.append(Alert("warn", _("Sắp đến hạn"), text, url))
        late, children = children_overdue(unit=context.unit, period=period, today=context.today)
        if late:
            text = _("%(n)d/%(t)d đơn vị cấp dưới chưa gửi báo cáo %(p)s đúng hạn.") % {
                "n": late, "t": children, "p": period.label,
            }  # fmt: skip
            url = reverse("reports:children") + f"?period={period.id}"
            out.append(Alert("bad", _("Quá hạn"), text, url))
    return out
