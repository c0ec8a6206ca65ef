"""Demo operational records: what the units did, so every target of both seed plans measured
from records has something to measure.

Owns: demo_records_load(), SEED.
Entry points: `pcmd demo` (pcmd.demo), after the org units (villages, agencies, demo accounts:
pcmd.orgunits.demo) and the plans (pcmd.plans.demo).
Invariants: deterministic — each section draws from its own random.Random seeded with SEED and
the section's name, so the same command always gives the same data whichever sections already
exist; idempotent — a section whose marker record exists is skipped whole (every section runs
in the one transaction, so a marker implies the whole section); records go through the apps'
services (validated and audited; the acting user is a demo account of the unit where its role
may write, else the system) except where a service refuses the record for a stated reason (see
_province_item and _district_plan). Names, numbers and places are ILLUSTRATIVE; the people are
fictitious; the article and clause of the violations are illustrative, not legal advice.
Sections: Xã Hoằng Hợp January–June 2025 (cases also in 2024, the baseline of "+3-5% so với năm
2024"); Xã Hoằng Giang July–December 2025 (after the merger); Tỉnh An Giang (old, code 89)
2016-2020 at province, district and commune level.
Not here: villages, agencies, accounts (pcmd.orgunits.demo); plans (pcmd.plans.demo).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.db.models import QuerySet

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent, User
from pcmd.common.text import search_key
from pcmd.enforcement import services as enforcement
from pcmd.enforcement.models import (
    CASE_STAGE_DATES,
    BusinessType,
    Case,
    Establishment,
    HotSpot,
    Inspection,
    InspectionTeam,
    InspectionTeamMember,
    LegalBasis,
    Offence,
    Violation,
)
from pcmd.orgunits import selectors as units
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.outreach.models import OutreachEvent
from pcmd.outreach.services import outreach_event_create
from pcmd.plans.models import BudgetLine, Plan
from pcmd.plans.services import budgetline_create
from pcmd.support.models import PilotModel
from pcmd.support.services import pilotmodel_create
from pcmd.training.models import StaffMember
from pcmd.training.services import course_create, staff_create

SEED = 2025
Say = Callable[[str], None]
Counts = dict[str, int]

F = OutreachEvent.Form
A = OutreachEvent.Audience

HOANG_HOP_END = date(2025, 6, 30)
HOANG_GIANG_START = date(2025, 7, 1)

# Categories of the summary, in the order the command prints them.
LABELS: dict[str, str] = {
    "outreach_events": "hoạt động tuyên truyền",
    "staff": "cán bộ",
    "training_courses": "lớp tập huấn",
    "establishments": "cơ sở kinh doanh",
    "inspection_teams": "đội kiểm tra",
    "inspections": "lượt kiểm tra",
    "violations": "vi phạm",
    "hot_spots": "tụ điểm",
    "cases": "vụ án",
    "pilot_models": "mô hình thí điểm",
    "budget_lines": "dòng kinh phí",
    "district_plans": "kế hoạch cấp huyện",
}

_FAMILY = ["Nguyễn", "Lê", "Trần", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"]
_MIDDLE_M = ["Văn", "Đình", "Xuân", "Minh", "Quang"]
_MIDDLE_F = ["Thị", "Thị Thu", "Thị Hồng", "Thị Minh", "Ngọc"]
_GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phong", "Sơn"]
_GIVEN_F = ["Anh", "Dung", "Hà", "Hạnh", "Hoa", "Huyền", "Lan", "Linh", "Nga", "Trang", "Yến"]


def _person(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE_M)} {rng.choice(_GIVEN_M)}"
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE_F)} {rng.choice(_GIVEN_F)}"


def _rng(section: str) -> random.Random:
    """The section's own generator: a str seed is hashed deterministically (sha512)."""
    return random.Random(f"{SEED}:{section}")  # noqa: S311 — demo data, not secrets


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _agency(unit: OrgUnit, name: str) -> Agency:
    return Agency.objects.filter(org_unit=unit, key=search_key(name)).order_by("valid_from")[0]


def _villages(commune: OrgUnit, on: date) -> list[OrgUnit]:
    return [v for v in units.village_list(commune) if v.is_valid_on(on)]


def _add(counts: Counts, category: str, n: int = 1) -> None:
    counts[category] = counts.get(category, 0) + n


@transaction.atomic
def demo_records_load(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Create the demo records once; return how many of each category this run created."""

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")

    counts: Counts = {}
    hoang_hop = units.orgunit_get_by_code("15919", on=date(2025, 1, 1), level="commune")
    hoang_giang = units.orgunit_get_by_code("15880", on=date(2026, 1, 1), level="commune")
    an_giang = units.orgunit_get_by_code("89", on=date(2020, 1, 1), level="province")
    sections: list[tuple[str, QuerySet[Any], Callable[[random.Random, Counts, Say], None]]] = [
        (
            "Xã Hoằng Hợp 2024-6/2025",
            InspectionTeam.objects.filter(org_unit=hoang_hop, decision_number=_HH_TEAM_DECISION),
            lambda rng, c, s: _hoang_hop(rng, c, s, hoang_hop),
        ),
        (
            "Xã Hoằng Giang 7-12/2025",
            InspectionTeam.objects.filter(org_unit=hoang_giang, decision_number=_HG_TEAM_DECISION),
            lambda rng, c, s: _hoang_giang(rng, c, s, hoang_giang, hoang_hop),
        ),
        (
            "Tỉnh An Giang 2016-2020",
            PilotModel.objects.filter(name__startswith=_AG_PILOT_PREFIX),
            lambda rng, c, s: _an_giang(rng, c, s, an_giang),
        ),
    ]
    for name, marker, load in sections:
        if marker.exists():
            continue
        before = sum(counts.values())
        load(_rng(name), counts, say)
        say(f"+ hồ sơ mẫu: {name} — {sum(counts.values()) - before} bản ghi")
    return {k: counts[k] for k in LABELS if counts.get(k)}


# --- Xã Hoằng Hợp, January–June 2025 ---------------------------------------------------------

_HH_TEAM_DECISION = "12/QĐ-UBND"
_HG_TEAM_DECISION = "45/QĐ-UBND"

_HH = {
    "ubnd": "Ủy ban nhân dân xã Hoằng Hợp",
    "police": "Công an xã Hoằng Hợp",
    "vhxh": "Công chức Văn hóa - Xã hội xã Hoằng Hợp",
    "radio": "Đài truyền thanh xã Hoằng Hợp",
    "health": "Trạm y tế xã Hoằng Hợp",
    "front": "Ủy ban Mặt trận Tổ quốc Việt Nam xã Hoằng Hợp",
    "women": "Hội Liên hiệp Phụ nữ xã Hoằng Hợp",
    "youth": "Đoàn Thanh niên xã Hoằng Hợp",
    "thcs": "Trường Trung học cơ sở Hoằng Hợp",
    "th": "Trường Tiểu học Hoằng Hợp",
}

# (agency key, position, roles, PCMD-relevant); ~20 people, most of them relevant.
_HH_STAFF: list[tuple[str, str, list[str], bool]] = [
    ("ubnd", "Phó Chủ tịch UBND xã", ["speaker"], True),
    ("ubnd", "Văn phòng - Thống kê", [], False),
    ("ubnd", "Địa chính - Xây dựng", [], False),
    ("vhxh", "Công chức Văn hóa - Xã hội", ["officer", "speaker"], True),
    ("vhxh", "Công chức Văn hóa - Xã hội", ["officer", "communicator"], True),
    ("police", "Trưởng Công an xã", ["speaker"], True),
    ("police", "Phó Trưởng Công an xã", [], True),
    ("police", "Cán bộ Công an xã", [], True),
    ("police", "Cán bộ Công an xã", [], True),
    ("radio", "Phụ trách Đài truyền thanh", ["communicator"], True),
    ("health", "Trưởng Trạm y tế", ["communicator"], True),
    ("health", "Y sĩ", ["collaborator"], True),
    ("front", "Chủ tịch UBMTTQ xã", ["speaker"], True),
    ("women", "Chủ tịch Hội LHPN xã", ["communicator"], True),
    ("women", "Chi hội trưởng phụ nữ thôn", ["collaborator"], True),
    ("youth", "Bí thư Đoàn xã", ["communicator", "volunteer"], True),
    ("youth", "Phó Bí thư Đoàn xã", ["volunteer"], True),
    ("thcs", "Giáo viên phụ trách công tác Đội", ["communicator"], True),
    ("th", "Giáo viên", [], False),
    ("thcs", "Kế toán", [], False),
]

# (business type code, name)
_HH_ESTABLISHMENTS: list[tuple[str, str]] = [
    ("LUU_TRU_NN", "Nhà nghỉ Hồng Phát"),
    ("LUU_TRU_NN", "Nhà nghỉ Minh Anh"),
    ("LUU_TRU_KS", "Khách sạn Biển Hợp"),
    ("LUU_TRU_NT", "Nhà trọ Thanh Bình"),
    ("KARAOKE", "Karaoke Ánh Dương"),
    ("KARAOKE", "Karaoke Hoàng Gia"),
    ("KARAOKE", "Karaoke Sao Mai"),
    ("MASSAGE", "Massage - Xông hơi Thiên Phúc"),
    ("TOC_GOI", "Cắt tóc gội đầu Ngọc Hân"),
    ("TOC_GOI", "Salon tóc Thu Trang"),
    ("CAFE_DM", "Cà phê Góc Phố"),
    ("NHA_HANG", "Nhà hàng Hải Sản Hợp Thành"),
]


def _hoang_hop(rng: random.Random, counts: Counts, say: Say, commune: OrgUnit) -> None:
    coordinator = _user("hoanghop")
    police = _user("hoanghop.congan")
    ag = {key: _agency(commune, name) for key, name in _HH.items()}
    start, end = date(2025, 1, 1), HOANG_HOP_END
    villages = _villages(commune, start)

    # Awareness events in most (not all) villages: one village is left without any.
    reached = sorted(rng.sample(villages, len(villages) - 1), key=lambda v: v.key)
    village_forms = [
        (F.MEETING, "Họp dân tuyên truyền pháp luật về phòng, chống mại dâm", [A.PUBLIC], "front"),
        (F.BANNER, "Treo khẩu hiệu, băng rôn phòng, chống mại dâm", [A.PUBLIC], "vhxh"),
        (F.LEAFLET, "Phát tờ rơi về tác hại của tệ nạn mại dâm", [A.YOUTH, A.WOMEN], "women"),
        (F.MEETING, "Sinh hoạt chi đoàn về phòng ngừa mại dâm, mua bán người", [A.YOUTH], "youth"),
    ]
    for village in reached:
        for form, topic, audiences, key in rng.sample(village_forms, rng.randint(1, 3)):
            people = rng.randint(30, 120) if form == F.MEETING else None
            _event(counts, coordinator, village, commune, _day(rng, start, end), form, topic,
                   ag[key], audiences, people,
                   ["trafficking"] if "mua bán người" in topic else [])  # fmt: skip
    # One web post a month, one month missed ("ít nhất một tháng, một lần" not met that month).
    missed = rng.randint(2, 5)
    for month in range(1, 7):
        if month == missed:
            continue
        _event(counts, coordinator, commune, None,
               _day(rng, date(2025, month, 1), _month_end(2025, month)), F.WEBSITE,
               f"Tin bài về công tác phòng, chống mại dâm tháng {month}/2025", ag["vhxh"],
               [A.PUBLIC], None, [])  # fmt: skip
    # Loudspeaker broadcasts, two a month.
    for month in range(1, 7):
        for _n in range(2):
            _event(counts, coordinator, commune, None,
                   _day(rng, date(2025, month, 1), _month_end(2025, month)), F.LOUDSPEAKER,
                   "Phát bài tuyên truyền phòng, chống mại dâm trên loa truyền thanh xã",
                   ag["radio"], [A.PUBLIC], None,
                   ["drugs"] if rng.random() < 0.3 else [])  # fmt: skip
    # A school session and a conference where the topic was combined with others.
    _event(counts, coordinator, commune, None, date(2025, 3, 26), F.SCHOOL,
           "Ngoại khóa: phòng, chống xâm hại, mua bán người và tệ nạn mại dâm", ag["thcs"],
           [A.PUPILS], rng.randint(250, 400), ["trafficking"])  # fmt: skip
    _event(counts, coordinator, commune, None, date(2025, 4, 10), F.CONFERENCE,
           "Hội nghị tuyên truyền pháp luật lồng ghép phòng, chống mại dâm, ma túy, HIV/AIDS",
           ag["ubnd"], [A.OFFICIALS, A.PUBLIC], rng.randint(80, 150), ["drugs", "hiv"])  # fmt: skip

    # The staff roster and one training course (≥ 15% of the relevant staff trained).
    staff: list[StaffMember] = []
    for key, position, roles, relevant in _HH_STAFF:
        staff.append(
            staff_create(
                acting_user=coordinator,
                org_unit=commune,
                full_name=_person(rng),
                agency=ag[key],
                position=position,
                roles=roles,
                pcmd_relevant=relevant,
                active_from=date(rng.randint(2015, 2024), rng.randint(1, 12), 1),
                active_to=HOANG_HOP_END,
            )  # fmt: skip
        )
        _add(counts, "staff")
    relevant_staff = [s for s in staff if s.pcmd_relevant]
    course_create(
        acting_user=coordinator, org_unit=commune,
        participants=rng.sample(relevant_staff, 5),
        title="Tập huấn nghiệp vụ phòng, chống mại dâm, giảm hại và phòng, chống bạo lực trên "
        "cơ sở giới năm 2025",
        start_date=date(2025, 4, 22), end_date=date(2025, 4, 23), organiser=ag["vhxh"],
        topics=["harm_reduction", "gbv", "communication"], outside_participants=18,
        note="Học viên ngoài danh sách: trưởng thôn, chi hội trưởng các đoàn thể.",
    )  # fmt: skip
    _add(counts, "training_courses")

    # A dozen establishments in its villages (registered by the commune police).
    establishments: list[Establishment] = []
    for code, name in _HH_ESTABLISHMENTS:
        village = rng.choice(villages)
        establishments.append(
            enforcement.establishment_create(
                acting_user=police,
                org_unit=commune,
                village=village,
                name=name,
                business_type=BusinessType.objects.get(code=code),
                address=f"{village.name}, xã Hoằng Hợp",
                owner_name=_person(rng),
                licence_number=f"27{rng.randint(10, 99)}.{rng.randint(100000, 999999)}",
                employees=rng.randint(2, 12),
                opened_on=date(rng.randint(2012, 2023), rng.randint(1, 12), rng.randint(1, 28)),
            )  # fmt: skip
        )
        _add(counts, "establishments")

    # The inspection team, set up by a commune decision in Q1/2025.
    team = _team(counts, police, commune, name="Đoàn kiểm tra liên ngành văn hóa - xã hội xã "
                 "Hoằng Hợp", decision=_HH_TEAM_DECISION, day=date(2025, 3, 12),
                 issuer="UBND xã Hoằng Hợp", valid_to=HOANG_HOP_END,
                 members=[(ag["ubnd"], "head"), (ag["vhxh"], "deputy"), (ag["police"], "member"),
                          (ag["health"], "member"), (ag["youth"], "member")])  # fmt: skip

    # Inspections of some establishments (not all); two violations under NĐ 144/2021.
    inspected = rng.sample(establishments, 7)
    basis = LegalBasis.objects.get(code="ND-144-2021")
    for n, est in enumerate(inspected, start=1):
        inspection = enforcement.inspection_create(
            acting_user=police, establishment=est, team=team,
            inspected_on=_day(rng, date(2025, 3, 20), date(2025, 6, 25)),
            mode=rng.choice([Inspection.Mode.ANNOUNCED, Inspection.Mode.SURPRISE]),
            minutes_number=f"{n:02d}/BB-ĐKT",
            findings="Cơ sở chấp hành cơ bản các quy định." if n > 2 else
            "Phát hiện vi phạm; đã lập biên bản.",
        )  # fmt: skip
        _add(counts, "inspections")
        if n <= 2:
            _violation(counts, police, inspection, basis, n)

    # A hot spot detected on a tip and cleared.
    enforcement.hotspot_create(
        acting_user=police, org_unit=commune, name="Khu vực ven đê, cuối " + villages[-1].name,
        place_kind=HotSpot.PlaceKind.PUBLIC_PLACE, address=f"{villages[-1].name}, xã Hoằng Hợp",
        detected_on=date(2025, 2, 14), detected_by=HotSpot.DetectedBy.TIP,
        cleared_on=date(2025, 5, 20),
        note="Tăng cường tuần tra, vận động; không còn hoạt động từ tháng 5/2025.",
    )  # fmt: skip
    _add(counts, "hot_spots")

    # Criminal cases: 2024 (the baseline) and 2025.
    _case(counts, police, commune, date(2024, 4, 9), "BLHS-328", Case.Stage.TRIED, 2, 1)
    _case(counts, police, commune, date(2024, 10, 17), "BLHS-327", Case.Stage.INDICTED, 1, 2)
    _case(counts, police, commune, date(2025, 5, 6), "BLHS-327", Case.Stage.PROSECUTED, 2, 3)

    # One pilot model (harm reduction / GBV).
    pilotmodel_create(
        acting_user=coordinator, org_unit=commune,
        name="Mô hình nhóm đồng đẳng giảm hại, phòng ngừa bạo lực trên cơ sở giới xã Hoằng Hợp",
        kind=PilotModel.Kind.HARM_REDUCTION_GBV, start_date=date(2025, 5, 15),
        status=PilotModel.Status.ACTIVE, members=12, people_reached=45,
    )  # fmt: skip
    _add(counts, "pilot_models")

    # Budget lines of the commune's 2025 plan (pcmd.plans.demo imports it).
    plan = Plan.objects.filter(org_unit=commune, source_name="hoang_hop_2025.txt").first()
    if plan is not None:
        S = BudgetLine.Source
        for source, text, allocated, spent in [
            (S.STATE, "Tuyên truyền: loa truyền thanh, khẩu hiệu, tờ rơi", 15_000_000, 9_800_000),
            (S.STATE, "Tập huấn nghiệp vụ cho cán bộ xã, thôn", 8_000_000, 8_000_000),
            (S.STATE, "Hoạt động của Đoàn kiểm tra liên ngành", 6_000_000, 3_500_000),
            (S.OTHER, "Mô hình nhóm đồng đẳng (vận động tài trợ)", 5_000_000, 2_000_000),
        ]:
            budgetline_create(
                plan=plan, acting_user=coordinator, year=2025, source=source, text=text,
                allocated=Decimal(allocated), spent=Decimal(spent),
            )  # fmt: skip
            _add(counts, "budget_lines")


# --- Xã Hoằng Giang, July–December 2025 ------------------------------------------------------

_HG = {
    "ubnd": "Ủy ban nhân dân xã Hoằng Giang",
    "police": "Công an xã Hoằng Giang",
    "vhxh": "Phòng Văn hóa - Xã hội xã Hoằng Giang",
    "radio": "Đài truyền thanh xã Hoằng Giang",
    "health": "Trạm y tế xã Hoằng Giang",
    "front": "Ủy ban Mặt trận Tổ quốc Việt Nam xã Hoằng Giang",
    "women": "Hội Liên hiệp Phụ nữ xã Hoằng Giang",
    "youth": "Đoàn Thanh niên xã Hoằng Giang",
}


def _hoang_giang(
    rng: random.Random, counts: Counts, say: Say, commune: OrgUnit, predecessor: OrgUnit
) -> None:
    coordinator = _user("hoanggiang")
    ag = {key: _agency_on(commune, name, HOANG_GIANG_START) for key, name in _HG.items()}
    start, end = HOANG_GIANG_START, date(2025, 12, 31)
    villages = _villages(commune, end)
    for village in sorted(rng.sample(villages, max(1, len(villages) - 2)), key=lambda v: v.key):
        form, topic, key = rng.choice([
            (F.MEETING, "Họp dân tuyên truyền phòng, chống mại dâm sau sáp nhập xã", "front"),
            (F.BANNER, "Treo khẩu hiệu phòng, chống mại dâm", "vhxh"),
            (F.LEAFLET, "Phát tờ rơi phòng, chống mại dâm, mua bán người", "women"),
        ])  # fmt: skip
        _event(counts, coordinator, village, commune, _day(rng, start, end), form, topic, ag[key],
               [A.PUBLIC], rng.randint(40, 150) if form == F.MEETING else None, [])  # fmt: skip
    for month in range(7, 13):
        last = _month_end(2025, month)
        _event(counts, coordinator, commune, None, _day(rng, date(2025, month, 1), last),
               F.WEBSITE, f"Tin bài về công tác phòng, chống mại dâm tháng {month}/2025",
               ag["vhxh"], [A.PUBLIC], None, [])  # fmt: skip
        _event(counts, coordinator, commune, None, _day(rng, date(2025, month, 1), last),
               F.LOUDSPEAKER, "Phát bài tuyên truyền phòng, chống mại dâm trên loa truyền thanh",
               ag["radio"], [A.PUBLIC], None, [])  # fmt: skip

    # Xã Hoằng Giang has no demo police account: the system (acting_user=None) writes its
    # enforcement records, as the enforcement services allow.
    team = _team(counts, None, commune, name="Đoàn kiểm tra liên ngành văn hóa - xã hội xã "
                 "Hoằng Giang", decision=_HG_TEAM_DECISION, day=date(2025, 7, 21),
                 issuer="UBND xã Hoằng Giang", valid_to=None,
                 members=[(ag["ubnd"], "head"), (ag["vhxh"], "deputy"), (ag["police"], "member"),
                          (ag["health"], "member")])  # fmt: skip
    # The establishments taken over from Hoằng Hợp stay in its register; an inspection after
    # 1/7/2025 is attributed to the successor, Xã Hoằng Giang (inspection_create does it).
    taken_over = list(Establishment.objects.filter(org_unit=predecessor).order_by("name"))
    for n, est in enumerate(rng.sample(taken_over, min(5, len(taken_over))), start=1):
        enforcement.inspection_create(
            acting_user=None, establishment=est, team=team,
            inspected_on=_day(rng, date(2025, 8, 1), date(2025, 12, 10)),
            mode=rng.choice([Inspection.Mode.ANNOUNCED, Inspection.Mode.FOLLOW_UP]),
            minutes_number=f"{n:02d}/BB-ĐKT-HG", findings="Cơ sở chấp hành các quy định.",
        )  # fmt: skip
        _add(counts, "inspections")
    _case(counts, None, commune, date(2025, 10, 8), "BLHS-328", Case.Stage.PROSECUTED, 1, 1)


def _agency_on(unit: OrgUnit, name: str, on: date) -> Agency:
    for agency in Agency.objects.filter(org_unit=unit, key=search_key(name)):
        if agency.is_valid_on(on):
            return agency
    return _agency(unit, name)


# --- Tỉnh An Giang (old), 2016-2020 ------------------------------------------------------------

_AG_PILOT_PREFIX = "Mô hình thí điểm (An Giang) "
_AG_START = date(2016, 8, 1)
# The plan's three pilot models (seed 004, III "Xây dựng thử nghiệm 03 mô hình"): (1) support
# services in the community, (2) workers' rights, (3) peer groups / self-help groups.
_AG_PILOTS: list[tuple[str, str]] = [
    (PilotModel.Kind.COMMUNITY_SERVICES, "cung cấp dịch vụ hỗ trợ người bán dâm tại cộng đồng"),
    (PilotModel.Kind.WORKERS_RIGHTS, "bảo đảm quyền của người lao động tại cơ sở kinh doanh"),
    (PilotModel.Kind.PEER_GROUPS, "nhóm đồng đẳng, nhóm tự lực của người bán dâm"),
]
# Share of districts with their own yearly plan: 50% in 2017 rising to 100% in 2020.
_AG_PLAN_SHARE = {2017: 0.5, 2018: 0.7, 2019: 0.85, 2020: 1.0}


def _an_giang(rng: random.Random, counts: Counts, say: Say, province: OrgUnit) -> None:
    coordinator = _user("angiang")
    districts = list(
        units.orgunit_children(province, on=date(2020, 12, 31))
        .filter(level=OrgUnit.Level.DISTRICT)
        .order_by("code")
    )
    press = _agency(province, "Báo An Giang")
    radio = _agency(province, "Đài Phát thanh - Truyền hình An Giang")

    # Monthly provincial press and radio items, from the plan's issue to the end of 2020.
    month = _AG_START
    while month.year <= 2020:
        last = _month_end(month.year, month.month)
        label = f"{month.month}/{month.year}"
        _province_item(
            counts,
            coordinator,
            province,
            _day(rng, month, last),
            F.PRESS,
            f"Bài viết về công tác phòng, chống mại dâm tháng {label}",
            press,
        )
        _province_item(
            counts,
            coordinator,
            province,
            _day(rng, month, last),
            F.BROADCAST,
            f"Chuyên mục phát thanh phòng, chống tệ nạn xã hội tháng {label}",
            radio,
        )
        month = last + timedelta(days=1)

    # A few awareness events a year in communes of some districts.
    for year in range(2016, 2021):
        first = max(_AG_START, date(year, 1, 1))
        for district in sorted(rng.sample(districts, 3), key=lambda d: d.code):
            communes = list(units.orgunit_children(district, on=date(year, 12, 31)))
            committee = Agency.objects.filter(
                org_unit=district, kind=Agency.Kind.PEOPLE_COMMITTEE
            ).first()
            for commune in rng.sample(communes, min(2, len(communes))):
                form, topic, audiences = rng.choice([
                    (F.MEETING, "Họp dân tuyên truyền pháp luật về phòng, chống mại dâm",
                     [A.PUBLIC]),
                    (F.BUSINESS, "Tuyên truyền tại cơ sở kinh doanh dịch vụ dễ phát sinh mại dâm",
                     [A.BUSINESS_OWNERS, A.SERVICE_WORKERS]),
                    (F.PERFORMANCE, "Văn nghệ tuyên truyền phòng, chống mại dâm, HIV/AIDS",
                     [A.PUBLIC, A.YOUTH]),
                ])  # fmt: skip
                _event(counts, coordinator, commune, None, _day(rng, first, date(year, 12, 31)),
                       form, topic, committee, audiences, rng.randint(40, 200),
                       ["hiv"] if "HIV" in topic else [])  # fmt: skip

    # The three pilot models, each in three districts by 2020.
    for kind, what in _AG_PILOTS:
        for district in sorted(rng.sample(districts, 3), key=lambda d: d.code):
            pilotmodel_create(
                acting_user=coordinator, org_unit=district,
                name=f"{_AG_PILOT_PREFIX}{what} — {district.name}", kind=kind,
                start_date=_day(rng, date(2017, 3, 1), date(2020, 6, 30)),
                status=PilotModel.Status.ACTIVE, members=rng.randint(8, 25),
                people_reached=rng.randint(30, 200),
            )  # fmt: skip
            _add(counts, "pilot_models")

    # The districts' own yearly plans ("50% → 100% of districts integrate").
    parent = Plan.objects.filter(
        org_unit=province, source_name="an_giang_1994_qd_ubnd_2016.txt"
    ).first()
    with_plan: set[int] = set()
    for year, share in _AG_PLAN_SHARE.items():
        wanted = round(share * len(districts))
        # Once a district has a yearly plan it keeps making one.
        rest = [d for d in districts if d.pk not in with_plan]
        extra = rng.sample(rest, max(0, wanted - len(with_plan)))
        with_plan.update(d.pk for d in extra)
        for district in districts:
            if district.pk in with_plan:
                _district_plan(counts, district, year, parent, rng)


# --- Writers ---------------------------------------------------------------------------------


def _event(
    counts: Counts,
    user: User,
    unit: OrgUnit,
    commune: OrgUnit | None,
    on: date,
    form: str,
    topic: str,
    agency: Agency | None,
    audiences: Sequence[str],
    participants: int | None,
    combined_with: list[str],
) -> None:
    outreach_event_create(
        org_unit=unit, commune=commune, acting_user=user, date=on, form=form, topic=topic,
        agency=agency, audiences=list(audiences), participants=participants,
        combined_with=combined_with,
    )  # fmt: skip
    _add(counts, "outreach_events")


def _province_item(
    counts: Counts, user: User, province: OrgUnit, on: date, form: str, topic: str, agency: Agency
) -> None:
    """A provincial press or radio item, recorded at the province itself."""
    outreach_event_create(
        org_unit=province, acting_user=user, date=on, form=form, topic=topic, agency=agency,
        audiences=[A.PUBLIC], participants=None,
    )  # fmt: skip
    _add(counts, "outreach_events")


def _district_plan(
    counts: Counts, district: OrgUnit, year: int, parent: Plan | None, rng: random.Random
) -> None:
    """A district's yearly plan, registered by number and title only. plan_import needs a
    parsed document that tracks targets or tasks; these stand for documents not in PCMD, like
    the reference plans of plan_reference_register, and are written the same way."""
    committee = Agency.objects.filter(org_unit=district, kind=Agency.Kind.PEOPLE_COMMITTEE).first()
    plan = Plan.objects.create(
        org_unit=district, kind=Plan.Kind.PLAN, status=Plan.Status.ISSUED,
        number=f"{rng.randint(5, 60)}/KH-UBND",
        issued_on=date(year, rng.randint(1, 3), rng.randint(1, 28)),
        issuer=committee.name if committee else "", parent=parent,
        title=f"Kế hoạch phòng, chống mại dâm năm {year}", period_start=year, period_end=year,
        warnings=["Kế hoạch tham chiếu: chỉ đăng ký số hiệu, chưa nhập nội dung."],
    )  # fmt: skip
    audit_record(action=AuditEvent.Action.CREATE, obj=plan, detail={"demo": True})
    _add(counts, "district_plans")


def _team(
    counts: Counts,
    user: User | None,
    unit: OrgUnit,
    *,
    name: str,
    decision: str,
    day: date,
    issuer: str,
    valid_to: date | None,
    members: list[tuple[Agency, str]],
) -> InspectionTeam:
    team = enforcement.team_create(
        acting_user=user, members=members, org_unit=unit, name=name,
        kind=InspectionTeam.Kind.CULTURE_SOCIAL, decision_number=decision, decision_date=day,
        decision_issuer=issuer, valid_from=day, valid_to=valid_to,
    )  # fmt: skip
    assert team.memberships.filter(role=InspectionTeamMember.Role.HEAD).exists()
    _add(counts, "inspection_teams")
    return team


def _violation(
    counts: Counts, user: User, inspection: Inspection, basis: LegalBasis, n: int
) -> None:
    # ILLUSTRATIVE article and clause (Điều 29 "hành vi khác có liên quan đến mại dâm"): a legal
    # officer should check them against the decree before relying on them.
    if n == 1:
        enforcement.violation_create(
            inspection=inspection, acting_user=user, legal_basis=basis, article="29",
            clause="1", sanction=Violation.Sanction.WARNING,
            description="Không niêm yết nội quy; không quản lý lao động theo quy định.",
        )  # fmt: skip
    else:
        enforcement.violation_create(
            inspection=inspection, acting_user=user, legal_basis=basis, article="29",
            clause="2", sanction=Violation.Sanction.FINE, fine_amount=5_000_000,
            description="Để nhân viên có hành vi khiêu dâm, kích dục tại cơ sở.",
        )  # fmt: skip
    _add(counts, "violations")


def _case(
    counts: Counts,
    user: User | None,
    unit: OrgUnit,
    opened: date,
    offence: str,
    stage: str,
    suspects: int,
    victims: int,
) -> None:
    dates: dict[str, date] = {}
    day = opened
    for stage_value, field in CASE_STAGE_DATES.items():
        if list(Case.Stage.values).index(stage_value) <= list(Case.Stage.values).index(stage):
            day = day + timedelta(days=30)
            dates[field] = day
    crime = Offence.objects.get(code=offence)
    enforcement.case_create(
        acting_user=user, org_unit=unit, opened_on=opened, offence=crime,
        reference=f"Vụ {crime.name.lower()} {opened:%m/%Y}",
        stage=stage, suspects=suspects, defendants=suspects if stage != Case.Stage.DETECTED else 0,
        victims=victims, victims_minor=0, **dates,
    )  # fmt: skip
    _add(counts, "cases")
