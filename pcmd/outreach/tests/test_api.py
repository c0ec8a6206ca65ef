from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import HOANG_GIANG, OLD_AN_GIANG
from pcmd.outreach.models import OutreachEvent
from pcmd.outreach.tests.factories import hoang_hop_with_villages, make_event, make_user, unit

pytestmark = [pytest.mark.django_db, pytest.mark.urls("pcmd.outreach.tests.api_urls")]


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _payload(**overrides: object) -> dict[str, object]:
    return {
        "org_unit": hoang_hop_with_villages().pk, "date": "2025-03-10", "form": "meeting",
        "topic": "Họp thôn", "audiences": ["youth"], "participants": 20, **overrides,
    }  # fmt: skip


def test_anonymous_requests_are_refused() -> None:
    assert APIClient().get("/api/outreach-events/").status_code in (401, 403)


def test_an_giang_user_gets_404_on_a_hoang_hop_event() -> None:
    event = make_event()
    client = client_for(make_user(username="ag", unit_code=OLD_AN_GIANG))
    assert client.get(f"/api/outreach-events/{event.pk}/").status_code == 404
    assert client.patch(f"/api/outreach-events/{event.pk}/", {"topic": "x"}).status_code == 404
    assert client.delete(f"/api/outreach-events/{event.pk}/").status_code == 404
    assert client.get("/api/outreach-events/").json()["results"] == []
    # Xã Hoằng Giang, which absorbed Hoằng Hợp on 1/7/2025, sees its predecessor's records.
    giang = client_for(make_user(username="hg", unit_code=HOANG_GIANG))
    assert giang.get(f"/api/outreach-events/{event.pk}/").status_code == 200


def test_data_entry_creates_and_police_cannot() -> None:
    created = client_for(make_user(username="nhap", role=User.Role.DATA_ENTRY)).post(
        "/api/outreach-events/", _payload(), format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["version"] == 1
    police = client_for(make_user(username="ca", role=User.Role.POLICE))
    assert police.post("/api/outreach-events/", _payload(), format="json").status_code == 403
    assert police.get("/api/outreach-events/").status_code == 200


def test_bad_input_gets_400_per_field() -> None:
    client = client_for(make_user())
    response = client.post(
        "/api/outreach-events/", _payload(date="2999-01-01", participants=-1), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"participants"}
    response = client.post("/api/outreach-events/", _payload(date="2999-01-01"), format="json")
    assert "date" in response.json()
    outside = client.post(
        "/api/outreach-events/",
        _payload(org_unit=unit("15883", date(2025, 3, 1)).pk),
        format="json",
    )
    assert outside.status_code == 400 and "org_unit" in outside.json()


def test_filters_by_unit_and_period_and_stale_update_is_409() -> None:
    commune = hoang_hop_with_villages()
    event = make_event(org_unit=commune, date=date(2025, 2, 1))
    make_event(org_unit=commune, date=date(2024, 2, 1))
    client = client_for(make_user())
    listed = client.get("/api/outreach-events/", {"unit": commune.pk, "period": "2025"}).json()
    assert [e["id"] for e in listed["results"]] == [event.pk]
    assert client.get("/api/outreach-events/", {"period": "x"}).status_code == 400
    ok = client.patch(
        f"/api/outreach-events/{event.pk}/", {"topic": "Mới", "version": 1}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(
        f"/api/outreach-events/{event.pk}/", {"topic": "Cũ", "version": 1}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["current"]["topic"] == "Mới"
    assert client.delete(f"/api/outreach-events/{event.pk}/").status_code == 204
    assert not OutreachEvent.objects.filter(pk=event.pk).exists()
