"""Session guards: push an active session's idle expiry forward, at most once a minute
(SessionRefreshMiddleware); tell a user whose session expired why they are back at the login
page (SessionExpiryMiddleware); end a session opened without a second factor once the user's
role needs one (SecondFactorMiddleware)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

# How often an active session's expiry is pushed forward: it then ends after between
# SESSION_COOKIE_AGE minus this and SESSION_COOKIE_AGE of idleness (29-30 minutes).
SESSION_REFRESH_SECONDS = 60
REFRESHED_KEY = "_pcmd_refreshed"


class SessionRefreshMiddleware:
    """The idle timeout without a write on every request: SESSION_SAVE_EVERY_REQUEST updated
    the session's row and committed on every page (under load, a write and a WAL flush per
    request); this marks the session changed, so SessionMiddleware saves it with a new expiry,
    only when its last refresh is SESSION_REFRESH_SECONDS old. Sits inside SessionMiddleware.
    Only an existing session is refreshed: an anonymous visitor gets no session row."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None or session.is_empty():
            return response
        now = int(time.time())
        if now - int(session.get(REFRESHED_KEY, 0)) >= SESSION_REFRESH_SECONDS:
            session[REFRESHED_KEY] = now
        return response


class SessionExpiryMiddleware:
    """A request that carries a session cookie the server no longer knows had its session expire."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        expired = bool(cookie) and not request.user.is_authenticated and not request.session.keys()
        response = self.get_response(request)
        if (
            expired
            and response.status_code in (301, 302)
            and "login" in response.get("Location", "")
        ):
            messages.warning(request, _("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."))
            # MessageMiddleware sits inside this one and has already stored its messages on
            # the way out: store again so the new one reaches the login page.
            storage = getattr(request, "_messages", None)
            if storage is not None:
                storage.update(response)
        return response


class SecondFactorMiddleware:
    """A session opened at the login page without a second factor (the role did not need one)
    ends as soon as the user needs one (an admin raised the role): pages go to the login page,
    the API sees an anonymous caller. Sits after OTPMiddleware (is_verified) and
    MessageMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.contrib.auth import logout
        from django.shortcuts import redirect

        from pcmd.accounts.permissions import requires_second_factor
        from pcmd.accounts.services import SECOND_FACTOR_SESSION_KEY

        user = request.user
        if (
            user.is_authenticated
            and request.session.get(SECOND_FACTOR_SESSION_KEY) is False
            and requires_second_factor(user)
            and not user.is_verified()  # type: ignore[attr-defined]  # django-otp adds it
        ):
            logout(request)
            if not request.path.startswith("/api/"):
                messages.warning(
                    request,
                    _(
                        "Vai trò của bạn nay cần xác thực hai lớp: "
                        "hãy đăng nhập lại kèm mã xác thực."
                    ),
                )
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
