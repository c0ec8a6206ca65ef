"""Tasks, assignment lines and timeframes on short texts written for the tests."""

from __future__ import annotations

from datetime import date

import pytest

from pcmd.plans.parsing import parse_text
from pcmd.plans.parsing.model import Responsibility, Task
from pcmd.plans.parsing.tasks import link_leads, role_of
from pcmd.plans.parsing.timeframes import read_timeframe

HEAD = "KẾ HOẠCH\nPhòng, chống mại dâm năm 2025\n"


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Chủ trì", "lead"),
        ("Cơ quan chủ trì", "lead"),
        ("Đơn vị thực hiện", "lead"),
        ("Phối hợp", "support"),
        ("Cơ quan phối hợp", "support"),
        ("Tham mưu", "advisor"),
        ("Cơ quan ban hành quyết định", "decider"),
        ("Thời gian thực hiện", "timeframe"),
    ],
)
def test_assignment_roles(label: str, role: str) -> None:
    assert role_of(label) == role


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("Thường xuyên", "ongoing", date(2025, 1, 1), date(2025, 12, 31)),
        ("Cả năm", "year", date(2025, 1, 1), date(2025, 12, 31)),
        ("Năm 2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
        ("Quý I/2025", "quarter", date(2025, 1, 1), date(2025, 3, 31)),
        ("Quý III năm 2025", "quarter", date(2025, 7, 1), date(2025, 9, 30)),
        ("Quý 2", "quarter", date(2025, 4, 1), date(2025, 6, 30)),
        ("6 tháng đầu năm", "half", date(2025, 1, 1), date(2025, 6, 30)),
        ("6 tháng cuối năm 2025", "half", date(2025, 7, 1), date(2025, 12, 31)),
        ("Từ ngày 01/3/2025 đến ngày 30/6/2025", "range", date(2025, 3, 1), date(2025, 6, 30)),
        ("Trước ngày 30/6/2025", "deadline", date(2025, 1, 1), date(2025, 6, 30)),
        ("Tháng 3/2025", "range", date(2025, 3, 1), date(2025, 3, 31)),
        ("Từ tháng 3 đến tháng 5", "range", date(2025, 3, 1), date(2025, 5, 31)),
        ("2016 - 2020", "range", date(2016, 1, 1), date(2020, 12, 31)),
    ],
)
def test_timeframes_resolve_against_the_plan_period(
    text: str, kind: str, start: date, end: date
) -> None:
    frame = read_timeframe(text, (2025, 2025))
    assert (frame.kind, frame.start, frame.end) == (kind, start, end)


def test_ongoing_in_a_multi_year_plan_spans_the_period() -> None:
    frame = read_timeframe("Thường xuyên", (2016, 2020))
    assert (frame.start, frame.end) == (date(2016, 1, 1), date(2020, 12, 31))


def test_unknown_timeframe_is_kept_as_text_and_warned() -> None:
    text = HEAD + (
        "I. NHIỆM VỤ VÀ GIẢI PHÁP\n"
        "a) Tổ chức tuyên truyền.\n- Chủ trì: Công an xã.\n- Thời gian thực hiện: khi có chỉ đạo.\n"
    )
    document = parse_text(text)
    [task] = document.tasks
    assert task.timeframe is not None and task.timeframe.kind is None
    assert task.timeframe.text == "khi có chỉ đạo"
    assert any("khi có chỉ đạo" in warning for warning in document.warnings)


def test_lettered_task_with_activities_and_every_role() -> None:
    text = HEAD + (
        "I. NHIỆM VỤ VÀ GIẢI PHÁP\n"
        "a) Kiện toàn Đoàn kiểm tra liên ngành.\n"
        "Nội dung hoạt động:\n(1) Rà soát thành viên.\n(2) Ban hành quyết định.\n"
        "- Cơ quan ban hành quyết định: UBND xã.\n"
        "- Tham mưu: Công chức văn hoá xã hội tham mưu thành lập Đoàn kiểm tra.\n"
        "- Cơ quan chủ trì: Công an xã.\n"
        "- Cơ quan phối hợp: Trạm y tế xã và các đơn vị có liên quan.\n"
        "- Thời gian thực hiện: Quý I/2025.\n"
    )
    [task] = parse_text(text).tasks
    assert task.section == "I.a"
    assert task.title == "Kiện toàn Đoàn kiểm tra liên ngành."
    assert task.activities == ["Rà soát thành viên.", "Ban hành quyết định."]
    assert (task.lead, task.support, task.advisor, task.decider) == (
        ["Công an xã"],
        ["Trạm y tế xã"],
        ["Công chức văn hoá xã hội"],
        ["UBND xã"],
    )
    assert task.roles_text["support"] == "Trạm y tế xã và các đơn vị có liên quan."
    assert task.lead_source == "assignment" and task.confidence == 0.9


def test_bullets_without_assignment_lines_are_each_a_task() -> None:
    text = HEAD + (
        "II. MỤC TIÊU, NHIỆM VỤ\n1. Tuyên truyền\na. Mục tiêu:\n"
        "- Ít nhất 80% số thôn tổ chức tuyên truyền.\n"
        "b. Nhiệm vụ:\n"
        "- Tăng cường truyền thông tại cộng đồng:\n"
        "+ Xây dựng tài liệu.\n+ Tập huấn tuyên truyền viên.\n"
        "- Công an tỉnh chủ trì kiểm tra các cơ sở kinh doanh dịch vụ.\n"
        "III. GIẢI PHÁP THỰC HIỆN\n"
        "Các giải pháp sau:\n- Huy động nguồn tài trợ.\n"
    )
    document = parse_text(text)
    assert [t.section for t in document.targets] == ["II.1.a"]
    assert [(t.section, t.title) for t in document.tasks] == [
        ("II.1.b", "Tăng cường truyền thông tại cộng đồng"),
        ("II.1.b", "Công an tỉnh chủ trì kiểm tra các cơ sở kinh doanh dịch vụ."),
        ("III", "Huy động nguồn tài trợ."),
    ]
    assert document.tasks[0].activities == ["Xây dựng tài liệu.", "Tập huấn tuyên truyền viên."]
    assert document.tasks[1].lead == ["Công an tỉnh"] and document.tasks[1].lead_source == "subject"
    sections = {s.number: s for s in document.sections}
    assert sections["III"].text == ["Các giải pháp sau:"]


def test_lead_from_the_responsibility_that_cites_the_task() -> None:
    tasks = [
        Task(section="II.3.1.b", title="Tăng cường công tác truyền thông."),
        Task(section="II.3.2.b", title="Rà soát các nhóm có nguy cơ cao trên địa bàn tỉnh."),
        Task(section="III.1", title="Nghiên cứu đề xuất sửa đổi văn bản."),
    ]
    duties = [
        Responsibility(
            agencies=["Sở Thông tin và Truyền thông"], text="Chủ trì các nhiệm vụ tại mục 3.1.b."
        ),
        Responsibility(
            agencies=["Sở Lao động - Thương binh và Xã hội"],
            text="Chủ trì: rà soát các nhóm có nguy cơ cao trên địa bàn tỉnh; báo cáo.",
        ),
    ]
    link_leads(tasks, duties)
    assert tasks[0].lead == ["Sở Thông tin và Truyền thông"]
    assert tasks[0].lead_source == "responsibility"
    assert tasks[1].lead == ["Sở Lao động - Thương binh và Xã hội"]
    assert tasks[2].lead == [] and tasks[2].lead_source is None


def test_dated_commitment_in_a_task_list_is_a_target() -> None:
    text = HEAD + (
        "I. NHIỆM VỤ\n- Xây dựng thử nghiệm 03 mô hình như sau:\n(1) Mô hình hỗ trợ.\n"
        "+ Đến năm 2020: xây dựng 03 mô hình tại 03 huyện.\n+ Tập huấn cán bộ.\n"
    )
    document = parse_text(text)
    [task] = document.tasks
    assert task.activities == ["Mô hình hỗ trợ.", "Tập huấn cán bộ."]
    [target] = document.targets
    assert (target.section, target.kind, target.value, target.population) == (
        "I",
        "count",
        3,
        "mô hình",
    )
