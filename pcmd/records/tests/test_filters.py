from __future__ import annotations

from datetime import date

import pytest

from pcmd.accounts.tests.factories import HOANG_HOP, OLD_AN_GIANG, make_user, unit
from pcmd.records.filters import record_filters_parse

pytestmark = pytest.mark.django_db


def test_period_unit_and_text_are_read() -> None:
    user = make_user(unit_code=HOANG_HOP)
    f = record_filters_parse(
        data={"period": "2025Q1", "unit": str(unit(HOANG_HOP).pk), "q": " loa "}, user=user
    )
    assert f.errors == {}
    assert f.period is not None and f.period.end == date(2025, 3, 31)
    assert f.unit == unit(HOANG_HOP)
    assert f.q == "loa" and f.active


def test_unit_outside_scope_and_bad_period_are_dropped_with_a_message() -> None:
    user = make_user(unit_code=HOANG_HOP)
    f = record_filters_parse(
        data={"period": "2025Q9", "unit": str(unit(OLD_AN_GIANG).pk)}, user=user
    )
    assert f.period is None and f.unit is None
    assert set(f.errors) == {"period", "unit"}
