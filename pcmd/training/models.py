"""The staff roster and the training courses of the PCMD programme.

Owns: StaffMember (who works on prostitution prevention in a unit, and whether the post counts
towards "đội ngũ cán bộ … có liên quan"), TrainingCourse (a course, its topics and participants).
Invariants: both are RecordBase records (org unit, version, author); a course's roster
participants belong to units in the scope of the course's unit (services enforce it); roles and
topics are lists of the codes of Role / Topic.
Not here: validation and writes (services.py), scoping and measures (selectors.py).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.common.records import RecordBase


class StaffMember(RecordBase):
    """A person of the unit's PCMD workforce: an official, a speaker, a collaborator …

    The relevant ones (`pcmd_relevant`) active in a period are the denominator of the share of
    officials trained ("≥ 15% đội ngũ cán bộ … có liên quan được tập huấn").
    """

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Báo cáo viên")
        COMMUNICATOR = "communicator", _("Tuyên truyền viên")
        COLLABORATOR = "collaborator", _("Cộng tác viên")
        OFFICER = "officer", _("Cán bộ chuyên trách")
        VOLUNTEER = "volunteer", _("Tình nguyện viên")

    full_name = models.CharField(_("họ và tên"), max_length=200)
    agency = models.ForeignKey(
        "orgunits.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan"),
    )
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    roles = models.JSONField(_("vai trò"), default=list, blank=True)
    pcmd_relevant = models.BooleanField(
        _("làm công tác có liên quan đến phòng, chống mại dâm"), default=True
    )
    active_from = models.DateField(_("bắt đầu"), null=True, blank=True)
    active_to = models.DateField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("danh sách cán bộ")
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.full_name

    def role_labels(self) -> list[str]:
        labels = dict(self.Role.choices)
        return [str(labels.get(r, r)) for r in self.roles or []]

    def is_active_between(self, start: date, end: date) -> bool:
        return (self.active_from is None or self.active_from <= end) and (
            self.active_to is None or self.active_to >= start
        )


class TrainingCourse(RecordBase):
    """A training course or workshop held for the programme's staff, with who attended."""

    class Topic(models.TextChoices):
        COMMUNICATION = "communication", _("Kỹ năng truyền thông")
        HARM_REDUCTION = "harm_reduction", _("Giảm hại")
        GBV = "gbv", _("Phòng, chống bạo lực trên cơ sở giới")
        REINTEGRATION = "reintegration", _("Tái hòa nhập cộng đồng")
        INSPECTION = "inspection", _("Thanh tra, kiểm tra")
        INVESTIGATION = "investigation", _("Điều tra")
        OTHER = "other", _("Khác")

    title = models.CharField(_("tên lớp"), max_length=300)
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    organiser = models.ForeignKey(
        "orgunits.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan tổ chức"),
    )
    topics = models.JSONField(_("chủ đề"), default=list, blank=True)
    participants = models.ManyToManyField(
        StaffMember, blank=True, related_name="courses", verbose_name=_("học viên trong danh sách")
    )
    outside_participants = models.PositiveIntegerField(_("học viên ngoài danh sách"), default=0)
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
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="training_course_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def topic_labels(self) -> list[str]:
        labels = dict(self.Topic.choices)
        return [str(labels.get(t, t)) for t in self.topics or []]
