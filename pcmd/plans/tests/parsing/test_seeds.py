"""The two seed documents, field by field (issue 3: 9 targets / 11 tasks; 8 targets / 15 duties)."""

from __future__ import annotations

from typing import Any

import pytest

from pcmd.plans.parsing import ParsedDocument

CONTRACT_KEYS = {
    "kind", "number", "issued_on", "place", "issuer", "title", "period", "basis", "sections",
    "targets", "tasks", "responsibilities", "reporting", "signer", "recipients", "warnings",
    "plan_title",  # an addition: the attached plan's title when the document is a decision
}  # fmt: skip
TARGET_KEYS = {
    "section", "text", "kind", "comparator", "value", "value_max", "unit", "per", "population",
    "baseline_year", "start_year", "milestones", "confidence",
}  # fmt: skip
TASK_KEYS = {
    "section", "title", "activities", "lead", "support", "advisor", "decider", "timeframe",
    "confidence",
}  # fmt: skip

# section, kind, comparator, value, value_max, unit, per, population, baseline, start, milestones
COMMUNE_TARGETS: list[tuple[Any, ...]] = [
    ("II.1.1", "level", ">=", 80, None, "%", None, "thôn", None, None, []),
    ("II.1.1", "frequency", ">=", 1, None, "times", "month", None, None, None, []),
    ("II.2.1", "level", "=", 100, None, "%", None, "đơn vị trong xã", None, None, []),
    ("II.3.1", "level", "=", 100, None, "%", None, "tin báo, tố giác, phản ánh", None, None, []),
    ("II.3.1", "change", "between", 3, 5, "%", None, "tội phạm liên quan đến hoạt động mại dâm",
     2024, None, []),
    ("II.3.1", "level", ">=", 20, None, "%", None,
     "cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm", None, None, []),
    ("II.4.1", "level", ">=", 10, None, "%", None, "địa bàn", None, None, []),
    ("II.4.1", "level", ">=", 70, None, "%", None, "người bán dâm có nhu cầu và đủ điều kiện",
     None, None, []),
    ("II.5.1", "level", ">=", 15, None, "%", None,
     "đội ngũ cán bộ, công chức, viên chức, chiến sĩ", None, None, []),
]  # fmt: skip

PROVINCE_TARGETS: list[tuple[Any, ...]] = [
    ("II.3.1.a", "frequency", ">=", 1, None, "times", "month", None, None, 2016, []),
    ("II.3.1.a", "level", ">=", 100, None, "%", None, "xã, phường, thị trấn", None, None,
     [(2017, 75), (2020, 100)]),
    ("II.3.2.a", "level", "=", 100, None, "%", None, "huyện, thị, thành phố", None, None,
     [(2017, 50), (2020, 100)]),
    ("II.3.3.a", "level", ">=", 50, None, "%", None, "huyện, thị, thành phố", None, None, []),
    ("II.3.3.a", "level", ">=", 50, None, "%", None, "huyện, thị, thành phố", None, None,
     [(2020, 50)]),
    ("II.3.3.b", "count", ">=", 3, None, "count", None, "huyện, thị, thành phố", None, None,
     [(2020, 3)]),
    ("II.3.3.b", "count", ">=", 3, None, "count", None, "mô hình hỗ trợ", None, None,
     [(2020, 3)]),
    ("II.3.3.b", "count", ">=", 3, None, "count", None, "mô hình", None, None, [(2020, 3)]),
]  # fmt: skip

FIELDS = (
    "section", "kind", "comparator", "value", "value_max", "unit", "per", "population",
    "baseline_year", "start_year",
)  # fmt: skip


def _check_targets(document: ParsedDocument, expected: list[tuple[Any, ...]]) -> None:
    targets = document.to_dict()["targets"]
    assert len(targets) == len(expected)
    for target, row in zip(targets, expected, strict=True):
        assert set(target) >= TARGET_KEYS
        assert {field: target[field] for field in FIELDS} == dict(
            zip(FIELDS, row[:10], strict=True)
        )
        assert [(m["year"], m["value"]) for m in target["milestones"]] == row[10]
        assert 0 < target["confidence"] <= 1


def test_commune_plan_header(commune: ParsedDocument) -> None:
    data = commune.to_dict()
    assert set(data) == CONTRACT_KEYS
    assert data["kind"] == "plan"
    assert data["number"] is None and data["issued_on"] is None and data["place"] is None
    assert data["period"] == {"start": 2025, "end": 2025}
    assert data["issuer"] == "UBND xã Hoàng Hợp"
    assert data["title"] == "Phòng, chống mại dâm trên địa xã Hoàng Hợp năm 2025"
    assert data["signer"] == {"name": "Lê Văn Phụng", "title": "CHỦ TỊCH"}
    assert data["recipients"] == [
        "UBND huyện (b/c)",
        "Phòng LĐTBXH huyện (b/c)",
        "TTr Đảng uỷ (b/c)",
        "Các ngành, đơn vị (t/h)",
        "Lưu: VT",
    ]


def test_commune_plan_basis_cites_the_district_plan(commune: ParsedDocument) -> None:
    [basis] = commune.to_dict()["basis"]
    assert basis["number"] == "39/KH-UBND"
    assert basis["issued_on"] == "2025-02-17"
    assert basis["issuer"] == "UBND huyện Hoàng Hóa"
    assert basis["relation"] == "implements"
    assert basis["text"].startswith("Thực hiện Kế hoạch số 39/KH-UBND")


def test_commune_plan_has_nine_targets_field_by_field(commune: ParsedDocument) -> None:
    _check_targets(commune, COMMUNE_TARGETS)
    texts = [t.text for t in commune.targets]
    assert texts[4].startswith("Số tội phạm") and texts[4].endswith("so với năm 2024")
    assert texts[5].startswith("tổ chức kiểm tra ít nhất 20%")


YEAR = ("year", "2025-01-01", "2025-12-31")
ONGOING = ("ongoing", "2025-01-01", "2025-12-31")
OFFICER = "Công chức văn hoá xã hội"
# section, lead, support, advisor, decider, timeframe (kind, start, end), activities
COMMUNE_TASKS: list[tuple[Any, ...]] = [
    ("II.1.2.a", [OFFICER], [], [], [], ONGOING, 3),
    ("II.1.2.b", ["Đài truyền thanh"], [OFFICER], [], [], ONGOING, 2),
    ("II.1.2.c", [OFFICER], [], [], [], ONGOING, 2),
    ("II.2.2.a", ["UBND xã"], [], [], [], YEAR, 0),
    ("II.2.2.b", ["UBND xã"], [], [], [], YEAR, 0),
    ("II.3.2.a", [], [], [OFFICER], ["UBND xã"], ("quarter", "2025-01-01", "2025-03-31"), 0),
    ("II.3.2.b", ["Công an xã"], [OFFICER, "Đài truyền thanh xã", "Trạm y tế xã"], [], [], YEAR, 2),
    ("II.3.2.c", ["Công an xã"], [], [], [], YEAR, 2),
    ("II.4.2", [OFFICER], [], [], [], YEAR, 0),
    ("II.5.2.a", [OFFICER], ["Đài truyền thanh"], [], [], YEAR, 0),
    ("II.5.2.b", [OFFICER], ["Công an xã"], [], [], YEAR, 0),
]


def test_commune_plan_has_eleven_tasks_field_by_field(commune: ParsedDocument) -> None:
    tasks = commune.to_dict()["tasks"]
    assert len(tasks) == len(COMMUNE_TASKS)
    for task, row in zip(tasks, COMMUNE_TASKS, strict=True):
        assert set(task) >= TASK_KEYS
        section, lead, support, advisor, decider, (kind, start, end), activities = row
        assert task["section"] == section
        assert (task["lead"], task["support"], task["advisor"], task["decider"]) == (
            lead,
            support,
            advisor,
            decider,
        )
        assert (
            task["timeframe"]["kind"],
            task["timeframe"]["start"],
            task["timeframe"]["end"],
        ) == (
            kind,
            start,
            end,
        )
        assert len(task["activities"]) == activities
        assert task["title"] and not task["title"].startswith(("a)", "b)", "-"))
    assert tasks[0]["title"].startswith("Tăng cường tuyên truyền phòng ngừa")
    assert tasks[0]["activities"][0].startswith("Thường xuyên tổ chức tuyên truyền")
    assert tasks[5]["timeframe"]["text"] == "Quý I/2025"
    assert tasks[8]["title"].startswith("Tiếp tục xây dựng, nhân rộng các mô hình")
    # Generic coordinating phrases are not bodies, but their text is kept.
    assert tasks[0]["roles_text"]["support"] == "Các ngành, đoàn thể có liên quan."


def test_commune_plan_responsibilities_and_budget(commune: ParsedDocument) -> None:
    data = commune.to_dict()
    first, second = data["responsibilities"]
    assert first["agencies"] == [] and first["text"].startswith("Căn cứ nhiệm vụ")
    assert second["agencies"] == [
        "Ủy ban Mặt trận Tổ quốc xã",
        "Hội Liên hiệp Phụ nữ",
        "Đoàn Thanh niên",
    ]
    assert second["requested"] is True
    budget = next(s for s in data["sections"] if s["kind"] == "budget")
    assert budget["budget_sources"] == ["state_budget", "mobilised"]
    assert data["reporting"] == []


def test_commune_plan_has_only_the_missing_number_and_date_as_warnings(
    commune: ParsedDocument,
) -> None:
    assert commune.warnings == [
        "Văn bản không ghi số hiệu (số/ký hiệu).",
        "Văn bản không ghi ngày ban hành.",
    ]


def test_province_decision_header(province: ParsedDocument) -> None:
    data = province.to_dict()
    assert set(data) == CONTRACT_KEYS
    assert data["kind"] == "decision"
    assert data["number"] == "1994/QĐ-UBND"
    assert data["issued_on"] == "2016-07-15"
    assert data["place"] == "An Giang"
    assert data["issuer"] == "UBND tỉnh An Giang"
    assert data["title"].startswith("BAN HÀNH KẾ HOẠCH THỰC HIỆN CHƯƠNG TRÌNH")
    assert data["period"] == {"start": 2016, "end": 2020}
    assert data["signer"] == {"name": "Nguyễn Thanh Bình", "title": "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"}
    assert data["recipients"] == []
    assert data["warnings"] == []
    assert province.plan_title is not None and province.plan_title.startswith("THỰC HIỆN CHƯƠNG")
    assert data["plan_title"] == province.plan_title
    # The portal's metadata block is not part of the document but is kept for cross-checks.
    assert province.portal["Số hiệu"] == "1994/QĐ-UBND"
    assert all("Số hiệu" not in line for s in data["sections"] for line in s["text"])


def test_province_decision_basis(province: ParsedDocument) -> None:
    basis = province.to_dict()["basis"]
    assert [(b["number"], b["issued_on"], b["issuer"], b["relation"]) for b in basis] == [
        (None, "2015-06-19", "Quốc hội", "basis"),
        ("361/QĐ-TTg", "2016-03-07", "Thủ tướng Chính phủ", "basis"),
        (
            "1432/TTr-SLĐTBXH",
            "2016-07-06",
            "Giám đốc Sở Lao đông - Thương binh và Xã hội",
            "proposal",
        ),
    ]


def test_province_plan_has_eight_targets_field_by_field(province: ParsedDocument) -> None:
    _check_targets(province, PROVINCE_TARGETS)


def test_province_objective_without_number_stays_section_text(province: ParsedDocument) -> None:
    assert not any("nghiêm minh" in t.text for t in province.targets)
    sections = {s["number"]: s for s in _flatten(province.to_dict()["sections"])}
    assert sections["II.3.4.a"]["text"] == [
        "Phát hiện và xử lý nghiêm minh các hành vi vi phạm pháp luật, "
        "tội phạm liên quan đến mại dâm."
    ]
    assert sections["II.3.4.a"]["kind"] == "objective"
    assert sections["II.2.3"]["text"] == ["Từ năm 2016 đến hết năm 2020."]


def test_province_plan_tasks_are_the_bullets_of_the_task_parts(province: ParsedDocument) -> None:
    tasks = province.to_dict()["tasks"]
    counts: dict[str, int] = {}
    for task in tasks:
        counts[task["section"]] = counts.get(task["section"], 0) + 1
    assert counts == {
        "II.3.1.b": 2, "II.3.2.b": 3, "II.3.3.b": 2, "II.3.4.b": 6,
        "III.1": 1, "III.2": 7, "III.3": 2, "III.4": 2, "III.5": 2,
    }  # fmt: skip
    first = tasks[0]
    assert first["title"].startswith("Tăng cường công tác truyền thông, phòng ngừa")
    assert len(first["activities"]) == 4 and first["activities"][0].startswith(
        "Xây dựng bộ công cụ"
    )
    models = tasks[6]
    assert models["title"] == "Xây dựng thử nghiệm 03 mô hình như sau"
    assert len(models["activities"]) == 10  # the three models and their steps, not the targets
    assert not any(a.startswith("Đến năm 2020") for a in models["activities"])
    subject_led = {t["title"][:30]: t["lead"] for t in tasks if t["lead_source"] == "subject"}
    assert subject_led == {
        "Hội đồng nhân dân cấp huyện ba": ["Hội đồng nhân dân cấp huyện"],
        "Ủy ban nhân dân các cấp phải đ": ["Ủy ban nhân dân các cấp"],
        "Đề nghị Ủy ban Mặt trận Tổ quố": ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"],
    }
    assert all(t["timeframe"] is None for t in tasks)


def test_province_plan_has_fifteen_responsibilities(province: ParsedDocument) -> None:
    duties = province.to_dict()["responsibilities"]
    assert [d["agencies"] for d in duties] == [
        ["Sở Lao động - Thương binh và Xã hội"],
        ["Công an tỉnh"],
        ["Bộ Chỉ huy Bộ đội Biên phòng"],
        ["Sở Thông tin và Truyền thông"],
        ["Sở Văn hóa, Thể thao và Du lịch"],
        ["Sở Y tế"],
        ["Sở Tư pháp"],
        ["Sở Kế hoạch và Đầu tư"],
        ["Sở Tài chính"],
        ["Sở Giáo dục và Đào tạo"],
        ["Đài Phát thanh - Truyền hình"],
        ["Ủy ban nhân dân các huyện, thị, thành phố"],
        ["Ban Tuyên giáo tỉnh"],
        ["Viện Kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh"],
        [
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
            "Hội Liên hiệp Phụ nữ tỉnh",
            "Tỉnh Đoàn",
            "Hội Nông dân tỉnh",
            "Hội Cựu chiến binh tỉnh",
            "Liên đoàn Lao động tỉnh",
        ],
    ]
    assert [d["requested"] for d in duties] == [False] * 12 + [True] * 3
    assert [d["section"] for d in duties] == [f"V.{n}" for n in range(1, 16)]
    assert "Định kỳ 6 tháng, hàng năm" in duties[0]["text"]


def test_province_reporting_duties(province: ParsedDocument) -> None:
    reporting = province.to_dict()["reporting"]
    assert [(r["frequency"], r["agencies"]) for r in reporting] == [
        ([], []),
        (["half_year", "year"], ["Sở Lao động - Thương binh và Xã hội"]),
    ]
    assert reporting[1]["text"].startswith("Định kỳ 6 tháng, hàng năm tổng hợp báo cáo")


def test_province_sections_keep_the_decision_articles_and_plan_parts(
    province: ParsedDocument,
) -> None:
    numbers = [s["number"] for s in province.to_dict()["sections"]]
    assert numbers == ["Điều 1", "Điều 2", "Điều 3", "I", "II", "III", "IV", "V"]


@pytest.mark.parametrize("name", ["commune", "province"])
def test_seed_json_is_serialisable(name: str, request: pytest.FixtureRequest) -> None:
    import json

    document = request.getfixturevalue(name)
    text = json.dumps(document.to_dict(), ensure_ascii=False)
    assert json.loads(text) == document.to_dict()


def _flatten(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for section in sections:
        out.append(section)
        out.extend(_flatten(section["children"]))
    return out
