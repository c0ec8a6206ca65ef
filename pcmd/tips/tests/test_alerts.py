"""send_alerts against a clock set forward: near and past deadlines, escalation, idempotence."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from pcmd.tips.alerts import send_alerts
from pcmd.tips.models import Notification, TipEvent
from pcmd.tips.tests.factories import at, classified, leader, make_tip, officer

pytestmark = pytest.mark.django_db


def test_alerts_for_a_near_then_a_past_deadline_are_made_once() -> None:
    police, boss = officer(), leader()
    tip = classified(make_tip(), police)  # due 21/03/2025 10:00
    assert send_alerts(now=at(2025, 3, 10)).notifications == 0
    first = send_alerts(now=at(2025, 3, 19, 9))
    assert (first.near, first.notifications) == (1, 2)
    near = Notification.objects.get(user=police)
    assert "sắp đến hạn" in near.text and near.link == f"/tips/{tip.pk}/"
    assert Notification.objects.filter(user=boss).count() == 1
    assert tip.events.filter(kind=TipEvent.Kind.ESCALATED).count() == 1
    assert send_alerts(now=at(2025, 3, 19, 15)).notifications == 0
    late = send_alerts(now=at(2025, 3, 25))
    assert (late.overdue, late.notifications) == (1, 2)
    assert send_alerts(now=at(2025, 3, 26)).notifications == 0
    assert Notification.objects.filter(user=police, text__contains="quá hạn").count() == 1


def test_without_an_officer_the_units_police_are_told() -> None:
    first, second = officer("ca1"), officer("ca2")
    make_tip()
    send_alerts(now=at(2025, 3, 20))
    assert Notification.objects.filter(user__in=[first, second]).count() == 2


def test_handled_and_paused_tips_raise_no_alert() -> None:
    from pcmd.tips import services

    police = officer()
    tip = classified(make_tip(), police)
    services.tip_pause(tip=tip, acting_user=police, reason="Chờ giám định", at=at(2025, 3, 5))
    assert send_alerts(now=at(2025, 4, 30)).notifications == 0


def test_the_command_runs_against_a_given_clock(capsys: pytest.CaptureFixture[str]) -> None:
    officer()
    make_tip()
    call_command("send_alerts", now="2025-03-25T08:00")
    assert "overdue 1" in capsys.readouterr().out
    call_command("send_alerts", now="2025-03-25T08:00")
    assert "notifications created 0" in capsys.readouterr().out


def test_an_overdue_referral_follow_up_is_told_to_the_units_social_workers_by_code() -> None:
    from pcmd.accounts.models import User
    from pcmd.accounts.tests.factories import make_user
    from pcmd.support.casefiles import services as support_services
    from pcmd.support.casefiles.models import ServiceKind
    from pcmd.support.tests.casefiles.factories import NAME, make_beneficiary, make_consent

    worker = make_user(username="ctxh", role=User.Role.SOCIAL_WORKER)
    beneficiary = make_beneficiary()
    make_consent(beneficiary)
    support_services.referral_create(
        beneficiary=beneficiary, acting_user=None, referred_on=date(2025, 3, 1),
        service_kind=ServiceKind.values[0], to_name="Trung tâm trợ giúp pháp lý",
        follow_up_on=date(2025, 3, 15),
    )  # fmt: skip
    assert send_alerts(now=at(2025, 3, 15, 9)).follow_ups == 0  # due today: not yet overdue
    result = send_alerts(now=at(2025, 3, 16, 9))
    assert result.follow_ups == 1
    note = Notification.objects.get(user=worker, key__startswith="referral:")
    assert beneficiary.code in note.text and NAME not in note.text
    assert send_alerts(now=at(2025, 3, 17, 9)).notifications == 0  # once
