from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from pcmd.orgunits import selectors as units
from pcmd.orgunits.demo import demo_load as orgunits_demo_load
from pcmd.support.casefiles import selectors
from pcmd.support.casefiles.models import Beneficiary, Referral
from pcmd.support.demo import demo_support_load

pytestmark = pytest.mark.django_db


def test_demo_case_files_give_the_reach_target_a_real_value() -> None:
    orgunits_demo_load()
    created = demo_support_load()
    assert created["beneficiaries"] == Beneficiary.objects.count() > 40
    hoang_hop = units.orgunit_get_by_code("15919", on=date(2025, 1, 1), level="commune")
    reach = selectors.support_reach(start=date(2025, 1, 1), end=date(2025, 12, 31),
                                    unit=hoang_hop, groups=["sex_worker"])  # fmt: skip
    assert reach.in_need >= 5
    assert 0.7 <= reach.reached / reach.in_need < 1
    an_giang = units.orgunit_get_by_code("89", on=date(2020, 1, 1), level="province")
    reach = selectors.support_reach(start=date(2016, 1, 1), end=date(2020, 12, 31),
                                    unit=an_giang, groups=["sex_worker"])  # fmt: skip
    assert reach.in_need >= 20
    assert 0.7 <= reach.reached / reach.in_need < 1
    assert Referral.objects.filter(follow_up_on__lt=date.today(), status="pending").count() == 2
    assert Beneficiary.objects.filter(status="closed", closure_approved_by__isnull=False).exists()
    # Plainly fictitious, and sealed.
    assert all("(giả định)" in b.full_name for b in Beneficiary.objects.all()[:5])
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM support_beneficiary")
        assert not any("giả định" in (row[0] or "") for row in cursor.fetchall())
    # A second run creates nothing; the same run gives the same codes.
    codes = sorted(Beneficiary.objects.values_list("code", flat=True))
    assert demo_support_load() == {}
    assert sorted(Beneficiary.objects.values_list("code", flat=True)) == codes
