"""The per-row figures of the inspection and establishment lists (counted by subqueries)."""

from __future__ import annotations

from datetime import date

import pytest

from pcmd.accounts.models import User
from pcmd.enforcement import selectors
from pcmd.enforcement.tests.factories import (
    make_establishment,
    make_inspection,
    make_user,
    make_violation,
)

pytestmark = pytest.mark.django_db


def test_inspection_list_counts_each_inspections_violations(
    django_assert_num_queries: object,
) -> None:
    user = make_user(role=User.Role.INSPECTOR)
    place = make_establishment()
    two = make_inspection(place, inspected_on=date(2025, 3, 10))
    none = make_inspection(place, inspected_on=date(2025, 3, 11))
    make_violation(two)
    make_violation(two, article="26")
    with django_assert_num_queries(1):  # type: ignore[operator]
        rows = {i.pk: i.n_violations for i in selectors.inspection_list_for_user(user=user)}
    assert rows == {two.pk: 2, none.pk: 0}
    assert selectors.inspection_list_for_user(user=user).count() == 2  # not one per violation


def test_establishment_list_shows_the_last_inspection_day(
    django_assert_num_queries: object,
) -> None:
    user = make_user(role=User.Role.INSPECTOR)
    visited = make_establishment(name="Karaoke A")
    never = make_establishment(name="Karaoke B")
    make_inspection(visited, inspected_on=date(2025, 2, 1))
    make_inspection(visited, inspected_on=date(2025, 4, 2))
    make_inspection(visited, inspected_on=date(2025, 3, 3))
    with django_assert_num_queries(1):  # type: ignore[operator]
        rows = {e.pk: e.last_inspected_on for e in selectors.establishment_list_for_user(user=user)}
    assert rows == {visited.pk: date(2025, 4, 2), never.pk: None}
