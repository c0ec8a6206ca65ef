"""Request-level API errors answer in Vietnamese, with their status and headers kept."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from pcmd.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_no_token_is_a_vietnamese_401_with_its_challenge() -> None:
    response = APIClient().get("/api/me/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Chưa đăng nhập")
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_a_vietnamese_401() -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = api.get("/api/me/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Không xác thực được")


def test_a_body_that_is_not_json_is_a_vietnamese_400() -> None:
    api = APIClient()
    api.force_authenticate(make_user(username="dieuphoi"))
    body = "{không phải json"
    response = api.post("/api/outreach-events/", body, content_type="application/json")
    assert response.status_code == 400
    assert "không đọc được" in response.json()["detail"]


def test_throttling_is_a_vietnamese_429_with_retry_after() -> None:
    cache.clear()
    api = APIClient()
    statuses = [
        api.post("/api/auth/token/", {"username": "x", "password": "y"}, format="json")
        for _ in range(11)
    ]
    cache.clear()
    last = statuses[-1]
    assert last.status_code == 429
    assert last.json()["detail"].startswith("Quá nhiều yêu cầu")
    assert int(last["Retry-After"]) > 0
