"""Accounts, their role and org-unit scope, and the audit trail.

Owns: User (custom, from the first migration), AuditEvent.
Invariants: every user belongs to exactly one org unit and sees that unit's subtree only (see
permissions.py); audit events are appended, never edited.
Not here: the permission rules (permissions.py), login and 2FA (views.py, services.py).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.orgunits.models import Agency, OrgUnit


class User(AbstractUser):
    """A person who works in PCMD: an officer of one org unit, with one role."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Quản trị hệ thống")
        COORDINATOR = "coordinator", _("Cán bộ điều phối")
        POLICE = "police", _("Công an")
        INSPECTOR = "inspector", _("Thành viên đoàn kiểm tra")
        SOCIAL_WORKER = "social_worker", _("Cán bộ công tác xã hội")
        LEADER = "leader", _("Lãnh đạo")
        DATA_ENTRY = "data_entry", _("Nhập liệu")

    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("đơn vị"),
        null=True,  # only while the hierarchy is being loaded; services require it
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("cơ quan"),
    )
    is_demo = models.BooleanField(
        _("tài khoản trình diễn"),
        default=False,
        help_text=_("Created by `pcmd demo`; exempt from 2FA only while demo mode is on."),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Vietnamese order: family name first ("Nguyễn Văn Hùng")."""
        return f"{self.last_name} {self.first_name}".strip()


class AuditEvent(models.Model):
    """Who did what, when, to which object, in which unit. Append-only."""

    class Action(models.TextChoices):
        LOGIN = "login", _("Đăng nhập")
        LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
        LOGOUT = "logout", _("Đăng xuất")
        LOCKOUT = "lockout", _("Khóa tạm do đăng nhập sai nhiều lần")
        OTP_FAILED = "otp_failed", _("Mã xác thực hai lớp sai")
        TOKEN_ISSUED = "token_issued", _("Cấp mã truy cập API")
        VIEW_SENSITIVE = "view_sensitive", _("Xem hồ sơ nhạy cảm")
        CREATE = "create", _("Tạo mới")
        UPDATE = "update", _("Cập nhật")
        DELETE = "delete", _("Xóa")
        EXPORT = "export", _("Xuất dữ liệu")
        IMPORT = "import", _("Nhập dữ liệu")
        DENIED = "denied", _("Truy cập bị từ chối")

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người dùng"),
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("hành động"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký hệ thống")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"
