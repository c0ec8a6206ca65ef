"""Audit listeners for Django's authentication signals (login, logout, failed login), and the
revocation of an API token when its user comes to need a second factor."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.permissions import requires_second_factor

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


@receiver(pre_save, sender=User)
def _note_second_factor_before(sender: Any, instance: User, **kwargs: Any) -> None:
    """Remember whether the stored user needed a second factor, to compare after the save."""
    before = sender.objects.filter(pk=instance.pk).first() if instance.pk else None
    # An attribute of this instance only, read by the post_save handler below.
    instance._pcmd_needed_2fa = before is not None and requires_second_factor(before)  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def _revoke_token_when_2fa_becomes_required(
    sender: Any, instance: User, created: bool, **kwargs: Any
) -> None:
    """An API token issued without a second factor (the role did not need one) is revoked as
    soon as the user needs one (an admin raised the role, made them staff): the next token asks
    for the TOTP code, as the login page does for sessions (SecondFactorMiddleware)."""
    needed_before = getattr(instance, "_pcmd_needed_2fa", True)
    if created or needed_before or not requires_second_factor(instance):
        return
    revoked, _by_model = Token.objects.filter(user=instance).delete()
    if revoked:
        audit_record(
            action=AuditEvent.Action.UPDATE,
            obj=instance,
            org_unit=instance.org_unit,
            detail={"token": "revoked", "reason": "second_factor_required"},
        )
