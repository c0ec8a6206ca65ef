"""Small typed helpers for plans tests: parsed dicts written by hand, agencies, users, plans.

The parsed dicts follow the parser's JSON contract (issue 3) so the import is tested without
the parser; test_import_seeds.py imports the real seeds end to end.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import HOANG_HOP, unit
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.plans import services
from pcmd.plans.models import Plan, Target, Task

HH_AGENCIES: list[tuple[str, str, str]] = [
    (Agency.Kind.PEOPLE_COMMITTEE, "Ủy ban nhân dân xã Hoằng Hợp", "UBND xã Hoằng Hợp"),
    (Agency.Kind.POLICE, "Công an xã Hoằng Hợp", ""),
    (Agency.Kind.CULTURE_SOCIAL_OFFICER, "Công chức Văn hóa - Xã hội xã Hoằng Hợp",
     "Công chức VH-XH"),
    (Agency.Kind.RADIO, "Đài truyền thanh xã Hoằng Hợp", ""),
    (Agency.Kind.HEALTH_STATION, "Trạm y tế xã Hoằng Hợp", ""),
    (
        Agency.Kind.FATHERLAND_FRONT,
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã Hoằng Hợp",
        "UBMTTQ xã Hoằng Hợp",
    ),
]  # fmt: skip


def hoang_hop() -> OrgUnit:
    return unit(HOANG_HOP)


def make_agencies(org_unit: OrgUnit | None = None) -> dict[str, Agency]:
    """The agencies of Xã Hoằng Hợp the commune plan names, by kind."""
    org_unit = org_unit or hoang_hop()
    out: dict[str, Agency] = {}
    for kind, name, short in HH_AGENCIES:
        agency, _created = Agency.objects.get_or_create(
            org_unit=org_unit, name=name, defaults={"kind": kind, "short_name": short}
        )
        out[kind] = agency
    return out


def make_user(
    *,
    username: str = "canbo",
    role: str = User.Role.COORDINATOR,
    unit_code: str = HOANG_HOP,
    agency: Agency | None = None,
) -> User:
    return User.objects.create(
        username=username, role=role, org_unit=unit(unit_code), agency=agency
    )


COMMUNE_PARSED: dict[str, Any] = {
    "kind": "plan",
    "number": None,
    "issued_on": None,
    "place": None,
    "issuer": "UBND xã Hoàng Hợp",
    "title": "Phòng, chống mại dâm trên địa xã Hoàng Hợp năm 2025",
    "period": {"start": 2025, "end": 2025},
    "basis": [
        {
            "text": "Thực hiện Kế hoạch số 39/KH-UBND ngày 17/02/2025 của UBND huyện Hoàng Hóa "
            "về phòng, chống mại dâm trên địa bàn huyện Hoàng Hóa năm 2025",
            "number": "39/KH-UBND",
            "issued_on": "2025-02-17",
            "issuer": "UBND huyện Hoàng Hóa",
        }
    ],
    "sections": [
        {
            "number": "II",
            "title": "CHỈ TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN",
            "children": [
                {
                    "number": "II.1",
                    "title": "Nâng cao hiệu quả công tác truyền thông",
                    "children": [
                        {"number": "II.1.1", "title": "Chỉ tiêu", "children": []},
                        {"number": "II.1.2", "title": "Nhiệm vụ và giải pháp", "children": []},
                    ],
                },
                {
                    "number": "II.3",
                    "title": "Tăng cường kiểm tra",
                    "children": [
                        {"number": "II.3.1", "title": "Chỉ tiêu", "children": []},
                        {"number": "II.3.2", "title": "Nhiệm vụ và giải pháp", "children": []},
                    ],
                },
            ],
        },
        {"number": "III", "title": "KINH PHÍ THỰC HIỆN", "children": []},
    ],
    "targets": [
        {
            "section": "II.1.1",
            "text": "Ít nhất 80% số thôn tổ chức được ít nhất một hình thức tuyên truyền về "
            "phòng ngừa mại dâm và được duy trì thường xuyên.",
            "kind": "level",
            "comparator": ">=",
            "value": 80,
            "value_max": None,
            "unit": "%",
            "per": None,
            "population": "thôn",
            "baseline_year": None,
            "start_year": None,
            "milestones": [],
            "confidence": 0.95,
        },
        {
            "section": "II.3.1",
            "text": "Số tội phạm liên quan đến hoạt động mại dâm được xử lý theo quy định của "
            "pháp luật tăng từ 3-5% so với năm 2024",
            "kind": "change",
            "comparator": "between",
            "value": 3,
            "value_max": 5,
            "unit": "%",
            "per": None,
            "population": "tội phạm liên quan đến hoạt động mại dâm",
            "baseline_year": 2024,
            "start_year": None,
            "milestones": [],
            "confidence": 0.9,
        },
    ],
    "tasks": [
        {
            "section": "II.1.2.a",
            "title": "Tăng cường tuyên truyền phòng ngừa đến mọi người dân",
            "activities": ["Thường xuyên tổ chức tuyên truyền", "Lồng ghép các nội dung"],
            "lead": ["Công chức văn hoá xã hội"],
            "support": ["Các ngành, đoàn thể có liên quan"],
            "advisor": [],
            "decider": [],
            "timeframe": {"text": "Thường xuyên", "kind": "ongoing", "start": None, "end": None},
            "confidence": 0.9,
        },
        {
            "section": "II.3.2.a",
            "title": "Kiện toàn Đoàn kiểm tra về phòng, chống tệ nạn mại dâm",
            "activities": [],
            "lead": [],
            "support": [],
            "advisor": ["Công chức văn hoá xã hội"],
            "decider": ["UBND xã"],
            "timeframe": {
                "text": "Quý I/2025",
                "kind": "quarter",
                "start": "2025-01-01",
                "end": "2025-03-31",
            },
            "confidence": 0.9,
        },
        {
            "section": "II.3.2.b",
            "title": "Kiểm tra, quản lý chặt chẽ điều kiện kinh doanh dịch vụ",
            "activities": ["Rà soát, đánh giá thực trạng", "Tăng cường kiểm tra"],
            "lead": ["Công an xã"],
            "support": ["Công chức văn hoá xã hội", "đài truyền thanh xã", "trạm y tế xã"],
            "advisor": [],
            "decider": [],
            "timeframe": {
                "text": "Cả năm",
                "kind": "year",
                "start": "2025-01-01",
                "end": "2025-12-31",
            },
            "confidence": 0.9,
        },
    ],
    "responsibilities": [
        {
            "agencies": ["các đơn vị có liên quan"],
            "text": "Căn cứ nhiệm vụ được giao tại Kế hoạch này các đơn vị có liên quan có trách "
            "nhiệm phối hợp thực hiện.",
        },
        {
            "agencies": ["Ủy ban Mặt trận Tổ quốc xã", "Công an xã"],
            "text": "Đề nghị Ủy ban Mặt trận Tổ quốc xã phối hợp với Công an xã đẩy mạnh công "
            "tác tuyên truyền.",
        },
    ],
    "reporting": [],
    "budget": {
        "text": "Kinh phí được bố trí từ nguồn ngân sách Nhà nước và nguồn kinh phí huy động "
        "hợp pháp khác.",
        "sources": ["state", "other"],
    },
    "signer": {"name": "Lê Văn Phụng", "title": "CHỦ TỊCH"},
    "recipients": ["UBND huyện (b/c)", "Lưu: VT."],
    "warnings": [],
}

PROVINCE_PARSED: dict[str, Any] = {
    "kind": "decision",
    "number": "1994/QĐ-UBND",
    "issued_on": "2016-07-15",
    "place": "An Giang",
    "issuer": "UBND tỉnh An Giang",
    "title": "Kế hoạch thực hiện Chương trình phòng, chống mại dâm giai đoạn 2016 - 2020 trên "
    "địa bàn tỉnh An Giang",
    "period": {"start": 2016, "end": 2020},
    "basis": [],
    "sections": [{"number": "II.3.1", "title": "Tuyên truyền", "children": []}],
    "targets": [
        {
            "section": "II.3.1.a",
            "text": "Đến năm 2017, đạt 75% và năm 2020 đạt 100% số xã, phường, thị trấn (gọi "
            "chung là cấp xã) tổ chức được ít nhất một hình thức tuyên truyền",
            "kind": "level",
            "comparator": ">=",
            "value": 100,
            "value_max": None,
            "unit": "%",
            "per": None,
            "population": "xã, phường, thị trấn",
            "baseline_year": None,
            "start_year": None,
            "milestones": [{"year": 2017, "value": 75}, {"year": 2020, "value": 100}],
        },
        {
            "section": "II.3.3.a",
            "text": "Đến năm 2020: 50% huyện, thị, thành phố xây dựng mô hình cung cấp dịch vụ",
            "kind": "level",
            "comparator": ">=",
            "value": 50,
            "value_max": None,
            "unit": "%",
            "per": None,
            "population": "huyện, thị, thành phố",
            "baseline_year": None,
            "start_year": None,
            "milestones": [{"year": 2020, "value": 50}],
        },
        {
            "section": "II.3.1.a",
            "text": "Từ năm 2016, thông tin về phòng, chống mại dâm được đăng tải ít nhất một "
            "tháng một lần.",
            "kind": "frequency",
            "comparator": ">=",
            "value": 1,
            "value_max": None,
            "unit": "times",
            "per": "month",
            "population": None,
            "baseline_year": None,
            "start_year": 2016,
            "milestones": [],
        },
    ],
    "tasks": [
        {
            "section": "II.3.1.b",
            "title": "Tăng cường công tác truyền thông, phòng ngừa",
            "activities": [],
            "lead": [],
            "support": [],
            "advisor": [],
            "decider": [],
            "timeframe": None,
        },
        {
            "section": "II.3.2.b",
            "title": "Tổ chức rà soát, đánh giá về nhóm người có nguy cơ cao",
            "activities": [],
            "lead": [],
            "support": [],
            "advisor": [],
            "decider": [],
            "timeframe": {
                "text": "2016-2017",
                "kind": "range",
                "start": "2016-01-01",
                "end": "2017-12-31",
            },
        },
    ],
    "responsibilities": [],
    "reporting": [{"text": "Định kỳ 6 tháng, hàng năm tổng hợp báo cáo", "frequency": ["year"]}],
    "signer": {"name": "Nguyễn Thanh Bình", "title": "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"},
    "recipients": [],
    "warnings": [],
}


def commune_parsed(**overrides: Any) -> dict[str, Any]:
    data = copy.deepcopy(COMMUNE_PARSED)
    data.update(overrides)
    return data


def province_parsed(**overrides: Any) -> dict[str, Any]:
    data = copy.deepcopy(PROVINCE_PARSED)
    data.update(overrides)
    return data


def import_commune_plan(*, acting_user: Any = None, **overrides: Any) -> Plan:
    """The hand-written commune plan imported for Xã Hoằng Hợp (with its agencies)."""
    make_agencies()
    return services.plan_import(
        parsed=commune_parsed(**overrides), org_unit=hoang_hop(), acting_user=acting_user
    )


def import_province_plan(*, acting_user: Any = None, **overrides: Any) -> Plan:
    return services.plan_import(
        parsed=province_parsed(**overrides), org_unit=unit("89"), acting_user=acting_user
    )


def make_plan(*, org_unit: OrgUnit | None = None, **overrides: Any) -> Plan:
    fields: dict[str, Any] = {
        "org_unit": org_unit or hoang_hop(),
        "title": "Kế hoạch phòng, chống mại dâm năm 2025",
        "period_start": 2025,
        "period_end": 2025,
    }
    fields.update(overrides)
    return Plan.objects.create(**fields)


def make_task(*, plan: Plan | None = None, **overrides: Any) -> Task:
    fields: dict[str, Any] = {"plan": plan or make_plan(), "title": "Tuyên truyền"}
    fields.update(overrides)
    return Task.objects.create(**fields)


def make_target(*, plan: Plan | None = None, **overrides: Any) -> Target:
    fields: dict[str, Any] = {
        "plan": plan or make_plan(),
        "text": "Ít nhất 80% số thôn tuyên truyền",
        "kind": "level",
        "comparator": ">=",
        "value": 80,
        "unit": "%",
        "population": "thôn",
    }
    fields.update(overrides)
    return Target.objects.create(**fields)


BEFORE_REFORM_DAY = date(2025, 6, 1)
