from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOP, OLD_AN_GIANG, make_user, unit
from pcmd.sealing.blind import blind_index
from pcmd.support.casefiles import services
from pcmd.support.casefiles.models import Beneficiary, Referral
from pcmd.support.tests.casefiles.factories import (
    ID_NUMBER,
    NAME,
    PHONE,
    make_beneficiary,
    make_consent,
)

pytestmark = pytest.mark.django_db


def test_code_is_unit_year_sequence_and_not_from_the_name() -> None:
    first = make_beneficiary()
    second = make_beneficiary(full_name="Trần Văn Khác")
    assert first.code == "15919-2025-0001"
    assert second.code == "15919-2025-0002"
    assert "Nguy" not in first.code


def test_raw_database_holds_no_plaintext_identity() -> None:
    b = make_beneficiary()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM support_beneficiary WHERE id = %s", [b.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    for plain in (NAME, ID_NUMBER, PHONE, "Thử", "1996-05-17"):
        assert plain not in row
    assert b.name_index == blind_index(NAME, purpose="name")
    assert b.id_number_index == blind_index(ID_NUMBER, purpose="id_number")
    events = " ".join(str(e.detail) + e.object_repr for e in AuditEvent.objects.all())
    assert NAME not in events and ID_NUMBER not in events
    # The model still reads the plain value back for code that is allowed to.
    assert Beneficiary.objects.get(pk=b.pk).full_name == NAME


def test_only_social_workers_of_the_scope_open_files() -> None:
    worker = make_user(username="xahoi", role=User.Role.SOCIAL_WORKER)
    police = make_user(username="congan", role=User.Role.POLICE)
    b = make_beneficiary()
    with pytest.raises(PermissionDenied):
        services.consent_create(beneficiary=b, acting_user=police, given_on=date(2025, 2, 2))
    with pytest.raises(PermissionDenied):
        services.beneficiary_create(
            acting_user=worker, org_unit=unit(OLD_AN_GIANG), registered_on=date(2019, 1, 1),
            group="sex_worker", sex="female", age_band="18_24", full_name="A B",
        )  # fmt: skip


def test_identity_is_checked() -> None:
    with pytest.raises(ValidationError) as exc:
        make_beneficiary(id_number="12ab", phone="12", full_name="  ")
    assert {"id_number", "phone", "full_name"} <= set(exc.value.message_dict)


def test_referral_without_consent_is_refused_and_nothing_written() -> None:
    b = make_beneficiary()
    make_consent(b, referral=False)
    before = AuditEvent.objects.count()
    with pytest.raises(services.ReferralRefused) as exc:
        services.referral_create(
            beneficiary=b, acting_user=None, referred_on=date(2025, 3, 1),
            service_kind="legal_aid", to_name="Trung tâm trợ giúp pháp lý",
        )  # fmt: skip
    assert "chưa có đồng ý" in exc.value.messages[0]
    assert Referral.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_withdrawn_consent_no_longer_covers_a_referral() -> None:
    b = make_beneficiary()
    consent = make_consent(b)
    ok = services.referral_create(
        beneficiary=b, acting_user=None, referred_on=date(2025, 3, 1), service_kind="legal_aid",
        to_name="Trung tâm trợ giúp pháp lý",
    )  # fmt: skip
    assert ok.consent == consent
    services.consent_withdraw(consent=consent, acting_user=None, withdrawn_on=date(2025, 4, 1))
    with pytest.raises(services.ReferralRefused):
        services.referral_create(
            beneficiary=b, acting_user=None, referred_on=date(2025, 4, 2),
            service_kind="housing", to_name="Mái ấm",
        )  # fmt: skip
    assert Referral.objects.count() == 1


def test_closure_needs_the_supervisor() -> None:
    worker = make_user(username="xahoi", role=User.Role.SOCIAL_WORKER)
    leader = make_user(username="lanhdao", role=User.Role.LEADER)
    b = make_beneficiary()
    services.closure_request(
        beneficiary=b, acting_user=worker, closed_on=date(2025, 5, 1),
        reason="Đã hòa nhập cộng đồng, có việc làm ổn định",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.closure_decide(beneficiary=b, acting_user=worker, approve=True)
    services.closure_decide(beneficiary=b, acting_user=leader, approve=True)
    b.refresh_from_db()
    assert b.status == Beneficiary.Status.CLOSED
    assert b.closure_approved_by == leader
    with pytest.raises(ValidationError):
        services.consent_create(beneficiary=b, acting_user=worker, given_on=date(2025, 5, 2))


def test_identity_correction_updates_the_blind_index_and_audits_field_names_only() -> None:
    b = make_beneficiary()
    services.beneficiary_update(
        beneficiary=b, acting_user=None, expected_version=b.version,
        identity={"full_name": "Lê Thị Sửa"},
    )  # fmt: skip
    b.refresh_from_db()
    assert b.name_index == blind_index("le thi sua", purpose="name")
    event = AuditEvent.objects.filter(action="update", object_id=str(b.pk)).get()
    assert event.detail["sealed_fields"] == ["full_name"]
    assert "Sửa" not in str(event.detail)
    assert unit(HOANG_HOP) == b.org_unit
