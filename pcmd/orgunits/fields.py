"""The unit picker of record forms: a plain select for a handful of units, a search box for many.

Owns: PICKER_SELECT_MAX, UnitPickerField, UnitPickerWidget, unit_picker_value(),
use_unit_picker().
Invariants: the field only ever returns a unit of its queryset (the user's scope, as the form
built it); a posted primary key keeps working (tests, old bookmarks, the select); typed text is
resolved like a name in a document ("xã Hoằng Hợp", "Hoằng Hợp, Hoằng Hóa") and an ambiguous or
unknown name is refused beside the field, never guessed. Without JavaScript the box still works:
the officer types the name and the server resolves it.
Not here: the suggestions endpoint (views.orgunit_pick), which units a form offers (each form).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pcmd.common.text import nfc
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_find, orgunit_label

# Above this many units in scope a <select> gets heavy on an old phone (a province holds
# about 100 communes after 2025, 1,000 or more before); a search box replaces it.
PICKER_SELECT_MAX = 300
_PK_SUFFIX = re.compile(r"#(\d+)\s*$")


def unit_picker_value(unit: OrgUnit) -> str:
    """What the box shows for a unit: its label and, last, its id (what a suggestion sends)."""
    return f"{orgunit_label(unit)} #{unit.pk}"


class UnitPickerWidget(forms.TextInput):
    """A text box whose suggestions (a <datalist>) come from the search endpoint via htmx."""

    template_name = "orgunits/widgets/unit_picker.html"

    def __init__(
        self,
        *,
        levels: tuple[str, ...] = (),
        everywhere: bool = False,
        attrs: dict[str, Any] | None = None,
    ):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.levels = levels
        self.everywhere = everywhere  # suggest units outside the user's scope (a transfer)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, OrgUnit):
            return unit_picker_value(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            unit = OrgUnit.objects.filter(pk=int(value)).first()
            return unit_picker_value(unit) if unit else str(value)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        list_id = f"{widget['attrs'].get('id') or name}-suggestions"
        widget["list_id"] = list_id
        widget["attrs"]["list"] = list_id
        widget["pick_url"] = reverse("orgunits:pick")
        widget["levels"] = ",".join(self.levels)
        widget["everywhere"] = self.everywhere
        return context


class UnitPickerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A unit of `queryset`, typed or picked from suggestions instead of chosen from a list."""

    default_error_messages = {
        "invalid_choice": _("Không tìm thấy đơn vị này trong phạm vi của bạn."),
        "ambiguous": _(
            "Có %(n)d đơn vị trùng tên “%(text)s”; hãy chọn trong danh sách gợi ý hoặc ghi "
            "thêm tên đơn vị cấp trên (ví dụ: “Hoằng Hợp, Hoằng Hóa”)."
        ),
    }

    def __init__(
        self,
        queryset: QuerySet[OrgUnit],
        *,
        levels: tuple[str, ...] = (),
        everywhere: bool = False,
        **kw: Any,
    ):
        kw.setdefault("widget", UnitPickerWidget(levels=levels, everywhere=everywhere))
        kw.pop("empty_label", None)
        super().__init__(queryset, **kw)
        self.help_text = self.help_text or _("Gõ vài chữ của tên đơn vị rồi chọn trong gợi ý.")

    def _units(self) -> QuerySet[OrgUnit]:
        assert self.queryset is not None
        return self.queryset

    def to_python(self, value: Any) -> OrgUnit | None:
        if value in self.empty_values:
            return None
        if isinstance(value, OrgUnit):
            value = value.pk
        text = str(value).strip()
        if text.isdigit() or (m := _PK_SUFFIX.search(text)):
            pk = int(text) if text.isdigit() else int(m[1])  # type: ignore[index]
            unit = self._units().filter(pk=pk).first()
            if unit is None:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            return unit
        name = re.sub(r"\s*\([^)]*\)\s*$", "", text)  # a label typed back without its id
        ids = {u.pk for u in orgunit_find(name, limit=200)}
        found = list(self._units().filter(pk__in=ids)[:20])
        if not found:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        if len(found) > 1:
            # "Hoằng Giang" and "Hoàng Giang" both match without diacritics; as typed, one does.
            typed = nfc(name).casefold()
            exact = [u for u in found if u.name.casefold() == typed]
            exact = exact or [u for u in found if u.name.casefold().endswith(" " + typed)]
            if len(exact) == 1:
                return exact[0]
            raise ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"n": len(found), "text": name},
            )
        return found[0]

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            unit = self.to_python(data)
        except ValidationError:
            return True
        initial_pk = initial.pk if isinstance(initial, OrgUnit) else initial
        return str(getattr(unit, "pk", "")) != str(initial_pk or "")


def use_unit_picker(
    form: forms.BaseForm, name: str, *, levels: tuple[str, ...] = (), everywhere: bool = False
) -> None:
    """Swap the select `name` of `form` for a search box when its queryset is large.

    Call after the form has set the field's queryset; label, required and initial carry over.
    `everywhere`: the choices reach outside the user's scope (a transfer to another unit), so
    the suggestions do too — the names of units are public; the field still only accepts its
    queryset.
    """
    field = form.fields.get(name)
    if not isinstance(field, forms.ModelChoiceField) or isinstance(field, UnitPickerField):
        return
    units = field.queryset
    if units is None or units.count() <= PICKER_SELECT_MAX:
        return
    form.fields[name] = UnitPickerField(
        units,
        levels=levels,
        everywhere=everywhere,
        label=field.label,
        required=field.required,
        initial=field.initial,
        help_text=field.help_text,
    )
