"""Support case files: the people helped (pseudonymous, identities sealed), their consents, needs,
services, referrals and case plan; the retention periods that decide when a closed file is purged.

Owns: Beneficiary, Consent, NeedsAssessment, ServiceProvision, Referral, RetentionRule, Need,
ServiceKind.
Invariants: a beneficiary is known outside its sealed fields only by `code` (unit code, year,
sequence — nothing derived from the person); full name, date of birth, ID number, phone and
address are sealed columns (pcmd.sealing.fields) with keyed blind indexes for the name and the ID
number, never a plaintext copy; a referral always names the consent that covered it; a file is
closed only by a supervisor's approval; a file under legal hold is never erased.
Not here: writes (casefiles.services), reads and counts (casefiles.selectors), data-subject
requests and purging (casefiles.dsr).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pcmd.common.records import RecordBase
from pcmd.sealing.fields import SealedCharField, SealedDateField, SealedTextField


class Need(models.TextChoices):
    """What a needs assessment can find (the plans' list of support services)."""

    HEALTH_HIV = "health_hiv", _("Y tế, dịch vụ HIV")
    LEGAL_AID = "legal_aid", _("Trợ giúp pháp lý")
    VOCATIONAL_TRAINING = "vocational_training", _("Học nghề")
    LOANS_CAPITAL = "loans_capital", _("Vay vốn, hỗ trợ vốn")
    JOB_PLACEMENT = "job_placement", _("Giới thiệu việc làm")
    PSYCHOSOCIAL = "psychosocial", _("Tư vấn tâm lý - xã hội")
    HOUSING = "housing", _("Nơi ở")
    EDUCATION = "education", _("Giáo dục, học văn hóa")


class ServiceKind(models.TextChoices):
    """Kinds of support service provided: every need, plus harm reduction and GBV support."""

    HEALTH_HIV = "health_hiv", _("Y tế, dịch vụ HIV")
    LEGAL_AID = "legal_aid", _("Trợ giúp pháp lý")
    VOCATIONAL_TRAINING = "vocational_training", _("Học nghề")
    LOANS_CAPITAL = "loans_capital", _("Vay vốn, hỗ trợ vốn")
    JOB_PLACEMENT = "job_placement", _("Giới thiệu việc làm")
    PSYCHOSOCIAL = "psychosocial", _("Tư vấn tâm lý - xã hội")
    HOUSING = "housing", _("Nơi ở")
    EDUCATION = "education", _("Giáo dục, học văn hóa")
    HARM_REDUCTION = "harm_reduction", _("Can thiệp giảm hại")
    GBV = "gbv", _("Hỗ trợ nạn nhân bạo lực trên cơ sở giới")


class Beneficiary(RecordBase):
    """A person helped by the support programme — a person who sells sex, a trafficking victim or
    a person at high risk — known by a pseudonymous code; who they are is sealed."""

    class Group(models.TextChoices):
        SEX_WORKER = "sex_worker", _("Người bán dâm")
        TRAFFICKING_VICTIM = "trafficking_victim", _("Nạn nhân bị mua bán")
        HIGH_RISK = "high_risk", _("Người có nguy cơ cao")

    class Sex(models.TextChoices):
        FEMALE = "female", _("Nữ")
        MALE = "male", _("Nam")
        OTHER = "other", _("Khác")

    class AgeBand(models.TextChoices):
        UNDER_16 = "under_16", _("Dưới 16 tuổi")
        AGE_16_17 = "16_17", _("16-17 tuổi")
        AGE_18_24 = "18_24", _("18-24 tuổi")
        AGE_25_34 = "25_34", _("25-34 tuổi")
        AGE_35_49 = "35_49", _("35-49 tuổi")
        AGE_50_PLUS = "50_plus", _("Từ 50 tuổi")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang hỗ trợ")
        CLOSURE_REQUESTED = "closure_requested", _("Chờ phê duyệt đóng hồ sơ")
        CLOSED = "closed", _("Đã đóng hồ sơ")

    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("năm lập hồ sơ"), editable=False)
    sequence = models.PositiveIntegerField(_("số thứ tự"), editable=False)
    registered_on = models.DateField(_("ngày lập hồ sơ"))
    group = models.CharField(_("nhóm đối tượng"), max_length=20, choices=Group.choices)
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices)
    age_band = models.CharField(_("nhóm tuổi"), max_length=10, choices=AgeBand.choices)

    full_name = SealedCharField(_("họ và tên"), max_length=200)
    birth_date = SealedDateField(_("ngày sinh"), null=True, blank=True)
    id_number = SealedCharField(_("số định danh, CCCD"), max_length=20, blank=True)
    phone = SealedCharField(_("số điện thoại"), max_length=20, blank=True)
    address = SealedTextField(_("địa chỉ"), blank=True)
    name_index = models.CharField(max_length=64, db_index=True, blank=True, editable=False)
    id_number_index = models.CharField(max_length=64, db_index=True, blank=True, editable=False)

    case_plan = models.TextField(_("kế hoạch hỗ trợ"), blank=True)
    case_plan_review_on = models.DateField(_("ngày rà soát kế hoạch"), null=True, blank=True)
    pilot_models = models.ManyToManyField(
        "support.PilotModel",
        blank=True,
        related_name="beneficiaries",
        verbose_name=_("mô hình, nhóm đồng đẳng tiếp cận"),
    )

    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    closure_reason = models.TextField(_("lý do đóng hồ sơ"), blank=True)
    closed_on = models.DateField(_("ngày đóng hồ sơ"), null=True, blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closure_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    legal_hold = models.BooleanField(_("đang bị giữ theo yêu cầu pháp lý"), default=False)
    legal_hold_reason = models.TextField(_("lý do giữ hồ sơ"), blank=True)
    # Where the person came to the support services from: the inspection (an administrative
    # sanction) or the criminal case that found them — the end of the chain tip -> inspection
    # / case -> referral to support, walked both ways.
    origin_inspection = models.ForeignKey(
        "enforcement.Inspection", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("phát hiện qua lượt kiểm tra"),
    )  # fmt: skip
    origin_case = models.ForeignKey(
        "enforcement.Case", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("phát hiện qua vụ án"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("người được hỗ trợ")
        verbose_name_plural = _("người được hỗ trợ")
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "sequence"], name="support_beneficiary_unit_seq"
            ),
        ]

    def __str__(self) -> str:
        # Only the pseudonymous code: this is what audit rows and messages show.
        return self.code


CONSENT_SCOPES = {
    "covers_processing": _("Lưu và xử lý thông tin để hỗ trợ"),
    "covers_referral": _("Chuyển gửi, chia sẻ thông tin với cơ quan, tổ chức nhận hỗ trợ"),
    "covers_health": _("Xử lý thông tin sức khỏe, HIV"),
}


class Consent(models.Model):
    """The person's consent to the processing of their data and to sharing it, with its scope;
    a withdrawal date ends it from that day."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="consents")
    given_on = models.DateField(_("ngày đồng ý"))
    covers_processing = models.BooleanField(_("Lưu và xử lý thông tin để hỗ trợ"), default=True)
    covers_referral = models.BooleanField(
        _("Chuyển gửi, chia sẻ thông tin với cơ quan, tổ chức nhận hỗ trợ"), default=False
    )
    covers_health = models.BooleanField(_("Xử lý thông tin sức khỏe, HIV"), default=False)
    withdrawn_on = models.DateField(_("ngày rút lại đồng ý"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đồng ý của người được hỗ trợ")
        verbose_name_plural = _("đồng ý của người được hỗ trợ")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.beneficiary} {self.given_on:%d/%m/%Y}"

    @staticmethod
    def valid_on_q(on: date) -> Q:
        """Consents in force on `on`: given by then and not withdrawn by then."""
        return Q(given_on__lte=on) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))

    def scope_labels(self) -> list[str]:
        return [str(CONSENT_SCOPES[name]) for name in CONSENT_SCOPES if getattr(self, name)]


class NeedsAssessment(models.Model):
    """An assessment of what the person needs and whether they are eligible for support."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_on = models.DateField(_("ngày đánh giá"))
    needs = models.JSONField(_("nhu cầu"), default=list)
    eligible = models.BooleanField(_("đủ điều kiện được hỗ trợ"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá nhu cầu")
        verbose_name_plural = _("đánh giá nhu cầu")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.beneficiary} {self.assessed_on:%d/%m/%Y}"

    def need_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels.get(n, n)) for n in self.needs]


class Referral(models.Model):
    """A referral of the person to another agency or organisation, made only under a consent
    that covers referral (`consent` is the one checked)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đã chuyển gửi, chờ phản hồi")
        ACCEPTED = "accepted", _("Nơi nhận đã tiếp nhận")
        DECLINED = "declined", _("Nơi nhận từ chối")
        COMPLETED = "completed", _("Đã hoàn thành")

    OPEN_STATUSES = (Status.PENDING, Status.ACCEPTED)

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="referrals")
    referred_on = models.DateField(_("ngày chuyển gửi"))
    service_kind = models.CharField(_("loại dịch vụ"), max_length=24, choices=ServiceKind.choices)
    to_agency = models.ForeignKey(
        "orgunits.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan nhận"),
    )
    to_name = models.CharField(
        _("tổ chức nhận (ngoài danh sách cơ quan)"), max_length=300, blank=True
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("đồng ý")
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    follow_up_on = models.DateField(_("ngày theo dõi"), null=True, blank=True)
    outcome_note = models.TextField(_("kết quả, ghi chú"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chuyển gửi")
        verbose_name_plural = _("chuyển gửi")
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.beneficiary} → {self.recipient}"

    @property
    def recipient(self) -> str:
        return self.to_agency.name if self.to_agency_id and self.to_agency else self.to_name

    def is_overdue(self, today: date) -> bool:
        return (
            self.status in self.OPEN_STATUSES
            and self.follow_up_on is not None
            and self.follow_up_on < today
        )


class ServiceProvision(models.Model):
    """A support service the person received: what, from whom (an agency of the hierarchy or an
    outside organisation), when, and with what outcome."""

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("Đã hoàn thành")
        ONGOING = "ongoing", _("Đang tiếp tục")
        DROPPED = "dropped", _("Bỏ dở")

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("loại dịch vụ"), max_length=24, choices=ServiceKind.choices)
    provided_on = models.DateField(_("ngày cung cấp"))
    provider_agency = models.ForeignKey(
        "orgunits.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan cung cấp"),
    )
    provider_name = models.CharField(
        _("tổ chức cung cấp (ngoài danh sách cơ quan)"), max_length=300, blank=True
    )
    outcome = models.CharField(
        _("kết quả"), max_length=10, choices=Outcome.choices, default=Outcome.COMPLETED
    )
    note = models.TextField(_("ghi chú"), blank=True)
    referral = models.ForeignKey(
        Referral,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("theo chuyển gửi"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dịch vụ đã cung cấp")
        verbose_name_plural = _("dịch vụ đã cung cấp")
        ordering = ["-provided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.beneficiary} {self.get_kind_display()}"

    @property
    def provider(self) -> str:
        if self.provider_agency_id and self.provider_agency:
            return self.provider_agency.name
        return self.provider_name


class RetentionRule(models.Model):
    """How long a closed case file of a group is kept before it is purged (`pcmd purge_support`),
    and on what basis. Kept as data so the periods can change without a release."""

    group = models.CharField(
        _("nhóm đối tượng"), max_length=20, choices=Beneficiary.Group.choices, unique=True
    )
    years_after_closure = models.PositiveSmallIntegerField(_("số năm lưu sau khi đóng hồ sơ"))
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    needs_legal_review = models.BooleanField(_("cần rà soát pháp lý"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("thời hạn lưu hồ sơ hỗ trợ")
        verbose_name_plural = _("thời hạn lưu hồ sơ hỗ trợ")
        ordering = ["group"]

    def __str__(self) -> str:
        return f"{self.get_group_display()}: {self.years_after_closure}"
