"""The answer to a request the server could not complete: the database out of reach (503) or
any other unhandled error (500).

Owns: server_error (the project's handler500), database_unavailable_message(),
is_database_unavailable().
Invariants: renders without touching the database (no request context: the session and the
user are in the database), so it works while PostgreSQL is down or restarting. An unreachable
database answers 503 with Retry-After, as a page or, under /api/, as JSON {"detail": ...}; a bug
stays a 500. Each request opens or health-checks its connection (CONN_HEALTH_CHECKS), so once
the database is back the next request succeeds: the application server is never restarted.
Not here: a full disk (pcmd.common.atomic.DiskFullMiddleware, 507).
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 30
# SQLite reports a locked or unreadable file with OperationalError, but also a bad statement
# ("no such column"), which is a bug: only these messages mean "try again later".
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database", "disk i/o error")


def is_database_unavailable(exc: BaseException | None) -> bool:
    """True when `exc` says the database cannot be reached now (not that a query is wrong)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if connection.vendor == "sqlite":
        return any(text in str(exc).lower() for text in _SQLITE_UNAVAILABLE)
    return True


def database_unavailable_message() -> str:
    return _(
        "Hệ thống tạm thời không kết nối được cơ sở dữ liệu; thao tác vừa rồi chưa được ghi. "
        "Vui lòng thử lại sau ít phút."
    )


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    if not is_database_unavailable(exc):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Lỗi hệ thống khi xử lý yêu cầu; vui lòng thử lại sau.")}, status=500
            )
        return defaults.server_error(request)
    message = database_unavailable_message()
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
