"""Forms of the enforcement pages, written for a phone: one column, date pickers, choice lists,
defaults (today, the user's unit).

Owns: EstablishmentForm, EstablishmentImportForm, TeamForm, InspectionForm, ViolationForm,
HotSpotForm, CaseForm, SampleForm, RecordForm.for_user() / for_edit().
Invariants: forms check the shape of what was typed; the rules live in services/. Forms are
always bound to a fresh instance, never to the record being edited, so the service sees the
record as it was and can tell what changed. Choices of units, villages, establishments, teams,
agencies and tasks come from the user's scope, so a posted id outside it is an invalid choice.
The hidden `version` carries the version the form was opened with (optimistic locking).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import scope_filter
from pcmd.enforcement import selectors
from pcmd.enforcement.models import (
    BusinessType,
    Case,
    Establishment,
    HotSpot,
    Inspection,
    InspectionTeam,
    InspectionTeamMember,
    RiskLevel,
    Violation,
)
from pcmd.orgunits.fields import use_unit_picker
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.orgunits.selectors import orgunit_label
from pcmd.plans import selectors as plan_selectors
from pcmd.plans.models import Task

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_NOT_VILLAGES = (
    OrgUnit.Level.PROVINCE,
    OrgUnit.Level.DISTRICT,
    OrgUnit.Level.COMMUNE,
    OrgUnit.Level.NATIONAL,
)


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return orgunit_label(obj)


def scope_units(user: Any) -> QuerySet[OrgUnit]:
    """Units a record may be filed under: the user's scope, villages aside."""
    return scope_filter(
        OrgUnit.objects.exclude(level=OrgUnit.Level.VILLAGE), user, field="id"
    ).order_by("level", "key")


def scope_villages(user: Any) -> QuerySet[OrgUnit]:
    return scope_filter(OrgUnit.objects.filter(level=OrgUnit.Level.VILLAGE), user, "id").order_by(
        "key"
    )


class RecordForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm with the version it was opened with and the user's scope."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date_fields: tuple[str, ...] = ()
    today_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for name in self.date_fields:
            if name in self.fields:
                self.fields[name].widget = DATE_WIDGET
        if "org_unit" in self.fields:
            field = UnitChoiceField(
                queryset=scope_units(user), label=_("Đơn vị (xã, phường)"), empty_label=None
            )
            self.fields["org_unit"] = field
            use_unit_picker(self, "org_unit", levels=_NOT_VILLAGES)
            if not self.is_bound and "org_unit" not in self.initial:
                self.initial["org_unit"] = getattr(user, "org_unit_id", None)
        if not self.is_bound:
            for name in self.today_fields:
                self.initial.setdefault(name, timezone.localdate())
        self.setup()

    def setup(self) -> None:
        """Restrict querysets to the user's scope (subclasses)."""

    @classmethod
    def for_edit(cls, obj: Model, data: Any = None, *, user: Any) -> RecordForm:
        initial = model_to_dict(obj, fields=cls._meta.fields)
        initial["version"] = getattr(obj, "version", None)
        return cls(data, initial=initial, user=user)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class EstablishmentForm(RecordForm):
    date_fields = ("opened_on", "closed_on")

    class Meta:
        model = Establishment
        fields = [
            "name",
            "business_type",
            "org_unit",
            "village",
            "address",
            "owner_name",
            "licence_number",
            "security_certificate_number",
            "employees",
            "risk_level",
            "opened_on",
            "closed_on",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def setup(self) -> None:
        self.fields["business_type"].queryset = BusinessType.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["village"].queryset = scope_villages(self.user)  # type: ignore[attr-defined]
        use_unit_picker(self, "village", levels=(OrgUnit.Level.VILLAGE,))
        risk = self.fields["risk_level"]
        risk.required = False
        risk.choices = [("", _("Theo loại hình kinh doanh")), *RiskLevel.choices]  # type: ignore[attr-defined]
        risk.help_text = _("Để trống nếu chưa đánh giá: lấy mức mặc định của loại hình kinh doanh.")

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if not data.get("risk_level"):
            data.pop("risk_level", None)
        return data


class TeamForm(RecordForm):
    date_fields = ("decision_date", "valid_from", "valid_to")
    head = forms.ModelChoiceField(
        queryset=Agency.objects.none(), required=False, label=_("Cơ quan của đội trưởng")
    )
    member_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label=_("Cơ quan thành viên"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = InspectionTeam
        fields = [
            "name",
            "kind",
            "org_unit",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "valid_from",
            "valid_to",
        ]

    def setup(self) -> None:
        agencies = scope_filter(Agency.objects.select_related("org_unit"), self.user).order_by(
            "org_unit_id", "key"
        )
        self.fields["head"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["member_agencies"].queryset = agencies  # type: ignore[attr-defined]

    @classmethod
    def for_edit(cls, obj: Model, data: Any = None, *, user: Any) -> RecordForm:
        form = super().for_edit(obj, data, user=user)
        members = list(obj.memberships.all())  # type: ignore[attr-defined]
        head = next(
            (m.agency_id for m in members if m.role == InspectionTeamMember.Role.HEAD), None
        )
        form.initial["head"] = head
        form.initial["member_agencies"] = [m.agency_id for m in members if m.agency_id != head]
        return form

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        head = data.pop("head")
        others = data.pop("member_agencies")
        members = [(head, InspectionTeamMember.Role.HEAD)] if head else []
        members += [(a, InspectionTeamMember.Role.MEMBER) for a in others if a != head]
        data["members"] = members
        return data


class InspectionForm(RecordForm):
    date_fields = ("inspected_on",)
    today_fields = ("inspected_on",)

    class Meta:
        model = Inspection
        fields = [
            "inspected_on",
            "establishment",
            "team",
            "mode",
            "minutes_number",
            "findings",
            "task",
        ]
        widgets = {"findings": forms.Textarea(attrs={"rows": 4})}

    def setup(self) -> None:
        self.fields["establishment"].queryset = selectors.establishment_list_for_user(  # type: ignore[attr-defined]
            user=self.user
        )
        self.fields["team"].queryset = selectors.team_list_for_user(user=self.user)  # type: ignore[attr-defined]
        self.fields["task"].queryset = Task.objects.filter(  # type: ignore[attr-defined]
            plan__in=plan_selectors.plan_list_for_user(user=self.user)
        ).select_related("plan")


class ViolationForm(RecordForm):
    class Meta:
        model = Violation
        fields = ["legal_basis", "article", "clause", "description", "sanction", "fine_amount"]

    def setup(self) -> None:
        self.fields["fine_amount"].widget.attrs.update({"inputmode": "numeric", "min": 0})


class HotSpotForm(RecordForm):
    date_fields = ("detected_on", "cleared_on")
    today_fields = ("detected_on",)

    class Meta:
        model = HotSpot
        fields = [
            "name",
            "place_kind",
            "establishment",
            "org_unit",
            "address",
            "detected_on",
            "detected_by",
            "cleared_on",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def setup(self) -> None:
        self.fields["establishment"].queryset = selectors.establishment_list_for_user(  # type: ignore[attr-defined]
            user=self.user
        )


class CaseForm(RecordForm):
    date_fields = ("opened_on", "prosecuted_on", "indicted_on", "tried_on")
    today_fields = ("opened_on",)

    class Meta:
        model = Case
        fields = [
            "opened_on",
            "offence",
            "org_unit",
            "reference",
            "stage",
            "prosecuted_on",
            "indicted_on",
            "tried_on",
            "suspects",
            "defendants",
            "victims",
            "victims_minor",
            "note",
            "task",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def setup(self) -> None:
        for name in ("suspects", "defendants", "victims", "victims_minor"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})
        self.fields["task"].queryset = Task.objects.filter(  # type: ignore[attr-defined]
            plan__in=plan_selectors.plan_list_for_user(user=self.user)
        ).select_related("plan")


class SampleForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    share = forms.DecimalField(
        label=_("Tỷ lệ cơ sở cần kiểm tra (%)"),
        min_value=Decimal(1),
        max_value=Decimal(100),
        decimal_places=1,
        initial=Decimal(20),
    )

    @staticmethod
    def default_year() -> int:
        return date.today().year


class EstablishmentImportForm(forms.Form):
    """The unit the businesses of an XLSX file are filed under, and the file."""

    commune = UnitChoiceField(label=_("Đơn vị (xã, phường)"), queryset=OrgUnit.objects.none())
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) theo mẫu"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, user: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["commune"].queryset = scope_units(user)  # type: ignore[attr-defined]
        use_unit_picker(self, "commune", levels=_NOT_VILLAGES)
        if getattr(user, "org_unit", None) and user.org_unit.level != OrgUnit.Level.VILLAGE:
            self.initial.setdefault("commune", user.org_unit_id)
