from __future__ import annotations

from datetime import date

import pytest

from pcmd.accounts.models import User
from pcmd.common.periods import period_parse
from pcmd.orgunits.models import Agency
from pcmd.orgunits.selectors import orgunit_children
from pcmd.outreach.selectors import (
    agencies_with_activity,
    outreach_event_list_for_user,
    outreach_filters_parse,
    units_with_activity,
)
from pcmd.outreach.tests.factories import (
    HOANG_HOP,
    a_village,
    hoang_hop_with_villages,
    make_event,
    make_user,
    unit,
)

pytestmark = pytest.mark.django_db


def test_share_of_villages_with_at_least_one_event_in_the_period() -> None:
    commune = hoang_hop_with_villages()
    villages = list(orgunit_children(commune, on=date(2025, 6, 30)))
    assert len(villages) >= 2
    make_event(org_unit=villages[0], date=date(2025, 2, 1))
    make_event(org_unit=villages[0], date=date(2025, 3, 1))
    make_event(org_unit=villages[1], date=date(2024, 3, 1))  # outside the period
    make_event(org_unit=commune, date=date(2025, 3, 1))  # the commune itself is no village
    coverage = units_with_activity(unit=commune, period=period_parse("2025S1"))
    assert (coverage.total, coverage.done) == (len(villages), 1)
    assert coverage.done_ids == {villages[0].pk}


def test_share_of_agencies_that_organised_an_event() -> None:
    commune = hoang_hop_with_villages()
    agencies = list(Agency.objects.filter(org_unit=commune))
    make_event(org_unit=a_village(commune), agency=agencies[0], date=date(2025, 5, 1))
    coverage = agencies_with_activity(unit=commune, period=period_parse("2025"))
    assert coverage.done == 1 and coverage.total == len(agencies)
    assert coverage.share == pytest.approx(1 / len(agencies))


def test_list_is_scoped_and_filtered() -> None:
    commune = hoang_hop_with_villages()
    mine = make_event(org_unit=a_village(commune), form="website")
    make_event(org_unit=unit("15883", date(2025, 3, 1)))
    user = make_user(role=User.Role.LEADER)
    assert list(outreach_event_list_for_user(user=user)) == [mine]
    filters = outreach_filters_parse(
        data={"form": "website", "unit": str(unit(HOANG_HOP).pk), "period": "202503"}, user=user
    )
    assert list(outreach_event_list_for_user(user=user, filters=filters)) == [mine]
    filters = outreach_filters_parse(data={"form": "press"}, user=user)
    assert list(outreach_event_list_for_user(user=user, filters=filters)) == []
