"""The enforcement API: the pages' rules over HTTP — scope, roles, validation, versions."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from pcmd.accounts.models import User
from pcmd.enforcement.models import Case
from pcmd.enforcement.tests.factories import (
    HOANG_HOP,
    OLD_AN_GIANG,
    business_type,
    legal_basis,
    make_case,
    make_establishment,
    make_inspection,
    make_user,
    offence,
    unit,
)
from pcmd.orgunits.models import Agency

pytestmark = [pytest.mark.django_db, pytest.mark.urls("pcmd.enforcement.tests.api_urls")]


def client_for(role: str, unit_code: str = HOANG_HOP) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(username=f"api-{role}-{unit_code}", role=role,
                                        unit_code=unit_code))  # fmt: skip
    return client


def test_anonymous_requests_are_refused() -> None:
    assert APIClient().get("/api/establishments/").status_code in (401, 403)


def test_lists_are_scoped_and_filtered_by_unit_and_period() -> None:
    est = make_establishment()
    make_inspection(est, inspected_on=date(2025, 2, 1))
    own = client_for(User.Role.LEADER)
    assert [e["id"] for e in own.get("/api/establishments/").json()["results"]] == [est.pk]
    assert len(own.get("/api/inspections/", {"period": "2025Q1"}).json()["results"]) == 1
    assert own.get("/api/inspections/", {"period": "2025Q2"}).json()["results"] == []
    assert own.get("/api/inspections/", {"period": "bad"}).status_code == 400
    hh = unit(HOANG_HOP).pk
    assert len(own.get("/api/establishments/", {"org_unit": hh}).json()["results"]) == 1
    other = client_for(User.Role.POLICE, OLD_AN_GIANG)
    assert other.get("/api/establishments/").json()["results"] == []
    assert other.get(f"/api/establishments/{est.pk}/").status_code == 404


def test_create_applies_the_service_rules() -> None:
    client = client_for(User.Role.COORDINATOR)
    payload = {"name": "Karaoke Sao Đêm", "business_type": business_type().pk,
               "org_unit": unit(HOANG_HOP).pk, "opened_on": "2024-01-01"}  # fmt: skip
    created = client.post("/api/establishments/", payload, format="json")
    assert created.status_code == 201 and created.json()["risk_level"] == "high"
    payload["org_unit"] = unit(OLD_AN_GIANG).pk
    refused = client.post("/api/establishments/", payload, format="json")
    assert refused.status_code == 400 and "org_unit" in refused.json()


def test_a_coordinator_cannot_create_a_case_and_police_can() -> None:
    payload = {"opened_on": "2025-03-01", "offence": offence(327).pk,
               "org_unit": unit(HOANG_HOP).pk, "victims": 2, "victims_minor": 1}  # fmt: skip
    assert client_for(User.Role.COORDINATOR).post("/api/cases/", payload).status_code == 403
    response = client_for(User.Role.POLICE).post("/api/cases/", payload)
    assert response.status_code == 201 and Case.objects.get().victims_minor == 1


def test_an_outdated_version_is_a_conflict() -> None:
    case = make_case()
    client = client_for(User.Role.POLICE)
    ok = client.patch(f"/api/cases/{case.pk}/", {"suspects": 3, "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    late = client.patch(f"/api/cases/{case.pk}/", {"suspects": 5, "version": 1}, format="json")
    assert late.status_code == 409 and late.json()["current"]["suspects"] == 3


def test_a_violation_under_a_decree_not_in_force_is_refused() -> None:
    est = make_establishment(org_unit=unit("15880"))
    inspection = make_inspection(est, inspected_on=date(2025, 12, 20))
    client = client_for(User.Role.INSPECTOR, "15880")
    payload = {"inspection": inspection.pk, "legal_basis": legal_basis("ND-144-2021").pk,
               "article": "25", "sanction": "fine", "fine_amount": 3_000_000}  # fmt: skip
    refused = client.post("/api/violations/", payload, format="json")
    assert refused.status_code == 400 and "legal_basis" in refused.json()
    payload["legal_basis"] = legal_basis("ND-282-2025").pk
    assert client.post("/api/violations/", payload, format="json").status_code == 201


def test_a_team_is_created_with_its_members() -> None:
    police = Agency.objects.create(org_unit=unit(HOANG_HOP), kind="police", name="Công an xã")
    client = client_for(User.Role.POLICE)
    payload = {"org_unit": unit(HOANG_HOP).pk, "name": "Đội 178 xã", "kind": "pcmd_178",
               "decision_number": "5/QĐ-UBND", "decision_date": "2025-01-10",
               "decision_issuer": "UBND xã Hoằng Hợp", "valid_from": "2025-01-10",
               "members": [{"agency": police.pk, "role": "head"}]}  # fmt: skip
    response = client.post("/api/inspection-teams/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["members"] == [{"agency": police.pk, "role": "head"}]
