"""Log in with a password and, where the role requires it, a TOTP token; enrol and reset devices.

Owns: login_check(), session_login(), otp_device_start(), otp_device_confirm(),
otp_device_reset(), otp_enrolment_grant_get(), api_token_issue(), password_change().
Entry points: the login page and the token endpoint call login_check() and nothing else decides
who may log in; the 2FA page calls otp_device_start()/otp_device_confirm(); the admin calls
otp_device_reset().
Invariants: every password check goes through django.contrib.auth.authenticate(request=...) so
that django-axes counts failures and locks out; a wrong or missing TOTP token counts as a failed
login too (axes) and is audited as OTP_FAILED; users whose role is in ROLES_REQUIRING_2FA (and
staff) never get a session or a token without a confirmed device's valid token, except demo
users while settings.DEMO_MODE is on; demo users cannot log in at all outside demo mode.
A user without a device enrols only inside a window an admin opened (otp_device_reset), after
passing the password check.
Not here: the pages (views.py), the rules of who may do what (permissions.py).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from rest_framework.authtoken.models import Token

from pcmd.accounts.audit import audit_record
from pcmd.accounts.backends import SESSION_BACKEND
from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.permissions import requires_second_factor
from pcmd.accounts.signals import OTP_FAILURE_MARKER  # login_failed for a bad token: no 2nd event

# The unconfirmed device an admin's reset leaves behind: it opens an enrolment window.
ENROLMENT_GRANT_NAME = "pcmd-enrolment"
ENROLMENT_WINDOW = timedelta(hours=24)
# An unconfirmed device the logged-in user started on the 2FA page (opens no window).
SELF_SETUP_NAME = "pcmd-setup"
# The name of a device the user confirmed.
DEVICE_NAME = "TOTP"

_TOKEN_RE = re.compile(r"^\d{6}$")


class SecondFactorEnrolmentRequired(Exception):
    """The password was right, the role needs 2FA, and an admin opened an enrolment window."""

    def __init__(self, user: User) -> None:
        super().__init__(user.get_username())
        self.user = user


def _lockout_minutes() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    if isinstance(cooloff, timedelta):
        return max(1, int(cooloff.total_seconds() // 60))
    return 15


def _locked_out_error() -> ValidationError:
    return ValidationError(
        _(
            "Tài khoản tạm khóa do đăng nhập sai quá nhiều lần. "
            "Vui lòng thử lại sau %(minutes)s phút."
        ),
        code="locked_out",
        params={"minutes": _lockout_minutes()},
    )


def _is_locked_out(request: HttpRequest) -> bool:
    return bool(getattr(request, "axes_locked_out", False))


def _normalise_token(otp: str | None) -> str:
    return re.sub(r"\s+", "", otp or "")


def _otp_failed(*, request: HttpRequest, user: User, reason: str) -> None:
    """Audit a refused token and let axes count it as a failed login."""
    audit_record(
        action=AuditEvent.Action.OTP_FAILED,
        user=user,
        org_unit=user.org_unit,
        request=request,
        detail={"reason": reason},
    )
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username(), OTP_FAILURE_MARKER: reason},
        request=request,
    )


def otp_enrolment_grant_get(*, user: User) -> TOTPDevice | None:
    """The open enrolment window of `user` (an admin reset it less than 24 hours ago)."""
    since = timezone.now() - ENROLMENT_WINDOW
    return (
        TOTPDevice.objects.filter(
            user=user, confirmed=False, name=ENROLMENT_GRANT_NAME, created_at__gte=since
        )
        .order_by("-created_at")
        .first()
    )


def login_check(*, request: HttpRequest, username: str, password: str, otp: str = "") -> User:
    """The user these credentials identify, or ValidationError with a message for the user.

    On success the user carries `otp_device` (the device whose token was accepted, or None).
    Raises SecondFactorEnrolmentRequired when the password is right, 2FA is required, the user
    has no device and an admin opened an enrolment window.
    """
    username = (username or "").strip()
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        if _is_locked_out(request):
            raise _locked_out_error()
        raise ValidationError(_("Tên đăng nhập hoặc mật khẩu không đúng."), code="invalid_login")
    assert isinstance(user, User)
    if user.is_demo and not settings.DEMO_MODE:
        raise ValidationError(
            _("Tài khoản trình diễn chỉ dùng được khi hệ thống chạy ở chế độ trình diễn."),
            code="demo_disabled",
        )
    user.otp_device = None  # type: ignore[attr-defined]
    if not requires_second_factor(user):
        return user

    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    if not devices:
        if otp_enrolment_grant_get(user=user) is not None:
            raise SecondFactorEnrolmentRequired(user)
        raise ValidationError(
            _(
                "Vai trò “%(role)s” phải đăng nhập bằng xác thực hai lớp, nhưng tài khoản chưa "
                "có thiết bị xác thực. Vui lòng liên hệ quản trị hệ thống để được cấp."
            ),
            code="otp_no_device",
            params={"role": user.get_role_display() or user.get_username()},
        )

    token = _normalise_token(otp)
    if not token:
        _otp_failed(request=request, user=user, reason="missing")
        if _is_locked_out(request):
            raise _locked_out_error()
        raise ValidationError(
            _("Vai trò của bạn cần mã xác thực: nhập mã 6 số từ ứng dụng xác thực."),
            code="otp_required",
        )
    throttled = False
    if _TOKEN_RE.match(token):
        for device in devices:
            # django-otp makes a device wait (1 s, 2 s, 4 s ...) after each wrong token.
            if not device.verify_is_allowed()[0]:
                throttled = True
                continue
            if device.verify_token(token):
                user.otp_device = device  # type: ignore[attr-defined]
                return user
    _otp_failed(request=request, user=user, reason="throttled" if throttled else "invalid")
    if _is_locked_out(request):
        raise _locked_out_error()
    if throttled:
        raise ValidationError(
            _("Bạn vừa nhập sai mã xác thực. Vui lòng chờ vài giây rồi nhập mã mới."),
            code="otp_throttled",
        )
    raise ValidationError(
        _("Mã xác thực không đúng hoặc đã hết hạn. Mã gồm 6 chữ số và đổi sau mỗi 30 giây."),
        code="otp_invalid",
    )


SECOND_FACTOR_SESSION_KEY = "pcmd_second_factor"


def session_login(*, request: HttpRequest, user: User) -> None:
    """Open the session of a user login_check() accepted; verified if a token was used."""
    device = getattr(user, "otp_device", None)
    auth_login(request, user, backend=SESSION_BACKEND)
    if device is not None:
        otp_login(request, device)
    # Whether this session passed a second factor: SecondFactorMiddleware ends a session opened
    # without one if the user's role comes to need it (an admin raised the role meanwhile).
    request.session[SECOND_FACTOR_SESSION_KEY] = device is not None


@transaction.atomic
def otp_device_start(*, user: User) -> TOTPDevice:
    """A fresh secret for `user` to scan into an authenticator app.

    An admin's enrolment grant keeps its window (only its secret changes, so every scan shows a
    new one); otherwise earlier unconfirmed devices give way to a new one that opens no window.
    """
    grant = otp_enrolment_grant_get(user=user)
    if grant is not None:
        grant.key = default_key()
        grant.last_t = -1
        grant.save(update_fields=["key", "last_t"])
        return grant
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=SELF_SETUP_NAME, confirmed=False)


def otp_device_confirm(
    *, user: User, device: TOTPDevice, token: str, request: HttpRequest | None = None
) -> TOTPDevice:
    """Confirm `device` with a token it generated; it replaces every other device of `user`."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("Thiết bị không hợp lệ. Vui lòng bắt đầu lại."), code="invalid")
    token = _normalise_token(token)
    if not _TOKEN_RE.match(token) or not device.verify_token(token):
        audit_record(
            action=AuditEvent.Action.OTP_FAILED,
            user=user,
            username=user.get_username(),
            org_unit=user.org_unit,
            request=request,
            detail={"reason": "enrolment"},
        )
        raise ValidationError(
            _("Mã xác thực không đúng. Kiểm tra giờ trên điện thoại rồi nhập mã mới."),
            code="otp_invalid",
        )
    # The refusal above stays written (audit, throttle); only the switch is all-or-nothing.
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.name = DEVICE_NAME
        device.save(update_fields=["confirmed", "name"])
        audit_record(
            action=AuditEvent.Action.UPDATE,
            user=user,
            obj=user,
            org_unit=user.org_unit,
            request=request,
            detail={"otp": "device_confirmed"},
        )
    return device


@transaction.atomic
def otp_device_reset(
    *, user: User, acting_user: Any, request: HttpRequest | None = None
) -> TOTPDevice:
    """Remove every device of `user` and open a 24-hour enrolment window for the next login."""
    TOTPDevice.objects.filter(user=user).delete()
    grant = TOTPDevice.objects.create(user=user, name=ENROLMENT_GRANT_NAME, confirmed=False)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=acting_user,
        obj=user,
        org_unit=user.org_unit,
        request=request,
        detail={"otp": "device_reset", "target": user.get_username()},
    )
    return grant


@transaction.atomic
def api_token_issue(*, request: HttpRequest, user: User) -> Token:
    """The API token of a user login_check() accepted (created on first request)."""
    token, _created = Token.objects.get_or_create(user=user)
    audit_record(
        action=AuditEvent.Action.TOKEN_ISSUED,
        user=user,
        org_unit=user.org_unit,
        request=request,
        detail={"otp": getattr(user, "otp_device", None) is not None},
    )
    return token


@transaction.atomic
def password_change(*, request: HttpRequest, user: User, new_password: str) -> User:
    """Set a new (already validated) password, keep this session, log it out elsewhere."""
    from django.contrib.auth import update_session_auth_hash

    user.set_password(new_password)
    user.save(update_fields=["password"])
    # Other sessions carry the old password's hash and end; this one is kept.
    update_session_auth_hash(request, user)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=user,
        obj=user,
        org_unit=user.org_unit,
        request=request,
        detail={"field": "password"},
    )
    return user
