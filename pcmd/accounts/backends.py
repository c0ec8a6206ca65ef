"""How a session's user is loaded: Django's ModelBackend, with the user's unit in the same query.

Owns: UnitModelBackend, SESSION_BACKEND.
Invariants: authenticates exactly as ModelBackend does (AxesStandaloneBackend before it counts
the failures); only get_user differs. Nearly every page asks for the user's unit (its scope,
whether it is national), which was a query of its own on every request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from pcmd.accounts.models import User


class UnitModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("org_unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


# The path a session names as the backend that logged its user in (in AUTHENTICATION_BACKENDS).
SESSION_BACKEND = f"{UnitModelBackend.__module__}.{UnitModelBackend.__qualname__}"
