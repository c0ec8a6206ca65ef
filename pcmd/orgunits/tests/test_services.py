"""Writing villages, agencies, standing agencies and default successors (audited, all-or-none)."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from pcmd.accounts.models import AuditEvent
from pcmd.orgunits import importing, selectors, services
from pcmd.orgunits.models import (
    AgencySuccession,
    OrgUnit,
    OrgUnitLink,
    OrgUnitScope,
    OrgUnitSuccession,
    StandingAgencyAssignment,
)
from pcmd.orgunits.tests.factories import csv_bytes, make_agency, make_user, unit, xlsx_bytes

pytestmark = pytest.mark.django_db


def villages_of(commune: OrgUnit) -> list[str]:
    return [v.name for v in selectors.village_list(commune)]


# --- village_create -------------------------------------------------------------------------


def test_village_is_created_under_the_commune_with_its_kind_word_and_scope() -> None:
    user = make_user(code="15880")
    commune = unit("15880")
    village = services.village_create(commune=commune, name="1", kind="village", acting_user=user)
    assert (village.name, village.short_name, village.level) == ("Thôn 1", "1", "village")
    assert village.natural_key == f"village:{commune.pk}:thon 1"
    assert village.valid_from is None and village.valid_to is None
    assert OrgUnitLink.objects.filter(child=village, parent=commune).exists()
    holders = set(OrgUnitScope.objects.filter(unit=village).values_list("holder__code", flat=True))
    assert {"15880", "38", "VN", ""} <= holders  # "" is the village itself
    # A document's "thôn 1, xã Hoằng Giang" now resolves to it.
    assert selectors.orgunit_find("thôn 1, xã Hoằng Giang") == [village]
    event = AuditEvent.objects.get(action="create", object_id=str(village.pk))
    assert event.user == user and event.object_type == "orgunits.orgunit"


def test_same_village_name_twice_in_a_commune_is_refused_in_vietnamese() -> None:
    commune = unit("15880")
    services.village_create(commune=commune, name="Thôn Đông", kind="village", acting_user=None)
    with pytest.raises(ValidationError) as exc:
        services.village_create(commune=commune, name="thon dong", kind="village", acting_user=None)
    assert "Xã Hoằng Giang đã có “Thôn Đông”" in exc.value.message_dict["name"][0]
    assert villages_of(commune) == ["Thôn Đông"]


def test_same_name_in_another_commune_is_fine() -> None:
    services.village_create(commune=unit("15880"), name="Thôn 1", kind="village", acting_user=None)
    other = unit("15919")
    services.village_create(
        commune=other, name="Thôn 1", kind="village", acting_user=None, record_historic=True
    )
    assert villages_of(other) == ["Thôn 1"]


def test_village_needs_a_commune_valid_today_unless_entering_history() -> None:
    hoang_hop = unit("15919")
    with pytest.raises(ValidationError, match="không còn hiệu lực"):
        services.village_create(commune=hoang_hop, name="Thôn 1", kind="village", acting_user=None)
    old = services.village_create(
        commune=hoang_hop, name="Thôn 1", kind="village", acting_user=None, record_historic=True
    )
    assert old.valid_to == hoang_hop.valid_to
    # Its records follow the commune's successor after the reform.
    assert selectors.orgunit_successor(old, on=date(2026, 1, 1)) == unit("15880")
    with pytest.raises(ValidationError, match="cấp xã"):
        services.village_create(commune=unit("38"), name="Thôn 1", kind="village", acting_user=None)


def test_village_kind_must_be_a_village_kind() -> None:
    with pytest.raises(ValidationError) as exc:
        services.village_create(commune=unit("15880"), name="A", kind="ward", acting_user=None)
    assert "kind" in exc.value.message_dict


# --- villages_import ------------------------------------------------------------------------


def test_csv_with_vietnamese_headers_and_kind_words_is_imported() -> None:
    commune = unit("15880")
    user = make_user(code="15880")
    data = csv_bytes(
        [
            ["Tên", "Loại", "Mã"],
            ["Thôn 1", "Thôn", "01"],
            ["3", "Tổ dân phố", ""],
            ["Đồng Tiến", "xóm", ""],
            ["Bình Hòa", "mekong_hamlet", "04"],
        ]
    )
    result = services.villages_import(
        commune=commune, file=io.BytesIO(data), filename="thon.csv", acting_user=user
    )
    assert result.ok, result.messages
    assert sorted(villages_of(commune)) == [
        "Thôn 1",
        "Tổ dân phố 3",
        "Xóm Đồng Tiến",
        "Ấp Bình Hòa",
    ]
    assert {v.kind for v in result.created} == {
        "village",
        "residential_group",
        "hamlet",
        "mekong_hamlet",
    }
    event = AuditEvent.objects.get(action="import")
    assert event.detail == {"filename": "thon.csv", "villages": 4} and event.user == user
    holders = OrgUnitScope.objects.filter(unit__in=result.created, holder=commune).count()
    assert holders == 4


def test_xlsx_with_english_headers_and_numeric_codes_is_imported() -> None:
    commune = unit("15880")
    data = xlsx_bytes(
        [
            ["name", "kind", "code"],
            ["Thôn 5", "Thôn", 5],
            [None, None, None],
            ["Bản Lầu", "Bản", 6.0],
        ]
    )
    result = services.villages_import(
        commune=commune, file=data, filename="THON.XLSX", acting_user=None
    )
    assert result.ok, result.messages
    assert sorted((v.name, v.code) for v in result.created) == [("Bản Lầu", "6"), ("Thôn 5", "5")]


def test_import_writes_nothing_and_reports_every_bad_row() -> None:
    commune = unit("15880")
    services.village_create(commune=commune, name="Thôn 9", kind="village", acting_user=None)
    data = csv_bytes(
        [
            ["Tên", "Loại"],
            ["Thôn 1", "Thôn"],  # row 2: fine
            ["", "Thôn"],  # row 3: no name
            ["Thôn 2", "Làng mạc"],  # row 4: unknown kind
            ["thôn 1", "Thôn"],  # row 5: repeats row 2
            ["Thôn 9", "Thôn"],  # row 6: already in the commune
            ["Thôn 7", ""],
        ]  # row 7: no kind
    )
    result = services.villages_import(
        commune=commune, file=data, filename="a.csv", acting_user=None
    )
    assert not result.ok
    assert [e.row for e in result.errors] == [3, 4, 5, 6, 7]
    text = "\n".join(result.messages)
    assert "Dòng 3: thiếu tên thôn" in text
    assert "Dòng 4: loại “Làng mạc” không hợp lệ" in text
    assert "Dòng 5: “Thôn 1” trùng với dòng 2" in text
    assert "Dòng 6: Xã Hoằng Giang đã có “Thôn 9”" in text
    assert "Dòng 7: thiếu loại" in text
    assert villages_of(commune) == ["Thôn 9"]
    assert not AuditEvent.objects.filter(action="import").exists()


def test_duplicate_codes_in_the_file_are_reported() -> None:
    data = csv_bytes([["Tên", "Loại", "Mã"], ["Thôn 1", "Thôn", "01"], ["Thôn 2", "Thôn", "01"]])
    result = services.villages_import(
        commune=unit("15880"), file=data, filename="a.csv", acting_user=None
    )
    assert result.messages == ["Dòng 3: mã “01” trùng với dòng 2."]


def test_import_keeps_names_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Thôn Đông Hải")
    data = csv_bytes([["Tên", "Loại"], [decomposed, unicodedata.normalize("NFD", "Thôn")]])
    result = services.villages_import(
        commune=unit("15880"), file=data, filename="a.csv", acting_user=None
    )
    assert result.ok
    assert result.created[0].name == unicodedata.normalize("NFC", "Thôn Đông Hải")


def test_file_without_header_is_read_as_name_kind_code() -> None:
    data = csv_bytes([["Thôn 1", "Thôn"], ["Thôn 2", "Thôn"]], bom=False)
    result = services.villages_import(
        commune=unit("15880"), file=data, filename="a.csv", acting_user=None
    )
    assert result.ok and len(result.created) == 2


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"not a zip", "thon.xlsx", "Không đọc được tệp"),
        ("Tên,Loai\nThôn 1,Thôn\n".encode("latin-1"), "thon.csv", "UTF-8"),
        (b"x", "thon.pdf", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)"),
        (b"", "thon.csv", "Tệp rỗng"),
        (b"Ten,Loai\n", "thon.csv", "không có dòng dữ liệu"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(
    data: bytes, filename: str, message: str
) -> None:
    result = services.villages_import(
        commune=unit("15880"), file=data, filename=filename, acting_user=None
    )
    assert not result.ok and message in result.messages[0]
    assert result.errors[0].row == 0


def test_too_many_rows_and_too_large_files_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["Tên", "Loại"]] + [[f"Thôn {i}", "Thôn"] for i in range(5001)]
    result = services.villages_import(
        commune=unit("15880"), file=csv_bytes(rows), filename="a.csv", acting_user=None
    )
    assert result.messages == ["Tệp có quá nhiều dòng (tối đa 5.000 dòng)."]
    monkeypatch.setattr(importing, "VILLAGE_IMPORT_MAX_BYTES", 10)
    result = services.villages_import(
        commune=unit("15880"), file=csv_bytes(rows[:3]), filename="a.csv", acting_user=None
    )
    assert "Tệp quá lớn" in result.messages[0]
    assert not selectors.village_list(unit("15880")).exists()


def test_import_into_a_commune_that_ended_is_refused() -> None:
    data = csv_bytes([["Tên", "Loại"], ["Thôn 1", "Thôn"]])
    result = services.villages_import(
        commune=unit("15919"), file=data, filename="a.csv", acting_user=None
    )
    assert "không còn hiệu lực" in result.messages[0]


# --- agencies -------------------------------------------------------------------------------


def test_agency_create_normalises_and_audits() -> None:
    user = make_user(code="15880")
    agency = services.agency_create(
        org_unit=unit("15880"), kind="police", name="  Công an  xã Hoằng Giang ", acting_user=user
    )
    assert agency.name == "Công an xã Hoằng Giang"
    assert agency.key == "cong an xa hoang giang"
    event = AuditEvent.objects.get(action="create", object_type="orgunits.agency")
    assert event.org_unit == unit("15880") and event.user == user


def test_agency_with_the_same_name_and_overlapping_dates_is_refused() -> None:
    commune = unit("15880")
    make_agency(org_unit=commune, name="Công an xã", valid_to=date(2025, 6, 30))
    with pytest.raises(ValidationError, match="đã có “Công an xã”"):
        services.agency_create(
            org_unit=commune,
            kind="police",
            name="CÔNG AN XÃ",
            valid_from=date(2025, 1, 1),
            acting_user=None,
        )
    later = services.agency_create(
        org_unit=commune,
        kind="police",
        name="Công an xã",
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )
    assert later.pk


def test_agency_dates_must_be_in_order() -> None:
    with pytest.raises(ValidationError) as exc:
        services.agency_create(
            org_unit=unit("15880"),
            kind="police",
            name="Công an",
            valid_from=date(2025, 7, 1),
            valid_to=date(2025, 1, 1),
            acting_user=None,
        )
    assert "valid_to" in exc.value.message_dict


def test_agency_update_changes_only_given_fields_and_records_old_and_new() -> None:
    agency = make_agency(org_unit=unit("15880"), name="Trạm y tế", kind="health_station")
    services.agency_update(agency=agency, name="Trạm y tế xã Hoằng Giang", acting_user=None)
    agency.refresh_from_db()
    assert agency.name == "Trạm y tế xã Hoằng Giang" and agency.kind == "health_station"
    event = AuditEvent.objects.get(action="update")
    assert event.detail["changes"] == {"name": ["Trạm y tế", "Trạm y tế xã Hoằng Giang"]}
    services.agency_update(agency=agency, name="Trạm y tế xã Hoằng Giang", acting_user=None)
    assert AuditEvent.objects.filter(action="update").count() == 1  # no change, no event


def test_agency_update_that_fails_leaves_the_object_as_it_was() -> None:
    agency = make_agency(org_unit=unit("15880"), name="Trạm y tế", valid_from=date(2025, 7, 1))
    with pytest.raises(ValidationError):
        services.agency_update(agency=agency, valid_to=date(2025, 1, 1), acting_user=None)
    assert agency.valid_to is None


def test_agency_close_ends_its_standing_role_the_same_day() -> None:
    commune = unit("15880")
    agency = make_agency(org_unit=commune, name="Công chức VH-XH", kind="culture_social_officer")
    assignment = services.standing_agency_assign(
        org_unit=commune, agency=agency, valid_from=None, acting_user=None
    )
    services.agency_close(agency=agency, valid_to=date(2025, 6, 30), acting_user=None)
    assignment.refresh_from_db()
    assert agency.valid_to == date(2025, 6, 30) == assignment.valid_to


def test_agency_succession_links_predecessor_to_successor() -> None:
    old = make_agency(org_unit=unit("89"), name="Sở LĐTBXH", kind="labour_social_affairs")
    new = make_agency(
        org_unit=unit("91"), name="Sở Y tế", kind="health_department", valid_from=date(2025, 7, 1)
    )
    succession = services.agency_succession_create(
        predecessor=old,
        successor=new,
        effective_date=date(2025, 7, 1),
        function="phòng, chống mại dâm",
        acting_user=None,
    )
    assert AgencySuccession.objects.get() == succession
    with pytest.raises(ValidationError, match="đã có"):
        services.agency_succession_create(
            predecessor=old,
            successor=new,
            effective_date=date(2025, 7, 1),
            function="phòng, chống mại dâm",
            acting_user=None,
        )
    with pytest.raises(ValidationError, match="chỉ có hiệu lực từ"):
        services.agency_succession_create(
            predecessor=old, successor=new, effective_date=date(2025, 3, 1), acting_user=None
        )
    with pytest.raises(ValidationError):
        services.agency_succession_create(
            predecessor=old, successor=old, effective_date=date(2025, 3, 1), acting_user=None
        )


def test_standing_agency_assign_closes_the_previous_one_the_day_before() -> None:
    province = unit("89")
    labour = make_agency(org_unit=province, name="Sở LĐTBXH", kind="labour_social_affairs")
    health = make_agency(org_unit=province, name="Sở Y tế", kind="health_department")
    first = services.standing_agency_assign(
        org_unit=province, agency=labour, valid_from=None, acting_user=None
    )
    second = services.standing_agency_assign(
        org_unit=province,
        agency=health,
        valid_from=date(2025, 3, 1),
        legal_basis="NĐ 42/2025/NĐ-CP",
        acting_user=None,
    )
    first.refresh_from_db()
    assert first.valid_to == date(2025, 2, 28)
    assert second.valid_to is None and second.legal_basis == "NĐ 42/2025/NĐ-CP"
    assert selectors.standing_agency(province, on=date(2016, 7, 15)) == labour
    # An earlier date than an existing assignment, or another unit's agency, is refused.
    with pytest.raises(ValidationError, match="đã có cơ quan thường trực"):
        services.standing_agency_assign(
            org_unit=province, agency=labour, valid_from=date(2025, 1, 1), acting_user=None
        )
    other = make_agency(org_unit=unit("15919"), name="Công an xã")
    with pytest.raises(ValidationError, match="phải là cơ quan của Tỉnh An Giang"):
        services.standing_agency_assign(
            org_unit=province, agency=other, valid_from=date(2025, 5, 1), acting_user=None
        )
    assert StandingAgencyAssignment.objects.filter(org_unit=province).count() == 2


# --- successions of split communes ----------------------------------------------------------


def test_setting_the_default_successor_moves_the_scope() -> None:
    split = (
        OrgUnitSuccession.objects.filter(is_default=False)
        .select_related("predecessor", "successor")
        .first()
    )
    assert split is not None, "the 2025 map has split communes"
    old = split.predecessor
    previous = OrgUnitSuccession.objects.get(predecessor=old, is_default=True)
    assert OrgUnitScope.objects.filter(holder=previous.successor, unit=old).exists()
    assert not OrgUnitScope.objects.filter(holder=split.successor, unit=old).exists()

    services.succession_set_default(succession=split, acting_user=None)

    assert list(
        OrgUnitSuccession.objects.filter(predecessor=old, is_default=True).values_list(
            "successor_id", flat=True
        )
    ) == [split.successor_id]
    assert OrgUnitScope.objects.filter(holder=split.successor, unit=old).exists()
    assert not OrgUnitScope.objects.filter(holder=previous.successor, unit=old).exists()
    assert selectors.orgunit_successor(old, on=date(2026, 1, 1)) == split.successor
    event = AuditEvent.objects.get(action="update")
    assert event.detail["previous_defaults"] == [previous.successor_id]


def test_every_unit_is_its_own_holder_so_one_subquery_covers_a_subtree() -> None:
    # pcmd.indicators.compute.unit_area() and the dashboard trends rely on it (no OR with the
    # unit itself, which kept PostgreSQL off the (unit, date) index).
    village = services.village_create(
        commune=unit("15880"), name="Thôn Mới", kind="village", acting_user=None
    )
    units = set(OrgUnit.objects.values_list("id", flat=True))
    own = set(
        OrgUnitScope.objects.filter(holder_id=models.F("unit_id")).values_list("unit_id", flat=True)
    )
    assert village.pk in own
    assert own == units
    services.orgunit_scope_rebuild()
    assert (
        set(
            OrgUnitScope.objects.filter(holder_id=models.F("unit_id")).values_list(
                "unit_id", flat=True
            )
        )
        == units
    )
