"""Tips and denunciations ("tin báo, tố giác"): how each one came in, its sealed content and
reporter, its handling step by step, the legal deadline clock, the anonymous public page's
receipts and messages, and the in-app notifications that alerts create.

Owns: DeadlineRule (the clocks, kept as data), Tip, TipEvent, TipPause, TipExtension,
TipAttachment, TipMessage, Notification.
Invariants: the content, the reporter's identity and contact details, free-text notes and
messages are sealed (pcmd.sealing.fields: ciphertext only in the database); a public receipt is
stored only as its SHA-256 hash; no IP address, user agent or cookie is stored with a tip. A tip
has at most one extension (OneToOne). Every change of status is a TipEvent (services.py).
Not here: writes (services.py), deadline computation and scoped reads (selectors.py, deadlines.py).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pcmd.common.records import RecordBase
from pcmd.sealing.fields import SealedCharField, SealedTextField


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    PHONE = "phone", _("Điện thoại, đường dây nóng")
    LETTER = "letter", _("Thư, đơn")
    EMAIL = "email", _("Thư điện tử")
    TRANSFERRED = "transferred", _("Cơ quan khác chuyển đến")
    PRESS = "press", _("Báo chí")
    PUBLIC_PAGE = "public_page", _("Trang tố giác trực tuyến")


class Subject(models.TextChoices):
    PROSTITUTION = "prostitution", _("Hoạt động mua bán dâm")
    BROKERING = "brokering", _("Môi giới mại dâm")
    HARBOURING = "harbouring", _("Chứa mại dâm")
    MINOR = "minor", _("Mua dâm người dưới 18 tuổi")
    TRAFFICKING = "trafficking", _("Mua bán người vì mục đích mại dâm")
    ONLINE_ADS = "online_ads", _("Quảng cáo mại dâm trên mạng")
    OTHER = "other", _("Khác")


class LegalNature(models.TextChoices):
    CRIME_DENUNCIATION = "crime_denunciation", _("Tố giác về tội phạm")
    CRIME_REPORT = "crime_report", _("Tin báo về tội phạm")
    PROSECUTION_RECOMMENDATION = "prosecution_rec", _("Kiến nghị khởi tố")
    ADMIN_VIOLATION = "admin_violation", _("Phản ánh vi phạm hành chính")
    COMPLAINT = "complaint", _("Khiếu nại")


CRIMINAL_NATURES = frozenset(
    {
        LegalNature.CRIME_DENUNCIATION,
        LegalNature.CRIME_REPORT,
        LegalNature.PROSECUTION_RECOMMENDATION,
    }
)


class DeadlineRule(models.Model):
    """How long a tip of one legal nature may take, under one legal basis, for a period of
    validity. Seeded by migration 0002; an admin corrects or versions it (a new row with a later
    valid_from, the old one closed with valid_to). The rule "commune police pass a criminal tip
    on" has its own row (applies_to = commune_pass_on)."""

    class AppliesTo(models.TextChoices):
        CRIME_DENUNCIATION = (
            LegalNature.CRIME_DENUNCIATION.value,
            LegalNature.CRIME_DENUNCIATION.label,
        )
        CRIME_REPORT = LegalNature.CRIME_REPORT.value, LegalNature.CRIME_REPORT.label
        PROSECUTION_RECOMMENDATION = (
            LegalNature.PROSECUTION_RECOMMENDATION.value,
            LegalNature.PROSECUTION_RECOMMENDATION.label,
        )
        ADMIN_VIOLATION = LegalNature.ADMIN_VIOLATION.value, LegalNature.ADMIN_VIOLATION.label
        COMPLAINT = LegalNature.COMPLAINT.value, LegalNature.COMPLAINT.label
        COMMUNE_PASS_ON = "commune_pass_on", _("Công an cấp xã chuyển tin báo về tội phạm")

    applies_to = models.CharField(_("áp dụng cho"), max_length=20, choices=AppliesTo.choices)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    days = models.PositiveIntegerField(_("thời hạn (ngày)"), default=0)
    hours = models.PositiveIntegerField(_("thời hạn (giờ)"), default=0)
    complex_months = models.PositiveIntegerField(
        _("thời hạn khi phức tạp (tháng)"), default=0, help_text=_("0: không có thời hạn riêng.")
    )
    max_extension_months = models.PositiveIntegerField(
        _("gia hạn tối đa (tháng)"), default=0, help_text=_("0: không được gia hạn.")
    )
    remote_hours = models.PositiveIntegerField(
        _("thời hạn ở vùng sâu, vùng xa, hải đảo (giờ)"),
        default=0,
        help_text=_("0: như thời hạn thường."),
    )
    needs_legal_review = models.BooleanField(_("cần rà soát pháp lý"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("quy tắc thời hạn xử lý tin báo")
        verbose_name_plural = _("quy tắc thời hạn xử lý tin báo")
        ordering = ["applies_to", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="deadlinerule_valid_range",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày có hiệu lực."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_applies_to_display()} — {self.legal_basis}"

    def is_valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class Tip(RecordBase):
    """A tip, denunciation, report or complaint about prostitution, received by a unit (the
    place: `org_unit`), and its handling. Known to everyone outside its sealed fields only by
    its pseudonymous `reference` (unit code, year, sequence)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        VERIFYING = "verifying", _("Đang xác minh")
        CLASSIFIED = "classified", _("Đã phân loại")
        HANDLED = "handled", _("Đã xử lý")

    class Outcome(models.TextChoices):
        ADMIN_SANCTION = "admin_sanction", _("Xử phạt vi phạm hành chính")
        CASE_OPENED = "case_opened", _("Khởi tố vụ án hình sự")
        NOT_SUBSTANTIATED = "not_substantiated", _("Không có căn cứ, không khởi tố")
        TRANSFERRED = "transferred", _("Chuyển cơ quan có thẩm quyền")

    reference = models.CharField(_("mã tin báo"), max_length=40, unique=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), db_index=True)
    channel = models.CharField(_("nguồn tiếp nhận"), max_length=12, choices=Channel.choices)
    source_agency = models.CharField(_("cơ quan chuyển đến, tờ báo"), max_length=255, blank=True)
    content = SealedTextField(verbose_name=_("nội dung"))
    reporter_anonymous = models.BooleanField(_("người báo giấu tên"), default=True)
    reporter_name = SealedCharField(verbose_name=_("họ tên người báo"), max_length=200, blank=True)
    reporter_name_index = models.CharField(max_length=64, db_index=True, blank=True, editable=False)
    reporter_phone = SealedCharField(
        verbose_name=_("điện thoại người báo"), max_length=40, blank=True
    )
    reporter_email = SealedCharField(
        verbose_name=_("thư điện tử người báo"), max_length=200, blank=True
    )
    reporter_address = SealedCharField(
        verbose_name=_("địa chỉ người báo"), max_length=300, blank=True
    )
    subject = models.CharField(_("nội dung phản ánh"), max_length=16, choices=Subject.choices,
                               blank=True)  # fmt: skip
    legal_nature = models.CharField(
        _("tính chất pháp lý"), max_length=20, choices=LegalNature.choices, blank=True
    )
    is_complex = models.BooleanField(_("vụ việc phức tạp"), default=False)
    remote_area = models.BooleanField(_("vùng sâu, vùng xa, hải đảo"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    outcome = models.CharField(_("kết quả xử lý"), max_length=20, choices=Outcome.choices,
                               blank=True)  # fmt: skip
    outcome_note = SealedTextField(verbose_name=_("ghi chú kết quả"), blank=True)
    handled_at = models.DateTimeField(_("thời điểm xử lý xong"), null=True, blank=True)
    inspection = models.ForeignKey(
        "enforcement.Inspection", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("lượt kiểm tra"),
    )  # fmt: skip
    violation = models.ForeignKey(
        "enforcement.Violation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("vi phạm hành chính"),
    )  # fmt: skip
    case = models.ForeignKey(
        "enforcement.Case", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("vụ án"),
    )  # fmt: skip
    transferred_to_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("chuyển đến đơn vị"),
    )  # fmt: skip
    transferred_to_agency = models.CharField(_("chuyển đến cơ quan"), max_length=255, blank=True)
    transferred_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="transfers", verbose_name=_("tin báo gốc"),
    )  # fmt: skip
    handling_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("cán bộ thụ lý"),
    )  # fmt: skip
    receipt_hash = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                    editable=False)  # fmt: skip

    class Meta:
        verbose_name = _("tin báo, tố giác")
        verbose_name_plural = _("tin báo, tố giác")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["org_unit", "received_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="handled", outcome__gt="", handled_at__isnull=False)
                | (~Q(status="handled") & Q(outcome="")),
                name="tip_handled_has_outcome",
                violation_error_message=_("Tin báo đã xử lý phải có kết quả và thời điểm."),
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class TipEvent(models.Model):
    """One dated, attributed step in a tip's handling (actor None: the system or the public)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Tiếp nhận")
        OFFICER = "officer", _("Giao cán bộ thụ lý")
        VERIFYING = "verifying", _("Bắt đầu xác minh")
        CLASSIFIED = "classified", _("Phân loại")
        HANDLED = "handled", _("Xử lý xong")
        TRANSFERRED = "transferred", _("Chuyển đi")
        ARRIVED = "arrived", _("Nhận chuyển đến")
        PAUSED = "paused", _("Tạm dừng tính thời hạn")
        RESUMED = "resumed", _("Tiếp tục tính thời hạn")
        EXTENDED = "extended", _("Gia hạn")
        ESCALATED = "escalated", _("Báo người phụ trách: sắp hết hạn")
        REVEALED = "revealed", _("Xem thông tin người báo")
        MESSAGE = "message", _("Trao đổi với người báo")

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("người thực hiện"),
    )  # fmt: skip
    kind = models.CharField(_("bước"), max_length=12, choices=Kind.choices)
    note = SealedTextField(verbose_name=_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý tin báo")
        verbose_name_plural = _("bước xử lý tin báo")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.tip} {self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"


class TipPause(models.Model):
    """A stretch of time that does not count towards the deadline (e.g. suspension under
    BLTTHS Điều 148, awaiting an expert assessment). Open while `ended_at` is empty."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField(_("tạm dừng từ"))
    ended_at = models.DateTimeField(_("đến"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tạm dừng thời hạn")
        verbose_name_plural = _("tạm dừng thời hạn")
        ordering = ["started_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="tippause_range",
                violation_error_message=_("Thời điểm kết thúc phải sau thời điểm bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tip} {self.started_at:%d/%m/%Y}"


class TipExtension(models.Model):
    """The one extension a tip may get, approved by a leader of its unit."""

    tip = models.OneToOneField(Tip, on_delete=models.CASCADE, related_name="extension")
    months = models.PositiveIntegerField(_("gia hạn (tháng)"))
    reason = models.CharField(_("lý do"), max_length=500)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người phê duyệt"),
    )  # fmt: skip
    approved_at = models.DateTimeField(_("thời điểm phê duyệt"))

    class Meta:
        verbose_name = _("gia hạn xử lý tin báo")
        verbose_name_plural = _("gia hạn xử lý tin báo")

    def __str__(self) -> str:
        return f"{self.tip} +{self.months}"


class TipAttachment(models.Model):
    """A file that came with a tip. Files from the public page have had their metadata
    stripped before they were stored (cleaning.py)."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="tips/%Y/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm tin báo")
        verbose_name_plural = _("tệp đính kèm tin báo")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class TipMessage(models.Model):
    """A message between the reporter (through the receipt code) and the handling officer."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="messages")
    at = models.DateTimeField(_("thời điểm"))
    from_reporter = models.BooleanField(_("từ người báo"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = SealedTextField(verbose_name=_("nội dung"))

    class Meta:
        verbose_name = _("trao đổi về tin báo")
        verbose_name_plural = _("trao đổi về tin báo")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.tip} {self.at:%d/%m/%Y %H:%M}"


class Notification(models.Model):
    """An in-app alert for one user (the bell). `key` makes alerts idempotent: the same alert
    is never created twice for the same user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=120)
    text = models.CharField(_("nội dung"), max_length=500)
    link = models.CharField(_("liên kết"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key"),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text
