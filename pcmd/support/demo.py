"""Demo support case files: pseudonymous people helped in Xã Hoằng Hợp (January–June 2025) and in
the districts of Tỉnh An Giang (old, code 89, 2016-2020), with consents, needs assessments,
services, referrals (two overdue), a closure approved by a leader, and members of the pilot
models — so that "≥ 70% người bán dâm có nhu cầu và đủ điều kiện được tiếp cận dịch vụ hỗ trợ"
has a real value.

Owns: demo_support_load(), LABELS.
Entry points: `pcmd demo` (pcmd.demo), after the operational records (pcmd.demo.records), whose
pilot models it links to.
Invariants: deterministic (each section draws from its own random.Random seeded with SEED and
the section's name); idempotent (a section whose unit already has case files is skipped whole;
all in one transaction); every record goes through pcmd.support.casefiles.services (validated,
sealed, audited) — in Hoằng Hợp as the demo social worker, elsewhere as the system. Names are
PLAINLY FICTITIOUS ("Người Mẫu ... (giả định)"), ID numbers start with 000 (no province has that
code) and phone numbers with 0900000.
Not here: accounts and units (pcmd.orgunits.demo), pilot models (pcmd.demo.records).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TextIO

from django.db import transaction

from pcmd.accounts.models import User
from pcmd.orgunits import selectors as units
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.support.casefiles import services
from pcmd.support.casefiles.models import Beneficiary, Need, ServiceKind, ServiceProvision
from pcmd.support.models import PilotModel

SEED = 2025
Counts = dict[str, int]

LABELS: dict[str, str] = {
    "beneficiaries": "hồ sơ hỗ trợ",
    "consents": "đồng ý",
    "assessments": "đánh giá nhu cầu",
    "services": "dịch vụ hỗ trợ",
    "referrals": "chuyển gửi",
}

_FAMILY = ["Nguyễn", "Lê", "Trần", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi"]
G = Beneficiary.Group
_GROUPS = [G.SEX_WORKER] * 7 + [G.TRAFFICKING_VICTIM, G.HIGH_RISK]
_AGES = [Beneficiary.AgeBand.AGE_18_24, Beneficiary.AgeBand.AGE_25_34,
         Beneficiary.AgeBand.AGE_25_34, Beneficiary.AgeBand.AGE_35_49]  # fmt: skip
_NEEDS = list(Need.values)
# Where a need is usually met: a kind of agency of the unit or above, else an outside body.
_OUTSIDE = {
    Need.HEALTH_HIV: "Phòng khám ngoại trú HIV (giả định)",
    Need.LEGAL_AID: "Trung tâm Trợ giúp pháp lý nhà nước (giả định)",
    Need.VOCATIONAL_TRAINING: "Trung tâm Giáo dục nghề nghiệp (giả định)",
    Need.LOANS_CAPITAL: "Ngân hàng Chính sách xã hội (giả định)",
    Need.JOB_PLACEMENT: "Trung tâm Dịch vụ việc làm (giả định)",
    Need.PSYCHOSOCIAL: "Cơ sở trợ giúp xã hội (giả định)",
    Need.HOUSING: "Nhà tạm lánh (giả định)",
    Need.EDUCATION: "Trung tâm Giáo dục thường xuyên (giả định)",
}
_AGENCY_KIND: dict[str, list[str]] = {
    Need.HEALTH_HIV: [Agency.Kind.HEALTH_STATION, Agency.Kind.HEALTH_DEPARTMENT],
    Need.LOANS_CAPITAL: [Agency.Kind.WOMENS_UNION],
    Need.PSYCHOSOCIAL: [Agency.Kind.WOMENS_UNION, Agency.Kind.LABOUR_SOCIAL_AFFAIRS],
    Need.VOCATIONAL_TRAINING: [Agency.Kind.LABOUR_SOCIAL_AFFAIRS],
}


def _rng(section: str) -> random.Random:
    return random.Random(f"{SEED}:support:{section}")  # noqa: S311 — demo data, not secrets


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _add(counts: Counts, category: str, n: int = 1) -> None:
    counts[category] = counts.get(category, 0) + n


@transaction.atomic
def demo_support_load(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Create the demo case files once; return how many of each category this run created."""
    counts: Counts = {}
    hoang_hop = units.orgunit_get_by_code("15919", on=date(2025, 1, 1), level="commune")
    an_giang = units.orgunit_get_by_code("89", on=date(2020, 1, 1), level="province")
    if not Beneficiary.objects.filter(org_unit=hoang_hop).exists():
        _hoang_hop(_rng("Xã Hoằng Hợp 2025"), counts, hoang_hop)
    districts = list(
        units.orgunit_children(an_giang, on=date(2020, 12, 31))
        .filter(level=OrgUnit.Level.DISTRICT)
        .order_by("code")
    )
    if not Beneficiary.objects.filter(org_unit__in=districts).exists():
        _an_giang(_rng("Tỉnh An Giang 2016-2020"), counts, districts)
    if stdout is not None and counts:
        stdout.write(
            "+ hồ sơ hỗ trợ mẫu: "
            + ", ".join(f"{counts[k]} {v}" for k, v in LABELS.items() if counts.get(k))
            + "\n"
        )
    return {k: counts[k] for k in LABELS if counts.get(k)}


def _agencies(unit: OrgUnit, on: date) -> dict[str, list[Agency]]:
    """Agencies of the unit and of the units above it, by kind, valid on `on`."""
    found: dict[str, list[Agency]] = {}
    chain = [unit, *units.orgunit_ancestors(unit, on=on)]
    for agency in Agency.objects.filter(org_unit__in=chain).order_by("name", "pk"):
        if agency.is_valid_on(on):
            found.setdefault(agency.kind, []).append(agency)
    return found


def _person(
    rng: random.Random,
    counts: Counts,
    *,
    unit: OrgUnit,
    number: int,
    registered_on: date,
    end: date,
    user: User | None,
    agencies: dict[str, list[Agency]],
    pilot: PilotModel | None,
    reach_rate: float,
) -> Beneficiary:
    group = rng.choice(_GROUPS)
    b = services.beneficiary_create(
        acting_user=user,
        org_unit=unit,
        registered_on=registered_on,
        group=group,
        sex=Beneficiary.Sex.FEMALE if rng.random() < 0.92 else Beneficiary.Sex.MALE,
        age_band=(
            Beneficiary.AgeBand.AGE_16_17
            if group == G.TRAFFICKING_VICTIM and rng.random() < 0.4
            else rng.choice(_AGES)
        ),
        full_name=f"{rng.choice(_FAMILY)} Thị Người Mẫu {number:03d} (giả định)",
        birth_date=date(rng.randint(1975, 2002), rng.randint(1, 12), rng.randint(1, 28)),
        id_number=f"000{rng.randint(0, 999_999_999):09d}",
        phone=f"0900000{rng.randint(0, 999):03d}",
        address="Địa chỉ giả định",
        case_plan="Hỗ trợ theo nhu cầu đã đánh giá; rà soát 3 tháng một lần.",
        case_plan_review_on=registered_on + timedelta(days=90),
        pilot_models=[pilot] if pilot is not None and rng.random() < 0.6 else None,
    )
    _add(counts, "beneficiaries")
    referral_ok = rng.random() < 0.85
    services.consent_create(
        beneficiary=b, acting_user=user, given_on=registered_on, covers_processing=True,
        covers_referral=referral_ok, covers_health=rng.random() < 0.7,
    )  # fmt: skip
    _add(counts, "consents")
    assessed_on = registered_on + timedelta(days=rng.randint(0, 10))
    needs = sorted(rng.sample(_NEEDS, rng.choice([0, 1, 2, 2, 3])))
    eligible = rng.random() < 0.9
    services.assessment_create(beneficiary=b, acting_user=user, assessed_on=assessed_on,
                               needs=needs, eligible=eligible)  # fmt: skip
    _add(counts, "assessments")
    if not (needs and eligible):
        return b
    if rng.random() >= reach_rate:
        return b  # in need, not (yet) reached: the share stays below 100%
    for need in needs[: rng.randint(1, len(needs))]:
        on = _day(rng, assessed_on, min(end, assessed_on + timedelta(days=120)))
        kinds = _AGENCY_KIND.get(need, [])
        agency = next((agencies[k][0] for k in kinds if agencies.get(k)), None)
        referral = None
        if referral_ok and rng.random() < 0.5:
            referral = services.referral_create(
                beneficiary=b, acting_user=user, referred_on=on, service_kind=need,
                to_agency=agency, to_name="" if agency else _OUTSIDE[Need(need)],
                follow_up_on=on + timedelta(days=14),
            )  # fmt: skip
            _add(counts, "referrals")
            services.referral_update(referral=referral, acting_user=user, status="completed",
                                     follow_up_on=referral.follow_up_on)  # fmt: skip
        services.service_create(
            beneficiary=b, acting_user=user, kind=need,
            provided_on=min(end, on + timedelta(days=rng.randint(0, 10))),
            provider_agency=agency, provider_name="" if agency else _OUTSIDE[Need(need)],
            outcome=rng.choice([ServiceProvision.Outcome.COMPLETED] * 3
                               + [ServiceProvision.Outcome.ONGOING]),
            referral=referral,
        )  # fmt: skip
        _add(counts, "services")
    return b


def _hoang_hop(rng: random.Random, counts: Counts, commune: OrgUnit) -> None:
    worker = User.objects.filter(username="hoanghop.xahoi").first()
    leader = User.objects.filter(username="hoanghoa").first()
    pilot = PilotModel.objects.filter(org_unit=commune).order_by("pk").first()
    start, end = date(2025, 1, 2), date(2025, 6, 30)
    agencies = _agencies(commune, end)
    people = [
        _person(
            rng,
            counts,
            unit=commune,
            number=n,
            registered_on=_day(rng, start, date(2025, 5, 31)),
            end=end,
            user=worker,
            agencies=agencies,
            pilot=pilot,
            reach_rate=0.85,
        )  # fmt: skip
        for n in range(1, 25)
    ]
    # Harm reduction through the pilot model for its members (a service kind beyond the needs).
    for b in people:
        if pilot is not None and b.pilot_models.filter(pk=pilot.pk).exists():
            services.service_create(
                beneficiary=b, acting_user=worker, kind=ServiceKind.HARM_REDUCTION,
                provided_on=max(pilot.start_date, b.registered_on), provider_name=pilot.name,
            )  # fmt: skip
            _add(counts, "services")
    # Two referrals still waiting past their follow-up date (the overdue list is not empty).
    waiting = [b for b in people if b.consents.filter(covers_referral=True).exists()][:2]
    for b, kind in zip(waiting, [Need.LEGAL_AID, Need.JOB_PLACEMENT], strict=False):
        services.referral_create(
            beneficiary=b, acting_user=worker, referred_on=date(2025, 6, 10), service_kind=kind,
            to_name=_OUTSIDE[kind], follow_up_on=date(2025, 6, 25),
        )  # fmt: skip
        _add(counts, "referrals")
    # One file closed after reintegration, approved by the district leader.
    first = people[0]
    if worker is not None and leader is not None:
        services.closure_request(beneficiary=first, acting_user=worker, closed_on=end,
                                 reason="Đã hòa nhập cộng đồng, có việc làm ổn định")  # fmt: skip
        services.closure_decide(beneficiary=first, acting_user=leader, approve=True)


def _an_giang(rng: random.Random, counts: Counts, districts: list[OrgUnit]) -> None:
    chosen = sorted(rng.sample(districts, min(4, len(districts))), key=lambda d: d.code)
    number = 0
    for year in range(2016, 2021):
        end = date(year, 12, 31)
        for district in chosen:
            agencies = _agencies(district, end)
            pilot = (
                PilotModel.objects.filter(org_unit=district, start_date__lte=end)
                .order_by("pk")
                .first()
            )
            # The share reached grows over the programme (75% by 2017 and 100% by 2020 were
            # the plan's milestones for related targets; the records show a realistic rise).
            rate = {2016: 0.7, 2017: 0.75, 2018: 0.8, 2019: 0.85, 2020: 0.9}[year]
            for _ in range(rng.randint(3, 5)):
                number += 1
                b = _person(rng, counts, unit=district, number=number,
                            registered_on=_day(rng, date(year, 1, 5), date(year, 10, 31)),
                            end=end, user=None, agencies=agencies, pilot=pilot,
                            reach_rate=rate)  # fmt: skip
                # Some files close the following year, after reintegration.
                if year < 2020 and rng.random() < 0.4:
                    services.closure_request(
                        beneficiary=b, acting_user=None, closed_on=date(year + 1, 6, 30),
                        reason="Đã hòa nhập cộng đồng (giả định)",
                    )  # fmt: skip
                    services.closure_decide(beneficiary=b, acting_user=None, approve=True)
