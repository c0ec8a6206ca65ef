"""POST /api/auth/token/ and GET /api/me/: the same login rules as the page, in JSON."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import (
    PASSWORD,
    make_totp_device,
    make_user,
    totp_token,
    wrong_token,
)

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_coordinator_gets_a_token_without_otp(api: APIClient) -> None:
    user = make_user(username="dieuphoi")
    response = api.post(TOKEN, {"username": "dieuphoi", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert len(response.json()["token"]) == 40
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TOKEN_ISSUED, user=user).exists()


def test_token_authenticates_me(api: APIClient) -> None:
    make_user(username="dieuphoi")
    token = api.post(TOKEN, {"username": "dieuphoi", "password": PASSWORD}, format="json")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    me = api.get("/api/me/").json()
    assert me["username"] == "dieuphoi" and me["role"] == "coordinator"
    assert me["org_unit"]["code"] == "15919" and me["org_unit"]["name"] == "Xã Hoằng Hợp"


def test_me_requires_authentication(api: APIClient) -> None:
    assert api.get("/api/me/").status_code == 401


def test_wrong_password_is_a_vietnamese_400(api: APIClient) -> None:
    make_user(username="dieuphoi")
    response = api.post(TOKEN, {"username": "dieuphoi", "password": "sai"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).exists()


def test_missing_fields_are_explained(api: APIClient) -> None:
    response = api.post(TOKEN, {}, format="json")
    assert response.status_code == 400
    assert "Thiếu tên đăng nhập." in str(response.json())


def test_police_needs_otp_for_a_token(api: APIClient) -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    device = make_totp_device(police)
    body = {"username": "congan", "password": PASSWORD}
    without = api.post(TOKEN, body, format="json")
    assert without.status_code == 400 and without.json()["code"] == "otp_required"
    wrong = api.post(TOKEN, {**body, "otp": wrong_token(device)}, format="json")
    assert wrong.status_code == 400 and "Mã xác thực không đúng" in wrong.json()["detail"]
    throttled = api.post(TOKEN, {**body, "otp": totp_token(device)}, format="json")
    assert throttled.status_code == 400 and throttled.json()["code"] == "otp_throttled"
    device.refresh_from_db()
    device.throttle_reset()  # as if the user waited the few seconds django-otp asks for
    right = api.post(TOKEN, {**body, "otp": totp_token(device)}, format="json")
    assert right.status_code == 200 and "token" in right.json()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.OTP_FAILED).count() == 3


def test_police_without_device_gets_no_token(api: APIClient) -> None:
    make_user(username="congan", role=User.Role.POLICE)
    response = api.post(TOKEN, {"username": "congan", "password": PASSWORD}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "otp_no_device"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_answers_json_429(api: APIClient) -> None:
    make_user(username="dieuphoi")
    for _ in range(2):
        api.post(TOKEN, {"username": "dieuphoi", "password": "sai"}, format="json")
    locked = api.post(TOKEN, {"username": "dieuphoi", "password": "sai"}, format="json")
    assert locked.status_code == 429
    assert "Tài khoản tạm khóa" in locked.json()["detail"]
    again = api.post(TOKEN, {"username": "dieuphoi", "password": PASSWORD}, format="json")
    assert again.status_code == 429


def test_token_endpoint_is_throttled(api: APIClient, settings) -> None:  # type: ignore[no-untyped-def]
    rate = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"].split("/")[0])
    make_user(username="dieuphoi")
    with override_settings(AXES_ENABLED=False):
        codes = [
            api.post(TOKEN, {"username": "x", "password": "y"}, format="json").status_code
            for _ in range(rate + 1)
        ]
    assert codes[:rate] == [400] * rate
    assert codes[-1] == 429
