"""The awareness-activity form picks units from a list or, for a province, by name."""

from __future__ import annotations

import pytest

from pcmd.accounts.tests.factories import HOANG_GIANG, HOANG_HOP, THANH_HOA, make_user, unit
from pcmd.orgunits.fields import UnitPickerField
from pcmd.outreach.forms import OutreachEventForm, OutreachImportForm

pytestmark = pytest.mark.django_db


def test_a_commune_officer_chooses_from_a_short_list_defaulting_to_the_commune() -> None:
    user = make_user(unit_code=HOANG_HOP)
    form = OutreachEventForm(user=user)
    assert not isinstance(form.fields["commune"], UnitPickerField)
    assert form.initial["commune"] == user.org_unit_id


def test_a_province_officer_types_the_commune_name() -> None:
    user = make_user(unit_code=THANH_HOA)
    form = OutreachEventForm(
        {
            "date": "2025-09-02",
            "commune": "Hoằng Giang",
            "form": "loudspeaker",
            "topic": "Phát loa",
        },
        user=user,
    )
    assert isinstance(form.fields["commune"], UnitPickerField)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] == unit(HOANG_GIANG)
    assert isinstance(OutreachImportForm(user=user).fields["commune"], UnitPickerField)


# --- agencies: a province holds thousands; the list shows the chosen commune's ---------------


@pytest.fixture
def agencies(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    from pcmd.orgunits.tests.factories import make_agency
    from pcmd.outreach import forms

    monkeypatch.setattr(forms, "PICKER_SELECT_MAX", 2)  # Hà Nội has 5,212; here a few
    return {
        "province": make_agency(org_unit=unit(THANH_HOA), name="Sở Văn hóa, Thể thao và Du lịch"),
        "giang": make_agency(org_unit=unit(HOANG_GIANG), name="Công an xã"),
        "other": make_agency(org_unit=unit("16012"), name="Công an xã"),
    }


def _options(form: OutreachEventForm) -> list[str]:
    return [str(label) for _value, label in form.fields["agency"].widget.choices][1:]


def test_a_province_officer_sees_the_chosen_communes_agencies_and_may_pick_any(
    agencies: dict[str, object],
) -> None:
    user = make_user(unit_code=THANH_HOA)
    other_commune = agencies["other"].org_unit.name  # type: ignore[attr-defined]
    blank = OutreachEventForm(user=user)
    assert _options(blank) == ["Sở Văn hóa, Thể thao và Du lịch — Tỉnh Thanh Hóa"]
    assert blank.fields["agency"].widget.attrs["hx-trigger"] == "change from:#id_commune"
    data = {"date": "2025-09-02", "commune": "Hoằng Giang", "form": "meeting", "topic": "Họp"}
    typed = OutreachEventForm({**data, "agency": ""}, user=user)
    assert "Công an xã — Xã Hoằng Giang" in _options(typed)
    assert not any(other_commune in o for o in _options(typed))
    # An agency of the scope not in the list (another commune's) is still accepted.
    chosen = OutreachEventForm({**data, "agency": agencies["other"].pk}, user=user)  # type: ignore[attr-defined]
    assert chosen.is_valid(), chosen.errors
    assert chosen.cleaned_data["agency"] == agencies["other"]


def test_a_commune_officer_keeps_the_plain_list(agencies: dict[str, object]) -> None:
    from pcmd.outreach import forms

    forms.PICKER_SELECT_MAX = 300  # type: ignore[misc]  # restored by monkeypatch
    form = OutreachEventForm(user=make_user(unit_code=HOANG_GIANG))
    assert "hx-get" not in form.fields["agency"].widget.attrs
    assert _options(form) == ["Công an xã"]
