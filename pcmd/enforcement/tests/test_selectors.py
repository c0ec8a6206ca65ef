"""Scoped reads, the inspection sample, the inspected share and case counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from pcmd.accounts.models import User
from pcmd.enforcement import selectors
from pcmd.enforcement.tests.factories import (
    HOANG_HOP,
    OLD_AN_GIANG,
    business_type,
    make_case,
    make_establishment,
    make_inspection,
    make_user,
    unit,
)

pytestmark = pytest.mark.django_db


def test_period_codes() -> None:
    assert selectors.period_range("2025S1") == (date(2025, 1, 1), date(2025, 6, 30))
    assert selectors.period_range("2024Q1") == (date(2024, 1, 1), date(2024, 3, 31))
    assert selectors.period_range("202402") == (date(2024, 2, 1), date(2024, 2, 29))
    assert selectors.period_range("2016-2020") == (date(2016, 1, 1), date(2020, 12, 31))
    with pytest.raises(ValidationError):
        selectors.period_range("2025H3")


def test_a_user_of_an_giang_gets_404_on_hoang_hop_records() -> None:
    est = make_establishment()
    case = make_case()
    user = make_user(role=User.Role.POLICE, unit_code=OLD_AN_GIANG)
    assert not selectors.establishment_list_for_user(user=user).exists()
    with pytest.raises(Http404):
        selectors.establishment_get_for_user(pk=est.pk, user=user)
    with pytest.raises(Http404):
        selectors.case_get_for_user(pk=case.pk, user=user)
    own = make_user(username="hh", role=User.Role.LEADER)
    assert selectors.case_get_for_user(pk=case.pk, user=own) == case


def test_hoang_giang_sees_the_records_of_hoang_hop_after_the_merger() -> None:
    est = make_establishment()
    user = make_user(role=User.Role.COORDINATOR, unit_code="15880")
    assert list(selectors.establishment_list_for_user(user=user)) == [est]


def test_lists_filter_by_period_and_type() -> None:
    est = make_establishment()
    make_establishment(
        name="Spa", business_type=business_type("MASSAGE"), closed_on=date(2023, 1, 1)
    )
    user = make_user(role=User.Role.LEADER)
    assert list(selectors.establishment_list_for_user(user=user, period="2025")) == [est]
    karaoke = selectors.establishment_list_for_user(user=user, business_type=est.business_type_id)
    assert list(karaoke) == [est]
    make_inspection(est, inspected_on=date(2025, 2, 1))
    assert selectors.inspection_list_for_user(user=user, period="2025Q1").count() == 1
    assert selectors.inspection_list_for_user(user=user, period="2025Q2").count() == 0


def test_sample_proposes_never_inspected_then_high_risk_first() -> None:
    hh = unit(HOANG_HOP)
    old = make_establishment(name="A cũ", risk_level="low")
    make_inspection(old, inspected_on=date(2024, 5, 1))
    high = make_establishment(name="B nguy cơ cao", risk_level="high")
    low = make_establishment(name="C nguy cơ thấp", risk_level="low")
    done = make_establishment(name="D đã kiểm tra")
    make_inspection(done, inspected_on=date(2025, 2, 1))
    make_establishment(name="E đã đóng", closed_on=date(2024, 12, 1))
    proposal = selectors.inspection_sample(unit=hh, year=2025, share=Decimal(100))
    assert (proposal.active, proposal.inspected, proposal.needed) == (4, 1, 3)
    assert [i.establishment for i in proposal.items] == [high, low, old]
    half = selectors.inspection_sample(unit=hh, year=2025, share=Decimal(50))
    assert [i.establishment for i in half.items] == [high]


def test_inspected_share_counts_active_establishments_inspected_in_the_period() -> None:
    est = make_establishment()
    make_establishment(name="Khác")
    make_inspection(est, inspected_on=date(2025, 2, 1))
    make_inspection(est, inspected_on=date(2025, 3, 1), mode="follow_up")
    share = selectors.establishments_inspected_share(unit=unit(HOANG_HOP), period="2025S1")
    assert (share.numerator, share.denominator, share.percent) == (1, 2, Decimal("50.0"))


def test_cases_are_compared_with_the_same_period_a_year_earlier() -> None:
    make_case(opened_on=date(2024, 3, 1))
    make_case(opened_on=date(2025, 2, 1))
    make_case(opened_on=date(2025, 5, 1))
    make_case(opened_on=date(2024, 9, 1))
    assert selectors.cases_compared(unit=unit(HOANG_HOP), period="2025S1") == (2, 1)
    assert selectors.cases_compared(unit=unit("15880"), period="2025S1") == (2, 1)


def test_record_history_names_foreign_keys_choices_dates_and_team_members() -> None:
    from pcmd.enforcement import services
    from pcmd.enforcement.tests.factories import legal_basis, make_team, make_violation
    from pcmd.orgunits.models import Agency

    police = Agency.objects.create(
        org_unit=unit(HOANG_HOP), kind=Agency.Kind.POLICE, name="Công an xã Hoằng Hợp"
    )
    team = make_team()
    services.team_update(
        team=team, acting_user=None, expected_version=1, members=[(police, "head")],
        valid_to=date(2025, 12, 31),
    )  # fmt: skip
    newest, created = selectors.record_history(obj=team)
    assert created.event.action == "create" and created.changes == []
    changes = {label: (old, new) for label, old, new in newest.changes}
    assert changes["Đến ngày"] == (None, date(2025, 12, 31))
    assert changes["Cơ quan thành viên"] == (None, "Công an xã Hoằng Hợp (Đội trưởng)")
    violation = make_violation()
    services.violation_update(
        violation=violation, acting_user=None, expected_version=1,
        sanction="warning", fine_amount=None, legal_basis=legal_basis("ND-144-2021"),
    )  # fmt: skip
    (update, _create) = selectors.record_history(obj=violation)
    shown = {label: (old, new) for label, old, new in update.changes}
    assert shown["Hình thức xử phạt"] == ("Phạt tiền", "Cảnh cáo")
    assert shown["Số tiền phạt (đồng)"] == (10_000_000, None)
