"""Forms of awareness activities, written for a commune officer on a phone.

Owns: OutreachEventForm, OutreachImportForm, commune_agencies(), agency_label().
Invariants: choice lists only offer what is in the user's scope (the services check again);
defaults are today and the user's own commune; the edit form carries the version it was opened
with, so a stale save is detected.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from pcmd.accounts.permissions import scope_filter
from pcmd.orgunits.fields import PICKER_SELECT_MAX, use_unit_picker
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
        self._offer_the_communes_agencies(user)
        if event is None:
            del self.fields["version"]

    def _offer_the_communes_agencies(self, user: Any) -> None:
        """A province holds thousands of agencies (Hà Nội 5,212: 400 KB of <option>s): the list
        shows those of the user's own unit and of the chosen commune's area, and is loaded
        again when the commune changes (htmx, agency_options); any agency of the scope is
        still accepted."""
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        if field.queryset is None or field.queryset.count() <= PICKER_SELECT_MAX:
            return
        raw = self.data.get("commune") if self.is_bound else self.initial.get("commune")
        chosen = self.data.get("agency") if self.is_bound else self.initial.get("agency")
        shown = self.agencies_for(raw, user, also=chosen)
        field.widget.choices = [("", field.empty_label), *((a.pk, agency_label(a)) for a in shown)]
        field.widget.attrs.update(
            {
                "hx-get": reverse("outreach:agency-options"),
                "hx-trigger": "change from:#id_commune",
                "hx-include": "#id_commune",
                "hx-swap": "innerHTML",
            }
        )
        field.help_text = gettext_lazy("Các cơ quan của xã đã chọn và của đơn vị bạn.")

    def agencies_for(self, raw_commune: Any, user: Any, *, also: Any = None) -> list[Agency]:
        """The agencies the list offers for the commune as typed or posted (`raw_commune`; one
        outside the scope or not found counts as none): see commune_agencies()."""
        commune = None
        if raw_commune not in (None, ""):
            try:
                commune = self.fields["commune"].clean(raw_commune)
            except forms.ValidationError:
                commune = None
        agencies = self.fields["agency"].queryset  # type: ignore[attr-defined]
        return commune_agencies(agencies, user, commune, also=also)

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


def agency_label(agency: Agency) -> str:
    """ "Công an xã — Xã Hoằng Hợp": many units have an agency of the same name."""
    return f"{agency.name} — {agency.org_unit.name}"


def commune_agencies(
    agencies: QuerySet[Agency], user: Any, commune: OrgUnit | None, *, also: Any = None
) -> list[Agency]:
    """The agencies of `agencies` (the user's scope) that belong to the user's own unit or to
    the area of `commune` (its villages too), and the one already chosen (`also`, an id)."""
    units = Q(org_unit_id=getattr(user, "org_unit_id", None))
    if commune is not None:
        units |= Q(org_unit_id__in=OrgUnitScope.objects.filter(holder=commune).values("unit_id"))
    if also not in (None, "") and str(also).isdigit():
        units |= Q(pk=int(str(also)))
    return list(agencies.filter(units).select_related("org_unit")[:PICKER_SELECT_MAX])


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
