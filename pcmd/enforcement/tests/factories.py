"""Small typed factories for enforcement tests: records in real units of the loaded hierarchy.

Records are written through the services with acting_user=None (the system), dated in the first
half of 2025 while Xã Hoằng Hợp (15919) still existed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pcmd.accounts.tests.factories import HOANG_HOP, OLD_AN_GIANG, make_user, unit
from pcmd.enforcement import services
from pcmd.enforcement.models import (
    BusinessType,
    Case,
    Establishment,
    HotSpot,
    Inspection,
    InspectionTeam,
    LegalBasis,
    Offence,
    Violation,
)
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.services.villages import village_create

__all__ = ["HOANG_HOP", "OLD_AN_GIANG", "make_user", "unit"]

DAY = date(2025, 3, 10)


def business_type(code: str = "KARAOKE") -> BusinessType:
    return BusinessType.objects.get(code=code)


def legal_basis(code: str = "ND-144-2021") -> LegalBasis:
    return LegalBasis.objects.get(code=code)


def offence(article: int = 327) -> Offence:
    return Offence.objects.get(article=article)


def make_village(commune_code: str = HOANG_HOP, name: str = "Thôn 1") -> OrgUnit:
    return village_create(
        commune=unit(commune_code), name=name, kind=OrgUnit.Kind.VILLAGE, acting_user=None,
        record_historic=True,
    )  # fmt: skip


def make_establishment(*, unit_code: str = HOANG_HOP, **overrides: Any) -> Establishment:
    fields: dict[str, Any] = {
        "name": "Karaoke Hoa Hồng",
        "business_type": business_type(),
        "org_unit": unit(unit_code),
        "opened_on": date(2020, 1, 1),
    }
    fields.update(overrides)
    return services.establishment_create(acting_user=None, **fields)


def make_team(*, unit_code: str = HOANG_HOP, **overrides: Any) -> InspectionTeam:
    fields: dict[str, Any] = {
        "name": "Đội kiểm tra liên ngành xã",
        "kind": InspectionTeam.Kind.PCMD_178,
        "org_unit": unit(unit_code),
        "decision_number": "12/QĐ-UBND",
        "decision_date": date(2025, 1, 15),
        "decision_issuer": "UBND xã",
        "valid_from": date(2025, 1, 15),
    }
    fields.update(overrides)
    return services.team_create(acting_user=None, **fields)


def make_inspection(establishment: Establishment | None = None, **overrides: Any) -> Inspection:
    fields: dict[str, Any] = {
        "inspected_on": DAY,
        "establishment": establishment or make_establishment(),
        "mode": Inspection.Mode.SURPRISE,
    }
    fields.update(overrides)
    return services.inspection_create(acting_user=None, **fields)


def make_violation(inspection: Inspection | None = None, **overrides: Any) -> Violation:
    fields: dict[str, Any] = {
        "legal_basis": legal_basis(),
        "article": "25",
        "sanction": Violation.Sanction.FINE,
        "fine_amount": 10_000_000,
    }
    fields.update(overrides)
    return services.violation_create(
        inspection=inspection or make_inspection(), acting_user=None, **fields
    )


def make_hotspot(*, unit_code: str = HOANG_HOP, **overrides: Any) -> HotSpot:
    fields: dict[str, Any] = {
        "name": "Bãi đất trống cạnh chợ",
        "place_kind": HotSpot.PlaceKind.PUBLIC_PLACE,
        "org_unit": unit(unit_code),
        "detected_on": DAY,
        "detected_by": HotSpot.DetectedBy.PATROL,
    }
    fields.update(overrides)
    return services.hotspot_create(acting_user=None, **fields)


def make_case(*, unit_code: str = HOANG_HOP, **overrides: Any) -> Case:
    fields: dict[str, Any] = {
        "opened_on": DAY,
        "offence": offence(),
        "org_unit": unit(unit_code),
        "suspects": 2,
        "victims": 1,
    }
    fields.update(overrides)
    return services.case_create(acting_user=None, **fields)
