"""The indicator catalogue, aggregate data entries, and which indicator measures each target.

Owns: Indicator, AggregateEntry, TargetMeasure.
Invariants: an Indicator's definition is checked by definitions.definition_check before it is
saved (admin and services alike) — it names only sources and fields of sources.py, so it can
never run arbitrary code or SQL; built-in indicators are kept by catalogue.catalogue_sync and
keep their code. An AggregateEntry stands for the records of a unit that keeps none in PCMD:
where one exists for (indicator, unit, period) the records under that unit are not counted,
so nothing is counted twice.
Not here: computing values (compute.py), evaluating targets (evaluation.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pcmd.orgunits.models import OrgUnit


class Indicator(models.Model):
    """A measure computed from records: a count, a coverage, a ratio, a frequency, a change."""

    class Kind(models.TextChoices):
        COUNT = "count", _("Số lượng bản ghi")
        SUM = "sum", _("Tổng của một trường số")
        COVERAGE = "coverage", _("Tỷ lệ đơn vị có hoạt động")
        RATIO = "ratio", _("Tỷ lệ giữa hai số đếm")
        FREQUENCY = "frequency", _("Tần suất theo tháng")
        CHANGE = "change", _("Thay đổi so với kỳ gốc")
        CUMULATIVE = "cumulative", _("Lũy kế từ đầu chương trình")
        MEASURE = "measure", _("Tỷ lệ do nghiệp vụ tính (ví dụ: tin báo xử lý đúng hạn)")

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên chỉ số"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=30)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    definition = models.JSONField(_("định nghĩa"), default=dict)
    description = models.TextField(_("giải thích"), blank=True)
    is_builtin = models.BooleanField(_("có sẵn"), default=False)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def is_percent(self) -> bool:
        return self.kind in (
            self.Kind.COVERAGE,
            self.Kind.RATIO,
            self.Kind.FREQUENCY,
            self.Kind.CHANGE,
            self.Kind.MEASURE,
        )

    def clean(self) -> None:
        from pcmd.indicators.definitions import definition_check

        definition_check(self.kind, self.definition)


class AggregateEntry(models.Model):
    """Figures typed in for a unit that keeps no records in PCMD (still on paper)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="entries", verbose_name=_("chỉ số")
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    period = models.CharField(_("kỳ"), max_length=12)
    numerator = models.DecimalField(_("tử số (số đạt)"), max_digits=16, decimal_places=2)
    denominator = models.DecimalField(
        _("mẫu số (tổng số)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("nguồn số liệu, ghi chú"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("số liệu nhập tổng hợp")
        verbose_name_plural = _("số liệu nhập tổng hợp")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "org_unit", "period"], name="aggregate_entry_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__gte=0), name="aggregate_entry_numerator_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.org_unit} · {self.period}"


class TargetMeasure(models.Model):
    """Which indicator measures a plan's target, mapped on import and correctable by hand."""

    target = models.OneToOneField(
        "plans.Target", on_delete=models.CASCADE, related_name="measure", verbose_name=_("chỉ tiêu")
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("chỉ số"),
    )
    level = models.CharField(
        _("cấp đơn vị được đếm"), max_length=10, choices=OrgUnit.Level.choices, blank=True
    )
    is_manual = models.BooleanField(_("gán tay"), default=False)
    warning = models.CharField(_("cảnh báo"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cách đo chỉ tiêu")
        verbose_name_plural = _("cách đo chỉ tiêu")

    def __str__(self) -> str:
        return f"{self.target_id} → {self.indicator.code if self.indicator else '—'}"

    def as_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator_id, "level": self.level, "manual": self.is_manual}


class IndicatorValue(models.Model):
    """The stored value of an indicator for a unit and a period: what compute.indicator_value()
    gives, kept so that dashboards and reports read a year of a whole country in one query.

    Written only by store.py: the rebuild (every unit of a period, from the records) and the
    refresh (rows a record write marked stale). `version` grows with every mark, so a refresh
    that computed from records older than the latest write does not clear the mark.
    """

    # A derived table, rewritten whole by the rebuild: no foreign-key triggers (checked at
    # commit, 500,000 lookups a national year) and no index of their own (the unique key
    # leads with the period, the unit's with the unit); Django still cascades deletions.
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="values",
        db_constraint=False,
        db_index=False,
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    period = models.CharField(max_length=12)
    period_start = models.DateField()
    period_end = models.DateField()
    numerator = models.DecimalField(max_digits=20, decimal_places=2)
    denominator = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    stale = models.BooleanField(default=False)
    version = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("giá trị chỉ số đã tính")
        verbose_name_plural = _("giá trị chỉ số đã tính")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "org_unit", "indicator"], name="indicator_value_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["org_unit", "period_end"], name="indicator_value_unit_end"),
            models.Index(
                fields=["id"], condition=models.Q(stale=True), name="indicator_value_stale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} · {self.org_unit_id} · {self.period}"
