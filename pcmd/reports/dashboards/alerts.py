"""The alerts of a unit's dashboard: what needs someone's attention now.

Owns: Alert, AlertContext, ALERT_PROVIDERS, alert_provider(), alerts_for(); the providers
targets_alerts (targets at risk or off track), tasks_alerts (tasks past their due date) and
tips_alerts (tips near or past their handling deadline).
Entry points: alerts_for(context) — the dashboard view. A new kind of alert (the reports of the
children due or returned, when the reports core adds them) is one function taking an
AlertContext and returning Alerts, registered with @alert_provider (or appended to
ALERT_PROVIDERS).
Invariants: alerts about individual tips go only to roles with tip.view (others learn nothing
about single tips); every alert carries its word ("Quá hạn", "Có nguy cơ") beside its colour;
providers read, never write.
Not here: notifications sent by `pcmd send_alerts` (pcmd.tips.alerts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import has_capability
from pcmd.indicators.evaluation import Status
from pcmd.orgunits.models import OrgUnit
from pcmd.plans.models import Plan
from pcmd.plans.selectors import task_due_date, tasks_overdue
from pcmd.tips.models import Tip
from pcmd.tips.selectors import tip_list_for_user, tip_rows

MAX_PER_PROVIDER = 20
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
