"""Django admin for accounts: users (with a "reset two-factor device" action), the audit trail
(read only), and the admin site's own login, which goes through PCMD's login so 2FA holds there.

Owns: UserAdmin, AuditEventAdmin; the admin site's login and has_permission.
Invariants: the admin site never offers a password-only login; a session that must be verified
(requires_second_factor) and is not cannot use the admin; audit events cannot be edited here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pcmd.accounts import services
from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.permissions import requires_second_factor


def _admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """Send the admin's login to PCMD's login page (password + TOTP), keeping `next`."""
    target = request.GET.get("next") or reverse("admin:index")
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


_default_has_permission = admin.site.has_permission


def _admin_has_permission(request: HttpRequest) -> bool:
    user = request.user
    if requires_second_factor(user) and not user.is_verified():  # type: ignore[union-attr]
        return False
    return _default_has_permission(request)


# config/urls.py mounts the default admin.site; harden that instance rather than swap sites.
admin.site.login = _admin_login  # type: ignore[method-assign]
admin.site.has_permission = _admin_has_permission  # type: ignore[method-assign]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "role", "org_unit", "is_demo", "is_active")
    list_filter = ("role", "is_demo", "is_active", "is_staff")
    list_select_related = ("org_unit",)
    raw_id_fields = ("org_unit", "agency")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("PCMD"), {"fields": ("role", "org_unit", "agency", "is_demo")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("PCMD"), {"fields": ("role", "org_unit", "agency")}),
    )
    actions = ["reset_otp_device"]

    @admin.action(description=_("Đặt lại xác thực hai lớp (cho phép đăng ký lại trong 24 giờ)"))
    def reset_otp_device(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset:
            services.otp_device_reset(user=user, acting_user=request.user, request=request)
            count += 1
        self.message_user(
            request,
            _(
                "Đã đặt lại xác thực hai lớp cho %(n)d tài khoản. Người dùng đăng ký thiết bị mới "
                "ở lần đăng nhập tới, trong vòng 24 giờ."
            )
            % {"n": count},
            messages.SUCCESS,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "object_type", "object_repr", "org_unit")
    list_filter = ("action",)
    search_fields = ("username", "object_repr")
    list_select_related = ("org_unit",)
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
