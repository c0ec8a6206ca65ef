"""A realistic report built in memory, without a database: what the bench times and what the
look check of the documents renders.

Owns: sample_content(), sample_document(), commune_names().
Invariants: the figures are printed the way builder.py prints them ("1.245", "85,7%", "<5" for
small counts of people, "12.500.000" for money); a child's figures are a share of the unit's,
so the "Tổng cộng" row is the sum of the rows where nothing is suppressed; deterministic (no
randomness), so two runs render the same bytes apart from the timestamps.
Not here: building a real report from the records (builder.py).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pcmd.common.periods import period_parse
from pcmd.reports.content import (
    ChildRow,
    Figure,
    FigureGroup,
    Narrative,
    ReportContent,
    ReportDocument,
    TargetRow,
    TaskRow,
)
from pcmd.reports.rendering.text import next_period_label

_OLD_COMMUNES = (
    "Xã Hoằng Hợp",
    "Xã Hoằng Quý",
    "Xã Hoằng Phú",
    "Xã Hoằng Kim",
    "Xã Hoằng Trung",
    "Xã Hoằng Xuân",
    "Xã Hoằng Giang",
    "Xã Hoằng Sơn",
    "Xã Hoằng Đạt",
    "Xã Hoằng Đức",
)

# key, label, unit, this period, same period last year (None: not compared), people?
_GROUPS: tuple[tuple[str, str, tuple[tuple[str, str, str, int, int | None, bool], ...]], ...] = (
    (
        "situation.establishments",
        "Cơ sở kinh doanh dịch vụ dễ bị lợi dụng",
        (
            ("establishments.total", "Tổng số cơ sở", "cơ sở", 42, 38, False),
            ("establishments.type.accommodation", "Cơ sở lưu trú", "cơ sở", 18, 16, False),
            ("establishments.type.karaoke", "Karaoke", "cơ sở", 15, 14, False),
            ("establishments.type.massage", "Xoa bóp (massage)", "cơ sở", 9, 8, False),
        ),
    ),
    (
        "situation.people",
        "Người bán dâm và người có nguy cơ được ghi nhận",
        (
            ("people.total", "Tổng số người có hồ sơ hỗ trợ", "người", 7, None, True),
            ("people.group.women", "Nữ", "người", 4, None, True),
            ("people.group.men", "Nam", "người", 3, None, True),
        ),
    ),
    (
        "situation.hotspots",
        "Tụ điểm, địa bàn phức tạp",
        (
            ("hotspots.active", "Tụ điểm còn tồn tại", "tụ điểm", 1, None, False),
            ("hotspots-new", "Tụ điểm mới phát hiện", "tụ điểm", 0, 1, False),
        ),
    ),
    (
        "results.outreach",
        "Công tác truyền thông, tuyên truyền",
        (
            ("outreach-events", "Số hoạt động tuyên truyền", "hoạt động", 12, 9, False),
            ("outreach-participants", "Số lượt người tham dự", "lượt người", 1245, 980, False),
            ("web-posts", "Số tin, bài trên trang thông tin điện tử", "tin, bài", 6, 4, False),
        ),
    ),
    (
        "results.inspection",
        "Công tác kiểm tra, xử lý vi phạm",
        (
            ("inspections", "Số lượt cơ sở được kiểm tra", "lượt", 24, 20, False),
            ("violations", "Số vụ vi phạm phát hiện", "vụ", 5, 7, False),
            ("fines", "Số tiền xử phạt", "đồng", 12_500_000, 9_000_000, False),
        ),
    ),
    (
        "results.tips",
        "Tiếp nhận, xử lý tố giác, tin báo",
        (
            ("tips-received", "Số tin báo, tố giác tiếp nhận", "tin", 3, 2, False),
            ("tips-handled", "Số tin báo đã giải quyết", "tin", 3, 2, False),
        ),
    ),
    (
        "results.training",
        "Đào tạo, tập huấn",
        (
            ("courses", "Số lớp tập huấn", "lớp", 2, 1, False),
            ("trainees", "Số lượt người được tập huấn", "lượt người", 85, 40, False),
        ),
    ),
    (
        "results.budget",
        "Kinh phí thực hiện",
        (
            ("budget-allocated", "Kinh phí được giao", "đồng", 50_000_000, 45_000_000, False),
            ("budget-spent", "Kinh phí đã sử dụng", "đồng", 32_000_000, 40_000_000, False),
        ),
    ),
)


_KINDS = {"half": "half", "year": "year", "quarter": "quarter", "range": "final"}


def commune_names(count: int) -> list[str]:
    """`count` commune names: Hoằng Hóa's old communes, then numbered ones."""
    names = list(_OLD_COMMUNES[:count])
    names += [f"Xã Số {i}" for i in range(len(names) + 1, count + 1)]
    return names


def _shown(value: int, *, people: bool) -> str:
    if people and 0 < value < 5:
        return "<5"
    return f"{value:,}".replace(",", ".")


def _figure(key: str, label: str, unit: str, value: int, last: int | None, people: bool) -> Figure:
    return Figure(
        key=key,
        label=label,
        unit=unit,
        numerator=Decimal(value),
        value=Decimal(value),
        last_year=None if last is None else Decimal(last),
        people=people,
        shown=_shown(value, people=people),
        last_year_shown="" if last is None else _shown(last, people=people),
    )


def _groups(prefix: str, scale: int) -> list[FigureGroup]:
    out: list[FigureGroup] = []
    for key, title, specs in _GROUPS:
        if not key.startswith(prefix):
            continue
        figures = [
            _figure(k, label, unit, value * scale, None if last is None else last * scale, people)
            for k, label, unit, value, last, people in specs
        ]
        out.append(FigureGroup(key=key, number=str(len(out) + 1), title=title, figures=figures))
    return out


def sample_content(
    *,
    unit_name: str = "Huyện Hoằng Hóa",
    unit_code: str = "38.HH",
    unit_level: str = "district",
    period: str = "2025S1",
    period_label: str = "6 tháng đầu năm 2025",
    children: int = 4,
) -> ReportContent:
    """A report of `unit_name` over `children` communes (0: a commune's own report)."""
    names = commune_names(children)
    scale = max(1, len(names))
    child_rows = []
    for index, name in enumerate(names, start=1):
        figures = {f.key: f for g in _groups("", 1) for f in g.figures}
        child_rows.append(
            ChildRow(
                unit_id=1000 + index,
                unit_code=f"{unit_code}.{index:03d}",
                unit_name=name,
                report_id=2000 + index,
                report_status="approved" if index % 4 else "submitted",
                figures=figures,
                narrative={"strengths": f"{name}: tổ chức tuyên truyền đến các thôn."},
            )
        )
    targets = [
        TargetRow(1, "1", "100% thôn tổ chức tuyên truyền", "Thôn có hoạt động tuyên truyền",
                  "%", "85,7%", "90%", "85,7%", "100%", "at_risk", "Có nguy cơ không đạt", ""),
        TargetRow(2, "2", "Kiểm tra 100% cơ sở kinh doanh dịch vụ dễ bị lợi dụng",
                  "Cơ sở được kiểm tra", "%", "57,1%", "100%", "57,1%", "100%", "on_track",
                  "Đúng tiến độ", "Kiểm tra tiếp trong quý III"),
        TargetRow(3, "3", "Tổ chức ít nhất 1 lớp tập huấn mỗi năm", "Số lớp tập huấn", "lớp",
                  str(2 * scale), str(scale), str(2 * scale), str(5 * scale), "achieved", "Đạt",
                  ""),
    ]  # fmt: skip
    tasks = [
        TaskRow(1, "1", "Tuyên truyền phòng, chống mại dâm trên hệ thống loa truyền thanh",
                "Phòng Văn hóa - Xã hội", "in_progress", "Đang thực hiện", date(2025, 12, 31)),
        TaskRow(2, "2", "Kiểm tra các cơ sở kinh doanh dịch vụ dễ bị lợi dụng", "Công an",
                "in_progress", "Đang thực hiện", date(2025, 5, 31), overdue=True),
        TaskRow(3, "3", "Tập huấn cho đội ngũ cán bộ làm công tác phòng, chống mại dâm",
                "Phòng Văn hóa - Xã hội", "done", "Hoàn thành", date(2025, 6, 30)),
        TaskRow(4, "4", "Rà soát, lập hồ sơ quản lý người bán dâm", "Công an", "not_started",
                "Chưa thực hiện", date(2025, 4, 30), overdue=True),
    ]  # fmt: skip
    return ReportContent(
        unit_id=1,
        unit_code=unit_code,
        unit_name=unit_name,
        unit_level=unit_level,
        period=period,
        period_label=period_label,
        kind=_KINDS.get(period_parse(period).kind, "year"),
        built_at=datetime(2025, 7, 2, 8, 30),
        plan_id=1,
        plan_number="39/KH-UBND",
        plan_title="Kế hoạch thực hiện công tác phòng, chống mại dâm năm 2025",
        plan_issued_on=date(2025, 1, 15),
        situation=_groups("situation.", scale),
        results=_groups("results.", scale),
        targets=targets,
        tasks=tasks,
        children=child_rows,
    )


def sample_narrative() -> Narrative:
    return Narrative(
        strengths=(
            "Công tác phòng, chống mại dâm được cấp ủy, chính quyền quan tâm chỉ đạo.\n"
            "Các hoạt động tuyên truyền được lồng ghép trong sinh hoạt của các thôn, khu dân cư."
        ),
        shortcomings="Một số cơ sở kinh doanh dịch vụ chưa được kiểm tra theo kế hoạch.",
        causes=(
            "- Khách quan: địa bàn rộng, các cơ sở hoạt động phân tán.\n"
            "- Chủ quan: lực lượng kiểm tra còn mỏng, kiêm nhiệm nhiều việc."
        ),
        lessons="Phối hợp chặt chẽ giữa Công an và Phòng Văn hóa - Xã hội trong kiểm tra.",
        next_tasks=(
            "- Tiếp tục tuyên truyền trên hệ thống loa truyền thanh và trang thông tin điện tử.\n"
            "- Hoàn thành kiểm tra các cơ sở kinh doanh dịch vụ dễ bị lợi dụng trong quý III."
        ),
        recommendations="Đề nghị Ủy ban nhân dân tỉnh bổ sung kinh phí tập huấn cho cấp xã.",
    )


def sample_document(*, children: int = 4, draft: bool = False, **content: object) -> ReportDocument:
    """The district's report over `children` communes, in the particulars a clerk would type."""
    report = sample_content(children=children, **content)  # type: ignore[arg-type]
    place = report.unit_name.split(" ", 1)[-1]
    return ReportDocument(
        content=report,
        narrative=sample_narrative(),
        title=(
            "Kết quả công tác phòng, chống mại dâm "
            f"{report.period_label[:1].lower()}{report.period_label[1:]} và phương hướng, "
            f"nhiệm vụ {next_period_label(report.period)}"
        ),
        issuer=f"ỦY BAN NHÂN DÂN {report.unit_name.upper()}",
        number="25/BC-UBND",
        place=place,
        issued_on=date(2025, 7, 3),
        preamble=(
            "Thực hiện Kế hoạch số 39/KH-UBND ngày 15/01/2025 của Ủy ban nhân dân "
            f"{report.unit_name[:1].lower()}{report.unit_name[1:]} về thực hiện công tác phòng, "
            "chống mại dâm năm 2025, Ủy ban nhân dân "
            f"{report.unit_name[:1].lower()}{report.unit_name[1:]} báo cáo kết quả như sau:"
        ),
        signing_mode="KT.",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Lê Văn Phụng",
        recipients=["UBND tỉnh Thanh Hóa (b/c)", "Sở Y tế (b/c)", "Các ngành, đơn vị (t/h)"],
        consolidated=children > 0,
        draft=draft,
    )
