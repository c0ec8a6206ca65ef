"""pcmd.tips.demo through `pcmd demo`: tips with their handling, one overdue, created once."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from pcmd.orgunits.selectors import orgunit_get_by_code
from pcmd.tips.deadlines import tip_clock
from pcmd.tips.models import Tip
from pcmd.tips.selectors import handled_in_time

pytestmark = pytest.mark.django_db


def test_the_demo_has_tips_with_their_handling_and_one_overdue() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    assert "tin báo mẫu" in out.getvalue()
    hoang_hop = orgunit_get_by_code("15919", on=date(2025, 1, 1))
    an_giang = orgunit_get_by_code("89", on=date(2020, 1, 1))
    hh = handled_in_time(unit=hoang_hop, period="2025")
    assert hh.received >= 10 and hh.open_overdue == 1
    ag = handled_in_time(unit=an_giang, period="2016-2020")
    assert ag.received >= 10 and ag.late == 1 and ag.in_time == ag.received - 1
    overdue = [t for t in Tip.objects.all() if tip_clock(t).overdue]
    assert len(overdue) == 1
    assert Tip.objects.filter(case__isnull=False).exists()
    assert Tip.objects.filter(inspection__isnull=False).exists()
    assert Tip.objects.filter(outcome="transferred", transferred_to_unit__isnull=False).exists()
    count = Tip.objects.count()
    call_command("demo", stdout=StringIO())
    assert Tip.objects.count() == count
