"""API errors: every 4xx carries a clear message in the user's language under "detail".

Invariants: the request-level errors DRF raises itself (no or a bad token, throttling, a body
that is not JSON, a media type or an Accept we do not serve) answer in Vietnamese: DRF's own
Vietnamese catalog lacks them. The exception keeps its class and headers (WWW-Authenticate,
Retry-After); only its message is replaced.
Entry points: exception_handler (settings), validation_error_from() (a service's refusal as
a 400 with its messages by field).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def validation_error_from(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError as DRF's: messages by field, or under "detail"."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return exceptions.ValidationError({"detail": exc.messages})


def _vietnamese_detail(exc: exceptions.APIException) -> str | None:
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Chưa đăng nhập: hãy gửi kèm token (Authorization: Token …) hoặc đăng nhập.")
    if isinstance(exc, exceptions.AuthenticationFailed):
        return _("Không xác thực được: token không đúng, đã bị thu hồi hoặc tài khoản đã bị khóa.")
    if isinstance(exc, exceptions.Throttled):
        wait = getattr(exc, "wait", None)
        if wait:
            return _("Quá nhiều yêu cầu; hãy thử lại sau %(s)d giây.") % {"s": int(wait) + 1}
        return _("Quá nhiều yêu cầu; hãy thử lại sau.")
    if isinstance(exc, exceptions.ParseError):
        return _("Nội dung gửi lên không đọc được (JSON hoặc biểu mẫu bị lỗi).")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Kiểu dữ liệu gửi lên không được hỗ trợ; hãy gửi JSON.")
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Không trả lời được theo định dạng yêu cầu; hãy nhận JSON.")
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Không tìm thấy, hoặc bạn không có quyền xem mục này."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(
            str(exc) or _("Bạn không có quyền thực hiện thao tác này.")
        )
    elif isinstance(exc, exceptions.APIException):
        detail = _vietnamese_detail(exc)
        if detail is not None:
            exc.detail = exceptions.ErrorDetail(detail, code=exc.default_code)
    return drf_exception_handler(exc, context)
