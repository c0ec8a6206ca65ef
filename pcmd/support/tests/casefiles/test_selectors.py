from __future__ import annotations

from datetime import date

import pytest

from pcmd.support.casefiles import selectors, services
from pcmd.support.casefiles.models import Beneficiary, ServiceProvision
from pcmd.support.tests.casefiles.factories import make_beneficiary

pytestmark = pytest.mark.django_db
YEAR = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}


def _assessed(needs: list[str], *, eligible: bool = True, **kw: object) -> Beneficiary:
    b = make_beneficiary(**kw)
    services.assessment_create(beneficiary=b, acting_user=None, assessed_on=date(2025, 2, 5),
                               needs=needs, eligible=eligible)  # fmt: skip
    return b


def _served(b: Beneficiary, on: date, outcome: str = "completed") -> None:
    services.service_create(beneficiary=b, acting_user=None, kind="legal_aid", provided_on=on,
                            provider_name="Trợ giúp pháp lý", outcome=outcome)  # fmt: skip


def test_reach_counts_people_in_need_served_after_their_assessment() -> None:
    served = _assessed(["legal_aid"])
    _served(served, date(2025, 3, 1))
    dropped = _assessed(["legal_aid"])
    _served(dropped, date(2025, 3, 1), outcome=ServiceProvision.Outcome.DROPPED)
    before = _assessed(["legal_aid"])
    _served(before, date(2025, 2, 1))  # before the assessment that found the need
    _assessed([])  # no need
    _assessed(["housing"], eligible=False)  # not eligible
    _assessed(["housing"], group="trafficking_victim")
    reach = selectors.support_reach(**YEAR)
    assert reach == selectors.Reach(in_need=4, reached=1)
    assert selectors.support_reach(**YEAR, groups=["sex_worker"]).in_need == 3


def test_files_closed_before_the_period_are_left_out() -> None:
    b = _assessed(["legal_aid"])
    Beneficiary.objects.filter(pk=b.pk).update(status="closed", closed_on=date(2025, 4, 1))
    assert selectors.support_reach(start=date(2025, 5, 1), end=date(2025, 12, 31)).in_need == 0
    assert selectors.support_reach(**YEAR).in_need == 1
