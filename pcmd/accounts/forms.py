"""Forms of accounts: login (password and TOTP token), 2FA enrolment, audit search.

Owns: LoginForm, OtpConfirmForm, AuditFilterForm.
Invariants: forms only parse input; who may log in is decided by services.login_check().
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.permissions import ROLES_REQUIRING_2FA


def _roles_requiring_2fa() -> str:
    labels = dict(User.Role.choices)
    return ", ".join(str(labels[r]) for r in User.Role.values if r in ROLES_REQUIRING_2FA)


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp = forms.CharField(
        label=_("Mã xác thực (6 số)"),
        required=False,
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 ]*",
                "aria-describedby": "id_otp_hint",
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["otp"].help_text = _(
            "Bắt buộc với các vai trò: %(roles)s. Lấy mã từ ứng dụng xác thực trên điện thoại."
        ) % {"roles": _roles_requiring_2fa()}


class OtpConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực (6 số)"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": r"[0-9 ]*"}
        ),
    )


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("Người dùng"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Hành động"),
        required=False,
        choices=[("", _("Tất cả"))] + list(AuditEvent.Action.choices),
    )
    object_type = forms.CharField(
        label=_("Loại đối tượng"),
        required=False,
        max_length=60,
        help_text=_("Ví dụ: orgunits.orgunit, accounts.user"),
    )
    unit_code = forms.CharField(
        label=_("Mã đơn vị"), required=False, max_length=20, help_text=_("Ví dụ: 15919")
    )
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return data
