"""Template context shared by every page: demo mode, the user's unit and capabilities."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from pcmd.accounts.permissions import CAPABILITIES


def pcmd(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    caps: frozenset[str] = frozenset()
    if user is not None and user.is_authenticated:
        caps = CAPABILITIES.get(getattr(user, "role", ""), frozenset())
    return {"DEMO_MODE": settings.DEMO_MODE, "user_caps": caps}
