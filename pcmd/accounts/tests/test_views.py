"""Pages of accounts: login with 2FA, lockout, logout, session expiry, 2FA enrolment, home."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcmd.accounts import selectors, services
from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import (
    HOANG_GIANG,
    PASSWORD,
    make_totp_device,
    make_user,
    totp_token,
    wrong_token,
)

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client: Client, username: str, password: str = PASSWORD, otp: str = "", **extra):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password, "otp": otp, **extra})


def test_login_page_always_shows_the_otp_field_and_who_needs_it(client: Client) -> None:
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mã xác thực (6 số)" in html
    assert 'name="otp"' in html
    for role in ("Quản trị hệ thống", "Công an", "Cán bộ công tác xã hội"):
        assert role in html


def test_coordinator_logs_in_without_otp_and_it_is_audited(client: Client) -> None:
    user = make_user(username="dieuphoi")
    response = _login(client, "dieuphoi")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, user=user).exists()


def test_failed_login_shows_message_and_is_audited(client: Client) -> None:
    make_user(username="dieuphoi")
    response = _login(client, "dieuphoi", password="sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGIN_FAILED, username="dieuphoi"
    ).exists()


def test_failed_login_keeps_username_but_not_password(client: Client) -> None:
    make_user(username="dieuphoi")
    html = _login(client, "dieuphoi", password="bi-mat-123").content.decode()
    assert 'value="dieuphoi"' in html
    assert "bi-mat-123" not in html


def test_police_without_device_is_refused_with_message(client: Client) -> None:
    make_user(username="congan", role=User.Role.POLICE)
    html = _login(client, "congan").content.decode()
    assert "chưa có thiết bị xác thực" in html
    assert "_auth_user_id" not in client.session


def test_police_with_right_token_gets_a_verified_session(client: Client) -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    device = make_totp_device(police)
    response = _login(client, "congan", otp=totp_token(device))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(police.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_police_with_wrong_token_is_refused_and_audited(client: Client) -> None:
    police = make_user(username="congan", role=User.Role.POLICE)
    device = make_totp_device(police)
    html = _login(client, "congan", otp=wrong_token(device)).content.decode()
    assert "Mã xác thực không đúng" in html
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditEvent.Action.OTP_FAILED, user=police).exists()


@override_settings(DEMO_MODE=True)
def test_demo_police_logs_in_without_otp_in_demo_mode(client: Client) -> None:
    make_user(username="demo-congan", role=User.Role.POLICE, is_demo=True)
    assert _login(client, "demo-congan").status_code == 302


@override_settings(DEMO_MODE=False)
def test_demo_police_is_refused_outside_demo_mode(client: Client) -> None:
    make_user(username="demo-congan", role=User.Role.POLICE, is_demo=True)
    response = _login(client, "demo-congan")
    assert response.status_code == 200
    assert "chế độ trình diễn" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(DEMO_MODE=True)
def test_login_page_lists_existing_demo_users_in_demo_mode(client: Client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "_demo_usernames", lambda: ["demo-canbo", "demo-khong-co"])
    make_user(username="demo-canbo", is_demo=True, first_name="Lan", last_name="Nguyễn Thị")
    make_user(username="khong-phai-demo")
    html = client.get(LOGIN).content.decode()
    assert "demo-canbo" in html and "pcmd-demo" in html
    assert "demo-khong-co" not in html
    assert "chỉ vì hệ thống đang chạy ở chế độ trình diễn" in html


@override_settings(DEMO_MODE=False)
def test_login_page_hides_demo_users_outside_demo_mode(client: Client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "_demo_usernames", lambda: ["demo-canbo"])
    make_user(username="demo-canbo", is_demo=True)
    html = client.get(LOGIN).content.decode()
    assert "demo-canbo" not in html and "pcmd-demo" not in html


def test_lockout_after_failure_limit(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    make_user(username="dieuphoi")
    responses = [
        _login(client, "dieuphoi", password="sai") for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert all(r.status_code == 200 for r in responses[:-1])
    locked = responses[-1]
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Tài khoản tạm khóa" in html and "thử lại sau 15 phút" in html
    # Even the right password is refused while locked out.
    assert _login(client, "dieuphoi").status_code == 429
    assert "_auth_user_id" not in client.session


def test_safe_next_is_followed_and_foreign_next_ignored(client: Client) -> None:
    make_user(username="dieuphoi")
    assert _login(client, "dieuphoi", next="/accounts/audit/")["Location"] == "/accounts/audit/"
    client.logout()
    response = _login(client, "dieuphoi", next="https://example.com/")
    assert response["Location"] == reverse("home")


def test_logout_by_get_is_not_allowed(client: Client) -> None:
    client.force_login(make_user(username="dieuphoi"))
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session


def test_logout_by_post_ends_session_and_is_audited(client: Client) -> None:
    user = make_user(username="dieuphoi")
    client.force_login(user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT, user=user).exists()
    assert client.get("/").status_code == 302


def test_an_active_session_is_pushed_forward_at_most_once_a_minute(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcmd.accounts import middleware

    client.force_login(make_user(username="dieuphoi"))
    clock = [1_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])

    def expiry() -> object:
        return Session.objects.get().expire_date

    assert client.get("/").status_code == 200
    first = expiry()
    assert first > timezone.now() + timedelta(minutes=29)  # idle for 30 minutes at most
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    clock[0] += 30  # within the minute: no write, the expiry stays
    client.get("/")
    assert expiry() < timezone.now() + timedelta(minutes=6)
    clock[0] += 31  # a minute since the last refresh: pushed forward again
    client.get("/")
    assert expiry() > timezone.now() + timedelta(minutes=29)


def test_an_anonymous_visit_gets_no_session_row(client: Client) -> None:
    assert client.get(LOGIN).status_code == 200
    assert client.get("/to-giac/").status_code in (200, 302)
    assert not Session.objects.exists()


def test_expired_session_redirects_to_login_with_a_message(client: Client) -> None:
    client.force_login(make_user(username="dieuphoi"))
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


def test_secure_headers_on_pages(client: Client) -> None:
    response = client.get(LOGIN)
    csp = response["Content-Security-Policy"]
    assert "http:" not in csp and "https:" not in csp and "*" not in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


# --- two-factor enrolment -------------------------------------------------------------------


def _inline_scripts(html: str) -> list[str]:
    return list(re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html))


def test_setup_page_shows_a_server_drawn_qr_code(client: Client) -> None:
    client.force_login(make_user(username="dieuphoi"))
    response = client.get("/accounts/2fa/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "<path" in html
    assert _inline_scripts(html) == []
    assert "<img" not in html
    assert TOTPDevice.objects.filter(confirmed=False).count() == 1


def test_setup_confirms_device_and_verifies_session(client: Client) -> None:
    user = make_user(username="dieuphoi")
    client.force_login(user)
    client.get("/accounts/2fa/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/accounts/2fa/", {"token": totp_token(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_setup_with_wrong_token_shows_error(client: Client) -> None:
    user = make_user(username="dieuphoi")
    client.force_login(user)
    client.get("/accounts/2fa/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/accounts/2fa/", {"token": wrong_token(device)})
    assert response.status_code == 400
    assert "Mã xác thực không đúng" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_unverified_session_cannot_replace_an_existing_device(client: Client) -> None:
    user = make_user(username="dieuphoi")
    make_totp_device(user)
    client.force_login(user)
    assert client.get("/accounts/2fa/").status_code == 403


def test_anonymous_setup_without_pending_enrolment_goes_to_login(client: Client) -> None:
    response = client.get("/accounts/2fa/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_police_reset_by_admin_enrols_at_next_login(client: Client) -> None:
    admin = make_user(username="quantri", role=User.Role.ADMIN)
    police = make_user(username="congan", role=User.Role.POLICE)
    services.otp_device_reset(user=police, acting_user=admin)
    response = _login(client, "congan")
    assert response["Location"] == reverse("accounts:otp-setup")
    assert "_auth_user_id" not in client.session  # not logged in before enrolling
    assert client.get("/accounts/2fa/").status_code == 200
    device = TOTPDevice.objects.get(user=police)
    response = client.post("/accounts/2fa/", {"token": totp_token(device)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(police.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


# --- home -----------------------------------------------------------------------------------


def test_home_of_an_old_commune_shows_parents_and_successor(client: Client) -> None:
    client.force_login(make_user(username="dieuphoi"))
    html = client.get("/").content.decode()
    assert "<title>Trang chủ · Xã Hoằng Hợp" in html
    assert "Huyện Hoằng Hóa" in html and "Tỉnh Thanh Hóa" in html
    assert "Đơn vị kế thừa" in html and "Xã Hoằng Giang" in html
    assert "Xem cây đơn vị hành chính" in html


def test_home_of_a_new_commune_lists_its_predecessors(client: Client) -> None:
    client.force_login(make_user(username="dieuphoi", unit_code=HOANG_GIANG))
    html = client.get("/").content.decode()
    assert "Kế thừa từ" in html and "Xã Hoằng Hợp" in html
    assert "Tỉnh Thanh Hóa" in html
    assert "Đơn vị kế thừa" not in html


def test_home_of_a_province_lists_its_communes(client: Client) -> None:
    client.force_login(make_user(username="tinh", unit_code="38"))
    html = client.get("/").content.decode()
    assert "Xã Hoằng Giang" in html
    assert "Đơn vị cấp cao nhất" not in html


def test_home_without_unit_shows_empty_state(client: Client) -> None:
    user = make_user(username="moi")
    User.objects.filter(pk=user.pk).update(org_unit=None)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "chưa được gán đơn vị" in html


def test_home_requires_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@override_settings(DEMO_MODE=True)
def test_real_demo_users_are_listed_and_log_in_without_otp(client: Client) -> None:
    demo = pytest.importorskip("pcmd.orgunits.demo")
    demo.demo_load()
    html = client.get(LOGIN).content.decode()
    for spec in demo.DEMO_USERS:
        assert spec["username"] in html
    police = next(s for s in demo.DEMO_USERS if s["role"] in {"police", "admin"})
    response = _login(client, police["username"], password=demo.DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_page_loads_the_user_and_the_users_unit_in_one_query(client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_user(username="dieuphoi")
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/jobs/").status_code == 200
    users = [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"]]
    assert len(users) == 1 and '"orgunits_orgunit"' in users[0]
    assert not [q for q in queries if q["sql"].startswith('SELECT "orgunits_orgunit"."id"')]
