"""Reading the tree on a date; resolving names and codes the way plan documents write them."""

from __future__ import annotations

from datetime import date

import pytest

from pcmd.orgunits import selectors, services
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
from pcmd.orgunits.tests.factories import AFTER, BEFORE, make_agency, unit

pytestmark = pytest.mark.django_db


def codes(units: object) -> list[str]:
    return [u.code for u in units]  # type: ignore[attr-defined]


# --- names and codes from documents ---------------------------------------------------------


def test_seed_names_with_wrong_diacritics_resolve_to_hoang_hop_and_hoang_hoa() -> None:
    # The commune plan writes "xã Hoàng Hợp", "huyện Hoàng Hóa" for Hoằng Hợp, Hoằng Hóa.
    assert codes(selectors.orgunit_find("xã Hoàng Hợp")) == ["15919"]
    assert codes(selectors.orgunit_find("huyện Hoàng Hóa")) == ["399"]
    commune = selectors.orgunit_find("xã Hoàng Hợp, huyện Hoàng Hóa")
    assert codes(commune) == ["15919"]
    assert codes(selectors.orgunit_ancestors(commune[0], on=date(2025, 2, 17))) == [
        "399",
        "38",
        "VN",
    ]


def test_province_name_resolves_by_date_and_lists_both_without_one() -> None:
    assert codes(selectors.orgunit_find("tỉnh An Giang", on=date(2016, 7, 15))) == ["89"]
    assert codes(selectors.orgunit_find("tỉnh An Giang", on=AFTER)) == ["91"]
    assert sorted(codes(selectors.orgunit_find("tỉnh An Giang"))) == ["89", "91"]


def test_reused_code_is_ambiguous_without_a_date() -> None:
    with pytest.raises(selectors.OrgUnitAmbiguous) as exc:
        selectors.orgunit_get_by_code("91")
    assert {u.name for u in exc.value.candidates} == {"Tỉnh Kiên Giang", "Tỉnh An Giang"}
    assert "khớp với nhiều đơn vị" in str(exc.value)
    assert selectors.orgunit_get_by_code("91", on=date(2020, 1, 1)).name == "Tỉnh Kiên Giang"
    assert selectors.orgunit_get_by_code("91", on=AFTER).name == "Tỉnh An Giang"


def test_unknown_code_is_not_found() -> None:
    with pytest.raises(selectors.OrgUnitNotFound):
        selectors.orgunit_get_by_code("99999")


def test_search_ignores_case_and_diacritics() -> None:
    found = OrgUnit.objects.filter(selectors.orgunit_search("HOANG HOP"))
    assert "15919" in codes(found)


# --- the tree on a date ---------------------------------------------------------------------


def test_record_of_march_2025_under_hoang_hop_rolls_up_then_moves_to_hoang_giang() -> None:
    hoang_hop = unit("15919")
    march = date(2025, 3, 1)
    assert selectors.orgunit_successor(hoang_hop, on=march) == hoang_hop
    assert codes(selectors.orgunit_ancestors(hoang_hop, on=march)) == ["399", "38", "VN"]
    assert selectors.orgunit_successor(hoang_hop, on=AFTER) == unit("15880")


def test_the_chain_up_to_the_nation_is_read_in_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    hoang_hop, hoang_giang = unit("15919"), unit("15880")
    with django_assert_num_queries(1):
        before = selectors.orgunit_ancestors(hoang_hop, on=date(2025, 3, 1))
    with django_assert_num_queries(1):
        after = selectors.orgunit_ancestors(hoang_giang, on=AFTER)
    assert codes(before) == ["399", "38", "VN"] and codes(after) == ["38", "VN"]


def test_a_unit_the_scope_table_does_not_know_still_gets_its_chain() -> None:
    from pcmd.orgunits.models import OrgUnitLink

    commune = unit("15880")
    village = OrgUnit.objects.create(level=OrgUnit.Level.VILLAGE, name="Thôn Mới", key="thon-moi")
    OrgUnitLink.objects.create(child=village, parent=commune)
    assert not OrgUnitScope.objects.filter(unit=village).exclude(holder=village).exists()
    assert codes(selectors.orgunit_ancestors(village, on=AFTER)) == ["15880", "38", "VN"]


def test_descendants_follow_the_tree_of_the_date() -> None:
    thanh_hoa = unit("38")
    before = set(codes(selectors.orgunit_descendants(thanh_hoa, on=BEFORE)))
    after = set(codes(selectors.orgunit_descendants(thanh_hoa, on=AFTER)))
    assert {"399", "15919", "15880"} <= before
    assert "15880" in after
    assert "15919" not in after and "399" not in after
    assert not selectors.orgunit_descendants(thanh_hoa, on=AFTER).filter(level="district")


def test_children_of_a_district_exist_only_before_the_reform() -> None:
    hoang_hoa = unit("399")
    assert "15919" in codes(selectors.orgunit_children(hoang_hoa, on=BEFORE))
    assert not selectors.orgunit_children(hoang_hoa, on=AFTER).exists()


def test_scope_of_the_merged_commune_covers_the_communes_it_succeeded() -> None:
    hoang_giang, hoang_hop = unit("15880"), unit("15919")
    assert OrgUnitScope.objects.filter(holder=hoang_giang, unit=hoang_hop).exists()
    assert OrgUnitScope.objects.filter(holder=unit("38"), unit=hoang_hop).exists()
    assert not OrgUnitScope.objects.filter(holder=hoang_hop, unit=hoang_giang).exists()
    assert not OrgUnitScope.objects.filter(holder=unit("89"), unit=hoang_hop).exists()


# --- villages and agencies ------------------------------------------------------------------


def test_village_list_is_the_communes_villages() -> None:
    commune = unit("15880")
    services.village_create(commune=commune, name="Thôn 2", kind="village", acting_user=None)
    services.village_create(commune=commune, name="Thôn 1", kind="village", acting_user=None)
    assert [v.name for v in selectors.village_list(commune)] == ["Thôn 1", "Thôn 2"]
    assert not selectors.village_list(unit("15919")).exists()


def test_agency_list_on_a_date_leaves_out_closed_and_future_agencies() -> None:
    commune = unit("15880")
    old = make_agency(org_unit=commune, name="Công chức VH-XH", valid_to=date(2025, 6, 30))
    new = make_agency(org_unit=commune, name="Phòng VH-XH", valid_from=date(2025, 7, 1))
    always = make_agency(org_unit=commune, name="Công an xã Hoằng Giang")
    assert set(selectors.agency_list(commune, on=BEFORE)) == {old, always}
    assert set(selectors.agency_list(commune, on=AFTER)) == {new, always}
    assert set(selectors.agency_list(commune)) == {old, new, always}


def test_standing_agency_is_the_one_assigned_on_the_date() -> None:
    commune = unit("15880")
    officer = make_agency(org_unit=commune, name="Công chức VH-XH", valid_to=date(2025, 6, 30))
    office = make_agency(org_unit=commune, name="Phòng VH-XH", valid_from=date(2025, 7, 1))
    services.standing_agency_assign(
        org_unit=commune, agency=officer, valid_from=None, acting_user=None
    )
    services.standing_agency_assign(
        org_unit=commune, agency=office, valid_from=date(2025, 7, 1), acting_user=None
    )
    assert selectors.standing_agency(commune, on=BEFORE) == officer
    assert selectors.standing_agency(commune, on=AFTER) == office
    assert selectors.standing_agency(unit("15919"), on=BEFORE) is None
