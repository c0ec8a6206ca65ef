"""The orgunits API: scoped reads, code resolution by date, agency writes with capabilities."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from pcmd.accounts.models import AuditEvent, User
from pcmd.orgunits.models import Agency
from pcmd.orgunits.tests.factories import make_agency, make_user, unit

pytestmark = [pytest.mark.django_db, pytest.mark.urls("pcmd.orgunits.tests.api_urls")]


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response: Any) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_requests_are_refused() -> None:
    assert APIClient().get("/api/orgunits/").status_code in (401, 403)


def test_commune_user_lists_only_its_own_subtree() -> None:
    client = client_for(make_user(code="15919"))
    response = client.get("/api/orgunits/")
    assert response.status_code == 200
    assert ids(response) == {unit("15919").pk}


def test_merged_commune_user_also_sees_the_communes_it_succeeded() -> None:
    client = client_for(make_user(code="15880"))
    found = ids(client.get("/api/orgunits/", {"level": "commune"}))
    assert {unit("15880").pk, unit("15919").pk} <= found
    assert unit("89").pk not in found


def test_unit_outside_scope_is_404() -> None:
    client = client_for(make_user(code="15919"))
    response = client.get(f"/api/orgunits/{unit('89').pk}/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy, hoặc bạn không có quyền xem mục này."


def test_detail_gives_parents_and_successors_with_dates() -> None:
    client = client_for(make_user(code="15919"))
    data = client.get(f"/api/orgunits/{unit('15919').pk}/").json()
    assert data["name"] == "Xã Hoằng Hợp" and data["valid_to"] == "2025-06-30"
    assert [(p["unit"]["code"], p["valid_to"]) for p in data["parents"]] == [("399", "2025-06-30")]
    assert [
        (s["unit"]["code"], s["effective_date"], s["is_default"]) for s in data["successors"]
    ] == [("15880", "2025-07-01", True)]
    hoang_giang = client_for(make_user(username="hg", code="15880"))
    detail = hoang_giang.get(f"/api/orgunits/{unit('15880').pk}/").json()
    assert "15919" in {p["unit"]["code"] for p in detail["predecessors"]}
    assert {(p["unit"]["code"], p["valid_from"], p["valid_to"]) for p in detail["parents"]} == {
        ("399", None, "2025-06-30"),
        ("38", "2025-07-01", None),
    }


def test_search_is_diacritics_insensitive_and_filters_by_level_and_date() -> None:
    client = client_for(make_user(code="VN", role="leader"))
    found = client.get("/api/orgunits/", {"q": "xã hoàng hợp", "on": "2025-03-01"}).json()
    assert [r["code"] for r in found["results"]] == ["15919"]
    after = client.get("/api/orgunits/", {"q": "hoang hop", "on": "2026-01-01"}).json()
    assert "15919" not in {r["code"] for r in after["results"]}
    provinces = client.get("/api/orgunits/", {"level": "province", "on": "2026-01-01"}).json()
    assert provinces["count"] == 34


def test_code_needs_a_date_when_it_names_two_units() -> None:
    client = client_for(make_user(code="VN", role="leader"))
    response = client.get("/api/orgunits/", {"code": "91"})
    assert response.status_code == 400
    body = response.json()
    assert "khớp với nhiều đơn vị" in body["detail"]
    assert "Tỉnh Kiên Giang (91, đến 30/06/2025)" in body["candidates"]
    assert "Tỉnh An Giang (91, từ 01/07/2025)" in body["candidates"]
    old = client.get("/api/orgunits/", {"code": "91", "on": "2016-07-15"}).json()["results"]
    new = client.get("/api/orgunits/", {"code": "91", "on": "2026-01-01"}).json()["results"]
    assert [r["name"] for r in old] == ["Tỉnh Kiên Giang"]
    assert [r["name"] for r in new] == ["Tỉnh An Giang"]


def test_code_of_a_unit_outside_scope_gives_an_empty_list() -> None:
    client = client_for(make_user(code="15919"))
    response = client.get("/api/orgunits/", {"code": "89"})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_malformed_date_and_level_are_400_in_vietnamese() -> None:
    client = client_for(make_user(code="15919"))
    bad_date = client.get("/api/orgunits/", {"on": "30/06/2025"})
    assert bad_date.status_code == 400 and "không hợp lệ" in bad_date.json()["on"][0]
    bad_level = client.get("/api/orgunits/", {"level": "huyen"})
    assert bad_level.status_code == 400 and "không hợp lệ" in bad_level.json()["level"][0]


# --- agencies -------------------------------------------------------------------------------


def test_agencies_are_listed_within_scope_and_others_are_404() -> None:
    own = make_agency(org_unit=unit("15919"), name="Công an xã Hoằng Hợp")
    foreign = make_agency(org_unit=unit("89"), name="Công an tỉnh An Giang")
    client = client_for(make_user(code="15919"))
    listed = client.get("/api/agencies/").json()
    assert [r["id"] for r in listed["results"]] == [own.pk]
    assert listed["results"][0]["org_unit_name"] == "Xã Hoằng Hợp"
    assert client.get(f"/api/agencies/{foreign.pk}/").status_code == 404
    assert client.get(f"/api/agencies/{own.pk}/").status_code == 200


def test_agencies_filter_by_date_and_search() -> None:
    commune = unit("15880")
    make_agency(org_unit=commune, name="Công chức VH-XH", valid_to="2025-06-30")
    make_agency(org_unit=commune, name="Phòng Văn hóa - Xã hội", valid_from="2025-07-01")
    client = client_for(make_user(code="15880"))
    after = client.get("/api/agencies/", {"on": "2026-01-01"}).json()["results"]
    assert [r["name"] for r in after] == ["Phòng Văn hóa - Xã hội"]
    found = client.get("/api/agencies/", {"q": "van hoa"}).json()["results"]
    assert [r["name"] for r in found] == ["Phòng Văn hóa - Xã hội"]


def test_coordinator_creates_an_agency_in_scope_and_it_is_audited() -> None:
    user = make_user(code="15919")
    response = client_for(user).post(
        "/api/agencies/",
        {"org_unit": unit("15919").pk, "kind": "radio", "name": "Đài truyền thanh xã"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    agency = Agency.objects.get(pk=response.json()["id"])
    assert agency.org_unit == unit("15919")
    assert AuditEvent.objects.filter(action="create", user=user, object_id=str(agency.pk)).exists()


def test_creating_an_agency_outside_scope_is_refused() -> None:
    response = client_for(make_user(code="15919")).post(
        "/api/agencies/",
        {"org_unit": unit("89").pk, "kind": "police", "name": "Công an tỉnh"},
        format="json",
    )
    assert response.status_code == 400
    assert "ngoài phạm vi" in response.json()["org_unit"][0]
    assert not Agency.objects.exists()


def test_role_without_agency_manage_cannot_create() -> None:
    response = client_for(make_user(code="15919", role="police")).post(
        "/api/agencies/",
        {"org_unit": unit("15919").pk, "kind": "police", "name": "Công an xã"},
        format="json",
    )
    assert response.status_code == 403
    assert "không được phép" in response.json()["detail"]


def test_duplicate_agency_is_a_400_with_the_services_message() -> None:
    make_agency(org_unit=unit("15919"), name="Công an xã Hoằng Hợp")
    response = client_for(make_user(code="15919")).post(
        "/api/agencies/",
        {"org_unit": unit("15919").pk, "kind": "police", "name": "CONG AN XA HOANG HOP"},
        format="json",
    )
    assert response.status_code == 400
    assert "đã có “Công an xã Hoằng Hợp”" in response.json()["name"][0]


def test_patch_updates_through_the_service_and_keeps_the_unit() -> None:
    agency = make_agency(org_unit=unit("15919"), name="Trạm y tế", kind="health_station")
    response = client_for(make_user(code="15919")).patch(
        f"/api/agencies/{agency.pk}/",
        {"name": "Trạm y tế xã Hoằng Hợp", "org_unit": unit("89").pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    agency.refresh_from_db()
    assert agency.name == "Trạm y tế xã Hoằng Hợp" and agency.org_unit == unit("15919")
    assert AuditEvent.objects.filter(action="update", object_id=str(agency.pk)).exists()


def test_agencies_cannot_be_deleted() -> None:
    agency = make_agency(org_unit=unit("15919"))
    response = client_for(make_user(code="15919")).delete(f"/api/agencies/{agency.pk}/")
    assert response.status_code == 405


def test_schema_documents_the_query_parameters() -> None:
    from drf_spectacular.generators import SchemaGenerator

    from pcmd.orgunits.tests import api_urls

    schema = SchemaGenerator(patterns=api_urls.urlpatterns).get_schema(request=None, public=True)
    params = {p["name"] for p in schema["paths"]["/api/orgunits/"]["get"]["parameters"]}
    assert {"q", "level", "on", "code"} <= params
    assert "post" in schema["paths"]["/api/agencies/"]
