"""The break-glass form: a unit of the user's scope, a reason and a duration of at most 4 hours.

Owns: BreakGlassForm.
Invariants: the unit list is the user's scope (villages aside); the service re-checks all of it.
Not here: the rule itself (access.break_glass_open).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import scope_filter
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_label
from pcmd.sealing.models import MAX_BREAK_GLASS_MINUTES, MIN_REASON_LENGTH

DURATION_CHOICES = [
    (30, _("30 phút")),
    (60, _("1 giờ")),
    (120, _("2 giờ")),
    (MAX_BREAK_GLASS_MINUTES, _("4 giờ (tối đa)")),
]


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return orgunit_label(obj)


def scope_units(user: Any) -> QuerySet[OrgUnit]:
    return scope_filter(
        OrgUnit.objects.exclude(level=OrgUnit.Level.VILLAGE), user, field="id"
    ).order_by("level", "key")


class BreakGlassForm(forms.Form):
    org_unit = UnitChoiceField(label=_("Đơn vị"), queryset=OrgUnit.objects.none(), empty_label=None)
    reason = forms.CharField(
        label=_("Lý do truy cập khẩn cấp"),
        min_length=MIN_REASON_LENGTH,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lý do được ghi vào nhật ký và hiển thị cho lãnh đạo đơn vị."),
    )
    minutes = forms.TypedChoiceField(
        label=_("Thời hạn"), choices=DURATION_CHOICES, coerce=int, initial=60
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["org_unit"]
        field.queryset = scope_units(user)
        if not self.is_bound:
            self.initial.setdefault("org_unit", getattr(user, "org_unit_id", None))
