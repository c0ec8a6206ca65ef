from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import HOANG_HOP, OLD_AN_GIANG, make_user, unit
from pcmd.training.tests.factories import make_course, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.urls("pcmd.training.tests.urls_api")]


@pytest.fixture
def api() -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user())
    return client


def test_list_filters_by_year_and_hides_other_units(api: APIClient) -> None:
    make_course()
    make_course(start_date=date(2024, 2, 1), end_date=date(2024, 2, 1))
    make_course(org_unit=unit(OLD_AN_GIANG), start_date=date(2019, 1, 1), end_date=date(2019, 1, 1))
    assert api.get("/api/training-courses/").json()["count"] == 2
    assert api.get("/api/training-courses/?year=2025").json()["count"] == 1
    assert api.get("/api/training-courses/?year=abc").status_code == 400


def test_create_update_stale_and_delete(api: APIClient) -> None:
    staff = make_staff()
    response = api.post(
        "/api/training-courses/",
        {
            "org_unit": unit(HOANG_HOP).pk,
            "title": "Lớp API",
            "start_date": "2025-03-01",
            "end_date": "2025-03-01",
            "topics": ["inspection"],
            "participants": [staff.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    ok = api.patch(f"/api/training-courses/{pk}/", {"title": "Lớp 2", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api.patch(
        f"/api/training-courses/{pk}/", {"title": "Lớp 3", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["title"] == "Lớp 2"
    assert api.delete(f"/api/training-courses/{pk}/").status_code == 204


def test_other_unit_is_404_and_reader_cannot_write(api: APIClient) -> None:
    foreign = make_staff(org_unit=unit(OLD_AN_GIANG), active_from=date(2019, 1, 1))
    assert api.get(f"/api/training-staff/{foreign.pk}/").status_code == 404
    reader = APIClient()
    reader.force_authenticate(make_user(username="ld", role=User.Role.LEADER))
    response = reader.post(
        "/api/training-staff/",
        {"org_unit": unit(HOANG_HOP).pk, "full_name": "X", "active_from": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 403
