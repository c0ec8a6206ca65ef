"""Awareness activities ("hoạt động tuyên truyền") and their attachments.

Owns: OutreachEvent, OutreachAttachment.
Invariants: an event belongs to a village or a commune (RecordBase.org_unit) and happened on
`date`; audiences and combined_with hold lists of codes from their choices; participants is
NULL when counting people makes no sense (a loudspeaker broadcast, a banner, a web post).
Not here: the rules of what may be recorded (services.py), scoping (selectors.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.common.records import RecordBase


class OutreachEvent(RecordBase):
    """One awareness activity: what form it took, on what topic, by whom, for whom."""

    class Form(models.TextChoices):
        LOUDSPEAKER = "loudspeaker", _("Phát trên loa truyền thanh")
        BANNER = "banner", _("Khẩu hiệu, băng rôn, pa nô")
        MEETING = "meeting", _("Họp dân, sinh hoạt thôn")
        CONFERENCE = "conference", _("Hội nghị, lớp tập huấn")
        WEBSITE = "website", _("Đăng trên trang thông tin điện tử")
        SOCIAL_MEDIA = "social_media", _("Đăng trên mạng xã hội")
        PRESS = "press", _("Bài báo")
        BROADCAST = "broadcast", _("Chương trình phát thanh hoặc truyền hình")
        LEAFLET = "leaflet", _("Tờ rơi, tài liệu")
        SCHOOL = "school", _("Tuyên truyền trực tiếp tại trường học")
        BUSINESS = "business", _("Tuyên truyền trực tiếp tại cơ sở kinh doanh")
        PERFORMANCE = "performance", _("Văn nghệ, sân khấu hóa")
        OTHER = "other", _("Hình thức khác")

    class Audience(models.TextChoices):
        YOUTH = "youth", _("Thanh niên")
        PUPILS = "pupils", _("Học sinh, sinh viên")
        SERVICE_WORKERS = "service_workers", _("Người lao động tại cơ sở kinh doanh dịch vụ")
        BUSINESS_OWNERS = "business_owners", _("Chủ cơ sở kinh doanh")
        WOMEN = "women", _("Phụ nữ")
        OFFICIALS = "officials", _("Cán bộ, công chức")
        PUBLIC = "public", _("Nhân dân")
        OTHER = "other", _("Đối tượng khác")

    class Programme(models.TextChoices):
        DRUGS = "drugs", _("Phòng, chống ma túy")
        HIV = "hiv", _("Phòng, chống HIV/AIDS")
        TRAFFICKING = "trafficking", _("Phòng, chống mua bán người")

    date = models.DateField(_("ngày"), db_index=True)
    form = models.CharField(_("hình thức"), max_length=20, choices=Form.choices)
    topic = models.CharField(_("chủ đề, nội dung"), max_length=500)
    agency = models.ForeignKey(
        "orgunits.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan tổ chức"),
    )
    audiences = models.JSONField(_("đối tượng"), default=list, blank=True)
    participants = models.PositiveIntegerField(_("số người tham dự"), null=True, blank=True)
    combined_with = models.JSONField(_("lồng ghép với"), default=list, blank=True)
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
        verbose_name = _("hoạt động tuyên truyền")
        verbose_name_plural = _("hoạt động tuyên truyền")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["org_unit", "date"])]

    def __str__(self) -> str:
        return f"{self.get_form_display()} — {self.date:%d/%m/%Y}"

    def audience_labels(self) -> list[str]:
        return [str(self.Audience(c).label) for c in self.audiences if c in self.Audience.values]

    def combined_labels(self) -> list[str]:
        return [
            str(self.Programme(c).label) for c in self.combined_with if c in self.Programme.values
        ]


class OutreachAttachment(models.Model):
    """A file that shows the activity took place (photos, minutes, the broadcast script)."""

    event = models.ForeignKey(OutreachEvent, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="outreach/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name
