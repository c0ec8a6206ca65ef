"""The official hierarchy as loaded from vietnamadminunits (once per session, by conftest)."""

from __future__ import annotations

from datetime import date

import pytest

from pcmd.orgunits.loading import orgunits_load
from pcmd.orgunits.models import OrgUnit, OrgUnitLink, OrgUnitScope, OrgUnitSuccession
from pcmd.orgunits.selectors import orgunit_parent, valid_on_q
from pcmd.orgunits.tests.factories import AFTER, BEFORE, unit

pytestmark = pytest.mark.django_db
LAST_OLD_DAY = date(2025, 6, 30)
REFORM = date(2025, 7, 1)


def count(level: str, on: date) -> int:
    return OrgUnit.objects.filter(valid_on_q(on), level=level).count()


def test_old_tree_has_63_provinces_696_districts_and_10035_communes() -> None:
    assert count("province", LAST_OLD_DAY) == 63
    assert count("district", LAST_OLD_DAY) == 696
    assert count("commune", LAST_OLD_DAY) == 10_035


def test_new_tree_has_34_provinces_3321_communes_and_no_districts() -> None:
    assert count("province", REFORM) == 34
    assert count("district", REFORM) == 0
    assert count("commune", REFORM) == 3_321


def test_there_is_one_nation_valid_at_every_date() -> None:
    nation = OrgUnit.objects.get(level="national")
    assert nation.code == "VN"
    assert nation.valid_from is None and nation.valid_to is None


def test_a_second_load_changes_nothing() -> None:
    before = (
        OrgUnit.objects.count(),
        OrgUnitLink.objects.count(),
        OrgUnitSuccession.objects.count(),
        OrgUnitScope.objects.count(),
    )
    result = orgunits_load()
    assert (result.created, result.updated) == (0, 0)
    assert (result.links_created, result.links_updated, result.successions_created) == (0, 0, 0)
    after = (
        OrgUnit.objects.count(),
        OrgUnitLink.objects.count(),
        OrgUnitSuccession.objects.count(),
        OrgUnitScope.objects.count(),
    )
    assert after == before


def test_hoang_giang_keeps_one_identity_and_changes_parent_at_the_reform() -> None:
    assert OrgUnit.objects.filter(code="15880", level="commune").count() == 1
    hoang_giang = unit("15880")
    assert hoang_giang.valid_from is None and hoang_giang.valid_to is None
    assert orgunit_parent(hoang_giang, on=BEFORE).code == "399"  # Huyện Hoằng Hóa
    assert orgunit_parent(hoang_giang, on=AFTER).code == "38"  # Tỉnh Thanh Hóa


def test_merged_commune_ends_on_the_eve_of_the_reform_with_a_default_successor() -> None:
    hoang_hop = unit("15919")
    assert hoang_hop.valid_to == LAST_OLD_DAY
    succession = OrgUnitSuccession.objects.get(predecessor=hoang_hop)
    assert succession.successor.code == "15880"
    assert succession.is_default and succession.effective_date == REFORM


@pytest.mark.django_db
def test_township_that_became_a_commune_is_a_new_unit_with_a_predecessor() -> None:
    # Thị trấn Hà Long (15274) became Xã Hà Long under the same code on 1/7/2025.
    old = OrgUnit.objects.get(code="15274", valid_to__isnull=False)
    new = OrgUnit.objects.get(code="15274", valid_from__isnull=False)
    assert (old.name, old.kind) == ("Thị trấn Hà Long", OrgUnit.Kind.TOWNSHIP)
    assert (new.name, new.kind) == ("Xã Hà Long", OrgUnit.Kind.COMMUNE)
    assert OrgUnitSuccession.objects.filter(predecessor=old, successor=new).exists()


@pytest.mark.django_db
def test_no_township_or_district_is_valid_after_the_reform() -> None:
    after = OrgUnit.objects.filter(valid_on_q(date(2026, 1, 1)))
    assert not after.filter(kind=OrgUnit.Kind.TOWNSHIP).exists()
    assert not after.filter(level=OrgUnit.Level.DISTRICT).exists()
    assert after.filter(level=OrgUnit.Level.COMMUNE).count() == 3321
    assert after.filter(level=OrgUnit.Level.PROVINCE).count() == 34
