"""migrate creates the shared cache tables, so the production cache works with no extra step."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import RequestFactory, override_settings

from pcmd.tips.ratelimit import SUBMIT, limit_hit

pytestmark = pytest.mark.django_db

_DB_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pcmd_cache",
    }
}


def test_migrate_creates_the_cache_tables():
    tables = connection.introspection.table_names()
    assert {"pcmd_cache", "pcmd_page_cache"} <= set(tables)
    pages = DatabaseCache("pcmd_page_cache", {})
    pages.set("trend", {(2025, 1): 3}, timeout=60)
    assert pages.get("trend") == {(2025, 1): 3}
    assert DatabaseCache("pcmd_cache", {}).get("trend") is None  # the rate limits' table


def test_a_counter_in_the_database_cache_is_seen_by_another_cache_object():
    """Two cache objects on the same table stand for two worker processes."""
    first, second = DatabaseCache("pcmd_cache", {}), DatabaseCache("pcmd_cache", {})
    assert first.add("k", 1, timeout=60)
    first.incr("k")
    assert second.get("k") == 2


@override_settings(CACHES=_DB_CACHE)
def test_the_public_page_limit_counts_in_the_database_cache():
    request = RequestFactory().post("/to-giac/", REMOTE_ADDR="203.0.113.9")
    hits = [limit_hit(request, SUBMIT) for _ in range(SUBMIT.requests + 1)]
    assert hits == [False] * SUBMIT.requests + [True]
    assert isinstance(caches["default"], DatabaseCache)
