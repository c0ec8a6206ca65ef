"""Periodic reports of a unit and their history: what was written, what was frozen, who acted.

Owns: Report (with Kind, Status, NARRATIVE_FIELDS, REQUIRED_NARRATIVE), ReportEvent,
kind_for_period().
Invariants: one report per (unit, period, kind); the period is a valid period id
(pcmd.common.periods) and, when the report follows a plan, lies within the plan's years;
`content` is empty until submission and then holds the frozen ReportContent (content.py),
which no later change to the records alters; `version` grows with every save through the
services (optimistic locking, like pcmd.common.records); every change of state is a
ReportEvent and an audit row (services.py).
Not here: the workflow rules (services.py), building the figures (builder.py), documents
(rendering/).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcmd.common.periods import Period, PeriodError, period_parse
from pcmd.orgunits.models import OrgUnit

NARRATIVE_FIELDS = (
    "strengths", "shortcomings", "causes", "lessons", "next_tasks", "recommendations",
)  # fmt: skip
REQUIRED_NARRATIVE = ("strengths", "shortcomings", "next_tasks", "recommendations")


class Report(models.Model):
    """The report of a unit for a period ("Báo cáo kết quả công tác phòng, chống mại dâm 6 tháng
    đầu năm 2025"): narrative written in the page, figures frozen when submitted."""

    class Kind(models.TextChoices):
        HALF = "half", gettext_lazy("6 tháng")
        YEAR = "year", gettext_lazy("năm")
        QUARTER = "quarter", gettext_lazy("quý")
        MIDTERM = "midterm", gettext_lazy("sơ kết")
        FINAL = "final", gettext_lazy("tổng kết")

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Đang soạn")
        SUBMITTED = "submitted", gettext_lazy("Đã gửi")
        APPROVED = "approved", gettext_lazy("Đã duyệt")
        RETURNED = "returned", gettext_lazy("Bị trả lại")

    class SigningMode(models.TextChoices):
        TM = "TM.", gettext_lazy("TM. Ủy ban nhân dân (Chủ tịch ký)")
        KT = "KT.", gettext_lazy("KT. Chủ tịch (Phó Chủ tịch ký)")

    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("đơn vị")
    )
    period = models.CharField(gettext_lazy("kỳ báo cáo"), max_length=12)
    kind = models.CharField(gettext_lazy("loại báo cáo"), max_length=8, choices=Kind.choices)
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("kế hoạch được báo cáo"),
    )
    status = models.CharField(
        gettext_lazy("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # III-V. Narrative (content.Narrative)
    strengths = models.TextField(gettext_lazy("Ưu điểm"), blank=True)
    shortcomings = models.TextField(gettext_lazy("Tồn tại, hạn chế"), blank=True)
    causes = models.TextField(gettext_lazy("Nguyên nhân"), blank=True)
    lessons = models.TextField(gettext_lazy("Bài học kinh nghiệm"), blank=True)
    next_tasks = models.TextField(gettext_lazy("Phương hướng, nhiệm vụ kỳ tới"), blank=True)
    recommendations = models.TextField(gettext_lazy("Đề xuất, kiến nghị"), blank=True)
    # Particulars of the document (Decree 30/2020)
    number = models.CharField(gettext_lazy("số, ký hiệu"), max_length=60, blank=True)
    place = models.CharField(gettext_lazy("địa danh"), max_length=120, blank=True)
    issued_on = models.DateField(gettext_lazy("ngày ban hành"), null=True, blank=True)
    signing_mode = models.CharField(
        gettext_lazy("thẩm quyền ký"), max_length=4, choices=SigningMode.choices, default="TM."
    )
    signer_name = models.CharField(gettext_lazy("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(gettext_lazy("chức vụ người ký"), max_length=120, blank=True)
    recipients = models.JSONField(gettext_lazy("nơi nhận"), default=list, blank=True)
    preamble = models.TextField(gettext_lazy("lời mở đầu"), blank=True)
    # Frozen figures
    content = models.JSONField(gettext_lazy("số liệu đã chốt"), null=True, blank=True)
    submitted_at = models.DateTimeField(gettext_lazy("gửi lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(gettext_lazy("duyệt lúc"), null=True, blank=True)
    due_on = models.DateField(gettext_lazy("hạn gửi"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("báo cáo")
        verbose_name_plural = gettext_lazy("báo cáo")
        ordering = ["-period", "org_unit_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "period", "kind"], name="report_unique_unit_period_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} — {self.org_unit.name}"

    @property
    def period_obj(self) -> Period:
        return period_parse(self.period)

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.APPROVED)

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def narrative_values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in NARRATIVE_FIELDS}

    def clean(self) -> None:
        try:
            period = period_parse(self.period)
        except PeriodError as exc:
            raise ValidationError({"period": str(exc)}) from exc
        self.period = period.id
        plan = self.plan
        if plan is not None and not (
            plan.period_start <= period.start.year and period.end.year <= plan.period_end
        ):
            raise ValidationError(
                {
                    "period": _(
                        "Kỳ %(period)s nằm ngoài thời gian của kế hoạch (%(start)d-%(end)d); "
                        "hãy chọn kỳ trong thời gian kế hoạch hoặc một kế hoạch khác."
                    )
                    % {"period": period.id, "start": plan.period_start, "end": plan.period_end}
                }
            )


def kind_for_period(period: Period, *, review: str = "") -> str:
    """The kind of report a period calls for: 2025S1 a six-month report, 2025 an annual one,
    2025Q1 a quarterly one, 2016-2020 a final review (or a mid-term one when asked)."""
    if period.kind == "half":
        return Report.Kind.HALF
    if period.kind == "year":
        return Report.Kind.YEAR
    if period.kind == "quarter":
        return Report.Kind.QUARTER
    if period.kind == "range":
        return Report.Kind.MIDTERM if review == Report.Kind.MIDTERM else Report.Kind.FINAL
    raise ValidationError(
        {"period": _("Không lập báo cáo theo tháng; hãy chọn quý, 6 tháng, năm hoặc giai đoạn.")}
    )


class ReportEvent(models.Model):
    """One step of a report's history: created, saved, submitted, returned (with the comment),
    approved, reopened (with the reason)."""

    class Kind(models.TextChoices):
        CREATED = "created", gettext_lazy("Tạo báo cáo")
        SAVED = "saved", gettext_lazy("Lưu nội dung")
        SUBMITTED = "submitted", gettext_lazy("Gửi lên cấp trên")
        RETURNED = "returned", gettext_lazy("Trả lại để sửa")
        APPROVED = "approved", gettext_lazy("Duyệt")
        REOPENED = "reopened", gettext_lazy("Mở lại")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(gettext_lazy("sự kiện"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(gettext_lazy("thời điểm"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("người thực hiện"),
    )
    comment = models.TextField(gettext_lazy("ý kiến, lý do"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("lịch sử báo cáo")
        verbose_name_plural = gettext_lazy("lịch sử báo cáo")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"
