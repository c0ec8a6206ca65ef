"""The administrative hierarchy of Vietnam over time, and the agencies of each unit.

Owns: OrgUnit, OrgUnitLink (dated parent links), OrgUnitSuccession (old unit -> new unit),
OrgUnitScope (who may see whose records, across time), Agency, AgencySuccession,
StandingAgencyAssignment.
Invariants: a unit that keeps its name and official code across the 2025 reform is one unit whose
parent links change; a unit whose name or code changes is a new unit with predecessors. An
official code is unique among units of one level valid on any one date, but may be reused later
(91 was Kiên Giang until 30/6/2025 and is the merged An Giang since). Dates of validity that are
unknown are NULL ("since before records began" / "still valid").
Not here: reading and scoping (selectors.py), writing (services.py), the loader (loading.py).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.common.text import search_key

REFORM_DATE = date(2025, 7, 1)
"""The two-level local government took effect: districts abolished, 63 provinces became 34."""


class OrgUnit(models.Model):
    """An administrative unit (or a village under a commune) and the dates it existed."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("Quốc gia")
        PROVINCE = "province", _("Cấp tỉnh")
        DISTRICT = "district", _("Cấp huyện")
        COMMUNE = "commune", _("Cấp xã")
        VILLAGE = "village", _("Thôn, tổ dân phố")

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Quốc gia")
        PROVINCE = "province", _("Tỉnh")
        CENTRAL_CITY = "central_city", _("Thành phố trực thuộc trung ương")
        RURAL_DISTRICT = "rural_district", _("Huyện")
        URBAN_DISTRICT = "urban_district", _("Quận")
        DISTRICT_TOWN = "district_town", _("Thị xã")
        PROVINCIAL_CITY = "provincial_city", _("Thành phố thuộc tỉnh")
        COMMUNE = "commune", _("Xã")
        WARD = "ward", _("Phường")
        TOWNSHIP = "township", _("Thị trấn")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")
        VILLAGE = "village", _("Thôn")
        HAMLET = "hamlet", _("Xóm")
        MEKONG_HAMLET = "mekong_hamlet", _("Ấp")
        HIGHLAND_VILLAGE = "highland_village", _("Bản")
        RESIDENTIAL_GROUP = "residential_group", _("Tổ dân phố")
        QUARTER = "quarter", _("Khu phố")
        OTHER_VILLAGE = "other_village", _("Đơn vị dưới xã khác")

    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    code = models.CharField(_("mã"), max_length=20, blank=True, db_index=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên rút gọn"), max_length=200)
    key = models.CharField(
        _("khóa tìm kiếm"),
        max_length=200,
        db_index=True,
        editable=False,
        help_text=_("Tên rút gọn không dấu, chữ thường, để tìm kiếm."),
    )
    natural_key = models.CharField(max_length=255, unique=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "key", "id"]
        indexes = [models.Index(fields=["level", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.key = search_key(self.short_name or self.name)
        super().save(*args, **kwargs)

    def is_valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class OrgUnitLink(models.Model):
    """Unit `child` lay under `parent` from `valid_from` to `valid_to` (NULL: open-ended)."""

    child = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="child_links")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("quan hệ trực thuộc")
        verbose_name_plural = _("quan hệ trực thuộc")
        constraints = [
            models.UniqueConstraint(fields=["child", "parent"], name="orgunitlink_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.child} → {self.parent}"


class OrgUnitSuccession(models.Model):
    """From `effective_date` the unit `successor` took over (all or part of) `predecessor`.

    Where an old commune was split, each part is a row and `is_default` marks the successor that
    carries the old unit's records by default (the official default; an admin may change it).
    """

    predecessor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="predecessions")
    effective_date = models.DateField(_("ngày hiệu lực"))
    is_default = models.BooleanField(_("đơn vị kế thừa mặc định"), default=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="orgunitsuccession_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} ⇒ {self.successor}"


class OrgUnitScope(models.Model):
    """`holder` may see the records of `unit`: its descendants at any date, and its predecessors'.

    A derived table (rebuilt by services.orgunit_scope_rebuild) so that scoping a list is one
    indexed join, whatever the depth of the tree and however many reforms lie between.
    """

    holder = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["holder", "unit"], name="orgunitscope_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.holder_id} ⊇ {self.unit_id}"


class Agency(models.Model):
    """An office, body or post of an org unit that can lead or support a task."""

    class Kind(models.TextChoices):
        PEOPLE_COMMITTEE = "people_committee", _("Ủy ban nhân dân")
        PEOPLE_COUNCIL = "people_council", _("Hội đồng nhân dân")
        OFFICE = "office", _("Văn phòng HĐND và UBND")
        POLICE = "police", _("Công an")
        CULTURE_SOCIAL_OFFICER = "culture_social_officer", _("Công chức văn hóa - xã hội")
        CULTURE_SOCIAL_OFFICE = "culture_social_office", _("Phòng Văn hóa - Xã hội")
        ECONOMIC_OFFICE = "economic_office", _("Phòng Kinh tế")
        LABOUR_SOCIAL_AFFAIRS = "labour_social_affairs", _("Lao động - Thương binh và Xã hội")
        HEALTH_DEPARTMENT = "health_department", _("Y tế (sở, phòng)")
        HEALTH_STATION = "health_station", _("Trạm y tế")
        RADIO = "radio", _("Đài truyền thanh, phát thanh - truyền hình")
        PRESS = "press", _("Báo chí")
        CULTURE_SPORTS_TOURISM = "culture_sports_tourism", _("Văn hóa, Thể thao và Du lịch")
        INFORMATION_COMMUNICATIONS = "information_communications", _("Thông tin và Truyền thông")
        SCIENCE_TECHNOLOGY = "science_technology", _("Khoa học và Công nghệ")
        JUSTICE = "justice", _("Tư pháp")
        PLANNING_INVESTMENT = "planning_investment", _("Kế hoạch và Đầu tư")
        FINANCE = "finance", _("Tài chính")
        EDUCATION = "education", _("Giáo dục và Đào tạo")
        SCHOOL = "school", _("Trường học")
        BORDER_GUARD = "border_guard", _("Bộ đội Biên phòng")
        PROPAGANDA_BOARD = "propaganda_board", _("Ban Tuyên giáo")
        PROCURACY = "procuracy", _("Viện kiểm sát nhân dân")
        COURT = "court", _("Tòa án nhân dân")
        FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc")
        WOMENS_UNION = "womens_union", _("Hội Liên hiệp Phụ nữ")
        YOUTH_UNION = "youth_union", _("Đoàn Thanh niên")
        FARMERS_UNION = "farmers_union", _("Hội Nông dân")
        VETERANS = "veterans", _("Hội Cựu chiến binh")
        LABOUR_FEDERATION = "labour_federation", _("Liên đoàn Lao động")
        STEERING_COMMITTEE = "steering_committee", _("Ban Chỉ đạo")
        OTHER = "other", _("Khác")

    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("loại cơ quan"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    key = models.CharField(max_length=255, db_index=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    is_requested = models.BooleanField(
        _("cơ quan ngoài hệ thống hành chính"),
        default=False,
        help_text=_("Plans address it with “Đề nghị”: it is not subordinate to the committee."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["org_unit_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "key", "valid_from"], name="agency_unique_name_per_unit"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.key = search_key(self.name)
        super().save(*args, **kwargs)

    def is_valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )


class AgencySuccession(models.Model):
    """From `effective_date`, `successor` took over `predecessor`'s duties (all, or `function`)."""

    predecessor = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="predecessions")
    effective_date = models.DateField(_("ngày hiệu lực"))
    function = models.CharField(
        _("chức năng chuyển giao"),
        max_length=255,
        blank=True,
        help_text=_("Để trống nếu chuyển giao toàn bộ; ví dụ “phòng, chống mại dâm”."),
    )
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("kế thừa cơ quan")
        verbose_name_plural = _("kế thừa cơ quan")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "function"], name="agencysuccession_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} ⇒ {self.successor}"


class StandingAgencyAssignment(models.Model):
    """`agency` was the standing agency for PCMD of `org_unit` over a period (reassignable)."""

    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="standing_agency_assignments"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("cơ quan thường trực phòng, chống mại dâm")
        verbose_name_plural = _("cơ quan thường trực phòng, chống mại dâm")
        ordering = ["org_unit_id", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.org_unit}: {self.agency}"
