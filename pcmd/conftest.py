"""Test fixtures shared by every app: the real hierarchy, loaded once per test session."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    # The real hierarchy (≈12,600 units) is what the tests must hold true for; loading it once
    # costs a few seconds, and each test then runs inside its own rolled-back transaction.
    from pcmd.orgunits.loading import orgunits_load

    with django_db_blocker.unblock():
        orgunits_load()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Each test starts with an empty cache: a key built from stored values (the dashboard's
    # trends) could otherwise meet another test's entry, time being frozen in many of them.
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()
