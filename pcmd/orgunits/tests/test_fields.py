"""The unit picker: a select for a few units, a search box that resolves names for many."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from pcmd.accounts.models import User
from pcmd.accounts.permissions import scope_filter
from pcmd.accounts.tests.factories import (
    HOANG_GIANG,
    HOANG_HOP,
    OLD_AN_GIANG,
    THANH_HOA,
    make_user,
    unit,
)
from pcmd.orgunits.fields import (
    PICKER_SELECT_MAX,
    UnitPickerField,
    unit_picker_value,
    use_unit_picker,
)
from pcmd.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    org_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none())

    def __init__(self, *args: Any, user: User, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["org_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = scope_filter(
            OrgUnit.objects.exclude(level=OrgUnit.Level.VILLAGE), user, field="id"
        )
        use_unit_picker(self, "org_unit", levels=("commune", "district", "province"))


def test_a_commune_keeps_its_select() -> None:
    form = _Form(user=make_user(unit_code=HOANG_HOP))
    assert not isinstance(form.fields["org_unit"], UnitPickerField)
    assert "<select" in str(form["org_unit"])


def test_a_province_gets_a_search_box_with_suggestions() -> None:
    user = make_user(unit_code=THANH_HOA)
    form = _Form(user=user)
    field = form.fields["org_unit"]
    assert isinstance(field, UnitPickerField)
    assert field.queryset.count() > PICKER_SELECT_MAX
    html = str(form["org_unit"])
    assert "<select" not in html
    assert 'list="id_org_unit-suggestions"' in html
    assert reverse("orgunits:pick") in html


def test_the_box_takes_a_suggestion_an_id_or_a_name() -> None:
    user = make_user(unit_code=THANH_HOA)
    hoang_giang = unit(HOANG_GIANG)
    for typed in (unit_picker_value(hoang_giang), str(hoang_giang.pk), "xã Hoằng Giang"):
        form = _Form({"org_unit": typed}, user=user)
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["org_unit"] == hoang_giang


def test_the_box_refuses_a_unit_outside_the_scope_and_an_unknown_name() -> None:
    user = make_user(unit_code=THANH_HOA)
    an_giang = unit(OLD_AN_GIANG)
    for typed in (unit_picker_value(an_giang), str(an_giang.pk), "xã Không Có Thật"):
        form = _Form({"org_unit": typed}, user=user)
        assert not form.is_valid()
        assert "Không tìm thấy đơn vị này trong phạm vi của bạn." in form.errors["org_unit"]


def test_an_ambiguous_name_is_refused_with_a_hint_not_guessed() -> None:
    user = make_user(unit_code=THANH_HOA)
    # Hoằng Hợp (15919, ended 30/06/2025) has no namesake; "Hoằng" prefixes many communes, so
    # look for a name that occurs twice in the province: pick it from the data.
    names = (
        scope_filter(OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE), user, field="id")
        .values_list("key", flat=True)
        .order_by("key")
    )
    seen: set[str] = set()
    twice = next(k for k in names if k in seen or seen.add(k))  # type: ignore[func-returns-value]
    form = _Form({"org_unit": twice}, user=user)
    assert not form.is_valid()
    assert "trùng tên" in form.errors["org_unit"][0]


def test_suggestions_stay_inside_the_scope_and_the_levels(client: Client) -> None:
    client.force_login(make_user(unit_code=THANH_HOA))
    url = reverse("orgunits:pick")
    response = client.get(url, {"name": "org_unit", "org_unit": "hoang gi", "levels": "commune"})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'value="{unit_picker_value(unit(HOANG_GIANG))}"' in body
    assert "Huyện Hoằng Hóa" in body or "Tỉnh Thanh Hóa" in body  # the parents tell namesakes apart
    # An Giang's communes are out of scope; a district is not a commune.
    response = client.get(url, {"name": "org_unit", "org_unit": "long xuyen", "levels": "commune"})
    assert "<option" not in response.content.decode()
    response = client.get(url, {"name": "org_unit", "org_unit": "hoang hoa", "levels": "commune"})
    assert "Huyện Hoằng Hóa" not in response.content.decode().split('value="')[-1][:30]


def test_one_letter_gives_no_suggestions(client: Client) -> None:
    client.force_login(make_user(unit_code=THANH_HOA))
    response = client.get(reverse("orgunits:pick"), {"q": "h"})
    assert response.status_code == 200
    assert "<option" not in response.content.decode()


def test_a_transfer_box_suggests_units_beyond_the_scope(client: Client) -> None:
    client.force_login(make_user(unit_code=HOANG_HOP))
    url = reverse("orgunits:pick")
    asked = {"name": "to_unit", "to_unit": "hoang giang", "levels": "commune"}
    assert "<option" not in client.get(url, asked).content.decode()
    everywhere = client.get(url, {**asked, "all": "1"}).content.decode()
    assert f'value="{unit_picker_value(unit(HOANG_GIANG))}"' in everywhere
