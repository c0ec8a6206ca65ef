"""Reminders about reports, sent with the tip alerts."""

from __future__ import annotations

from datetime import date

import pytest

from pcmd.reports import services
from pcmd.reports.alerts import report_alerts
from pcmd.reports.tests.factories import HOANG_HOP, NARRATIVE, coordinator, leader, unit
from pcmd.tips.models import Notification

pytestmark = pytest.mark.django_db


def _draft(user):  # type: ignore[no-untyped-def]
    return services.report_create(acting_user=user, unit=unit(HOANG_HOP), period="2025S1")


def test_alerts_remind_writers_of_due_and_returned_reports_once() -> None:
    user = coordinator()
    _draft(user)
    _checked, made = report_alerts(today=date(2025, 7, 10))
    assert made == 1
    assert report_alerts(today=date(2025, 7, 10))[1] == 0
    assert report_alerts(today=date(2025, 7, 20))[1] == 1  # overdue now
    texts = list(Notification.objects.filter(user=user).values_list("text", flat=True))
    assert any("quá hạn" in t for t in texts) and any("sắp đến hạn" in t for t in texts)


def test_a_returned_report_is_told_to_its_writers_once_and_send_alerts_counts_it() -> None:
    from pcmd.tips.alerts import send_alerts

    user = coordinator()
    report = _draft(user)
    services.report_save_narrative(
        acting_user=user, report=report, data=NARRATIVE, expected_version=report.version
    )
    services.report_submit(acting_user=user, report=report, today=date(2025, 7, 2))
    services.report_return(acting_user=leader(), report=report, comment="Bổ sung số liệu")
    returned = Notification.objects.filter(user=user, key__contains=":returned:")
    assert returned.count() == 1 and "Bổ sung số liệu" in returned.get().text
    result = send_alerts()
    assert result.reports >= 1
    assert Notification.objects.filter(user=user, key__contains=":returned:").count() == 1
