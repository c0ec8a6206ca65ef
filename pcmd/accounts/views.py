"""Pages of accounts: login (with 2FA), logout, 2FA enrolment, audit search.

Owns: login_view, logout_view, otp_setup, audit_list (the home page is the dashboard:
pcmd.reports.dashboards.views.home, which shows partials/_home_overview.html).
Invariants: views parse input and present results; who may log in is services.login_check(),
what a user sees is selectors.*; logout only by POST; no inline script on any page (the QR code
is an inline SVG drawn on the server).
"""

from __future__ import annotations

import time
from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcmd.accounts import selectors, services
from pcmd.accounts.forms import AuditFilterForm, LoginForm, OtpConfirmForm
from pcmd.accounts.models import User
from pcmd.accounts.permissions import require_capability, requires_second_factor
from pcmd.common.paging import CappedPaginator

# Session key of a user who passed the password check and must now enrol a device.
PENDING_ENROLMENT_KEY = "pcmd_pending_enrolment"
PENDING_ENROLMENT_SECONDS = 10 * 60


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return str(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password", "otp")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET" and not request.GET.get("next"):
        # With `next` (e.g. the admin asking for a verified session) the form is shown again.
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                otp=form.cleaned_data["otp"],
            )
        except services.SecondFactorEnrolmentRequired as pending:
            request.session.cycle_key()
            request.session[PENDING_ENROLMENT_KEY] = {
                "user_id": pending.user.pk,
                "until": time.time() + PENDING_ENROLMENT_SECONDS,
            }
            return redirect("accounts:otp-setup")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            services.session_login(request=request, user=user)
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next") or "",
            "demo_users": selectors.demo_users_list(),
            "demo_password": selectors.DEMO_PASSWORD,
        },
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    was_logged_in = request.user.is_authenticated
    auth_logout(request)
    if was_logged_in:
        messages.info(request, _("Bạn đã đăng xuất."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_ENROLMENT_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        request.session.pop(PENDING_ENROLMENT_KEY, None)
        return None
    user_id = pending.get("user_id")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or services.otp_enrolment_grant_get(user=user) is None:
        request.session.pop(PENDING_ENROLMENT_KEY, None)
        return None
    return user


def _qr_svg(device: TOTPDevice) -> SafeString:
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10
    )
    svg = image.to_string(encoding="unicode")
    # The SVG comes from qrcode, which escapes nothing we did not give it: only our own URL.
    return mark_safe(svg.replace("<svg ", '<svg role="img" class="qr" ', 1))  # noqa: S308


def _secret_groups(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device: the logged-in user, or a user an admin reset who just passed the
    password check (held in the session for ten minutes, not yet logged in)."""
    pending = False
    if request.user.is_authenticated:
        user = request.user
        assert isinstance(user, User)
        has_device = selectors.otp_device_confirmed_get(user=user) is not None
        if has_device and not request.user.is_verified():  # type: ignore[attr-defined]
            # Replacing a device needs the current one: otherwise a stolen session could.
            return render(request, "accounts/otp_setup.html", {"blocked": True}, status=403)
    else:
        pending_user = _pending_user(request)
        if pending_user is None:
            return redirect(settings.LOGIN_URL)
        user, pending = pending_user, True

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    form = OtpConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if device is None:
            messages.error(request, _("Phiên đăng ký đã hết hạn. Vui lòng bắt đầu lại."))
            return redirect("accounts:otp-setup")
        if form.is_valid():
            try:
                device = services.otp_device_confirm(
                    user=user, device=device, token=form.cleaned_data["token"], request=request
                )
            except ValidationError as exc:
                form.add_error("token", exc)
            else:
                if pending:
                    request.session.pop(PENDING_ENROLMENT_KEY, None)
                    user.otp_device = device  # type: ignore[attr-defined]
                    services.session_login(request=request, user=user)
                else:
                    otp_login(request, device)
                messages.success(request, _("Đã bật xác thực hai lớp cho tài khoản."))
                return redirect("home")
        status = 400
    else:
        device = services.otp_device_start(user=user)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "pending": pending,
            "enrol_user": user,
            "qr_svg": _qr_svg(device),
            "secret": _secret_groups(device),
            "required": requires_second_factor(user),
        },
        status=status,
    )


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "audit.view")
    user = request.user
    assert isinstance(user, User)
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    events = selectors.audit_event_list_for_user(user=user, **filters)
    page = CappedPaginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_list.html",
        {"form": form, "page_obj": page, "query": query.urlencode()},
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@csrf_protect
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (Django's validators: length, common, numeric, similarity)."""
    form = PasswordChangeForm(user=request.user, data=request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "accounts/password_change.html", {"form": form}, status=422)
        services.password_change(
            request=request, user=form.user, new_password=form.cleaned_data["new_password1"]
        )
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})
