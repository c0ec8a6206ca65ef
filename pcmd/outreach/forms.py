"""Forms of awareness activities, written for a commune officer on a phone.

Owns: OutreachEventForm, OutreachImportForm.
Invariants: choice lists only offer what is in the user's scope (the services check again);
defaults are today and the user's own commune; the edit form carries the version it was opened
with, so a stale save is detected.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from pcmd.accounts.permissions import scope_filter
from pcmd.orgunits.fields import use_unit_picker
from pcmd.orgunits.models import Agency, OrgUnit, OrgUnitScope
from pcmd.outreach.models import OutreachEvent
from pcmd.plans.forms import DATE_WIDGET, MultipleFileField
from pcmd.plans.models import Task


class _UnitChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class OutreachEventForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Ngày"), widget=DATE_WIDGET)
    commune = _UnitChoice(label=gettext_lazy("Xã, phường"), queryset=OrgUnit.objects.none())
    village = _UnitChoice(
        label=gettext_lazy("Thôn, tổ dân phố"), queryset=OrgUnit.objects.none(), required=False,
        empty_label=gettext_lazy("— cả xã —"),
    )  # fmt: skip
    form = forms.ChoiceField(label=gettext_lazy("Hình thức"), choices=OutreachEvent.Form.choices)
    topic = forms.CharField(
        label=gettext_lazy("Chủ đề, nội dung"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan tổ chức"), queryset=Agency.objects.none(), required=False,
        empty_label=gettext_lazy("— chưa chọn —"),
    )  # fmt: skip
    audiences = forms.MultipleChoiceField(
        label=gettext_lazy("Đối tượng"), choices=OutreachEvent.Audience.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    participants = forms.IntegerField(
        label=gettext_lazy("Số người tham dự"), min_value=0, required=False,
        help_text=gettext_lazy("Để trống khi không đếm được (phát loa, băng rôn, bài đăng)."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    combined_with = forms.MultipleChoiceField(
        label=gettext_lazy("Lồng ghép với"), choices=OutreachEvent.Programme.choices,
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    task = forms.ModelChoiceField(
        label=gettext_lazy("Thực hiện nhiệm vụ của kế hoạch"), queryset=Task.objects.none(),
        required=False, empty_label=gettext_lazy("— không gắn —"),
    )  # fmt: skip
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Tệp đính kèm (ảnh, biên bản)"), required=False,
        help_text=gettext_lazy("PDF, ảnh JPG/PNG, DOCX, XLSX; tối đa 5 tệp, mỗi tệp 10 MB."),
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, event: OutreachEvent | None = None, **kw: Any):
        if event is not None and "initial" not in kw:
            unit = event.org_unit
            is_village = unit.level == OrgUnit.Level.VILLAGE
            kw["initial"] = {
                "date": event.date, "form": event.form, "topic": event.topic,
                "agency": event.agency_id, "audiences": event.audiences,
                "participants": event.participants, "combined_with": event.combined_with,
                "task": event.task_id, "note": event.note, "version": event.version,
                "village": unit.pk if is_village else None,
                "commune": _parent_commune(unit) if is_village else unit.pk,
            }  # fmt: skip
        super().__init__(*args, **kw)
        today = timezone.localdate()
        in_scope = scope_filter(OrgUnit.objects.all(), user, field="pk")
        communes = in_scope.filter(level=OrgUnit.Level.COMMUNE).order_by("key")
        if event is None:
            self.initial.setdefault("date", today)
            if getattr(user, "org_unit", None) and user.org_unit.level == OrgUnit.Level.COMMUNE:
                self.initial.setdefault("commune", user.org_unit_id)
        else:
            self.fields["attachments"].label = gettext_lazy("Thêm tệp đính kèm")
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
        self.fields["village"].queryset = in_scope.filter(  # type: ignore[attr-defined]
            level=OrgUnit.Level.VILLAGE
        ).order_by("key")
        self.fields["agency"].queryset = scope_filter(  # type: ignore[attr-defined]
            Agency.objects.all(), user
        ).order_by("key")
        covering = OrgUnitScope.objects.filter(unit_id=user.org_unit_id).values("holder_id")
        self.fields["task"].queryset = (  # type: ignore[attr-defined]
            Task.objects.filter(plan__org_unit_id__in=covering)
            .select_related("plan")
            .order_by("-plan__period_start", "plan_id", "order")
        )
        use_unit_picker(self, "commune", levels=(OrgUnit.Level.COMMUNE,))
        use_unit_picker(self, "village", levels=(OrgUnit.Level.VILLAGE,))
        if event is None:
            del self.fields["version"]

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "org_unit": data.get("village") or data["commune"],
            "commune": data["commune"],
            **{
                k: data.get(k)
                for k in (
                    "date", "form", "topic", "agency", "audiences", "participants",
                    "combined_with", "task", "note",
                )
            },
        }  # fmt: skip


def _parent_commune(village: OrgUnit) -> int | None:
    from pcmd.orgunits.models import OrgUnitLink

    link = OrgUnitLink.objects.filter(child=village).order_by("-valid_to").first()
    return link.parent_id if link else None


class OutreachImportForm(forms.Form):
    commune = _UnitChoice(label=gettext_lazy("Xã, phường"), queryset=OrgUnit.objects.none())
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx) theo mẫu"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, user: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        communes = scope_filter(OrgUnit.objects.all(), user, field="pk").filter(
            level=OrgUnit.Level.COMMUNE
        )
        self.fields["commune"].queryset = communes.order_by("key")  # type: ignore[attr-defined]
        use_unit_picker(self, "commune", levels=(OrgUnit.Level.COMMUNE,))
        if getattr(user, "org_unit", None) and user.org_unit.level == OrgUnit.Level.COMMUNE:
            self.initial.setdefault("commune", user.org_unit_id)
