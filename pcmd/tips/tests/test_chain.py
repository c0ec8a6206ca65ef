"""The chain tip -> case is walked both ways: the case page lists the tips that led to it, for
the roles that may read tips, and the tip page links the case."""

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
