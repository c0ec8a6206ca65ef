"""The sealing tests' own table: SealedSample exists only in tests, so no migration makes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from pcmd.sealing.tests.models import SealedSample


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(SealedSample)
