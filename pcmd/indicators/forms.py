"""The form of an aggregate data entry, one column, for a phone.

Owns: AggregateEntryForm.
Invariants: the unit list is the user's scope (a search box when it is long); the services
check every figure again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import scope_filter
from pcmd.indicators.models import AggregateEntry, Indicator
from pcmd.orgunits.fields import use_unit_picker
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_label


class _UnitChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return orgunit_label(obj)


class AggregateEntryForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Chỉ số"), queryset=Indicator.objects.none())
    org_unit = _UnitChoice(label=_("Đơn vị"), queryset=OrgUnit.objects.none())
    period = forms.CharField(
        label=_("Kỳ"), max_length=12, help_text=_("Ví dụ: 2025, 2025S1, 2025Q1, 202503.")
    )
    numerator = forms.DecimalField(
        label=_("Số đạt (tử số)"), min_value=0, max_digits=16, decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )  # fmt: skip
    denominator = forms.DecimalField(
        label=_("Tổng số (mẫu số)"), min_value=0, max_digits=16, decimal_places=2,
        required=False, help_text=_("Bắt buộc với chỉ số tỷ lệ: ví dụ tổng số thôn của xã."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Nguồn số liệu, ghi chú"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, entry: AggregateEntry | None = None, **kw: Any):
        if entry is not None and "initial" not in kw:
            kw["initial"] = {
                "indicator": entry.indicator_id, "org_unit": entry.org_unit_id,
                "period": entry.period, "numerator": entry.numerator,
                "denominator": entry.denominator, "note": entry.note,
            }  # fmt: skip
        super().__init__(*args, **kw)
        indicator = self.fields["indicator"]
        assert isinstance(indicator, forms.ModelChoiceField)
        indicator.queryset = Indicator.objects.filter(is_active=True).order_by("name")
        unit = self.fields["org_unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = scope_filter(
            OrgUnit.objects.exclude(level=OrgUnit.Level.NATIONAL), user, field="id"
        ).order_by("level", "key")
        use_unit_picker(self, "org_unit")
