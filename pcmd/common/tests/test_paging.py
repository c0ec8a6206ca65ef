"""A long list is numbered up to a cap: its count reads at most the cap's rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcmd.common import paging
from pcmd.common.paging import CappedPaginator
from pcmd.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_under_the_cap_the_count_is_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "COUNT_CAP", 100)
    qs = OrgUnit.objects.filter(level="province").order_by("pk")
    pages = CappedPaginator(qs, 25)
    assert pages.count == qs.count() and not pages.capped
    assert pages.num_pages == -(-qs.count() // 25)


def test_past_the_cap_the_count_stops_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "COUNT_CAP", 30)
    qs = OrgUnit.objects.filter(level="commune").order_by("pk")
    pages = CappedPaginator(qs, 25)
    with CaptureQueriesContext(connection) as queries:
        assert (pages.count, pages.capped) == (30, True)
    assert len(queries) == 1 and "LIMIT 31" in queries[0]["sql"]
    assert pages.num_pages == 2
    # A page past the cap is the last one there is, as with Django's get_page().
    last = pages.get_page(99)
    assert last.number == 2 and list(last.object_list) == list(qs[25:30])


def test_a_list_rather_than_a_query_is_counted_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    pages = CappedPaginator(list(range(7)), 2)
    assert (pages.count, pages.capped, pages.num_pages) == (3, True, 2)
