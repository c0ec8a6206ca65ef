"""Demo tips and their handling, so that "100% of tips handled in time" has real values.

Owns: demo_tips_load(), DEMO_SEED.
Entry point: `pcmd demo` (pcmd.demo), after the demo records (inspections and cases to link to).
Invariants: deterministic — a random.Random seeded with DEMO_SEED and the section's name, fixed
dates; idempotent — a section whose tips exist is skipped whole; every tip goes through the
services (validated, audited, every step dated). Reporters' names are plainly fictitious ("Giả
Định"). Xã Hoằng Hợp 2025: a dozen tips handled by the commune police (one transferred to the
province, one leading to the 2025 criminal case, one to an inspection with a sanction) and one
left open past its deadline — the overdue tip. Tỉnh An Giang 2016-2020: a few tips a year at the
province, handled by the system account (the demo has no An Giang police account), one of them
late.
Not here: the rules (services.py).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from pcmd.accounts.models import User
from pcmd.enforcement.models import Case, Inspection
from pcmd.enforcement.selectors import in_unit_q
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_get_by_code
from pcmd.tips import services
from pcmd.tips.models import Channel, LegalNature, Subject, Tip

DEMO_SEED = 2025
LABEL = "tin báo, tố giác"  # the demo command prints the counts' keys as they are
_CONTENTS = [
    "Người dân phản ánh nghi có hoạt động mua bán dâm tại một nhà nghỉ ven quốc lộ.",
    "Có đối tượng lạ thường xuyên đưa phụ nữ đến quán karaoke sau 23 giờ.",
    "Một tài khoản mạng xã hội đăng quảng cáo dịch vụ “tươi mát” tại địa phương.",
    "Nghi có người môi giới mại dâm tại khu vực chợ đêm.",
    "Phản ánh cơ sở massage hoạt động quá giờ, có biểu hiện chứa mại dâm.",
    "Nghi vấn có người dưới 18 tuổi làm việc tại quán cà phê đèn mờ.",
]
_SUBJECTS = [Subject.PROSTITUTION, Subject.HARBOURING, Subject.ONLINE_ADS, Subject.BROKERING]
_REPORTERS = ["Nguyễn Văn Giả Định", "Trần Thị Giả Định", "Lê Văn Hư Cấu", "Phạm Thị Hư Cấu"]
_CHANNELS = [Channel.PHONE, Channel.IN_PERSON, Channel.LETTER, Channel.EMAIL, Channel.PRESS]


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _receive(rng: random.Random, unit: OrgUnit, day: date, user: Any) -> Tip:
    named = rng.random() < 0.4
    return services.tip_receive(
        acting_user=user, org_unit=unit, received_at=_moment(day, rng.randint(8, 16)),
        channel=rng.choice(_CHANNELS), content=rng.choice(_CONTENTS),
        reporter_name=rng.choice(_REPORTERS) if named else "",
        reporter_phone=f"0900{rng.randint(100000, 999999)}" if named else "",
    )  # fmt: skip


def _classify(rng: random.Random, tip: Tip, user: Any, nature: str, days: int = 1) -> Tip:
    services.tip_verify(tip=tip, acting_user=user, at=tip.received_at + timedelta(hours=2))
    return services.tip_classify(
        tip=tip, acting_user=user, subject=rng.choice(_SUBJECTS), legal_nature=nature,
        at=tip.received_at + timedelta(days=days),
    )  # fmt: skip


def _hoang_hop(rng: random.Random) -> int:
    commune = orgunit_get_by_code("15919", on=date(2025, 1, 1), level="commune")
    province = orgunit_get_by_code("38", on=date(2025, 1, 1), level="province")
    police = User.objects.filter(username="hoanghop.congan").first()
    made = 0
    days = [date(2025, m, d) for m, d in ((1, 8), (1, 27), (2, 14), (3, 3), (3, 20), (4, 9),
                                           (4, 24), (5, 12), (5, 28), (6, 6))]  # fmt: skip
    for i, day in enumerate(days):
        tip = _receive(rng, commune, day, police)
        made += 1
        if police is not None:
            services.tip_assign_officer(tip=tip, officer=police, acting_user=police)
        if i == 2:  # passed on to the province's investigators within the 24 hours
            arrived = services.tip_transfer(
                tip=tip, acting_user=police, to_unit=province,
                note="Dấu hiệu tội phạm, chuyển Cơ quan Cảnh sát điều tra Công an tỉnh.",
                at=tip.received_at + timedelta(hours=20),
            )  # fmt: skip
            assert arrived is not None
            _classify(rng, arrived, None, LegalNature.CRIME_REPORT)
            services.tip_handle(
                tip=arrived, acting_user=None, outcome=Tip.Outcome.NOT_SUBSTANTIATED,
                handled_at=arrived.received_at + timedelta(days=15),
            )  # fmt: skip
            continue
        nature = LegalNature.ADMIN_VIOLATION if i % 3 == 0 else LegalNature.CRIME_REPORT
        _classify(rng, tip, police, nature)
        if i == 4:  # a pause while an expert assessment is awaited
            services.tip_pause(tip=tip, acting_user=police, reason="Chờ kết quả giám định",
                               at=tip.received_at + timedelta(days=3))  # fmt: skip
            services.tip_resume(tip=tip, acting_user=police,
                                at=tip.received_at + timedelta(days=8))  # fmt: skip
        services.tip_handle(
            tip=tip, acting_user=police, outcome=Tip.Outcome.NOT_SUBSTANTIATED,
            note="Xác minh không phát hiện vi phạm.",
            handled_at=tip.received_at + timedelta(days=rng.randint(8, 18)),
        )  # fmt: skip
    # A tip that led to the 2025 criminal case of the demo records.
    case = Case.objects.filter(org_unit=commune, opened_on__year=2025).order_by("opened_on").first()
    if case is not None:
        tip = _receive(rng, commune, case.opened_on - timedelta(days=6), police)
        made += 1
        _classify(rng, tip, police, LegalNature.CRIME_DENUNCIATION)
        services.tip_handle(tip=tip, acting_user=police, outcome=Tip.Outcome.CASE_OPENED,
                            case=case, handled_at=_moment(case.opened_on, 16))  # fmt: skip
    # A tip that led to an inspection that found and sanctioned a violation.
    inspection = (
        Inspection.objects.filter(org_unit=commune, violations__isnull=False)
        .order_by("inspected_on").first()
    )  # fmt: skip
    if inspection is not None:
        tip = _receive(rng, commune, inspection.inspected_on - timedelta(days=4), police)
        made += 1
        _classify(rng, tip, police, LegalNature.ADMIN_VIOLATION)
        services.tip_handle(
            tip=tip, acting_user=police, outcome=Tip.Outcome.ADMIN_SANCTION,
            inspection=inspection, violation=inspection.violations.first(),
            handled_at=_moment(inspection.inspected_on, 17),
        )  # fmt: skip
    # The overdue tip: under verification since June 2025, never settled.
    tip = _receive(rng, commune, date(2025, 6, 16), police)
    made += 1
    services.tip_verify(tip=tip, acting_user=police, at=tip.received_at + timedelta(hours=3))
    return made


def _an_giang(rng: random.Random) -> int:
    province = orgunit_get_by_code("89", on=date(2020, 1, 1), level="province")
    made = 0
    for year in range(2016, 2021):
        for k in range(rng.randint(2, 4)):
            day = date(year, rng.randint(1, 12), rng.randint(1, 28))
            tip = _receive(rng, province, day, None)
            made += 1
            nature = rng.choice([LegalNature.CRIME_REPORT, LegalNature.ADMIN_VIOLATION])
            _classify(rng, tip, None, nature)
            late = year == 2017 and k == 0  # the one tip of An Giang settled late
            cases = Case.objects.filter(in_unit_q(province), opened_on__gte=day,
                                        opened_on__lte=day + timedelta(days=15))  # fmt: skip
            case = cases.first() if nature == LegalNature.CRIME_REPORT else None
            services.tip_handle(
                tip=tip, acting_user=None,
                outcome=Tip.Outcome.CASE_OPENED if case else Tip.Outcome.NOT_SUBSTANTIATED,
                case=case,
                handled_at=(
                    _moment(case.opened_on, 17) if case
                    else tip.received_at + timedelta(days=45 if late else rng.randint(5, 19))
                ),
            )  # fmt: skip
    return made


@transaction.atomic
def demo_tips_load(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Create the demo tips once; return {LABEL: how many this run created}."""
    counts: dict[str, int] = {}
    sections = [
        ("Xã Hoằng Hợp 2025", "TB-15919-2025-", _hoang_hop),
        ("Tỉnh An Giang 2016-2020", "TB-89-20", _an_giang),
    ]
    for name, prefix, load in sections:
        if Tip.objects.filter(reference__startswith=prefix).exists():
            continue
        n = load(random.Random(f"{DEMO_SEED}:{name}"))  # noqa: S311 — demo data, not secrets
        counts[LABEL] = counts.get(LABEL, 0) + n
        if stdout is not None:
            stdout.write(f"+ tin báo mẫu: {name} — {n} tin báo\n")
    return counts
