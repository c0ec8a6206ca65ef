"""Small factories for the case-file tests: files opened through the service (so codes, seals
and blind indexes are real), consents, referrals."""

from __future__ import annotations

from datetime import date
from typing import Any

from pcmd.accounts.tests.factories import HOANG_HOP, unit
from pcmd.support.casefiles import services
from pcmd.support.casefiles.models import Beneficiary, Consent

NAME = "Nguyễn Thị Thử Nghiệm"
ID_NUMBER = "038195001234"
PHONE = "0912345678"


def make_beneficiary(*, unit_code: str = HOANG_HOP, **overrides: Any) -> Beneficiary:
    values: dict[str, Any] = {
        "org_unit": unit(unit_code),
        "registered_on": date(2025, 2, 1) if unit_code == HOANG_HOP else date(2019, 2, 1),
        "group": Beneficiary.Group.SEX_WORKER,
        "sex": Beneficiary.Sex.FEMALE,
        "age_band": Beneficiary.AgeBand.AGE_25_34,
        "full_name": NAME,
        "birth_date": date(1996, 5, 17),
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "address": "Thôn Thử, xã Hoằng Hợp",
    }
    values.update(overrides)
    return services.beneficiary_create(acting_user=None, **values)


def make_consent(b: Beneficiary, *, referral: bool = True, on: date | None = None) -> Consent:
    return services.consent_create(
        beneficiary=b, acting_user=None, given_on=on or b.registered_on, covers_referral=referral
    )
