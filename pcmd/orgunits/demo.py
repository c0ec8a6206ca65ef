"""Demo data: villages, agencies, standing agencies and demo accounts around the two seed plans.

Owns: demo_load(), DEMO_USERS, DEMO_PASSWORD.
Entry points: `pcmd demo` (management command); the login page lists DEMO_USERS in demo mode.
Invariants: idempotent — a second run creates nothing and changes nothing (existing rows are
found by their natural identity and left alone, passwords included); every write goes through
services.py, so it is audited like a person's (acting user: the system); it needs the official
hierarchy (`pcmd load_orgunits`) and creates no administrative unit other than villages.
Sources: the agencies are those named in the seed plans (Hoằng Hợp 2025: ../shared/seeds/000_…;
An Giang 2016-2020, sections I-V: ../shared/seeds/004_…); the 2025 successions follow DOMAIN.md
§0.1, §2 and §6.2. Village names are ILLUSTRATIVE (“Thôn 1” …), not the communes' real list; the
people are fictitious.
Not here: the hierarchy (loading.py), the login page (accounts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TextIO

from django.db import transaction

from pcmd.common.text import search_key
from pcmd.orgunits import selectors, services
from pcmd.orgunits.models import (
    REFORM_DATE,
    Agency,
    AgencySuccession,
    OrgUnit,
    StandingAgencyAssignment,
)

DEMO_PASSWORD = "pcmd-demo"  # noqa: S105 — documented demo password, demo accounts only

OLD_DAY = date(2025, 1, 1)
"""A date when the pre-reform units (districts, Xã Hoằng Hợp, old An Giang) were valid."""
NEW_DAY = date(2026, 1, 1)
"""A date after the reform (merged An Giang, Xã Hoằng Giang as it stands now)."""
LAST_OLD_DAY = REFORM_DATE - timedelta(days=1)
MOLISA_LAST_DAY = date(2025, 2, 28)
"""Bộ LĐTBXH merged into Bộ Nội vụ; PCMD moved to the health sector from 1/3/2025 (DOMAIN §0.1)."""
MOLISA_HANDOVER = MOLISA_LAST_DAY + timedelta(days=1)

DEMO_USERS: list[dict[str, Any]] = [
    # username, role, the unit (official code, level, a date it was valid on), Vietnamese name
    # split Django's way (first_name = given name, last_name = family and middle names).
    {"username": "admin", "role": "admin", "unit_code": "VN", "level": "national",
     "on": NEW_DAY, "last_name": "Nguyễn Văn", "first_name": "Hùng",
     "full_name": "Nguyễn Văn Hùng", "staff": True},
    {"username": "quocgia.lanhdao", "role": "leader", "unit_code": "VN", "level": "national",
     "on": NEW_DAY, "last_name": "Phạm Quốc", "first_name": "Khánh",
     "full_name": "Phạm Quốc Khánh"},
    {"username": "thanhhoa", "role": "coordinator", "unit_code": "38", "level": "province",
     "on": NEW_DAY, "last_name": "Lê Thị", "first_name": "Hương", "full_name": "Lê Thị Hương"},
    {"username": "thanhhoa.lanhdao", "role": "leader", "unit_code": "38", "level": "province",
     "on": NEW_DAY, "last_name": "Đỗ Minh", "first_name": "Tuấn", "full_name": "Đỗ Minh Tuấn"},
    {"username": "thanhhoa.kiemtra", "role": "inspector", "unit_code": "38",
     "level": "province", "on": NEW_DAY, "last_name": "Vũ Thị", "first_name": "Thu",
     "full_name": "Vũ Thị Thu"},
    {"username": "hoanghoa", "role": "leader", "unit_code": "399", "level": "district",
     "on": OLD_DAY, "last_name": "Lê Văn", "first_name": "Thành", "full_name": "Lê Văn Thành"},
    {"username": "hoanghop", "role": "coordinator", "unit_code": "15919", "level": "commune",
     "on": OLD_DAY, "last_name": "Lê Thị", "first_name": "Lan", "full_name": "Lê Thị Lan",
     "agency": "Công chức Văn hóa - Xã hội xã Hoằng Hợp"},
    {"username": "hoanghop.congan", "role": "police", "unit_code": "15919", "level": "commune",
     "on": OLD_DAY, "last_name": "Nguyễn Văn", "first_name": "Dũng",
     "full_name": "Nguyễn Văn Dũng", "agency": "Công an xã Hoằng Hợp"},
    {"username": "hoanghop.xahoi", "role": "social_worker", "unit_code": "15919",
     "level": "commune", "on": OLD_DAY, "last_name": "Lê Thị", "first_name": "Mai",
     "full_name": "Lê Thị Mai", "agency": "Công chức Văn hóa - Xã hội xã Hoằng Hợp"},
    {"username": "hoanghop.nhaplieu", "role": "data_entry", "unit_code": "15919",
     "level": "commune", "on": OLD_DAY, "last_name": "Phạm Thị", "first_name": "Ngọc",
     "full_name": "Phạm Thị Ngọc"},
    {"username": "hoanggiang", "role": "coordinator", "unit_code": "15880", "level": "commune",
     "on": NEW_DAY, "last_name": "Hoàng Văn", "first_name": "Nam",
     "full_name": "Hoàng Văn Nam", "agency": "Phòng Văn hóa - Xã hội xã Hoằng Giang"},
    {"username": "angiang", "role": "coordinator", "unit_code": "89", "level": "province",
     "on": OLD_DAY, "last_name": "Trần Thị Kim", "first_name": "Loan",
     "full_name": "Trần Thị Kim Loan",
     "agency": "Sở Lao động - Thương binh và Xã hội tỉnh An Giang"},
    {"username": "angiang.lanhdao", "role": "leader", "unit_code": "89", "level": "province",
     "on": OLD_DAY, "last_name": "Nguyễn Thanh", "first_name": "Bình",
     "full_name": "Nguyễn Thanh Bình"},
]  # fmt: skip


@dataclass(frozen=True)
class _AgencySpec:
    kind: str
    name: str
    short_name: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    is_requested: bool = False
    note: str = ""


K = Agency.Kind

# Xã Hoằng Hợp, as its 2025 plan names them (seed 000: "Chủ trì", "Phối hợp", "Đề nghị",
# "các nhà trường"). The commune ended on 30/6/2025, so do they (DOMAIN §2).
HOANG_HOP = [
    _AgencySpec(K.PEOPLE_COMMITTEE, "Ủy ban nhân dân xã Hoằng Hợp", "UBND xã Hoằng Hợp"),
    _AgencySpec(K.POLICE, "Công an xã Hoằng Hợp"),
    _AgencySpec(K.CULTURE_SOCIAL_OFFICER, "Công chức Văn hóa - Xã hội xã Hoằng Hợp",
                "Công chức VH-XH"),
    _AgencySpec(K.RADIO, "Đài truyền thanh xã Hoằng Hợp"),
    _AgencySpec(K.HEALTH_STATION, "Trạm y tế xã Hoằng Hợp"),
    _AgencySpec(K.FATHERLAND_FRONT, "Ủy ban Mặt trận Tổ quốc Việt Nam xã Hoằng Hợp",
                "UBMTTQ xã Hoằng Hợp", is_requested=True),
    _AgencySpec(K.WOMENS_UNION, "Hội Liên hiệp Phụ nữ xã Hoằng Hợp", "Hội LHPN xã Hoằng Hợp",
                is_requested=True),
    _AgencySpec(K.YOUTH_UNION, "Đoàn Thanh niên xã Hoằng Hợp", is_requested=True),
    _AgencySpec(K.SCHOOL, "Trường Mầm non Hoằng Hợp"),
    _AgencySpec(K.SCHOOL, "Trường Tiểu học Hoằng Hợp"),
    _AgencySpec(K.SCHOOL, "Trường Trung học cơ sở Hoằng Hợp", "Trường THCS Hoằng Hợp"),
]  # fmt: skip

# Xã Hoằng Giang keeps its identity across the reform and absorbs Hoằng Hợp; from 1/7/2025 a
# commune has specialised offices (NĐ 150/2025/NĐ-CP, DOMAIN §6.2 "Post-2025 additions").
HOANG_GIANG = [
    _AgencySpec(K.PEOPLE_COMMITTEE, "Ủy ban nhân dân xã Hoằng Giang", "UBND xã Hoằng Giang"),
    _AgencySpec(K.POLICE, "Công an xã Hoằng Giang"),
    _AgencySpec(K.HEALTH_STATION, "Trạm y tế xã Hoằng Giang"),
    _AgencySpec(K.RADIO, "Đài truyền thanh xã Hoằng Giang"),
    _AgencySpec(K.FATHERLAND_FRONT, "Ủy ban Mặt trận Tổ quốc Việt Nam xã Hoằng Giang",
                "UBMTTQ xã Hoằng Giang", is_requested=True),
    _AgencySpec(K.WOMENS_UNION, "Hội Liên hiệp Phụ nữ xã Hoằng Giang",
                "Hội LHPN xã Hoằng Giang", is_requested=True),
    _AgencySpec(K.YOUTH_UNION, "Đoàn Thanh niên xã Hoằng Giang", is_requested=True),
    _AgencySpec(K.CULTURE_SOCIAL_OFFICER, "Công chức Văn hóa - Xã hội xã Hoằng Giang",
                "Công chức VH-XH", valid_to=LAST_OLD_DAY),
    _AgencySpec(K.CULTURE_SOCIAL_OFFICE, "Phòng Văn hóa - Xã hội xã Hoằng Giang",
                "Phòng VH-XH", valid_from=REFORM_DATE),
    _AgencySpec(K.OFFICE, "Văn phòng HĐND và UBND xã Hoằng Giang", "Văn phòng HĐND-UBND",
                valid_from=REFORM_DATE),
    _AgencySpec(K.ECONOMIC_OFFICE, "Phòng Kinh tế xã Hoằng Giang", "Phòng Kinh tế",
                valid_from=REFORM_DATE),
]  # fmt: skip

# Huyện Hoằng Hóa: the plan the commune implements (KH 39/KH-UBND) and its "Nơi nhận".
HOANG_HOA = [
    _AgencySpec(K.PEOPLE_COMMITTEE, "Ủy ban nhân dân huyện Hoằng Hóa", "UBND huyện Hoằng Hóa"),
    _AgencySpec(K.LABOUR_SOCIAL_AFFAIRS, "Phòng Lao động - Thương binh và Xã hội huyện Hoằng Hóa",
                "Phòng LĐTBXH huyện Hoằng Hóa"),
]  # fmt: skip

# Tỉnh An Giang (code 89, until 30/6/2025): every body named in sections I-V of its 2016-2020
# plan (seed 004, "V. TỔ CHỨC THỰC HIỆN" items 1-15 and III.2). Bodies the plan addresses with
# "Đề nghị" are not subordinate to the People's Committee: is_requested. Generic phrases
# ("các đơn vị có liên quan", "các cơ quan thông tin đại chúng") are not agencies.
AN_GIANG_OLD = [
    _AgencySpec(K.PEOPLE_COMMITTEE, "Ủy ban nhân dân tỉnh An Giang", "UBND tỉnh An Giang"),
    _AgencySpec(K.PEOPLE_COUNCIL, "Hội đồng nhân dân tỉnh An Giang", "HĐND tỉnh An Giang"),
    _AgencySpec(K.STEERING_COMMITTEE,
                "Ban Chỉ đạo Phòng chống tội phạm, HIV/AIDS, tệ nạn xã hội, xây dựng phong trào "
                "toàn dân bảo vệ an ninh Tổ quốc tỉnh An Giang", "Ban Chỉ đạo tỉnh"),
    # DOMAIN §0.1/§6.2: Sở LĐTBXH was the standing agency until the ministry merger of 1/3/2025.
    _AgencySpec(K.LABOUR_SOCIAL_AFFAIRS, "Sở Lao động - Thương binh và Xã hội tỉnh An Giang",
                "Sở LĐTBXH", valid_to=MOLISA_LAST_DAY),
    _AgencySpec(K.POLICE, "Công an tỉnh An Giang"),
    _AgencySpec(K.BORDER_GUARD, "Bộ Chỉ huy Bộ đội Biên phòng tỉnh An Giang",
                "BCH BĐBP tỉnh"),
    # DOMAIN §6.2: Sở TTTT merged into Sở KH&CN, Sở KH&ĐT into Sở Tài chính (2025).
    _AgencySpec(K.INFORMATION_COMMUNICATIONS, "Sở Thông tin và Truyền thông tỉnh An Giang",
                "Sở TTTT", valid_to=MOLISA_LAST_DAY),
    _AgencySpec(K.CULTURE_SPORTS_TOURISM, "Sở Văn hóa, Thể thao và Du lịch tỉnh An Giang",
                "Sở VHTTDL"),
    _AgencySpec(K.HEALTH_DEPARTMENT, "Sở Y tế tỉnh An Giang", "Sở Y tế"),
    _AgencySpec(K.JUSTICE, "Sở Tư pháp tỉnh An Giang", "Sở Tư pháp"),
    _AgencySpec(K.PLANNING_INVESTMENT, "Sở Kế hoạch và Đầu tư tỉnh An Giang", "Sở KH&ĐT",
                valid_to=MOLISA_LAST_DAY),
    _AgencySpec(K.FINANCE, "Sở Tài chính tỉnh An Giang", "Sở Tài chính"),
    _AgencySpec(K.EDUCATION, "Sở Giáo dục và Đào tạo tỉnh An Giang", "Sở GD&ĐT"),
    _AgencySpec(K.RADIO, "Đài Phát thanh - Truyền hình An Giang", "Đài PT-TH An Giang"),
    _AgencySpec(K.PRESS, "Báo An Giang"),
    _AgencySpec(K.PROPAGANDA_BOARD, "Ban Tuyên giáo Tỉnh ủy An Giang", "Ban Tuyên giáo tỉnh",
                is_requested=True),
    _AgencySpec(K.PROCURACY, "Viện Kiểm sát nhân dân tỉnh An Giang", "VKSND tỉnh",
                is_requested=True),
    _AgencySpec(K.COURT, "Tòa án nhân dân tỉnh An Giang", "TAND tỉnh", is_requested=True),
    _AgencySpec(K.FATHERLAND_FRONT, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh An Giang",
                "UBMTTQ tỉnh", is_requested=True),
    _AgencySpec(K.WOMENS_UNION, "Hội Liên hiệp Phụ nữ tỉnh An Giang", "Hội LHPN tỉnh",
                is_requested=True),
    _AgencySpec(K.YOUTH_UNION, "Tỉnh Đoàn An Giang", "Tỉnh Đoàn", is_requested=True),
    _AgencySpec(K.FARMERS_UNION, "Hội Nông dân tỉnh An Giang", "Hội Nông dân tỉnh",
                is_requested=True),
    _AgencySpec(K.VETERANS, "Hội Cựu chiến binh tỉnh An Giang", "Hội CCB tỉnh",
                is_requested=True),
    _AgencySpec(K.LABOUR_FEDERATION, "Liên đoàn Lao động tỉnh An Giang", "LĐLĐ tỉnh",
                is_requested=True),
    # Not in the 2016 plan: the department that absorbed Sở TTTT in 2025 (DOMAIN §6.2).
    _AgencySpec(K.SCIENCE_TECHNOLOGY, "Sở Khoa học và Công nghệ tỉnh An Giang", "Sở KH&CN",
                note="Không có trong kế hoạch 2016; ghi nhận việc hợp nhất Sở TTTT năm 2025."),
]  # fmt: skip

# Tỉnh An Giang (code 91, merged from old An Giang and Kiên Giang, since 1/7/2025): the
# departments that carry the old province's PCMD duties (DOMAIN §2, §6.2).
AN_GIANG_NEW = [
    _AgencySpec(K.PEOPLE_COMMITTEE, "Ủy ban nhân dân tỉnh An Giang", "UBND tỉnh An Giang",
                valid_from=REFORM_DATE),
    _AgencySpec(K.HEALTH_DEPARTMENT, "Sở Y tế tỉnh An Giang", "Sở Y tế", valid_from=REFORM_DATE),
    _AgencySpec(K.POLICE, "Công an tỉnh An Giang", valid_from=REFORM_DATE),
    _AgencySpec(K.SCIENCE_TECHNOLOGY, "Sở Khoa học và Công nghệ tỉnh An Giang", "Sở KH&CN",
                valid_from=REFORM_DATE),
    _AgencySpec(K.FINANCE, "Sở Tài chính tỉnh An Giang", "Sở Tài chính", valid_from=REFORM_DATE),
    _AgencySpec(K.CULTURE_SPORTS_TOURISM, "Sở Văn hóa, Thể thao và Du lịch tỉnh An Giang",
                "Sở VHTTDL", valid_from=REFORM_DATE),
    _AgencySpec(K.JUSTICE, "Sở Tư pháp tỉnh An Giang", "Sở Tư pháp", valid_from=REFORM_DATE),
    _AgencySpec(K.EDUCATION, "Sở Giáo dục và Đào tạo tỉnh An Giang", "Sở GD&ĐT",
                valid_from=REFORM_DATE),
]  # fmt: skip

# (predecessor's unit, predecessor, successor's unit, successor, date, function, legal basis)
_BASIS_HEALTH = "Nghị định số 42/2025/NĐ-CP; Thông tư số 20/2025/TT-BYT"
_BASIS_MERGER = "Sắp xếp đơn vị hành chính cấp tỉnh năm 2025"
_BASIS_COMMUNE_OFFICES = "Nghị định số 150/2025/NĐ-CP"
AGENCY_SUCCESSIONS: list[tuple[str, str, str, str, date, str, str]] = [
    # DOMAIN §0.1, §6.2: PCMD moved from the labour to the health sector on 1/3/2025.
    ("89", "Sở Lao động - Thương binh và Xã hội tỉnh An Giang", "89", "Sở Y tế tỉnh An Giang",
     MOLISA_HANDOVER, "phòng, chống mại dâm", _BASIS_HEALTH),
    ("89", "Sở Thông tin và Truyền thông tỉnh An Giang", "89",
     "Sở Khoa học và Công nghệ tỉnh An Giang", MOLISA_HANDOVER, "", ""),
    ("89", "Sở Kế hoạch và Đầu tư tỉnh An Giang", "89", "Sở Tài chính tỉnh An Giang",
     MOLISA_HANDOVER, "", ""),
    # DOMAIN §2: old An Giang's departments continue in the merged province from 1/7/2025.
    *[("89", spec.name, "91", spec.name, REFORM_DATE, "", _BASIS_MERGER) for spec in AN_GIANG_NEW],
    # Xã Hoằng Hợp merged into Xã Hoằng Giang (DOMAIN §2); NĐ 150/2025 commune offices.
    ("15919", "Ủy ban nhân dân xã Hoằng Hợp", "15880", "Ủy ban nhân dân xã Hoằng Giang",
     REFORM_DATE, "", ""),
    ("15919", "Công an xã Hoằng Hợp", "15880", "Công an xã Hoằng Giang", REFORM_DATE, "", ""),
    ("15919", "Công chức Văn hóa - Xã hội xã Hoằng Hợp", "15880",
     "Phòng Văn hóa - Xã hội xã Hoằng Giang", REFORM_DATE, "", _BASIS_COMMUNE_OFFICES),
    ("15880", "Công chức Văn hóa - Xã hội xã Hoằng Giang", "15880",
     "Phòng Văn hóa - Xã hội xã Hoằng Giang", REFORM_DATE, "", _BASIS_COMMUNE_OFFICES),
]  # fmt: skip

# (unit, agency, from, legal basis), in date order per unit (each closes the previous one).
STANDING_AGENCIES: list[tuple[str, str, date | None, str]] = [
    ("89", "Sở Lao động - Thương binh và Xã hội tỉnh An Giang", None, ""),
    ("89", "Sở Y tế tỉnh An Giang", MOLISA_HANDOVER, _BASIS_HEALTH),
    ("91", "Sở Y tế tỉnh An Giang", REFORM_DATE, _BASIS_HEALTH),
    ("399", "Phòng Lao động - Thương binh và Xã hội huyện Hoằng Hóa", None, ""),
    ("15919", "Công chức Văn hóa - Xã hội xã Hoằng Hợp", None, ""),
    ("15880", "Công chức Văn hóa - Xã hội xã Hoằng Giang", None, ""),
    ("15880", "Phòng Văn hóa - Xã hội xã Hoằng Giang", REFORM_DATE, _BASIS_COMMUNE_OFFICES),
]

# ILLUSTRATIVE village names (not the communes' official lists).
VILLAGES: dict[str, list[str]] = {
    "15919": [f"Thôn {i}" for i in range(1, 7)],
    "15880": [f"Thôn {i}" for i in range(1, 9)],
}

# Which date each demo unit code is resolved at (a reused code needs a date: 91).
_UNIT_DATES: dict[str, tuple[str, date]] = {
    "VN": ("national", NEW_DAY),
    "38": ("province", NEW_DAY),
    "399": ("district", OLD_DAY),
    "15919": ("commune", OLD_DAY),
    "15880": ("commune", NEW_DAY),
    "89": ("province", OLD_DAY),
    "91": ("province", NEW_DAY),
}


class DemoHierarchyMissing(RuntimeError):
    """The official hierarchy has not been loaded yet."""


@dataclass
class DemoResult:
    """What demo_load created (names) and how many it found already there."""

    created: dict[str, list[str]] = field(default_factory=dict)
    existing: int = 0

    def add(self, category: str, label: str) -> None:
        self.created.setdefault(category, []).append(label)

    @property
    def created_count(self) -> int:
        return sum(len(v) for v in self.created.values())


def _unit(code: str) -> OrgUnit:
    level, on = _UNIT_DATES[code]
    return selectors.orgunit_get_by_code(code, on=on, level=level)


def _require_hierarchy() -> None:
    try:
        for code in _UNIT_DATES:
            _unit(code)
    except selectors.OrgUnitNotFound as exc:
        raise DemoHierarchyMissing(
            "Chưa có cây đơn vị hành chính (không tìm thấy đơn vị cần cho dữ liệu mẫu). "
            "Hãy chạy `pcmd load_orgunits` trước, rồi chạy lại `pcmd demo`."
        ) from exc


def _committee_name(unit: OrgUnit) -> tuple[str, str]:
    """Huyện An Phú -> (“Ủy ban nhân dân huyện An Phú”, “UBND huyện An Phú”)."""
    prefix = unit.name[: len(unit.name) - len(unit.short_name)].strip().lower()
    place = f"{prefix} {unit.short_name}".strip()
    return f"Ủy ban nhân dân {place}", f"UBND {place}"


def _agency_get(unit: OrgUnit, name: str, valid_from: date | None = None) -> Agency | None:
    return Agency.objects.filter(org_unit=unit, key=search_key(name), valid_from=valid_from).first()


def _agency_ensure(unit: OrgUnit, spec: _AgencySpec, result: DemoResult, say: Any) -> Agency:
    found = _agency_get(unit, spec.name, spec.valid_from)
    if found is not None:
        result.existing += 1
        return found
    valid_to = spec.valid_to if spec.valid_to is not None else unit.valid_to
    agency = services.agency_create(
        org_unit=unit, kind=spec.kind, name=spec.name, short_name=spec.short_name,
        valid_from=spec.valid_from, valid_to=valid_to, is_requested=spec.is_requested,
        note=spec.note, acting_user=None,
    )  # fmt: skip
    result.add("agencies", f"{agency.name} ({unit.name})")
    say(f"+ cơ quan: {agency.name} — {selectors.orgunit_label(unit)}")
    return agency


def _find_agency(code: str, name: str) -> Agency:
    unit = _unit(code)
    return Agency.objects.filter(org_unit=unit, key=search_key(name)).order_by("valid_from")[0]


@transaction.atomic
def demo_load(*, stdout: TextIO | None = None) -> DemoResult:
    """Create the demo villages, agencies, successions, standing agencies and accounts."""
    _require_hierarchy()
    result = DemoResult()

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")

    _load_villages(result, say)
    for code, specs in (("15919", HOANG_HOP), ("15880", HOANG_GIANG), ("399", HOANG_HOA),
                        ("89", AN_GIANG_OLD), ("91", AN_GIANG_NEW)):  # fmt: skip
        unit = _unit(code)
        for spec in specs:
            _agency_ensure(unit, spec, result, say)
    # One People's Committee per district of old An Giang, as the hierarchy has them (seed 004,
    # V.12 "Ủy ban nhân dân các huyện, thị, thành phố"); abolished with the districts.
    for district in selectors.orgunit_children(_unit("89"), on=OLD_DAY).filter(
        level=OrgUnit.Level.DISTRICT
    ):
        name, short = _committee_name(district)
        _agency_ensure(district, _AgencySpec(K.PEOPLE_COMMITTEE, name, short), result, say)
    _load_successions(result, say)
    _load_standing(result, say)
    _load_users(result, say)
    return result


def _load_villages(result: DemoResult, say: Callable[[str], None]) -> None:
    for code, names in VILLAGES.items():
        commune = _unit(code)
        have = {search_key(v.name) for v in selectors.village_list(commune)}
        for name in names:
            if search_key(name) in have:
                result.existing += 1
                continue
            village = services.village_create(
                commune=commune, name=name, kind=OrgUnit.Kind.VILLAGE, acting_user=None,
                record_historic=not commune.is_current,
            )  # fmt: skip
            result.add("villages", f"{village.name} ({commune.name})")
            say(f"+ thôn: {village.name} — {selectors.orgunit_label(commune)}")


def _load_successions(result: DemoResult, say: Callable[[str], None]) -> None:
    for pred_code, pred_name, succ_code, succ_name, day, function, basis in AGENCY_SUCCESSIONS:
        predecessor = _find_agency(pred_code, pred_name)
        successor = _find_agency(succ_code, succ_name)
        if AgencySuccession.objects.filter(
            predecessor=predecessor, successor=successor, function=function
        ).exists():
            result.existing += 1
            continue
        services.agency_succession_create(
            predecessor=predecessor, successor=successor, effective_date=day,
            function=function, legal_basis=basis, acting_user=None,
        )  # fmt: skip
        label = f"{predecessor.name} ⇒ {successor.name} ({day:%d/%m/%Y})"
        result.add("agency_successions", label)
        say(f"+ kế thừa: {label}")


def _load_standing(result: DemoResult, say: Callable[[str], None]) -> None:
    for code, name, valid_from, basis in STANDING_AGENCIES:
        unit = _unit(code)
        agency = _find_agency(code, name)
        if StandingAgencyAssignment.objects.filter(
            org_unit=unit, agency=agency, valid_from=valid_from
        ).exists():
            result.existing += 1
            continue
        services.standing_agency_assign(
            org_unit=unit, agency=agency, valid_from=valid_from, legal_basis=basis,
            acting_user=None,
        )  # fmt: skip
        label = f"{unit.name}: {agency.name}" + (f" từ {valid_from:%d/%m/%Y}" if valid_from else "")
        result.add("standing_agencies", label)
        say(f"+ cơ quan thường trực: {label}")


def _load_users(result: DemoResult, say: Callable[[str], None]) -> None:
    from pcmd.accounts.audit import audit_record
    from pcmd.accounts.models import AuditEvent, User

    for spec in DEMO_USERS:
        if User.objects.filter(username=spec["username"]).exists():
            result.existing += 1
            continue
        unit = selectors.orgunit_get_by_code(spec["unit_code"], on=spec["on"], level=spec["level"])
        agency = _find_agency(spec["unit_code"], spec["agency"]) if spec.get("agency") else None
        user = User(
            username=spec["username"], role=spec["role"], org_unit=unit, agency=agency,
            first_name=spec["first_name"], last_name=spec["last_name"], is_demo=True,
            is_staff=bool(spec.get("staff")), is_superuser=bool(spec.get("staff")),
        )  # fmt: skip
        user.set_password(DEMO_PASSWORD)
        user.save()
        audit_record(action=AuditEvent.Action.CREATE, obj=user, org_unit=unit,
                     detail={"demo": True, "role": user.role})  # fmt: skip
        result.add("users", f"{user.username} ({spec['full_name']}, {user.get_role_display()})")
        say(f"+ tài khoản: {user.username} — {spec['full_name']}, {user.get_role_display()}, "
            f"{unit.name}")  # fmt: skip
