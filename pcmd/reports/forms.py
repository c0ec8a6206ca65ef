"""Forms of the reports pages: create, narrative (autosave), return, reopen.

Owns: ReportCreateForm, NarrativeForm, CommentForm, ReasonForm.
Not here: the rules (services.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcmd.plans.models import Plan
from pcmd.reports.models import NARRATIVE_FIELDS, Report


class ReportCreateForm(forms.Form):
    period = forms.CharField(
        label=_("Kỳ báo cáo"), max_length=12, help_text=_("Ví dụ: 2025S1, 2025, 2025Q1, 2016-2020")
    )
    review = forms.ChoiceField(
        label=_("Với kỳ nhiều năm"),
        required=False,
        choices=[("", _("Tổng kết")), (Report.Kind.MIDTERM, _("Sơ kết"))],
    )
    plan = forms.ModelChoiceField(
        label=_("Kế hoạch được báo cáo"), queryset=Plan.objects.none(), required=False
    )

    def __init__(self, *args: Any, plans: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans  # type: ignore[attr-defined]


class NarrativeForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Report
        fields = [*NARRATIVE_FIELDS, "number", "issued_on", "signing_mode", "signer_name",
                  "signer_title", "preamble"]  # fmt: skip
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in NARRATIVE_FIELDS} | {
            "preamble": forms.Textarea(attrs={"rows": 2}),
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến trả lại"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do mở lại"), widget=forms.Textarea(attrs={"rows": 2}))
