from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from pcmd.reports.content import (
    ChildRow,
    Figure,
    FigureGroup,
    ReportContent,
    TargetRow,
    TaskRow,
    content_from_json,
    content_to_json,
)


def _content() -> ReportContent:
    fig = Figure(
        key="outreach-events", label="Số buổi tuyên truyền", unit="buổi",
        numerator=Decimal("12"), value=Decimal("12"), last_year=Decimal("9"),
        shown="12", last_year_shown="9",
    )  # fmt: skip
    return ReportContent(
        unit_id=1, unit_code="15919", unit_name="Xã Hoằng Hợp", unit_level="commune",
        period="2025S1", period_label="6 tháng đầu năm 2025", kind="half",
        built_at=timezone.make_aware(datetime(2025, 7, 3, 9, 30)),
        plan_id=5, plan_number="12/KH-UBND", plan_title="Phòng, chống mại dâm năm 2025",
        plan_issued_on=date(2025, 2, 20),
        results=[FigureGroup(key="results.outreach", number="2", title="Tuyên truyền",
                             figures=[fig])],
        targets=[TargetRow(
            target_id=3, number="1", text="Ít nhất 80% số thôn", indicator="Tỷ lệ thôn",
            unit="%", this_period="83,3%", year_target="80%", cumulative="83,3%",
            programme_target="80%", status="achieved", status_label="Đạt",
            explanation="Đạt 83,3%, chỉ tiêu 80%.", numerator=Decimal(5),
            denominator=Decimal(6),
        )],
        tasks=[TaskRow(task_id=1, number="a)", title="Tuyên truyền", lead="Công chức VH-XH",
                       status="done", status_label="Hoàn thành", deadline=date(2025, 3, 31))],
        children=[ChildRow(unit_id=2, unit_code="1", unit_name="Thôn 1", report_id=None,
                           report_status="not_started", figures={fig.key: fig})],
    )  # fmt: skip


def test_content_round_trips_through_json():
    import json

    content = _content()
    data = json.loads(json.dumps(content_to_json(content)))
    assert content_from_json(data) == content


def test_figures_are_found_by_key():
    content = _content()
    assert content.figures()["outreach-events"].shown == "12"
