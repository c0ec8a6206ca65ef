from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import HOANG_HOP, OLD_AN_GIANG, make_user, unit
from pcmd.training import selectors
from pcmd.training.selectors import DateSpan
from pcmd.training.tests.factories import make_course, make_staff

pytestmark = pytest.mark.django_db
H1_2025 = DateSpan(date(2025, 1, 1), date(2025, 6, 30))


def test_trained_share_counts_relevant_active_staff_trained_in_period() -> None:
    trained = make_staff(full_name="A")
    make_staff(full_name="B")
    make_staff(full_name="C")
    make_staff(full_name="D")
    not_relevant = make_staff(full_name="E", pcmd_relevant=False)
    make_staff(full_name="F", active_to=date(2024, 12, 31))  # gone before the period
    make_course(participants=[trained, not_relevant])
    make_course(participants=[trained], start_date=date(2025, 4, 1), end_date=date(2025, 4, 1))
    make_course(
        participants=[make_staff(full_name="G")],
        start_date=date(2024, 5, 1),
        end_date=date(2024, 5, 2),
    )
    share = selectors.staff_trained_share(unit=unit(HOANG_HOP), period=H1_2025)
    assert (share.trained, share.relevant) == (1, 5)
    assert share.percent == Decimal("20.0")


def test_trained_share_without_staff_has_no_percent() -> None:
    share = selectors.staff_trained_share(unit=unit(HOANG_HOP), period=H1_2025)
    assert share.percent is None


def test_lists_are_scoped_and_filtered() -> None:
    make_staff(full_name="Lê Văn Bình", roles=["speaker"])
    make_staff(full_name="Xa", org_unit=unit(OLD_AN_GIANG), active_from=date(2019, 1, 1))
    user = make_user()
    assert [s.full_name for s in selectors.staff_list_for_user(user=user)] == ["Lê Văn Bình"]
    assert selectors.staff_list_for_user(user=user, q="le van binh").count() == 1
    assert selectors.staff_list_for_user(user=user, role="collaborator").count() == 0
    make_course()
    make_course(org_unit=unit(OLD_AN_GIANG), start_date=date(2019, 1, 1), end_date=date(2019, 1, 1))
    assert selectors.course_list_for_user(user=user).count() == 1
    assert (
        selectors.course_list_for_user(
            user=user, period=DateSpan(date(2024, 1, 1), date(2024, 12, 31))
        ).count()
        == 0
    )
    assert (
        selectors.course_list_for_user(user=make_user(username="x", role=User.Role.LEADER)).count()
        == 1
    )
