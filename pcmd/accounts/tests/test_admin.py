"""The Django admin keeps 2FA: PCMD's login, unverified sessions refused; device reset."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcmd.accounts.models import User
from pcmd.accounts.services import ENROLMENT_GRANT_NAME
from pcmd.accounts.tests.factories import make_totp_device, make_user, totp_token

pytestmark = pytest.mark.django_db


def test_admin_login_goes_to_pcmd_login(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_unverified_superuser_cannot_use_the_admin(client: Client) -> None:
    admin = make_user(username="root", role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _verified_superuser(client: Client) -> User:
    admin = make_user(username="root", role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    device = make_totp_device(admin)
    response = client.post(
        "/accounts/login/",
        {"username": "root", "password": "mat-khau-rat-dai-42", "otp": totp_token(device)},
    )
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY in client.session
    return admin


def test_verified_superuser_uses_the_admin(client: Client) -> None:
    _verified_superuser(client)
    assert client.get("/admin/").status_code == 200


def test_reset_action_removes_devices_and_opens_a_window(client: Client) -> None:
    _verified_superuser(client)
    police = make_user(username="congan", role=User.Role.POLICE)
    make_totp_device(police)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_otp_device", "_selected_action": [police.pk]},
    )
    assert response.status_code == 302
    devices = list(TOTPDevice.objects.filter(user=police))
    assert [(d.name, d.confirmed) for d in devices] == [(ENROLMENT_GRANT_NAME, False)]
