"""The unit and period picker of the dashboard (a GET form), and the indicator of the league
table and map.

Owns: DashboardForm.
Invariants: every refusal is a Vietnamese message; a period is a six months or a year that
has begun (those are what the stored values hold); the unit is a number — whether it lies in
the user's scope is the view's check (404 outside).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcmd.common.periods import Period, PeriodError, period_parse
from pcmd.indicators.models import Indicator


class DashboardForm(forms.Form):
    unit = forms.IntegerField(
        label=gettext_lazy("Đơn vị"),
        required=False,
        min_value=1,
        error_messages={
            "invalid": gettext_lazy("Đơn vị không hợp lệ: hãy chọn một đơn vị trong danh sách."),
            "min_value": gettext_lazy("Đơn vị không hợp lệ: hãy chọn một đơn vị trong danh sách."),
        },
    )
    period = forms.CharField(label=gettext_lazy("Kỳ"), required=False, max_length=12)
    indicator = forms.CharField(label=gettext_lazy("Chỉ số"), required=False, max_length=60)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_period(self) -> Period | None:
        text = (self.cleaned_data.get("period") or "").strip()
        if not text:
            return None
        try:
            period = period_parse(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None
        if period.kind not in ("half", "year"):
            raise forms.ValidationError(
                _("Bảng điều khiển xem theo 6 tháng hoặc cả năm (ví dụ: 2025S1, 2025).")
            )
        if period.start > self.today:
            raise forms.ValidationError(
                _("%(p)s chưa bắt đầu: hãy chọn một kỳ đã qua hoặc đang diễn ra.")
                % {"p": period.label}
            )
        return period

    def clean_indicator(self) -> Indicator | None:
        code = (self.cleaned_data.get("indicator") or "").strip()
        if not code:
            return None
        indicator = Indicator.objects.filter(code=code, is_active=True).first()
        if indicator is None:
            raise forms.ValidationError(
                _("Không có chỉ số “%(c)s”: hãy chọn một chỉ số trong danh sách.") % {"c": code}
            )
        return indicator
