"""The enforcement services: validation in Vietnamese, scope and role rules, optimistic
locking, legal bases by date, auditing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pcmd.accounts.models import AuditEvent, User
from pcmd.common.records import StaleRecord
from pcmd.enforcement import services
from pcmd.enforcement.models import Case, HotSpot, Violation
from pcmd.enforcement.tests.factories import (
    DAY,
    HOANG_HOP,
    OLD_AN_GIANG,
    business_type,
    legal_basis,
    make_case,
    make_establishment,
    make_hotspot,
    make_inspection,
    make_team,
    make_user,
    make_village,
    offence,
    unit,
)

pytestmark = pytest.mark.django_db


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_establishment_takes_the_risk_level_of_its_type_and_is_audited() -> None:
    user = make_user(role=User.Role.COORDINATOR)
    est = services.establishment_create(
        acting_user=user, name="Nhà nghỉ Bình An", business_type=business_type("LUU_TRU_NN"),
        org_unit=unit(HOANG_HOP), opened_on=date(2024, 5, 1),
    )  # fmt: skip
    assert est.risk_level == "high" and est.version == 1 and est.created_by == user
    assert AuditEvent.objects.filter(action="create", object_id=str(est.pk)).exists()


def test_dates_in_the_future_are_refused() -> None:
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        make_establishment(opened_on=tomorrow)
    assert "chưa tới" in _errors(exc)["opened_on"][0]
    with pytest.raises(ValidationError) as exc:
        make_case(opened_on=tomorrow)
    assert "opened_on" in _errors(exc)


def test_a_village_of_another_commune_is_refused() -> None:
    other = make_village("15880", "Thôn 9")
    with pytest.raises(ValidationError) as exc:
        make_establishment(village=other)
    assert "không thuộc Xã Hoằng Hợp" in _errors(exc)["village"][0]
    own = make_village()
    assert make_establishment(village=own).village == own


def test_a_unit_outside_the_users_scope_is_refused() -> None:
    user = make_user(role=User.Role.COORDINATOR)
    with pytest.raises(ValidationError) as exc:
        services.establishment_create(
            acting_user=user, name="Spa", business_type=business_type("MASSAGE"),
            org_unit=unit(OLD_AN_GIANG), opened_on=date(2024, 1, 1),
        )  # fmt: skip
    assert "ngoài phạm vi" in _errors(exc)["org_unit"][0]


def test_a_unit_that_no_longer_existed_on_the_date_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        make_case(opened_on=date(2025, 8, 1))  # Hoằng Hợp ended on 30/06/2025
    assert "không còn" in _errors(exc)["org_unit"][0]


def test_an_edit_based_on_an_old_version_is_refused_and_writes_nothing() -> None:
    est = make_establishment()
    services.establishment_update(establishment=est, acting_user=None, expected_version=1, name="A")
    stale = type(est).objects.get(pk=est.pk)
    with pytest.raises(StaleRecord) as exc:
        services.establishment_update(
            establishment=stale, acting_user=None, expected_version=1, name="B"
        )
    assert exc.value.current.name == "A" and exc.value.current.version == 2
    est.refresh_from_db()
    assert est.name == "A" and est.version == 2


def test_inspection_of_a_closed_establishment_or_outside_the_team_period_is_refused() -> None:
    est = make_establishment(closed_on=date(2025, 2, 1))
    with pytest.raises(ValidationError) as exc:
        make_inspection(est)
    assert "ngừng hoạt động" in _errors(exc)["inspected_on"][0]
    team = make_team(valid_from=date(2025, 4, 1), decision_date=date(2025, 4, 1))
    with pytest.raises(ValidationError) as exc:
        make_inspection(make_establishment(name="Khác"), team=team)
    assert "không hoạt động" in _errors(exc)["team"][0]


def test_inspection_takes_the_unit_of_its_establishment() -> None:
    assert make_inspection().org_unit == unit(HOANG_HOP)


@pytest.mark.parametrize(
    ("basis", "on", "ok"),
    [
        ("ND-144-2021", date(2025, 12, 14), True),
        ("ND-144-2021", date(2025, 12, 20), False),
        ("ND-282-2025", date(2025, 12, 20), True),
        ("ND-282-2025", date(2025, 12, 14), False),
    ],
)
def test_the_legal_basis_must_be_in_force_on_the_inspection_date(
    basis: str, on: date, ok: bool
) -> None:
    if on > date.today():
        pytest.skip("the date is still in the future")
    est = make_establishment(org_unit=unit("15880"))
    inspection = make_inspection(est, inspected_on=on)
    fields = {"legal_basis": legal_basis(basis), "article": "25", "sanction": "fine"}
    if ok:
        services.violation_create(
            inspection=inspection, acting_user=None, fine_amount=5_000_000, **fields
        )
    else:
        with pytest.raises(ValidationError) as exc:
            services.violation_create(
                inspection=inspection, acting_user=None, fine_amount=5_000_000, **fields
            )
        assert "không có hiệu lực" in _errors(exc)["legal_basis"][0]


def test_a_fine_needs_an_amount_and_a_warning_has_none() -> None:
    inspection = make_inspection()
    with pytest.raises(ValidationError) as exc:
        services.violation_create(
            inspection=inspection, acting_user=None, legal_basis=legal_basis(), article="25",
            sanction=Violation.Sanction.FINE,
        )  # fmt: skip
    assert "số tiền" in _errors(exc)["fine_amount"][0]
    with pytest.raises(ValidationError):
        services.violation_create(
            inspection=inspection, acting_user=None, legal_basis=legal_basis(), article="25",
            sanction=Violation.Sanction.WARNING, fine_amount=1000,
        )  # fmt: skip
    assert not Violation.objects.exists()


def test_case_counts_and_stages_are_checked() -> None:
    with pytest.raises(ValidationError) as exc:
        make_case(victims=1, victims_minor=2)
    assert "dưới 18 tuổi" in _errors(exc)["victims_minor"][0]
    with pytest.raises(ValidationError) as exc:
        make_case(suspects=-1)
    assert "suspects" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        make_case(stage=Case.Stage.PROSECUTED)
    assert "prosecuted_on" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        make_case(stage=Case.Stage.PROSECUTED, prosecuted_on=DAY - timedelta(days=1))
    assert "phải sau" in _errors(exc)["prosecuted_on"][0]
    case = make_case(stage=Case.Stage.PROSECUTED, prosecuted_on=DAY)
    assert case.offence == offence(327)


def test_a_coordinator_cannot_record_a_case_and_police_can() -> None:
    fields = {"opened_on": DAY, "offence": offence(328), "org_unit": unit(HOANG_HOP)}
    with pytest.raises(PermissionDenied):
        services.case_create(acting_user=make_user(role=User.Role.COORDINATOR), **fields)
    case = services.case_create(
        acting_user=make_user(username="congan", role=User.Role.POLICE), **fields
    )
    assert case.pk is not None


def test_a_coordinator_cannot_record_an_inspection() -> None:
    with pytest.raises(PermissionDenied):
        services.inspection_create(
            acting_user=make_user(role=User.Role.COORDINATOR), inspected_on=DAY,
            establishment=make_establishment(), mode="surprise",
        )  # fmt: skip


def test_hot_spot_at_an_establishment_needs_it_and_clears_after_detection() -> None:
    with pytest.raises(ValidationError) as exc:
        make_hotspot(place_kind=HotSpot.PlaceKind.ESTABLISHMENT)
    assert "establishment" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        make_hotspot(cleared_on=DAY - timedelta(days=3))
    assert "cleared_on" in _errors(exc)


def test_an_establishment_with_inspections_is_not_deleted() -> None:
    inspection = make_inspection()
    with pytest.raises(ValidationError) as exc:
        services.establishment_delete(establishment=inspection.establishment, acting_user=None)
    assert "Không xóa được" in exc.value.messages[0]
    assert not AuditEvent.objects.filter(action="delete").exists()
