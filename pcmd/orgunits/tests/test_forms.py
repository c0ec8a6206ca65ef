"""Forms of orgunits: what a person typed, parsed and checked in Vietnamese."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pcmd.orgunits.forms import AgencyForm, StandingAgencyForm, VillageForm, VillageImportForm
from pcmd.orgunits.tests.factories import make_agency, unit

pytestmark = pytest.mark.django_db


def test_village_form_requires_a_name_and_a_village_kind() -> None:
    form = VillageForm({"name": "  ", "kind": "ward"})
    assert not form.is_valid()
    assert form.errors["name"] == ["Hãy nhập tên thôn, tổ dân phố."]
    assert form.errors["kind"] == ["Loại không hợp lệ."]
    ok = VillageForm({"name": "Thôn  1", "kind": "village"})
    assert ok.is_valid() and ok.cleaned_data == {"name": "Thôn 1", "kind": "village", "code": ""}


def test_village_import_form_accepts_only_xlsx_and_csv() -> None:
    bad = VillageImportForm(files={"file": SimpleUploadedFile("thon.pdf", b"x")})
    assert not bad.is_valid()
    assert "Chỉ nhận tệp" in bad.errors["file"][0]
    good = VillageImportForm(files={"file": SimpleUploadedFile("thon.csv", b"Ten,Loai\n")})
    assert good.is_valid()


def test_agency_form_reads_vietnamese_dates_and_checks_their_order() -> None:
    form = AgencyForm(
        {
            "kind": "police",
            "name": "Công an xã",
            "valid_from": "01/07/2025",
            "valid_to": "30/06/2025",
        }
    )
    assert not form.is_valid()
    assert form.errors["valid_to"] == ["Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."]
    form = AgencyForm({"kind": "police", "name": "Công an xã", "valid_from": "2025-07-01"})
    assert form.is_valid()
    assert set(form.cleaned_data) == {
        "kind",
        "name",
        "short_name",
        "valid_from",
        "valid_to",
        "is_requested",
        "note",
    }
    assert form.cleaned_data["valid_from"] == date(2025, 7, 1)


def test_agency_form_starts_from_the_instance_when_editing() -> None:
    agency = make_agency(org_unit=unit("15880"), name="Trạm y tế", kind="health_station")
    form = AgencyForm(instance=agency)
    assert form.initial["name"] == "Trạm y tế" and form.instance == agency


def test_standing_agency_form_offers_only_the_units_agencies() -> None:
    own = make_agency(org_unit=unit("15880"), name="Phòng VH-XH")
    other = make_agency(org_unit=unit("15919"), name="Công an xã")
    form = StandingAgencyForm(
        {"agency": other.pk, "valid_from": "01/07/2025"}, org_unit=unit("15880")
    )
    assert not form.is_valid() and form.errors["agency"] == ["Cơ quan này không thuộc đơn vị."]
    form = StandingAgencyForm(
        {"agency": own.pk, "valid_from": "01/07/2025"}, org_unit=unit("15880")
    )
    assert form.is_valid()
    assert form.cleaned_data == {"agency": own, "valid_from": date(2025, 7, 1), "legal_basis": ""}
