"""The case-file API: the same reading and writing rules as the pages, identities only from the
reveal action with a reason."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import OLD_AN_GIANG, make_user
from pcmd.support.casefiles.models import Beneficiary, Referral
from pcmd.support.tests.casefiles.factories import NAME, make_beneficiary, make_consent

pytestmark = [pytest.mark.django_db, pytest.mark.urls("pcmd.support.tests.urls_api")]

VIEWERS = {"social_worker", "leader"}
REASON = "Xác minh danh tính khi cấp hỗ trợ"


def _client(role: str) -> APIClient:
    api = APIClient()
    api.force_authenticate(make_user(username=f"api-{role}", role=role))
    return api


@pytest.mark.parametrize("role", User.Role.values)
def test_every_role_on_every_endpoint(role: str) -> None:
    own = make_beneficiary()
    consent = make_consent(own)
    other = make_beneficiary(unit_code=OLD_AN_GIANG)
    other_consent = make_consent(other)
    api = _client(role)
    for endpoint, own_pk, other_pk in (
        ("beneficiaries", own.pk, other.pk),
        ("consents", consent.pk, other_consent.pk),
        ("services", None, None),
        ("referrals", None, None),
    ):
        listing = api.get(f"/api/{endpoint}/")
        if role in VIEWERS:
            assert listing.status_code == 200, (endpoint, role)
            assert other.code not in str(listing.json())
        else:
            assert listing.status_code == 403, (endpoint, role)
        if own_pk:
            assert api.get(f"/api/{endpoint}/{own_pk}/").status_code == (
                200 if role in VIEWERS else 403
            )
            assert api.get(f"/api/{endpoint}/{other_pk}/").status_code in (403, 404)
    reveal = {"fields": ["full_name"], "reason": REASON}
    own_reveal = api.post(f"/api/beneficiaries/{own.pk}/reveal/", reveal, format="json")
    assert own_reveal.status_code == (200 if role in VIEWERS else 404)
    assert api.post(f"/api/beneficiaries/{other.pk}/reveal/", reveal,
                    format="json").status_code == 404  # fmt: skip
    created = api.post("/api/consents/", {"beneficiary": own.pk, "given_on": "2025-03-01",
                                          "covers_referral": True}, format="json")  # fmt: skip
    assert created.status_code == (201 if role == "social_worker" else 403)
    foreign = api.post("/api/consents/", {"beneficiary": other.pk, "given_on": "2019-03-01"},
                       format="json")  # fmt: skip
    assert foreign.status_code in (403, 404)


def test_identity_is_write_only_and_revealed_with_a_reason() -> None:
    api = _client("social_worker")
    response = api.post("/api/beneficiaries/", {
        "org_unit": make_beneficiary().org_unit_id, "registered_on": "2025-03-01",
        "group": "trafficking_victim", "sex": "female", "age_band": "16_17",
        "full_name": "Đỗ Thị Api", "phone": "0987654321",
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == "15919-2025-0002"
    assert "full_name" not in body and "Đỗ Thị Api" not in str(body)
    pk = body["id"]
    assert "Đỗ Thị Api" not in str(api.get(f"/api/beneficiaries/{pk}/").json())
    url = f"/api/beneficiaries/{pk}/reveal/"
    short = api.post(url, {"fields": ["full_name"], "reason": "xem"}, format="json")
    assert short.status_code == 400
    ok = api.post(f"/api/beneficiaries/{pk}/reveal/",
                  {"fields": ["full_name", "phone"], "reason": REASON}, format="json")  # fmt: skip
    assert ok.status_code == 200
    assert ok.json()["full_name"] == "Đỗ Thị Api" and ok.json()["phone"] == "0987654321"
    assert ok["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="view_sensitive", object_id=str(pk)).count() == 1


def test_referral_without_consent_is_refused_by_the_api() -> None:
    b = make_beneficiary()
    api = _client("social_worker")
    data = {"beneficiary": b.pk, "referred_on": "2025-03-01", "service_kind": "legal_aid",
            "to_name": "Trợ giúp pháp lý", "follow_up_on": "2025-03-10"}  # fmt: skip
    refused = api.post("/api/referrals/", data, format="json")
    assert refused.status_code == 400
    assert "chưa có đồng ý" in refused.json()["detail"]
    assert Referral.objects.count() == 0
    make_consent(b)
    created = api.post("/api/referrals/", data, format="json")
    assert created.status_code == 201
    assert created.json()["overdue"] is True
    pk = created.json()["id"]
    overdue = api.get("/api/referrals/", {"overdue": "1"}).json()["results"]
    assert [r["id"] for r in overdue] == [pk]
    done = api.post(f"/api/referrals/{pk}/status/", {"status": "completed"}, format="json")
    assert done.status_code == 200 and done.json()["overdue"] is False
    assert api.get("/api/referrals/", {"overdue": "1"}).json()["results"] == []
    assert NAME not in str(api.get("/api/referrals/").json())
    assert Beneficiary.objects.count() == 1
