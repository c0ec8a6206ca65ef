"""Tell a user whose session expired why they are back at the login page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


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
