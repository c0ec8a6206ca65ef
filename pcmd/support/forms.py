"""The pilot-model form: one column, Vietnamese labels, date pickers; services re-check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import scope_filter
from pcmd.orgunits.fields import use_unit_picker
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
from pcmd.plans.models import Task
from pcmd.support.models import PilotModel

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def unit_choices(user: Any) -> QuerySet[OrgUnit]:
    qs = scope_filter(OrgUnit.objects.all(), user, field="pk")
    level = getattr(getattr(user, "org_unit", None), "level", "")
    if level not in (OrgUnit.Level.COMMUNE, OrgUnit.Level.VILLAGE):
        qs = qs.exclude(level=OrgUnit.Level.VILLAGE)
    return qs.order_by("level", "name")


def task_choices(user: Any) -> QuerySet[Task]:
    holders = OrgUnitScope.objects.filter(unit_id=user.org_unit_id).values("holder_id")
    return (
        Task.objects.select_related("plan", "plan__org_unit")
        .filter(plan__org_unit__in=holders)
        .order_by("-plan__period_start", "plan_id", "order", "id")
    )


class PilotModelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    org_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Đơn vị"))
    name = forms.CharField(label=_("Tên mô hình"), max_length=300)
    kind = forms.ChoiceField(label=_("Loại mô hình"), choices=PilotModel.Kind.choices)
    start_date = forms.DateField(label=_("Ngày bắt đầu"), widget=DATE_WIDGET)
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=PilotModel.Status.choices, initial="active"
    )
    closed_on = forms.DateField(
        label=_("Ngày kết thúc (nếu đã kết thúc)"), widget=DATE_WIDGET, required=False
    )
    members = forms.IntegerField(label=_("Số thành viên"), min_value=0, initial=0)
    people_reached = forms.IntegerField(
        label=_("Số người được tiếp cận, hỗ trợ"), min_value=0, initial=0
    )
    task = forms.ModelChoiceField(
        queryset=Task.objects.none(), label=_("Thực hiện nhiệm vụ của kế hoạch"), required=False
    )
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = unit_choices(user)  # type: ignore[attr-defined]
        use_unit_picker(self, "org_unit")
        self.fields["task"].queryset = task_choices(user)  # type: ignore[attr-defined]
        self.fields["task"].label_from_instance = (  # type: ignore[attr-defined]
            lambda t: f"{t.plan.org_unit.name} {t.plan.period_start}: {t.title[:90]}"
        )

    @classmethod
    def for_model(cls, model: PilotModel, data: Any = None, *, user: Any) -> PilotModelForm:
        initial = {name: getattr(model, name) for name in cls.base_fields}
        return cls(data, initial=initial, user=user)


class PilotModelImportForm(forms.Form):
    """The unit the pilot models of an XLSX file belong to, and the file."""

    org_unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=OrgUnit.objects.none())
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) theo mẫu"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, user: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["org_unit"].queryset = unit_choices(user)  # type: ignore[attr-defined]
        use_unit_picker(self, "org_unit")
        if getattr(user, "org_unit", None):
            self.initial.setdefault("org_unit", user.org_unit_id)
