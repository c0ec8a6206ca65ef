"""The deadline clock: rules by legal nature and date, complex cases, pauses, the extension,
the commune pass-on rule and "handled in time"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pcmd.accounts.tests.factories import HOANG_HOA
from pcmd.tips import services
from pcmd.tips.deadlines import add_months, rule_for, tip_clock
from pcmd.tips.models import DeadlineRule, Tip
from pcmd.tips.tests.factories import at, classified, leader, make_tip, officer

pytestmark = pytest.mark.django_db


def test_add_months_clamps_to_the_last_day() -> None:
    assert add_months(at(2025, 12, 31, 9), 2) == at(2026, 2, 28, 9)
    assert add_months(at(2025, 3, 1, 9), 0) == at(2025, 3, 1, 9)


def test_seeded_rules_follow_the_issue() -> None:
    crime = rule_for("crime_denunciation", at(2025, 3, 1))
    assert crime is not None
    assert (crime.days, crime.complex_months, crime.max_extension_months) == (20, 2, 2)
    assert crime.legal_basis.startswith("BLTTHS 2015")
    old = rule_for("crime_report", at(2017, 5, 1))
    assert old is not None and old.max_extension_months == 0
    pass_on = rule_for("commune_pass_on", at(2025, 3, 1))
    assert pass_on is not None and (pass_on.hours, pass_on.remote_hours) == (24, 48)
    for nature in ("admin_violation", "complaint"):
        rule = rule_for(nature, at(2025, 3, 1))
        assert rule is not None and rule.needs_legal_review


def test_a_crime_denunciation_is_due_in_20_days() -> None:
    police = officer()
    tip = classified(make_tip(), police)
    clock = tip_clock(tip, now=at(2025, 3, 5))
    assert clock.due == at(2025, 3, 21, 10)
    assert clock.in_time is None and not clock.overdue


def test_an_unclassified_tip_runs_on_the_crime_clock() -> None:
    assert tip_clock(make_tip(), now=at(2025, 3, 2)).due == at(2025, 3, 21, 10)


def test_a_complex_tip_gets_two_months_and_one_extension_of_two_more() -> None:
    police, boss = officer(), leader()
    tip = classified(make_tip(), police, is_complex=True)
    assert tip_clock(tip, now=at(2025, 3, 2)).due == at(2025, 5, 1, 10)
    with pytest.raises(PermissionDenied):
        services.tip_extend(tip=tip, acting_user=police, months=2, reason="Cần giám định thêm")
    with pytest.raises(ValidationError):
        services.tip_extend(tip=tip, acting_user=boss, months=3, reason="Cần giám định thêm")
    services.tip_extend(tip=tip, acting_user=boss, months=2, reason="Cần giám định thêm")
    tip = Tip.objects.get(pk=tip.pk)
    assert tip_clock(tip, now=at(2025, 3, 2)).due == at(2025, 7, 1, 10)
    with pytest.raises(ValidationError, match="một lần"):
        services.tip_extend(tip=tip, acting_user=boss, months=1, reason="Lại cần thêm thời gian")


def test_a_rule_without_extension_refuses_one() -> None:
    police, boss = officer(), leader()
    tip = classified(make_tip(received_at=at(2017, 5, 2, 8)), police, nature="crime_report")
    with pytest.raises(ValidationError, match="không cho gia hạn"):
        services.tip_extend(tip=tip, acting_user=boss, months=1, reason="Cần thêm thời gian")


def test_pauses_push_the_deadline_and_an_open_pause_stops_the_clock() -> None:
    police = officer()
    tip = classified(make_tip(), police)
    services.tip_pause(tip=tip, acting_user=police, reason="Chờ kết quả giám định",
                       at=at(2025, 3, 5, 10))  # fmt: skip
    services.tip_resume(tip=tip, acting_user=police, at=at(2025, 3, 10, 10))
    tip = Tip.objects.get(pk=tip.pk)
    assert tip_clock(tip, now=at(2025, 3, 11)).due == at(2025, 3, 26, 10)
    services.tip_pause(tip=tip, acting_user=police, reason="Tạm đình chỉ theo Điều 148",
                       at=at(2025, 3, 20, 10))  # fmt: skip
    clock = tip_clock(Tip.objects.get(pk=tip.pk), now=at(2025, 4, 30, 10))
    assert clock.paused and clock.in_time is None and not clock.overdue
    assert clock.due == at(2025, 3, 26, 10) + (at(2025, 4, 30, 10) - at(2025, 3, 20, 10))


def test_handled_in_time_and_late() -> None:
    police = officer()
    early = classified(make_tip(), police)
    services.tip_handle(tip=early, acting_user=police, outcome="not_substantiated",
                        handled_at=at(2025, 3, 20, 9))  # fmt: skip
    assert tip_clock(Tip.objects.get(pk=early.pk)).in_time is True
    late = classified(make_tip(), police)
    services.tip_handle(tip=late, acting_user=police, outcome="not_substantiated",
                        handled_at=at(2025, 3, 22, 9))  # fmt: skip
    assert tip_clock(Tip.objects.get(pk=late.pk)).in_time is False
    open_tip = classified(make_tip(), police)
    clock = tip_clock(open_tip, now=at(2025, 3, 21, 11))
    assert clock.overdue and clock.in_time is False and clock.label == "Quá hạn"


def test_an_administrative_report_uses_its_own_30_day_default() -> None:
    police = officer()
    tip = classified(make_tip(), police, nature="admin_violation")
    clock = tip_clock(tip, now=at(2025, 3, 2))
    assert clock.due == at(2025, 3, 31, 10)
    assert clock.rule is not None and clock.rule.needs_legal_review
    assert clock.pass_on_due is None  # not a criminal matter


def test_commune_police_must_pass_a_criminal_tip_on_within_24_hours() -> None:
    police = officer()
    quick = make_tip()
    assert tip_clock(quick).pass_on_due == at(2025, 3, 2, 10)
    services.tip_transfer(tip=quick, acting_user=police, to_agency="Cơ quan CSĐT Công an tỉnh",
                          at=at(2025, 3, 2, 9))  # fmt: skip
    assert tip_clock(Tip.objects.get(pk=quick.pk)).in_time is True
    slow = make_tip()
    services.tip_transfer(tip=slow, acting_user=police, to_agency="Cơ quan CSĐT Công an tỉnh",
                          at=at(2025, 3, 3, 9))  # fmt: skip
    assert tip_clock(Tip.objects.get(pk=slow.pk)).in_time is False


def test_remote_areas_get_48_hours_to_pass_on() -> None:
    tip = make_tip(remote_area=True)
    assert tip_clock(tip).pass_on_due == at(2025, 3, 3, 10)


def test_a_district_tip_has_no_pass_on_clock() -> None:
    tip = make_tip(unit_code=HOANG_HOA)
    assert tip_clock(tip).pass_on_due is None


def test_an_admin_edit_of_the_rule_changes_the_clock() -> None:
    DeadlineRule.objects.filter(applies_to="crime_denunciation", valid_to__isnull=True).update(
        days=10
    )
    tip = make_tip()
    assert tip_clock(tip).due == at(2025, 3, 1, 10) + timedelta(days=10)
