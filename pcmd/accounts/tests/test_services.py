"""login_check(): passwords, the second factor, demo mode, lockout; device enrolment and reset."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcmd.accounts import services
from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import (
    PASSWORD,
    make_totp_device,
    make_user,
    totp_token,
    wrong_token,
)

pytestmark = pytest.mark.django_db


def _request():  # type: ignore[no-untyped-def]
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.1")


def test_coordinator_logs_in_with_password_only() -> None:
    make_user(username="dieuphoi")
    user = services.login_check(request=_request(), username="dieuphoi", password=PASSWORD)
    assert user.username == "dieuphoi"
    assert user.otp_device is None


def test_wrong_password_is_refused_with_a_vietnamese_message() -> None:
    make_user(username="dieuphoi")
    with pytest.raises(ValidationError) as exc:
        services.login_check(request=_request(), username="dieuphoi", password="sai")
    assert exc.value.code == "invalid_login"
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in exc.value.messages[0]


def test_police_without_device_is_told_to_ask_an_admin() -> None:
    make_user(username="congan", role=User.Role.POLICE)
    with pytest.raises(ValidationError) as exc:
        services.login_check(request=_request(), username="congan", password=PASSWORD)
    assert exc.value.code == "otp_no_device"
    assert "liên hệ quản trị" in exc.value.messages[0]


def test_police_with_device_and_right_token_logs_in() -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    device = make_totp_device(police)
    user = services.login_check(
        request=_request(), username="congan", password=PASSWORD, otp=totp_token(device)
    )
    assert user.otp_device == device


def test_token_with_spaces_is_accepted() -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    device = make_totp_device(police)
    token = totp_token(device)
    user = services.login_check(
        request=_request(), username="congan", password=PASSWORD, otp=f"{token[:3]} {token[3:]}"
    )
    assert user.otp_device == device


def test_wrong_token_is_refused_and_audited_once() -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    device = make_totp_device(police)
    with pytest.raises(ValidationError) as exc:
        services.login_check(
            request=_request(), username="congan", password=PASSWORD, otp=wrong_token(device)
        )
    assert exc.value.code == "otp_invalid"
    events = AuditEvent.objects.filter(username="congan")
    assert [e.action for e in events] == [AuditEvent.Action.OTP_FAILED]
    assert events[0].user == police
    assert events[0].detail == {"reason": "invalid"}


def test_missing_token_is_refused_for_police() -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    make_totp_device(police)
    with pytest.raises(ValidationError) as exc:
        services.login_check(request=_request(), username="congan", password=PASSWORD)
    assert exc.value.code == "otp_required"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.OTP_FAILED).count() == 1


def test_unconfirmed_device_does_not_count() -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    device = make_totp_device(police, confirmed=False)
    with pytest.raises(ValidationError) as exc:
        services.login_check(
            request=_request(), username="congan", password=PASSWORD, otp=totp_token(device)
        )
    assert exc.value.code == "otp_no_device"


def test_staff_needs_2fa_whatever_the_role() -> None:
    make_user(username="nhanvien", is_staff=True)
    with pytest.raises(ValidationError) as exc:
        services.login_check(request=_request(), username="nhanvien", password=PASSWORD)
    assert exc.value.code == "otp_no_device"


@override_settings(DEMO_MODE=True)
def test_demo_police_is_exempt_in_demo_mode() -> None:
    make_user(username="demo-congan", role=User.Role.POLICE, is_demo=True)
    user = services.login_check(request=_request(), username="demo-congan", password=PASSWORD)
    assert user.otp_device is None


@override_settings(DEMO_MODE=False)
def test_demo_user_cannot_log_in_outside_demo_mode() -> None:
    make_user(username="demo-congan", role=User.Role.POLICE, is_demo=True)
    with pytest.raises(ValidationError) as exc:
        services.login_check(request=_request(), username="demo-congan", password=PASSWORD)
    assert exc.value.code == "demo_disabled"


@override_settings(DEMO_MODE=True)
def test_demo_mode_does_not_exempt_real_police() -> None:
    make_user(username="congan", role=User.Role.POLICE)
    with pytest.raises(ValidationError) as exc:
        services.login_check(request=_request(), username="congan", password=PASSWORD)
    assert exc.value.code == "otp_no_device"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_tokens_count_towards_lockout() -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    device = make_totp_device(police)
    codes = []
    for _ in range(3):
        with pytest.raises(ValidationError) as exc:
            services.login_check(
                request=_request(), username="congan", password=PASSWORD, otp=wrong_token(device)
            )
        codes.append(exc.value.code)
    assert codes[-1] == "locked_out"
    with pytest.raises(ValidationError) as exc:
        services.login_check(
            request=_request(), username="congan", password=PASSWORD, otp=totp_token(device)
        )
    assert exc.value.code == "locked_out"
    assert "15 phút" in exc.value.messages[0]


def test_admin_reset_opens_an_enrolment_window() -> None:
    admin = make_user(username="quantri", role=User.Role.ADMIN)
    police = make_user(username="congan", role=User.Role.POLICE)
    make_totp_device(police)
    services.otp_device_reset(user=police, acting_user=admin)
    assert not TOTPDevice.objects.filter(user=police, confirmed=True).exists()
    with pytest.raises(services.SecondFactorEnrolmentRequired):
        services.login_check(request=_request(), username="congan", password=PASSWORD)
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.user == admin and event.detail["otp"] == "device_reset"


def test_enrolment_window_closes_after_a_day() -> None:
    admin = make_user(username="quantri", role=User.Role.ADMIN)
    police = make_user(username="congan", role=User.Role.POLICE)
    grant = services.otp_device_reset(user=police, acting_user=admin)
    TOTPDevice.objects.filter(pk=grant.pk).update(created_at=timezone.now() - timedelta(hours=25))
    with pytest.raises(ValidationError) as exc:
        services.login_check(request=_request(), username="congan", password=PASSWORD)
    assert exc.value.code == "otp_no_device"


def test_self_started_setup_opens_no_window() -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    services.otp_device_start(user=police)
    with pytest.raises(ValidationError) as exc:
        services.login_check(request=_request(), username="congan", password=PASSWORD)
    assert exc.value.code == "otp_no_device"


def test_confirm_replaces_older_devices() -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    old = make_totp_device(police)
    new = services.otp_device_start(user=police)
    services.otp_device_confirm(user=police, device=new, token=totp_token(new))
    assert list(TOTPDevice.objects.filter(user=police)) == [new]
    new.refresh_from_db()
    assert new.confirmed and not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_confirm_with_wrong_token_keeps_device_unconfirmed() -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    device = services.otp_device_start(user=police)
    with pytest.raises(ValidationError):
        services.otp_device_confirm(user=police, device=device, token=wrong_token(device))
    device.refresh_from_db()
    assert not device.confirmed
    assert AuditEvent.objects.filter(action=AuditEvent.Action.OTP_FAILED, user=police).exists()


def test_token_issue_is_audited() -> None:
    user = make_user(username="dieuphoi")
    token = services.api_token_issue(request=_request(), user=user)
    assert token.user == user
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TOKEN_ISSUED, user=user).exists()
