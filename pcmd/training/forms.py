"""Forms of the roster and course pages: one column, Vietnamese labels, date pickers.

Owns: StaffForm, StaffImportForm, CourseForm, CourseImportForm, unit_choices(),
agency_choices(), task_choices().
Invariants: choice lists offer only what the user's scope holds; the rules themselves (dates,
units, participants) are checked again by services.py, whose errors the views put beside the
fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import scope_filter, scope_unit_ids
from pcmd.orgunits.fields import use_unit_picker
from pcmd.orgunits.models import Agency, OrgUnit, OrgUnitScope
from pcmd.plans.models import Task
from pcmd.training.models import StaffMember, TrainingCourse

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def unit_choices(user: Any) -> QuerySet[OrgUnit]:
    """Units the user may write in: their scope; villages only for commune-level users."""
    qs = scope_filter(OrgUnit.objects.all(), user, field="pk")
    level = getattr(getattr(user, "org_unit", None), "level", "")
    if level not in (OrgUnit.Level.COMMUNE, OrgUnit.Level.VILLAGE):
        qs = qs.exclude(level=OrgUnit.Level.VILLAGE)
    return qs.order_by("level", "name")


def agency_choices(user: Any) -> QuerySet[Agency]:
    """Agencies of the units above the user's unit and of the units in their scope."""
    if user.org_unit_id is None:
        return Agency.objects.none()
    holders = OrgUnitScope.objects.filter(unit_id=user.org_unit_id).values("holder_id")
    return (
        Agency.objects.select_related("org_unit")
        .filter(Q(org_unit__in=holders) | Q(org_unit__in=scope_unit_ids(user)))
        .order_by("org_unit__level", "name")
    )


def task_choices(user: Any) -> QuerySet[Task]:
    """Tasks of plans of the user's unit and of the units above it."""
    holders = OrgUnitScope.objects.filter(unit_id=user.org_unit_id).values("holder_id")
    return (
        Task.objects.select_related("plan", "plan__org_unit")
        .filter(plan__org_unit__in=holders)
        .order_by("-plan__period_start", "plan_id", "order", "id")
    )


class _UnitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["org_unit"].queryset = unit_choices(user)  # type: ignore[attr-defined]
        use_unit_picker(self, "org_unit")


class StaffForm(_UnitForm):
    org_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Đơn vị"))
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label=_("Cơ quan"), required=False
    )
    position = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Vai trò"),
        choices=StaffMember.Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    pcmd_relevant = forms.BooleanField(
        label=_("Làm công tác có liên quan đến phòng, chống mại dâm (tính vào tỷ lệ tập huấn)"),
        required=False,
        initial=True,
    )
    active_from = forms.DateField(label=_("Bắt đầu đảm nhiệm"), widget=DATE_WIDGET, required=False)
    active_to = forms.DateField(label=_("Thôi đảm nhiệm"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["agency"].queryset = agency_choices(user)  # type: ignore[attr-defined]

    @classmethod
    def for_staff(cls, staff: StaffMember, data: Any = None, *, user: Any) -> StaffForm:
        initial = {name: getattr(staff, name) for name in cls.base_fields if name != "version"}
        initial["version"] = staff.version
        return cls(data, initial=initial, user=user)


class CourseForm(_UnitForm):
    org_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Đơn vị"))
    title = forms.CharField(label=_("Tên lớp tập huấn"), max_length=300)
    start_date = forms.DateField(label=_("Ngày bắt đầu"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Ngày kết thúc"), widget=DATE_WIDGET)
    organiser = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label=_("Cơ quan tổ chức"), required=False
    )
    topics = forms.MultipleChoiceField(
        label=_("Chủ đề"),
        choices=TrainingCourse.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    participants = forms.ModelMultipleChoiceField(
        queryset=StaffMember.objects.none(),
        label=_("Học viên trong danh sách cán bộ"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "picker-item"}),
        required=False,
    )
    outside_participants = forms.IntegerField(
        label=_("Số học viên ngoài danh sách"), min_value=0, initial=0
    )
    task = forms.ModelChoiceField(
        queryset=Task.objects.none(), label=_("Thực hiện nhiệm vụ của kế hoạch"), required=False
    )
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["organiser"].queryset = agency_choices(user)  # type: ignore[attr-defined]
        self.fields["task"].queryset = task_choices(user)  # type: ignore[attr-defined]
        self.fields["participants"].queryset = scope_filter(  # type: ignore[attr-defined]
            StaffMember.objects.select_related("org_unit"), user
        ).order_by("full_name", "id")
        self.fields["task"].label_from_instance = (  # type: ignore[attr-defined]
            lambda t: f"{t.plan.org_unit.name} {t.plan.period_start}: {t.title[:90]}"
        )
        self.fields["participants"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.full_name} — {s.position or s.org_unit.name}"
        )
        if not self.is_bound and not self.initial.get("start_date"):
            today: date = timezone.localdate()
            self.initial.setdefault("start_date", today)
            self.initial.setdefault("end_date", today)

    @classmethod
    def for_course(cls, course: TrainingCourse, data: Any = None, *, user: Any) -> CourseForm:
        initial: dict[str, Any] = {
            name: getattr(course, name)
            for name in cls.base_fields
            if name not in ("version", "participants")
        }
        initial["version"] = course.version
        initial["participants"] = list(course.participants.values_list("pk", flat=True))
        return cls(data, initial=initial, user=user)


class StaffImportForm(forms.Form):
    """The unit whose roster an XLSX file fills, and the file."""

    org_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Đơn vị"))
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) theo mẫu"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = unit_choices(user)  # type: ignore[attr-defined]
        use_unit_picker(self, "org_unit")
        if getattr(user, "org_unit_id", None):
            self.initial.setdefault("org_unit", user.org_unit_id)


class CourseImportForm(StaffImportForm):
    """The unit whose courses an XLSX file holds, and the file."""
