"""Audit listeners for Django's authentication signals (login, logout, failed login)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent

# The marker lives here, not in services.py, so that importing signals stays light.
OTP_FAILURE_MARKER = "pcmd_otp_failure"


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditEvent.Action.LOGIN, user=user, org_unit=user.org_unit, request=request)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(
            action=AuditEvent.Action.LOGOUT, user=user, org_unit=user.org_unit, request=request
        )


@receiver(user_login_failed)
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    if OTP_FAILURE_MARKER in credentials:
        return  # services._otp_failed() already recorded an OTP_FAILED event
    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", ""))[:150],
    )
