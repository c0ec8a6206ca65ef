"""The tip workflow: every step dated and attributed, the rules of who may do what, transfers
that arrive at the receiving unit, the reveal of the reporter, and sealing at rest."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOP, OLD_AN_GIANG, make_user, unit
from pcmd.enforcement.models import BusinessType, Case, Establishment, Inspection, Offence
from pcmd.sealing.blind import blind_index
from pcmd.tips import selectors, services
from pcmd.tips.models import Notification, Tip, TipEvent
from pcmd.tips.tests.factories import at, classified, leader, make_tip, officer

pytestmark = pytest.mark.django_db

NAME = "Trần Thị Hư Cấu"
CONTENT = "Nhà nghỉ Hoa Hồng Giả Định chứa mại dâm vào ban đêm."


def test_the_workflow_records_every_step_with_who_and_when() -> None:
    police = officer()
    tip = make_tip(content=CONTENT, reporter_name=NAME, reporter_phone="0900000001")
    assert tip.reference == "TB-15919-2025-0001"
    assert not tip.reporter_anonymous
    services.tip_assign_officer(tip=tip, officer=police, acting_user=police)
    services.tip_verify(tip=tip, acting_user=police, note="Đã cử tổ xác minh")
    services.tip_classify(tip=tip, acting_user=police, subject="harbouring",
                          legal_nature="crime_denunciation")  # fmt: skip
    case = Case.objects.create(org_unit=tip.org_unit, opened_on=date(2025, 3, 10),
                               offence=Offence.objects.first())  # fmt: skip
    services.tip_handle(tip=tip, acting_user=police, outcome="case_opened", case=case,
                        handled_at=at(2025, 3, 10, 16))  # fmt: skip
    tip = Tip.objects.get(pk=tip.pk)
    assert tip.status == Tip.Status.HANDLED and tip.case == case
    kinds = list(tip.events.order_by("id").values_list("kind", "actor"))
    assert kinds == [
        ("received", None), ("officer", police.pk), ("verifying", police.pk),
        ("classified", police.pk), ("handled", police.pk),
    ]  # fmt: skip
    assert list(selectors.tips_for_case(case, user=police)) == [tip]
    assert Notification.objects.filter(user=police, key=f"tip:{tip.pk}:officer:{police.pk}")
    audits = AuditEvent.objects.filter(object_type="tips.tip", object_id=str(tip.pk))
    assert audits.count() == 5
    assert all(NAME not in str(a.detail) and "Hoa Hồng" not in str(a.detail) for a in audits)


def test_steps_follow_the_order() -> None:
    police = officer()
    tip = make_tip()
    with pytest.raises(ValidationError):
        services.tip_classify(tip=tip, acting_user=police, subject="other",
                              legal_nature="complaint")  # fmt: skip
    with pytest.raises(ValidationError):
        services.tip_handle(tip=tip, acting_user=police, outcome="not_substantiated")
    assert Tip.objects.get(pk=tip.pk).status == Tip.Status.RECEIVED
    assert tip.events.count() == 1


def test_an_administrative_sanction_needs_the_inspection() -> None:
    police = officer()
    tip = classified(make_tip(), police, nature="admin_violation")
    with pytest.raises(ValidationError) as exc:
        services.tip_handle(tip=tip, acting_user=police, outcome="admin_sanction")
    assert "inspection" in exc.value.message_dict
    place = Establishment.objects.create(org_unit=tip.org_unit, name="Karaoke Giả Định",
                                         business_type=BusinessType.objects.first())  # fmt: skip
    inspection = Inspection.objects.create(
        org_unit=tip.org_unit, establishment=place, inspected_on=date(2025, 3, 5), mode="surprise"
    )
    services.tip_handle(tip=tip, acting_user=police, outcome="admin_sanction",
                        inspection=inspection, handled_at=at(2025, 3, 6, 9))  # fmt: skip
    assert list(selectors.tips_for_inspection(inspection, user=police)) == [tip]


@pytest.mark.parametrize("role", [r for r in User.Role.values if r != "police"])
def test_only_police_of_the_unit_handle_tips(role: str) -> None:
    tip = make_tip()
    other = make_user(username=f"u-{role}", role=role)
    with pytest.raises(PermissionDenied):
        services.tip_verify(tip=tip, acting_user=other)


def test_police_of_another_province_cannot_touch_the_tip() -> None:
    tip = make_tip()
    stranger = officer("congan-ag", unit_code=OLD_AN_GIANG)
    with pytest.raises(PermissionDenied):
        services.tip_verify(tip=tip, acting_user=stranger)
    with pytest.raises(PermissionDenied):
        services.tip_reveal_reporter(tip=tip, user=stranger, reason="Cần liên hệ người báo")


def test_the_handling_officer_must_be_police_of_the_unit() -> None:
    police = officer()
    tip = make_tip()
    with pytest.raises(ValidationError):
        services.tip_assign_officer(tip=tip, officer=leader(), acting_user=police)
    with pytest.raises(ValidationError):
        services.tip_assign_officer(
            tip=tip, officer=officer("ag", unit_code=OLD_AN_GIANG), acting_user=police
        )


def test_a_transfer_arrives_at_the_receiving_unit() -> None:
    police = officer()
    province = unit("38")
    province_police = make_user(username="ca-tinh", role="police", unit_code="38")
    tip = make_tip(reporter_name=NAME, content=CONTENT)
    arrived = services.tip_transfer(tip=tip, acting_user=police, to_unit=province,
                                    note="Thuộc thẩm quyền cơ quan điều tra")  # fmt: skip
    assert arrived is not None
    tip = Tip.objects.get(pk=tip.pk)
    assert tip.outcome == Tip.Outcome.TRANSFERRED and tip.transferred_to_unit == province
    assert arrived.org_unit == province and arrived.transferred_from == tip
    assert arrived.content == CONTENT and arrived.reporter_name == NAME
    assert arrived.channel == "transferred" and arrived.status == Tip.Status.RECEIVED
    assert Notification.objects.filter(user=province_police, key=f"tip:{arrived.pk}:arrived")
    assert arrived in selectors.tip_list_for_user(user=province_police)
    assert arrived.events.filter(kind=TipEvent.Kind.ARRIVED).exists()


def test_reveal_needs_a_reason_and_is_audited_without_the_values() -> None:
    police = officer()
    tip = make_tip(reporter_name=NAME, reporter_phone="0900000001")
    with pytest.raises(ValidationError):
        services.tip_reveal_reporter(tip=tip, user=police, reason="ngắn")
    assert not AuditEvent.objects.filter(action="view_sensitive").exists()
    values = services.tip_reveal_reporter(tip=tip, user=police,
                                          reason="Cần mời người báo lên làm việc")  # fmt: skip
    assert values["reporter_name"] == NAME and values["reporter_phone"] == "0900000001"
    event = AuditEvent.objects.get(action="view_sensitive")
    assert event.user == police and event.detail["reason"] == "Cần mời người báo lên làm việc"
    assert NAME not in str(event.detail) and "0900000001" not in str(event.detail)
    with pytest.raises(PermissionDenied):
        services.tip_reveal_reporter(tip=tip, user=leader(), reason="Lãnh đạo muốn biết tên")


def test_the_raw_table_holds_no_plaintext() -> None:
    tip = make_tip(
        content=CONTENT,
        reporter_name=NAME,
        reporter_phone="0900000001",
        reporter_email="hucau@example.invalid",
        reporter_address="Thôn Giả Định",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content, reporter_name, reporter_phone, reporter_email, reporter_address, "
            "reporter_name_index FROM tips_tip WHERE id = %s",
            [tip.pk],
        )
        row = cursor.fetchone()
    raw = " ".join(str(v) for v in row)
    for plain in (CONTENT, NAME, "Hoa Hồng", "0900000001", "hucau", "Giả Định"):
        assert plain not in raw
    assert row[5] == blind_index(NAME, purpose="name")
    assert Tip.objects.filter(reporter_name_index=blind_index("tran thi hu cau", purpose="name"))


def test_intake_refuses_bad_input_and_writes_nothing() -> None:
    police = officer()
    with pytest.raises(ValidationError) as exc:
        services.tip_receive(
            acting_user=police,
            org_unit=unit(HOANG_HOP),
            received_at=at(2025, 3, 1, 10),
            channel="phone",
            content="  ",
        )
    assert "content" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.tip_receive(
            acting_user=police,
            org_unit=unit(OLD_AN_GIANG),
            received_at=at(2025, 3, 1, 10),
            channel="phone",
            content="x",
        )
    assert not Tip.objects.exists()


def test_handled_in_time_counts_the_unit_and_period() -> None:
    police = officer()
    done = classified(make_tip(), police)
    services.tip_handle(tip=done, acting_user=police, outcome="not_substantiated",
                        handled_at=at(2025, 3, 15, 9))  # fmt: skip
    make_tip(received_at=at(2025, 3, 2, 10))  # open, past its deadline by now
    measure = selectors.handled_in_time(unit=unit(HOANG_HOP), period="2025")
    assert (measure.received, measure.in_time, measure.open_overdue) == (2, 1, 1)
    assert measure.share_shown == "—"  # denominator under 5
