"""form_errors_from puts every message a service gave where the user will see it; form_save
runs a service behind a form and handles its refusals and stale edits."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from pcmd.common.forms import form_errors_from, form_save
from pcmd.common.records import StaleRecord


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


class _Versioned(forms.Form):
    name = forms.CharField()
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def test_form_save_returns_what_the_service_saved() -> None:
    form = _Versioned({"name": "Đội 178", "version": "1"})
    assert form_save(form, lambda: "đã lưu") == ("đã lưu", None)


def test_form_save_puts_a_refusal_on_the_form() -> None:
    def refuse() -> str:
        raise ValidationError({"name": "Tên đã có."})

    form = _Versioned({"name": "Đội 178", "version": "1"})
    assert form_save(form, refuse) == (None, None)
    assert form.errors["name"] == ["Tên đã có."]
    assert form_save(_Versioned({"version": "1"}), refuse) == (None, None)  # invalid: not run


def test_form_save_keeps_the_typing_and_moves_to_the_other_persons_version() -> None:
    class Row:
        version = 3

    def stale() -> str:
        raise StaleRecord(Row())  # type: ignore[arg-type]

    form = _Versioned({"name": "Tên tôi gõ", "version": "2"})
    saved, current = form_save(form, stale)
    assert saved is None and isinstance(current, Row)
    assert form.data["name"] == "Tên tôi gõ" and form.data["version"] == "3"
    assert form.non_field_errors()
