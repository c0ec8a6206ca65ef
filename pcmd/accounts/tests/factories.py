"""Small factories for accounts tests: users in real units of the loaded hierarchy, TOTP devices."""

from __future__ import annotations

from datetime import date
from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcmd.accounts.models import User
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_get_by_code

PASSWORD = "mat-khau-rat-dai-42"
# Codes of the real hierarchy (see pcmd/conftest.py). 15919 and 399 ended on 30/06/2025.
HOANG_HOP = "15919"
HOANG_HOA = "399"
THANH_HOA = "38"
HOANG_GIANG = "15880"
OLD_AN_GIANG = "89"
NATIONAL = "VN"
BEFORE_REFORM = date(2025, 6, 1)


def unit(code: str, on: date | None = None) -> OrgUnit:
    """The unit with this code; codes of abolished units are read before the reform."""
    if on is None:
        on = BEFORE_REFORM if code in {HOANG_HOP, HOANG_HOA, OLD_AN_GIANG} else date.today()
    return orgunit_get_by_code(code, on=on)


def make_user(
    *,
    username: str = "canbo",
    role: str = User.Role.COORDINATOR,
    unit_code: str = HOANG_HOP,
    password: str = PASSWORD,
    **overrides: Any,
) -> User:
    user = User(username=username, role=role, org_unit=unit(unit_code), **overrides)
    user.set_password(password)
    user.save()
    return user


def make_totp_device(user: User, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=confirmed)


def totp_token(device: TOTPDevice) -> str:
    """The token `device` accepts now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_token(device: TOTPDevice) -> str:
    return f"{(int(totp_token(device)) + 1) % 1_000_000:06d}"
