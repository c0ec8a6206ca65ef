"""Support for people who sell sex: pilot models (this module); the sealed case files live in
pcmd.support.casefiles.models and are imported here so Django registers them with the app.

Owns: PilotModel.
Invariants: a RecordBase record (org unit, version, author); closed_on is set only for a closed
model and never before its start (services.py checks it).
Not here: writes (services.py), reads and counts (selectors.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.common.records import RecordBase


class PilotModel(RecordBase):
    """A pilot model built by a unit ("xây dựng thí điểm mô hình"): a community service, a
    workers'-rights model in at-risk businesses, a peer group, or a harm-reduction model."""

    class Kind(models.TextChoices):
        COMMUNITY_SERVICES = (
            "community_services",
            _("Dịch vụ hỗ trợ tại cộng đồng, cơ sở trợ giúp xã hội"),
        )
        WORKERS_RIGHTS = (
            "workers_rights",
            _("Bảo đảm quyền của người lao động tại cơ sở kinh doanh dịch vụ dễ bị lợi dụng"),
        )
        PEER_GROUPS = "peer_groups", _("Nâng cao năng lực nhóm đồng đẳng, nhóm tự lực")
        HARM_REDUCTION_GBV = "harm_reduction_gbv", _("Giảm hại, phòng ngừa bạo lực trên cơ sở giới")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Đang chuẩn bị")
        ACTIVE = "active", _("Đang hoạt động")
        CLOSED = "closed", _("Đã kết thúc")

    name = models.CharField(_("tên mô hình"), max_length=300)
    kind = models.CharField(_("loại mô hình"), max_length=24, choices=Kind.choices)
    start_date = models.DateField(_("ngày bắt đầu"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    members = models.PositiveIntegerField(_("số thành viên"), default=0)
    people_reached = models.PositiveIntegerField(_("số người được tiếp cận, hỗ trợ"), default=0)
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm vụ của kế hoạch"),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("mô hình thí điểm")
        verbose_name_plural = _("mô hình thí điểm")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.name


# The case-file models belong to this app; importing them here registers them.
from pcmd.support.casefiles.models import (  # noqa: E402
    Beneficiary,
    Consent,
    Need,
    NeedsAssessment,
    Referral,
    RetentionRule,
    ServiceKind,
    ServiceProvision,
)

__all__ = [
    "Beneficiary",
    "Consent",
    "Need",
    "NeedsAssessment",
    "PilotModel",
    "Referral",
    "RetentionRule",
    "ServiceKind",
    "ServiceProvision",
]
