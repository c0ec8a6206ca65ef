from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from openpyxl import load_workbook

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import make_user
from pcmd.support.casefiles import dsr, services
from pcmd.support.casefiles.models import (
    Beneficiary,
    Consent,
    NeedsAssessment,
    Referral,
    RetentionRule,
    ServiceProvision,
)
from pcmd.support.tests.casefiles.factories import NAME, make_beneficiary, make_consent

pytestmark = pytest.mark.django_db
REASON = "Yêu cầu của người được hỗ trợ ngày 10/3/2025"


def _full_file() -> Beneficiary:
    b = make_beneficiary()
    make_consent(b)
    services.assessment_create(beneficiary=b, acting_user=None, assessed_on=date(2025, 2, 2),
                               needs=["legal_aid", "housing"], eligible=True)  # fmt: skip
    r = services.referral_create(beneficiary=b, acting_user=None, referred_on=date(2025, 2, 3),
                                 service_kind="legal_aid", to_name="Trợ giúp pháp lý")  # fmt: skip
    services.service_create(beneficiary=b, acting_user=None, kind="legal_aid",
                            provided_on=date(2025, 2, 10), provider_name="Trợ giúp pháp lý",
                            referral=r)  # fmt: skip
    return b


def test_export_holds_everything_and_is_audited() -> None:
    worker = make_user(username="xahoi", role=User.Role.SOCIAL_WORKER)
    b = _full_file()
    data = dsr.beneficiary_export(beneficiary=b, acting_user=worker, reason=REASON)
    assert data["identity"]["full_name"] == NAME
    assert data["identity"]["birth_date"] == "1996-05-17"
    assert len(data["consents"]) == len(data["assessments"]) == len(data["services"]) == 1
    assert data["referrals"][0]["to"] == "Trợ giúp pháp lý"
    actions = list(
        AuditEvent.objects.filter(object_id=str(b.pk), object_type="support.beneficiary")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["view_sensitive", "export"]
    assert NAME.encode() in dsr.beneficiary_export_json(data)
    sheet = load_workbook(io.BytesIO(dsr.beneficiary_export_xlsx(data))).active
    assert NAME in [c.value for row in sheet.iter_rows() for c in row]
    json.loads(dsr.beneficiary_export_json(data))


def test_export_needs_a_reason_and_a_case_role() -> None:
    b = make_beneficiary()
    police = make_user(username="congan", role=User.Role.POLICE)
    worker = make_user(username="xahoi", role=User.Role.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        dsr.beneficiary_export(beneficiary=b, acting_user=police, reason=REASON)
    with pytest.raises(ValidationError):
        dsr.beneficiary_export(beneficiary=b, acting_user=worker, reason="ngắn")
    assert not AuditEvent.objects.filter(action__in=["export", "view_sensitive"]).exists()


def test_erase_removes_everything() -> None:
    leader = make_user(username="lanhdao", role=User.Role.LEADER)
    b = _full_file()
    code = dsr.beneficiary_erase(beneficiary=b, acting_user=leader, reason=REASON)
    for model in (Beneficiary, Consent, NeedsAssessment, Referral, ServiceProvision):
        assert not model.objects.exists()
    event = AuditEvent.objects.get(action="delete", object_type="support.beneficiary")
    assert event.detail["code"] == code
    assert NAME not in str(event.detail)


def test_erase_is_refused_under_legal_hold_and_nothing_is_deleted() -> None:
    leader = make_user(username="lanhdao", role=User.Role.LEADER)
    b = _full_file()
    services.legal_hold_set(beneficiary=b, acting_user=leader, hold=True,
                            reason="Vụ án đang điều tra, cơ quan điều tra yêu cầu giữ")  # fmt: skip
    with pytest.raises(dsr.ErasureRefused) as exc:
        dsr.beneficiary_erase(beneficiary=b, acting_user=leader, reason=REASON)
    assert "giữ theo yêu cầu pháp lý" in exc.value.messages[0]
    assert Beneficiary.objects.count() == 1
    assert ServiceProvision.objects.count() == Referral.objects.count() == 1


def _closed(closed_on: date, **kw: object) -> Beneficiary:
    b = make_beneficiary(**kw)
    Beneficiary.objects.filter(pk=b.pk).update(status="closed", closed_on=closed_on)
    return Beneficiary.objects.get(pk=b.pk)


def test_purge_is_a_dry_run_unless_for_real() -> None:
    assert RetentionRule.objects.get(group="sex_worker").years_after_closure == 5
    old = _closed(date(2019, 1, 10), registered_on=date(2018, 1, 5))
    held = _closed(date(2019, 2, 10), registered_on=date(2018, 1, 5))
    Beneficiary.objects.filter(pk=held.pk).update(legal_hold=True, legal_hold_reason="Vụ án")
    recent = _closed(date(2025, 3, 1))
    out = io.StringIO()
    call_command("purge_support", stdout=out)
    text = out.getvalue()
    assert f"{old.code}: đóng ngày 10/01/2019" in text and "sẽ xóa" in text
    assert held.code in text and recent.code not in text
    assert Beneficiary.objects.count() == 3

    out = io.StringIO()
    call_command("purge_support", "--for-real", stdout=out)
    assert "Đã xóa 1 hồ sơ; giữ lại 1." in out.getvalue()
    assert set(Beneficiary.objects.values_list("pk", flat=True)) == {held.pk, recent.pk}
    assert AuditEvent.objects.filter(action="delete", detail__why="retention").count() == 1
