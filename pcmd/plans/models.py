"""Plans and what they commit to: sections, targets with milestones, tasks with their
assignments and progress, responsibilities, reporting duties and budget lines.

Owns: Plan, PlanBasis, Section, Target, Milestone, Task, TaskAssignment, TaskProgress,
ProgressEvidence, Responsibility, ResponsibilityAgency, ReportingDuty, BudgetLine.
Invariants: a plan belongs to the org unit that issued it; everything else belongs to one plan
(its unit is the plan's). Names of agencies are kept as written (`text`) beside the matched
Agency, which stays NULL until someone confirms it — generic phrases ("các đơn vị có liên quan")
are never matched. Parsed values carry a confidence (0-1) that the preview shows.
Not here: reading documents (parsing/), writing (services/), DOCX (rendering/).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.orgunits.models import Agency, OrgUnit


class Plan(models.Model):
    """A plan document of a unit ("Kế hoạch"), possibly issued by a decision ("Quyết định")."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Kế hoạch")
        DECISION = "decision", _("Quyết định ban hành kế hoạch")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")
        CLOSED = "closed", _("Đã kết thúc")

    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("đơn vị ban hành")
    )
    kind = models.CharField(
        _("loại văn bản"), max_length=12, choices=Kind.choices, default=Kind.PLAN
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    place = models.CharField(_("địa danh"), max_length=120, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    title = models.TextField(_("trích yếu"))
    decision_title = models.TextField(_("trích yếu quyết định"), blank=True)
    period_start = models.PositiveSmallIntegerField(_("từ năm"))
    period_end = models.PositiveSmallIntegerField(_("đến năm"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("kế hoạch cấp trên / kế hoạch giai đoạn"),
    )
    parent_reference = models.CharField(
        _("kế hoạch được thực hiện (chưa có trong hệ thống)"), max_length=500, blank=True
    )
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived",
        verbose_name=_("tạo từ kế hoạch"),
    )
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    budget_text = models.TextField(_("kinh phí thực hiện"), blank=True)
    source_name = models.CharField(_("tệp gốc"), max_length=255, blank=True)
    source_text = models.TextField(_("văn bản gốc (đã chuẩn hóa)"), blank=True)
    warnings = models.JSONField(_("cảnh báo khi đọc văn bản"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-period_start", "-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="plan_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip() if self.number else self.title

    @property
    def period_label(self) -> str:
        if self.period_start == self.period_end:
            return str(self.period_start)
        return f"{self.period_start}-{self.period_end}"


class PlanBasis(models.Model):
    """A document the plan cites ("Căn cứ ...", "Thực hiện Kế hoạch số ...")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="basis")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("nội dung"))
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    linked_plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="cited_by"
    )

    class Meta:
        verbose_name = _("căn cứ")
        verbose_name_plural = _("căn cứ")
        ordering = ["plan_id", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class Section(models.Model):
    """A numbered part of the plan ("II.3.1"), with the text that is not a target or task."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    order = models.PositiveIntegerField(default=0)
    number = models.CharField(_("số mục"), max_length=40, blank=True)
    title = models.TextField(_("tiêu đề"), blank=True)
    text = models.TextField(_("nội dung"), blank=True)

    class Meta:
        verbose_name = _("mục")
        verbose_name_plural = _("mục")
        ordering = ["plan_id", "order"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class Target(models.Model):
    """A measurable commitment ("Chỉ tiêu"): comparator, value or range, unit, population."""

    class Kind(models.TextChoices):
        LEVEL = "level", _("Mức đạt (tỷ lệ)")
        CHANGE = "change", _("Thay đổi so với năm gốc")
        COUNT = "count", _("Số lượng")
        FREQUENCY = "frequency", _("Tần suất")

    class Comparator(models.TextChoices):
        GE = ">=", _("ít nhất (≥)")
        GT = ">", _("trên (>)")
        EQ = "=", _("bằng (=)")
        LE = "<=", _("tối đa (≤)")
        LT = "<", _("dưới (<)")
        BETWEEN = "between", _("trong khoảng")

    class Unit(models.TextChoices):
        PERCENT = "%", _("%")
        COUNT = "count", _("số lượng")
        TIMES = "times", _("lần")

    class Per(models.TextChoices):
        MONTH = "month", _("mỗi tháng")
        QUARTER = "quarter", _("mỗi quý")
        YEAR = "year", _("mỗi năm")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="targets"
    )
    order = models.PositiveIntegerField(default=0)
    text = models.TextField(_("nội dung chỉ tiêu"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    comparator = models.CharField(_("so sánh"), max_length=8, choices=Comparator.choices)
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    value_max = models.DecimalField(
        _("giá trị tối đa"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("đơn vị"), max_length=8, choices=Unit.choices)
    per = models.CharField(_("chu kỳ"), max_length=8, choices=Per.choices, blank=True)
    population = models.CharField(_("đối tượng đếm"), max_length=255, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("năm gốc"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"), null=True, blank=True)
    confidence = models.FloatField(_("độ tin cậy khi đọc"), default=1.0)
    parent_target = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="child_targets",
        verbose_name=_("chỉ tiêu của kế hoạch cấp trên"),
    )

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan_id", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class Milestone(models.Model):
    """A step of a target ("Đến năm 2017 đạt 75%")."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("mốc")
        verbose_name_plural = _("mốc")
        ordering = ["target_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["target", "year"], name="milestone_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class Task(models.Model):
    """A task of the plan ("Nhiệm vụ và giải pháp") with its activities and timeframe."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Hoàn thành")

    class TimeframeKind(models.TextChoices):
        ONGOING = "ongoing", _("Thường xuyên")
        YEAR = "year", _("Cả năm")
        QUARTER = "quarter", _("Quý")
        HALF = "half", _("6 tháng")
        MONTH = "month", _("Tháng")
        RANGE = "range", _("Khoảng thời gian")
        DEADLINE = "deadline", _("Hạn chót")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    order = models.PositiveIntegerField(default=0)
    number = models.CharField(_("số mục"), max_length=40, blank=True)
    title = models.TextField(_("nhiệm vụ"))
    activities = models.JSONField(_("nội dung hoạt động"), default=list, blank=True)
    timeframe_text = models.CharField(_("thời gian thực hiện"), max_length=255, blank=True)
    timeframe_kind = models.CharField(
        _("loại thời gian"), max_length=10, choices=TimeframeKind.choices, blank=True
    )
    start = models.DateField(_("bắt đầu"), null=True, blank=True)
    end = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    confidence = models.FloatField(_("độ tin cậy khi đọc"), default=1.0)
    parent_task = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="child_tasks",
        verbose_name=_("nhiệm vụ của kế hoạch cấp trên"),
    )

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan_id", "order"]

    def __str__(self) -> str:
        return self.title[:80]


class TaskAssignment(models.Model):
    """Who leads, supports, advises on or decides a task, as written and as matched."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        SUPPORT = "support", _("Phối hợp")
        ADVISOR = "advisor", _("Tham mưu")
        DECIDER = "decider", _("Cơ quan ban hành quyết định")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("vai trò"), max_length=8, choices=Role.choices)
    text = models.CharField(_("tên như trong văn bản"), max_length=500)
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="task_assignments"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        ordering = ["task_id", "role", "order"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.text}"


class TaskProgress(models.Model):
    """A dated progress update of a task, with a note and evidence files."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress_updates")
    on = models.DateField(_("ngày"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Task.Status.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["task_id", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on}: {self.get_status_display()}"


class ProgressEvidence(models.Model):
    """A file that shows the work of a progress update (minutes, photos, a report)."""

    progress = models.ForeignKey(TaskProgress, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("tệp"), upload_to="plans/evidence/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self) -> str:
        return self.original_name


class Responsibility(models.Model):
    """A paragraph of "Tổ chức thực hiện": what the bodies it names are responsible for."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="responsibilities")
    order = models.PositiveIntegerField(default=0)
    number = models.CharField(_("số mục"), max_length=20, blank=True)
    text = models.TextField(_("nội dung"))
    tasks = models.ManyToManyField(Task, blank=True, related_name="responsibilities")

    class Meta:
        verbose_name = _("trách nhiệm")
        verbose_name_plural = _("trách nhiệm")
        ordering = ["plan_id", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class ResponsibilityAgency(models.Model):
    """A body named by a responsibility paragraph, as written and as matched."""

    responsibility = models.ForeignKey(
        Responsibility, on_delete=models.CASCADE, related_name="agencies"
    )
    text = models.CharField(_("tên như trong văn bản"), max_length=500)
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="responsibilities"
    )
    is_requested = models.BooleanField(_("“Đề nghị” (không trực thuộc)"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["responsibility_id", "order"]

    def __str__(self) -> str:
        return self.text


class ReportingDuty(models.Model):
    """A reporting duty the plan sets ("Định kỳ 6 tháng, hàng năm tổng hợp báo cáo ...")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reporting_duties")
    text = models.TextField(_("nội dung"))
    frequency = models.JSONField(_("định kỳ"), default=list, blank=True)

    class Meta:
        verbose_name = _("chế độ báo cáo")
        verbose_name_plural = _("chế độ báo cáo")

    def __str__(self) -> str:
        return self.text[:80]


class BudgetLine(models.Model):
    """A source of funds of the plan, with an amount where the plan or the unit gives one.

    Edited by people like the operational records: `version` grows with every save through
    pcmd.common.records.record_save_versioned, so a save based on an older version is refused.
    """

    class Source(models.TextChoices):
        STATE = "state", _("Ngân sách nhà nước")
        OTHER = "other", _("Nguồn hợp pháp khác")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines")
    source = models.CharField(_("nguồn"), max_length=8, choices=Source.choices)
    text = models.TextField(_("nội dung"), blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    # The component the money is for: a section of the plan or one of its tasks (or neither,
    # for the plan as a whole).
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("mục"),
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("nhiệm vụ"),
    )
    allocated = models.DecimalField(
        _("dự toán (đồng)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    spent = models.DecimalField(
        _("đã chi (đồng)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nguồn kinh phí")
        verbose_name_plural = _("nguồn kinh phí")

    def __str__(self) -> str:
        return self.get_source_display()
