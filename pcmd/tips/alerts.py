"""Alerts on tip deadlines: in-app notifications for deadlines near (≤ 3 days) or past, and the
escalation of a near deadline to the supervisor (the unit's leaders); and on support referrals
whose follow-up date has passed (told to the unit's social workers, by case-file code).

Owns: AlertResult, send_alerts().
Entry points: `pcmd send_alerts` (management command) and the worker job
pcmd.tips.jobs.send_alerts_job; both call send_alerts().
Invariants: idempotent — every notification has a key naming the tip, the kind of alert and the
deadline's day (Notification is unique per user and key), so re-running creates nothing new; a
deadline moved by an extension or a pause gives new keys, hence new alerts. The handling officer
(or, when none is assigned, the unit's police) and the unit's leaders are told; a first
escalation is written on the tip's timeline.
Not here: the clock (deadlines.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.tips import services
from pcmd.tips.deadlines import rules_all, tip_clock
from pcmd.tips.models import Tip, TipEvent


@dataclass
class AlertResult:
    tips_checked: int = 0
    near: int = 0
    overdue: int = 0
    follow_ups: int = 0  # support referrals past their follow-up date
    reports: int = 0  # periodic reports due, overdue or returned (pcmd.reports.alerts)
    notifications: int = 0


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


@transaction.atomic
def send_alerts(*, now: datetime | None = None) -> AlertResult:
    now = now or timezone.now()
    result = AlertResult()
    rules = rules_all()
    tips = (
        Tip.objects.exclude(status=Tip.Status.HANDLED)
        .select_related("org_unit", "handling_officer", "extension")
        .prefetch_related("pauses")
        .order_by("pk")
    )
    for tip in tips:
        result.tips_checked += 1
        clock = tip_clock(tip, now=now, rules=rules)
        if clock.due is None or clock.paused:
            continue
        if clock.overdue:
            kind = "overdue"
            text = _("Tin báo %(r)s đã quá hạn xử lý (hạn %(d)s).")
            result.overdue += 1
        elif clock.near:
            kind = "near"
            text = _("Tin báo %(r)s sắp đến hạn xử lý (hạn %(d)s).")
            result.near += 1
        else:
            continue
        text = text % {"r": tip.reference, "d": _when(clock.due)}
        key = f"tip:{tip.pk}:{kind}:{timezone.localdate(clock.due).isoformat()}"
        officers = (
            [tip.handling_officer]
            if tip.handling_officer is not None and tip.handling_officer.is_active
            else services.unit_police(tip.org_unit)
        )
        link = services.tip_link(tip)
        result.notifications += services.notify(users=officers, key=key, text=text, link=link)
        made = services.notify(
            users=services.unit_leaders(tip.org_unit), key=key, text=text, link=link
        )
        result.notifications += made
        if made:  # the leaders were told for the first time about this deadline
            TipEvent.objects.create(tip=tip, at=now, kind=TipEvent.Kind.ESCALATED, note=text)
    _referral_alerts(now, result)
    _report_alerts(now, result)
    return result


def _referral_alerts(now: datetime, result: AlertResult) -> None:
    """Referrals of support case files whose follow-up date has passed: their unit's social
    workers are told, by the case file's pseudonymous code only (never a name)."""
    from django.urls import reverse

    from pcmd.accounts.models import User
    from pcmd.support.casefiles.models import Referral

    today = timezone.localdate(now)
    overdue = (
        Referral.objects.filter(status__in=Referral.OPEN_STATUSES, follow_up_on__lt=today)
        .select_related("beneficiary")
        .order_by("pk")
    )
    for referral in overdue:
        follow_up = referral.follow_up_on
        if follow_up is None:  # excluded by the filter; keeps the types honest
            continue
        result.follow_ups += 1
        beneficiary = referral.beneficiary
        workers = User.objects.filter(
            org_unit_id=beneficiary.org_unit_id, role=User.Role.SOCIAL_WORKER, is_active=True
        )
        text = _("Chuyển gửi của hồ sơ %(c)s đã quá ngày theo dõi (%(d)s).") % {
            "c": beneficiary.code,
            "d": follow_up.strftime("%d/%m/%Y"),
        }
        result.notifications += services.notify(
            users=workers,
            key=f"referral:{referral.pk}:overdue:{follow_up.isoformat()}",
            text=text,
            link=reverse("support:beneficiary-detail", args=[beneficiary.pk]),
        )


def _report_alerts(now: datetime, result: AlertResult) -> None:
    """Reports due within 7 days, overdue or returned: their unit's writers are told."""
    from pcmd.reports.alerts import report_alerts

    checked, made = report_alerts(today=timezone.localdate(now))
    result.reports += checked
    result.notifications += made
