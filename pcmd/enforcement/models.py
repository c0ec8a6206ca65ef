"""Enforcement records: at-risk businesses and their inspections, the inspection teams, the
violations found and sanctioned, hot spots, and prostitution-related criminal cases.

Owns: the catalogues kept as data (BusinessType, LegalBasis, Offence — seeded by migration 0002
and correctable by an admin, because several facts are unverified, DOMAIN.md [K]) and the records
Establishment, InspectionTeam (+ InspectionTeamMember), Inspection, Violation, HotSpot, Case.
Invariants: every record belongs to an org unit (RecordBase; a Violation belongs to its
inspection's unit); counts are never negative and minors never outnumber victims; a fine has an
amount and any other sanction has none (database constraints). Rules that need other rows (the
legal basis valid on the inspection's date, the village of the establishment's commune, dates
not in the future) live in services/.
Not here: writes (services/), scoped reads and the inspection sample (selectors.py). Cases carry
counts only: the identities of victims belong in the sealed support records.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pcmd.common.records import RecordBase


class RiskLevel(models.TextChoices):
    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")


RISK_ORDER = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1, RiskLevel.LOW: 2}


def _valid_on(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)


# --- Catalogues (data, seeded by migration) ----------------------------------------------------


class BusinessType(models.Model):
    """A kind of business considered prone to prostitution (DOMAIN.md §6.1). The PCMD risk
    category is independent of the licensing category (security-conditional under NĐ 96/2016)."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("loại hình"), max_length=200)
    default_risk = models.CharField(
        _("mức nguy cơ mặc định"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    security_conditional = models.BooleanField(
        _("ngành nghề kinh doanh có điều kiện về an ninh, trật tự"), default=False
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("loại hình kinh doanh")
        verbose_name_plural = _("loại hình kinh doanh")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class LegalBasis(models.Model):
    """A legal document under which administrative violations are sanctioned, with the dates it
    was in force (NĐ 144/2021 until 14/12/2025, NĐ 282/2025 from 15/12/2025)."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    number = models.CharField(_("số hiệu"), max_length=60)
    title = models.CharField(_("tên văn bản"), max_length=400)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    note = models.TextField(
        _("ghi chú"),
        blank=True,
        help_text=_("Ghi rõ những điểm cần cán bộ pháp chế rà soát lại."),
    )

    class Meta:
        verbose_name = _("căn cứ xử phạt")
        verbose_name_plural = _("căn cứ xử phạt")
        ordering = ["-valid_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="legalbasis_valid_range",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày có hiệu lực."),
            )
        ]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, on: date) -> bool:
        return _valid_on(self.valid_from, self.valid_to, on)


class Offence(models.Model):
    """A prostitution-related offence of the Criminal Code (BLHS 2015, amended 2017)."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    article = models.PositiveIntegerField(_("điều"))
    name = models.CharField(_("tội danh"), max_length=200)
    law = models.CharField(
        _("văn bản"), max_length=200, default="Bộ luật Hình sự 2015 (sửa đổi, bổ sung 2017)"
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("tội danh")
        verbose_name_plural = _("tội danh")
        ordering = ["order", "article"]

    def __str__(self) -> str:
        return f"Điều {self.article}. {self.name}"


# --- Records -----------------------------------------------------------------------------------


class Establishment(RecordBase):
    """A business providing services prone to prostitution, in the unit's register ("sổ theo
    dõi cơ sở kinh doanh dịch vụ dễ bị lợi dụng hoạt động mại dâm")."""

    name = models.CharField(_("tên cơ sở"), max_length=255)
    business_type = models.ForeignKey(
        BusinessType, on_delete=models.PROTECT, related_name="+", verbose_name=_("loại hình")
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    village = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn, tổ dân phố"),
    )
    owner_name = models.CharField(_("chủ cơ sở"), max_length=200, blank=True)
    licence_number = models.CharField(
        _("số giấy phép, đăng ký kinh doanh"), max_length=80, blank=True
    )
    security_certificate_number = models.CharField(
        _("số giấy chứng nhận đủ điều kiện về ANTT"), max_length=80, blank=True
    )
    employees = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    risk_level = models.CharField(
        _("mức nguy cơ"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    opened_on = models.DateField(_("ngày bắt đầu hoạt động"), null=True, blank=True)
    closed_on = models.DateField(_("ngày ngừng hoạt động"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("cơ sở kinh doanh dịch vụ")
        verbose_name_plural = _("cơ sở kinh doanh dịch vụ")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=F("opened_on")),
                name="establishment_open_before_close",
                violation_error_message=_("Ngày ngừng hoạt động phải sau ngày bắt đầu hoạt động."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.closed_on is None


class InspectionTeam(RecordBase):
    """An inspection team set up by a decision: the PCMD interagency team (Đội kiểm tra liên
    ngành 178, NĐ 178/2004 and TT 05/2006) or a combined culture-social team."""

    class Kind(models.TextChoices):
        PCMD_178 = "pcmd_178", _("Đội kiểm tra liên ngành phòng, chống mại dâm (Đội 178)")
        CULTURE_SOCIAL = "culture_social", _("Đội kiểm tra liên ngành văn hóa - xã hội")

    name = models.CharField(_("tên đội"), max_length=255)
    kind = models.CharField(_("loại đội"), max_length=16, choices=Kind.choices)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    decision_issuer = models.CharField(_("cơ quan ban hành quyết định"), max_length=200)
    valid_from = models.DateField(_("hoạt động từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    members: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "orgunits.Agency",
        through="InspectionTeamMember",
        related_name="+",
        verbose_name=_("cơ quan thành viên"),
    )

    class Meta:
        verbose_name = _("đội kiểm tra liên ngành")
        verbose_name_plural = _("đội kiểm tra liên ngành")
        ordering = ["-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="inspectionteam_valid_range",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu hoạt động."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.decision_number})"

    def is_valid_on(self, on: date) -> bool:
        return _valid_on(self.valid_from, self.valid_to, on)


class InspectionTeamMember(models.Model):
    """An agency that sends a member to the team, and the role of that member."""

    class Role(models.TextChoices):
        HEAD = "head", _("Đội trưởng")
        DEPUTY = "deputy", _("Đội phó")
        MEMBER = "member", _("Thành viên")

    team = models.ForeignKey(InspectionTeam, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey("orgunits.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("vai trò"), max_length=8, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("thành viên đội kiểm tra")
        verbose_name_plural = _("thành viên đội kiểm tra")
        ordering = ["team_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "agency"], name="inspectionteammember_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.get_role_display()}"


class Inspection(RecordBase):
    """An inspection of an establishment on a date, by a team (or by the police alone)."""

    class Mode(models.TextChoices):
        ANNOUNCED = "announced", _("Theo kế hoạch, có thông báo trước")
        SURPRISE = "surprise", _("Đột xuất")
        FOLLOW_UP = "follow_up", _("Tái kiểm tra")

    inspected_on = models.DateField(_("ngày kiểm tra"))
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("cơ sở được kiểm tra"),
    )
    team = models.ForeignKey(
        InspectionTeam,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("đội kiểm tra"),
    )
    mode = models.CharField(_("hình thức"), max_length=10, choices=Mode.choices)
    minutes_number = models.CharField(_("số biên bản"), max_length=60, blank=True)
    findings = models.TextField(_("kết quả kiểm tra"), blank=True)
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm vụ của kế hoạch"),
    )

    class Meta:
        verbose_name = _("lượt kiểm tra")
        verbose_name_plural = _("lượt kiểm tra")
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["org_unit", "inspected_on"]),
            # The list's order: a province's newest 25 are read off this index (Hà Nội: 2 ms)
            # instead of sorting its 52,000 inspections first (136 ms warm, 940 ms cold).
            models.Index(fields=["-inspected_on", "-id"], name="inspection_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.establishment} — {self.inspected_on:%d/%m/%Y}"


class Violation(models.Model):
    """An administrative violation found at an inspection and the sanction imposed."""

    class Sanction(models.TextChoices):
        WARNING = "warning", _("Cảnh cáo")
        FINE = "fine", _("Phạt tiền")
        SUSPENSION = "suspension", _("Đình chỉ hoạt động có thời hạn")
        LICENCE_WITHDRAWAL = "licence_withdrawal", _("Tước quyền sử dụng giấy phép")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="violations")
    legal_basis = models.ForeignKey(
        LegalBasis, on_delete=models.PROTECT, related_name="+", verbose_name=_("căn cứ xử phạt")
    )
    article = models.CharField(_("điều"), max_length=20)
    clause = models.CharField(_("khoản, điểm"), max_length=40, blank=True)
    description = models.CharField(_("hành vi vi phạm"), max_length=500, blank=True)
    sanction = models.CharField(_("hình thức xử phạt"), max_length=20, choices=Sanction.choices)
    fine_amount = models.PositiveBigIntegerField(_("số tiền phạt (đồng)"), null=True, blank=True)
    # Optimistic locking, as RecordBase (a violation has no unit of its own, so no RecordBase).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vi phạm hành chính")
        verbose_name_plural = _("vi phạm hành chính")
        ordering = ["inspection_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(sanction="fine") & Q(fine_amount__gt=0))
                | (~Q(sanction="fine") & Q(fine_amount__isnull=True)),
                name="violation_fine_has_amount",
                violation_error_message=_(
                    "Phạt tiền phải ghi số tiền phạt; các hình thức khác không ghi số tiền."
                ),
            )
        ]

    def __str__(self) -> str:
        clause = f" khoản {self.clause}" if self.clause else ""
        return f"Điều {self.article}{clause} {self.legal_basis.number}"


class HotSpot(RecordBase):
    """A place known for prostitution ("tụ điểm, điểm phức tạp về tệ nạn mại dâm")."""

    class PlaceKind(models.TextChoices):
        PUBLIC_PLACE = "public_place", _("Nơi công cộng")
        ESTABLISHMENT = "establishment", _("Cơ sở kinh doanh")

    class DetectedBy(models.TextChoices):
        INSPECTION = "inspection", _("Qua kiểm tra")
        TIP = "tip", _("Qua tin báo, tố giác")
        PATROL = "patrol", _("Qua tuần tra")

    name = models.CharField(_("tên, mô tả tụ điểm"), max_length=255)
    place_kind = models.CharField(_("loại địa điểm"), max_length=16, choices=PlaceKind.choices)
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hot_spots",
        verbose_name=_("cơ sở kinh doanh"),
    )
    address = models.CharField(_("địa điểm"), max_length=255, blank=True)
    detected_on = models.DateField(_("ngày phát hiện"))
    detected_by = models.CharField(_("phát hiện qua"), max_length=12, choices=DetectedBy.choices)
    cleared_on = models.DateField(_("ngày xóa bỏ"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("tụ điểm phức tạp về mại dâm")
        verbose_name_plural = _("tụ điểm phức tạp về mại dâm")
        ordering = ["-detected_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cleared_on__isnull=True) | Q(cleared_on__gte=F("detected_on")),
                name="hotspot_cleared_after_detected",
                violation_error_message=_("Ngày xóa bỏ phải sau ngày phát hiện."),
            ),
            models.CheckConstraint(
                condition=~Q(place_kind="establishment") | Q(establishment__isnull=False),
                name="hotspot_establishment_given",
                violation_error_message=_("Tụ điểm tại cơ sở kinh doanh: hãy chọn cơ sở."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Case(RecordBase):
    """A prostitution-related criminal case and how far it has gone. Counts only."""

    class Stage(models.TextChoices):
        DETECTED = "detected", _("Phát hiện")
        PROSECUTED = "prosecuted", _("Khởi tố")
        INDICTED = "indicted", _("Truy tố")
        TRIED = "tried", _("Xét xử")

    opened_on = models.DateField(_("ngày phát hiện, thụ lý"))
    reference = models.CharField(_("số hiệu, tên vụ án"), max_length=120, blank=True)
    offence = models.ForeignKey(
        Offence, on_delete=models.PROTECT, related_name="+", verbose_name=_("tội danh")
    )
    stage = models.CharField(
        _("giai đoạn"), max_length=12, choices=Stage.choices, default=Stage.DETECTED
    )
    prosecuted_on = models.DateField(_("ngày khởi tố"), null=True, blank=True)
    indicted_on = models.DateField(_("ngày truy tố"), null=True, blank=True)
    tried_on = models.DateField(_("ngày xét xử"), null=True, blank=True)
    suspects = models.PositiveIntegerField(_("số đối tượng"), default=0)
    defendants = models.PositiveIntegerField(_("số bị can, bị cáo"), default=0)
    victims = models.PositiveIntegerField(_("số nạn nhân"), default=0)
    victims_minor = models.PositiveIntegerField(_("trong đó dưới 18 tuổi"), default=0)
    note = models.TextField(_("ghi chú"), blank=True)
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm vụ của kế hoạch"),
    )

    class Meta:
        verbose_name = _("vụ án")
        verbose_name_plural = _("vụ án")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(victims_minor__lte=F("victims")),
                name="case_minors_within_victims",
                violation_error_message=_(
                    "Số nạn nhân dưới 18 tuổi không được lớn hơn tổng số nạn nhân."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.offence} — {self.opened_on:%d/%m/%Y}"


# The date field each stage past detection fills in, in the order the stages follow.
CASE_STAGE_DATES: dict[str, str] = {
    Case.Stage.PROSECUTED: "prosecuted_on",
    Case.Stage.INDICTED: "indicted_on",
    Case.Stage.TRIED: "tried_on",
}
