"""Reminders about reports, sent with the tip alerts (pcmd.tips.alerts.send_alerts).

Owns: report_alerts(), notify_returned().
Invariants: idempotent — keys name the unit, the period and the kind of reminder (and the day a
report was returned), so re-running creates nothing new; only the unit's writers (coordinators)
are told; a report is due within 7 days or overdue until it is submitted.
Not here: the notifications themselves (pcmd.tips.services.notify).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from pcmd.accounts.models import User
from pcmd.reports.models import Report
from pcmd.tips.services import notify

DUE_SOON_DAYS = 7


def _writers(unit_id: int) -> list[User]:
    return list(
        User.objects.filter(org_unit_id=unit_id, role=User.Role.COORDINATOR, is_active=True)
    )


def notify_returned(report: Report) -> int:
    event = report.events.filter(kind="returned").order_by("-at", "-pk").first()
    day = (event.at.date() if event else date.today()).isoformat()
    text = _("Báo cáo %(kind)s kỳ %(period)s bị trả lại: %(comment)s") % {
        "kind": report.get_kind_display(),
        "period": report.period,
        "comment": (event.comment if event else "")[:300],
    }
    return notify(
        users=_writers(report.org_unit_id),
        key=f"report:{report.pk}:returned:{day}:{event.pk if event else 0}",
        text=text,
        link=reverse("reports:detail", args=[report.pk]),
    )


def report_alerts(*, today: date) -> tuple[int, int]:
    """Notify writers of reports due within 7 days or overdue, and of returned ones;
    (reminders checked, notifications made)."""
    checked = made = 0
    open_reports = (
        Report.objects.filter(status__in=[Report.Status.DRAFT, Report.Status.RETURNED])
        .exclude(due_on__isnull=True)
        .filter(due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("org_unit")
        .order_by("pk")
    )
    for report in open_reports:
        due = report.due_on
        assert due is not None
        checked += 1
        overdue = due < today
        text = (
            _("Báo cáo %(kind)s kỳ %(period)s đã quá hạn gửi (hạn %(d)s).")
            if overdue
            else _("Báo cáo %(kind)s kỳ %(period)s sắp đến hạn gửi (hạn %(d)s).")
        ) % {"kind": report.get_kind_display(), "period": report.period,
             "d": due.strftime("%d/%m/%Y")}  # fmt: skip
        made += notify(
            users=_writers(report.org_unit_id),
            key=f"report:{report.pk}:{'overdue' if overdue else 'due'}:{due.isoformat()}",
            text=text,
            link=reverse("reports:detail", args=[report.pk]),
        )
    for report in Report.objects.filter(status=Report.Status.RETURNED).order_by("pk"):
        checked += 1
        made += notify_returned(report)
    return checked, made
