"""reveal() records who read which sealed field and why; break-glass grants are short, audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOA, HOANG_HOP, OLD_AN_GIANG, make_user, unit
from pcmd.sealing.access import (
    break_glass_active,
    break_glass_end,
    break_glass_list_for_user,
    break_glass_open,
    reveal,
)
from pcmd.sealing.models import BreakGlassGrant
from pcmd.sealing.tests.models import SealedSample

pytestmark = pytest.mark.django_db

NAME = "Phạm Thị Lan Anh"


def _sample() -> SealedSample:
    return SealedSample.objects.create(code="BN-1", full_name=NAME, id_number="038199001234")


def test_reveal_returns_plain_values_and_audits_names_and_reason_only() -> None:
    user = make_user(role=User.Role.SOCIAL_WORKER)
    sample = _sample()
    values = reveal(
        user=user, obj=sample, fields=["full_name", "id_number"], reason="Lập kế hoạch hỗ trợ"
    )
    assert values == {"full_name": NAME, "id_number": "038199001234"}
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_SENSITIVE)
    assert event.user == user
    assert event.object_id == str(sample.pk)
    assert event.detail == {"fields": ["full_name", "id_number"], "reason": "Lập kế hoạch hỗ trợ"}
    assert NAME not in str(event.detail) and "038199001234" not in str(event.detail)


def test_reveal_refuses_a_short_reason_and_writes_nothing() -> None:
    user = make_user(role=User.Role.SOCIAL_WORKER)
    with pytest.raises(ValidationError) as excinfo:
        reveal(user=user, obj=_sample(), fields=["full_name"], reason="  xem   ")
    assert "ít nhất 10 ký tự" in str(excinfo.value)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_SENSITIVE).exists()


def test_reveal_only_reads_sealed_fields() -> None:
    user = make_user(role=User.Role.SOCIAL_WORKER)
    with pytest.raises(ValueError):
        reveal(user=user, obj=_sample(), fields=["code"], reason="Một lý do đủ dài")


def test_break_glass_grant_is_audited_active_then_expires() -> None:
    police = make_user(role=User.Role.POLICE, unit_code=HOANG_HOA)
    commune = unit(HOANG_HOP)
    grant = break_glass_open(
        user=police, org_unit=unit(HOANG_HOA), reason="Giải cứu nạn nhân khẩn cấp", minutes=90
    )
    assert grant.expires_at - grant.starts_at == timedelta(minutes=90)
    assert break_glass_active(police, commune) == grant  # the district covers its commune
    event = AuditEvent.objects.get(object_type="sealing.breakglassgrant")
    assert event.detail["reason"] == "Giải cứu nạn nhân khẩn cấp"
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert break_glass_active(police, commune) is None


def test_break_glass_is_limited_to_four_hours_and_a_reason() -> None:
    police = make_user(role=User.Role.POLICE)
    with pytest.raises(ValidationError):
        break_glass_open(user=police, org_unit=unit(HOANG_HOP), reason="Vụ việc khẩn", minutes=241)
    with pytest.raises(ValidationError):
        break_glass_open(user=police, org_unit=unit(HOANG_HOP), reason="gấp", minutes=30)
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_needs_the_capability_and_a_unit_in_scope() -> None:
    coordinator = make_user(role=User.Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        break_glass_open(
            user=coordinator, org_unit=unit(HOANG_HOP), reason="Lý do đủ dài ở đây", minutes=30
        )
    police = make_user(username="congan", role=User.Role.POLICE)
    with pytest.raises(PermissionDenied):
        break_glass_open(
            user=police, org_unit=unit(OLD_AN_GIANG), reason="Lý do đủ dài ở đây", minutes=30
        )


def test_grant_ended_early_stops_covering_and_leader_sees_it() -> None:
    police = make_user(role=User.Role.POLICE)
    leader = make_user(username="lanhdao", role=User.Role.LEADER)
    other_leader = make_user(username="lanhdao2", role=User.Role.LEADER, unit_code=OLD_AN_GIANG)
    grant = break_glass_open(
        user=police, org_unit=unit(HOANG_HOP), reason="Xác minh danh tính gấp", minutes=60
    )
    assert list(break_glass_list_for_user(leader)) == [grant]
    assert list(break_glass_list_for_user(other_leader)) == []
    break_glass_end(grant=grant, user=leader)
    assert break_glass_active(police, unit(HOANG_HOP)) is None
    with pytest.raises(PermissionDenied):
        other = break_glass_open(
            user=police, org_unit=unit(HOANG_HOP), reason="Xác minh danh tính gấp", minutes=60
        )
        break_glass_end(grant=other, user=other_leader)
