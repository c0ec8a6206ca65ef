"""The chain tip -> case -> support is walked both ways: the case page lists the tips that led
to it and the case files referred from it, each for the roles that may read them; the tip and
the case file pages link the case."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import HOANG_HOP, make_user
from pcmd.enforcement.models import Case, Offence
from pcmd.tips import services
from pcmd.tips.tests.factories import at, classified, make_tip, officer

pytestmark = pytest.mark.django_db


def test_the_case_page_lists_its_tips_and_the_tip_page_links_the_case(client: Client) -> None:
    police = officer()
    tip = classified(make_tip(), police)
    case = Case.objects.create(org_unit=tip.org_unit, opened_on=date(2025, 3, 10),
                               offence=Offence.objects.first())  # fmt: skip
    services.tip_handle(tip=tip, acting_user=police, outcome="case_opened", case=case,
                        handled_at=at(2025, 3, 10, 16))  # fmt: skip
    client.force_login(police)
    page = client.get(reverse("enforcement:case-detail", args=[case.pk])).content.decode()
    assert tip.reference in page and reverse("tips:detail", args=[tip.pk]) in page
    tip_page = client.get(reverse("tips:detail", args=[tip.pk])).content.decode()
    assert reverse("enforcement:case-detail", args=[case.pk]) in tip_page
    # An inspector reads cases but not tips: the case page does not name them.
    client.force_login(make_user(username="ttra", unit_code=HOANG_HOP, role=User.Role.INSPECTOR))
    page = client.get(reverse("enforcement:case-detail", args=[case.pk])).content.decode()
    assert tip.reference not in page


def test_the_whole_chain_tip_case_support_is_walked_both_ways(client: Client) -> None:
    from pcmd.support.casefiles import services as support_services
    from pcmd.support.tests.casefiles.factories import NAME, make_beneficiary

    police = officer()
    tip = classified(make_tip(), police)
    case = Case.objects.create(org_unit=tip.org_unit, opened_on=date(2025, 3, 10),
                               offence=Offence.objects.first())  # fmt: skip
    services.tip_handle(tip=tip, acting_user=police, outcome="case_opened", case=case,
                        handled_at=at(2025, 3, 10, 16))  # fmt: skip
    worker = make_user(username="ctxh", unit_code=HOANG_HOP, role=User.Role.SOCIAL_WORKER)
    person = make_beneficiary()
    client.force_login(worker)
    response = client.post(
        reverse("support:beneficiary-origin", args=[person.pk]), {"case": case.pk}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.origin_case == case
    file_page = client.get(reverse("support:beneficiary-detail", args=[person.pk])).content
    assert reverse("enforcement:case-detail", args=[case.pk]) in file_page.decode()
    # The social worker sees the case file's code on the case page ...
    page = client.get(reverse("enforcement:case-detail", args=[case.pk])).content.decode()
    assert person.code in page and NAME not in page
    assert reverse("support:beneficiary-detail", args=[person.pk]) in page
    # ... the police officer sees the tip there, not the case file (no beneficiary.view).
    client.force_login(police)
    page = client.get(reverse("enforcement:case-detail", args=[case.pk])).content.decode()
    file_url = reverse("support:beneficiary-detail", args=[person.pk])
    assert tip.reference in page and file_url not in page
    with pytest.raises(Exception):  # noqa: B017 — the service refuses a police officer
        support_services.beneficiary_origin_set(beneficiary=person, acting_user=police)
