"""API errors: every 4xx carries a clear message in the user's language under "detail"."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Không tìm thấy, hoặc bạn không có quyền xem mục này."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(
            str(exc) or _("Bạn không có quyền thực hiện thao tác này.")
        )
    return drf_exception_handler(exc, context)
