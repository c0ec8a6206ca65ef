"""/api/indicator-values/: values of a unit and its children, in scope only."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from pcmd.accounts.tests.factories import HOANG_HOA, HOANG_HOP, OLD_AN_GIANG, make_user, unit
from pcmd.outreach.tests.factories import make_event

pytestmark = pytest.mark.django_db
URL = "/api/indicator-values/"


def test_values_of_a_district_and_its_communes() -> None:
    make_event(org_unit=unit(HOANG_HOP), date=date(2025, 3, 10))
    client = APIClient()
    client.force_authenticate(make_user(unit_code=HOANG_HOA))
    response = client.get(
        URL, {"orgunit": unit(HOANG_HOA).pk, "period": "2025S1", "indicator": "outreach-events"}
    )
    assert response.status_code == 200, response.content
    rows = {r["orgunit"]: r for r in response.json()}
    assert rows[unit(HOANG_HOA).pk]["value"] == "1"
    assert rows[unit(HOANG_HOP).pk]["value"] == "1"
    assert len(rows) > 10  # the district's communes as of 30/06/2025
    assert sum(r["value"] == "0" for r in rows.values()) == len(rows) - 2


def test_bad_input_and_other_units_are_refused() -> None:
    client = APIClient()
    client.force_authenticate(make_user(unit_code=HOANG_HOP))
    assert client.get(URL, {"period": "2025X"}).status_code == 400
    response = client.get(URL, {"period": "2025", "indicator": "khong-co"})
    assert response.status_code == 400 and "khong-co" in response.json()["indicator"][0]
    other = client.get(URL, {"orgunit": unit(OLD_AN_GIANG).pk, "period": "2025"})
    assert other.status_code == 404
    anonymous = APIClient().get(URL, {"period": "2025"})
    assert anonymous.status_code in (401, 403)
