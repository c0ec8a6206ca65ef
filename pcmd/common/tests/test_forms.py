"""form_errors_from puts every message a service gave where the user will see it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from pcmd.common.forms import form_errors_from


class _Form(forms.Form):
    village = forms.CharField(required=False)
    date = forms.DateField(required=False)


def _bound() -> _Form:
    form = _Form({})
    assert form.is_valid()
    return form


def test_field_errors_go_beside_their_field_renamed_or_to_the_top() -> None:
    form = _bound()
    exc = ValidationError({"org_unit": "Thôn của xã khác.", "date": "Ngày ở tương lai.",
                           "secret": "Không thuộc phạm vi."})  # fmt: skip
    form_errors_from(exc, form, rename={"org_unit": "village"})
    assert form.errors["village"] == ["Thôn của xã khác."]
    assert form.errors["date"] == ["Ngày ở tương lai."]
    assert form.non_field_errors() == ["Không thuộc phạm vi."]


def test_an_error_without_a_field_goes_to_the_top() -> None:
    form = _bound()
    form_errors_from(ValidationError("Bản ghi đã bị xóa."), form)
    assert form.non_field_errors() == ["Bản ghi đã bị xóa."]
