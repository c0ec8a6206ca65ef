"""Regression tests of what the API fuzzing found (test_fuzz.py): each request below answered
500 before the fix (an id past the database's integer in a foreign-key filter raised
OverflowError on SQLite; superscript digits passed str.isdigit() and failed int(); year 0000
passed the four-digit check and failed date()). Now each is a 200 or a 400 with a message."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db

HUGE = "10191306598351923704758272"


@pytest.fixture
def api() -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(username="fuzz-admin", role=User.Role.ADMIN))
    return client


@pytest.mark.parametrize(
    "url",
    [
        f"/api/task-assignments/?task={HUGE}&page=1",
        f"/api/agencies/?org_unit={HUGE}",
        f"/api/plans/?org_unit={HUGE}&year=10000001",
        f"/api/tasks/?plan={HUGE}",
        f"/api/budget-lines/?plan={HUGE}",
        f"/api/training-staff/?unit={HUGE}",
        f"/api/pilot-models/?unit={HUGE}",
        "/api/plans/?org_unit=²",
        "/api/agencies/?org_unit=²",
        "/api/tips/?org_unit=²",
        "/api/training-courses/?year=0000",
        "/api/pilot-models/?year=0000",
        "/api/indicator-values/?unit=²",
    ],
)
def test_odd_numbers_in_filters_are_a_clear_400_or_an_empty_list(api: APIClient, url: str) -> None:
    response = api.get(url)
    assert response.status_code in (200, 400, 403, 404), (url, response.status_code)
    body = response.json()
    if response.status_code == 200:
        assert body.get("results", []) == [] or isinstance(body, dict)
    else:
        assert any(str(v).strip() for v in body.values()), body


@pytest.mark.parametrize(
    "url",
    ["/to-giac/?tinh=²", f"/to-giac/?tinh={HUGE}", "/to-giac/?tinh=٣"],
)
def test_public_tip_page_takes_any_province_parameter(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert "tỉnh" in response.content.decode().lower()


@pytest.mark.parametrize(
    "url",
    [
        "/training/staff/?year=0000",
        "/training/staff/?unit=²",
        "/enforcement/establishments/?unit=²",
        "/tips/?unit=²",
        "/plans/?year=²²²²",
        "/support/pilot-models/?year=0000",
    ],
)
def test_pages_take_odd_numbers_in_filters(client: Client, url: str) -> None:
    client.force_login(make_user(username="fuzz-dieuphoi", role=User.Role.COORDINATOR))
    response = client.get(url)
    assert response.status_code in (200, 403, 404), (url, response.status_code)


def test_indicator_values_answer_the_format_suffix_route(api: APIClient) -> None:
    """Regression (found by the header walk of accounts/tests/test_security.py):
    /api/indicator-values.json reached list() with a `format` argument it did not take."""
    response = api.get("/api/indicator-values.json")
    assert response.status_code == 400  # no period given: a message, not a server error
    assert response.json()
