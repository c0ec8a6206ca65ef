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
