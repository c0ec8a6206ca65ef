"""audit_record never writes a sealed value, whatever the caller passes in `detail`."""

import pytest

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import make_user
from pcmd.sealing.tests.models import SealedSample

pytestmark = pytest.mark.django_db

NAME = "Đỗ Thị Thu Hà"
ID_NUMBER = "034188007654"
PHONE = "0987654321"


def _all_audit_text() -> str:
    return " ".join(f"{e.object_repr} {e.detail}" for e in AuditEvent.objects.all())


def test_create_and_update_leave_no_plaintext_in_audit_events() -> None:
    user = make_user(role=User.Role.SOCIAL_WORKER)
    sample = SealedSample.objects.create(
        code="BN-7", full_name=NAME, id_number=ID_NUMBER, phone=PHONE
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=user,
        obj=sample,
        detail={"full_name": NAME, "id_number": ID_NUMBER, "code": "BN-7"},
    )
    old_phone, sample.phone = sample.phone, "0911222333"
    sample.save()
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=user,
        obj=sample,
        detail={"changes": {"phone": [old_phone, sample.phone], "code": ["BN-7", "BN-7"]}},
    )
    text = _all_audit_text()
    for secret in (NAME, ID_NUMBER, PHONE, "0911222333"):
        assert secret not in text
    create, update = AuditEvent.objects.order_by("pk")
    assert create.detail == {"code": "BN-7", "sealed_fields": ["full_name", "id_number"]}
    assert update.detail == {"changes": {"code": ["BN-7", "BN-7"]}, "sealed_fields": ["phone"]}


def test_a_sealed_value_under_another_key_is_masked() -> None:
    sample = SealedSample.objects.create(code="BN-8", full_name=NAME)
    audit_record(action=AuditEvent.Action.UPDATE, obj=sample, detail={"note": f"gặp {NAME}"})
    assert AuditEvent.objects.get().detail == {"note": "[đã ẩn]"}


def test_object_repr_never_shows_a_sealed_value() -> None:
    sample = SealedSample.objects.create(code=NAME, full_name=NAME)  # str() shows the name
    audit_record(action=AuditEvent.Action.CREATE, obj=sample)
    event = AuditEvent.objects.get()
    assert NAME not in event.object_repr
    assert event.object_repr.endswith(f"#{sample.pk}")
