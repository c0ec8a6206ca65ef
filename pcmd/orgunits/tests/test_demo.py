"""orgunits.demo.demo_load: villages, agencies, successions and accounts around the seed plans.

The `pcmd demo` command (both apps, idempotence) is tested in pcmd/demo/tests."""

from __future__ import annotations

from datetime import date

import pytest

from pcmd.accounts.models import AuditEvent, User
from pcmd.orgunits import selectors
from pcmd.orgunits.demo import DEMO_PASSWORD, DEMO_USERS, demo_load
from pcmd.orgunits.models import (
    Agency,
    AgencySuccession,
    OrgUnit,
    OrgUnitScope,
    StandingAgencyAssignment,
)
from pcmd.orgunits.tests.factories import unit

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        OrgUnit.objects.count(),
        OrgUnitScope.objects.count(),
        Agency.objects.count(),
        AgencySuccession.objects.count(),
        StandingAgencyAssignment.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    )


def test_demo_load_twice_changes_nothing() -> None:
    first = demo_load()
    after_first = counts()
    assert first.created_count > 0
    second = demo_load()
    assert counts() == after_first and second.created_count == 0


def test_demo_users_log_in_with_the_demo_password_in_their_unit() -> None:
    demo_load()
    assert User.objects.filter(is_demo=True).count() == len(DEMO_USERS) == 13
    hoanghop = User.objects.get(username="hoanghop")
    assert hoanghop.check_password(DEMO_PASSWORD)
    assert (hoanghop.role, hoanghop.org_unit) == ("coordinator", unit("15919"))
    assert hoanghop.get_full_name() and hoanghop.last_name == "Lê Thị"
    police = User.objects.get(username="hoanghop.congan")
    assert police.agency is not None and police.agency.name == "Công an xã Hoằng Hợp"
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.org_unit.level == "national"
    assert User.objects.get(username="angiang").org_unit.code == "89"
    assert User.objects.get(username="hoanggiang").org_unit == unit("15880")
    assert not User.objects.get(username="thanhhoa").is_superuser


def test_demo_agencies_come_from_the_seed_plans() -> None:
    demo_load()
    an_giang = unit("89")
    names = set(Agency.objects.filter(org_unit=an_giang).values_list("name", flat=True))
    assert {
        "Sở Lao động - Thương binh và Xã hội tỉnh An Giang",
        "Công an tỉnh An Giang",
        "Báo An Giang",
        "Tỉnh Đoàn An Giang",
    } <= names
    requested = Agency.objects.filter(org_unit=an_giang, is_requested=True)
    assert requested.filter(name="Viện Kiểm sát nhân dân tỉnh An Giang").exists()
    assert not Agency.objects.filter(
        org_unit=an_giang, name="Sở Y tế tỉnh An Giang", is_requested=True
    ).exists()
    assert not Agency.objects.filter(key__contains="co lien quan").exists()
    districts = selectors.orgunit_children(an_giang, on=date(2025, 1, 1))
    committees = Agency.objects.filter(org_unit__in=districts, kind="people_committee")
    assert committees.count() == districts.count() > 0
    schools = Agency.objects.filter(org_unit=unit("15919"), kind="school")
    assert schools.count() == 3 and {s.valid_to for s in schools} == {date(2025, 6, 30)}


def test_demo_standing_agency_follows_the_2025_changes() -> None:
    demo_load()
    old, new = unit("89"), unit("91")
    assert selectors.standing_agency(old, on=date(2016, 7, 15)).short_name == "Sở LĐTBXH"
    assert selectors.standing_agency(old, on=date(2025, 4, 1)).name == "Sở Y tế tỉnh An Giang"
    assert selectors.standing_agency(new, on=date(2026, 1, 1)).org_unit == new
    assert selectors.standing_agency(unit("15880"), on=date(2026, 1, 1)).kind == (
        "culture_social_office"
    )
    labour = Agency.objects.get(org_unit=old, kind="labour_social_affairs")
    succession = AgencySuccession.objects.get(predecessor=labour)
    assert succession.successor.name == "Sở Y tế tỉnh An Giang"
    assert succession.effective_date == date(2025, 3, 1)
    assert succession.function == "phòng, chống mại dâm"


def test_demo_villages_are_under_their_communes() -> None:
    demo_load()
    assert selectors.village_list(unit("15880")).count() == 8
    old_villages = selectors.village_list(unit("15919"))
    assert old_villages.count() == 6
    assert {v.valid_to for v in old_villages} == {date(2025, 6, 30)}
