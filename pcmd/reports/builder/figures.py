"""What sections I and II of a report show, and how a figure is printed.

Owns: Spec, GROUPS, FIGURES, SPECS, figure_shown(), make_figure(), spec_of_part(), number_text().
Invariants: every figure names where its numbers come from (a catalogue indicator, or a
breakdown of the records in live.py) and whether children's numbers add up to the parent's;
counts of people are printed suppressed (pcmd.sealing.suppression) while the true numbers are
kept; numbers are printed in Vietnamese form (1.234.567; 45,5%).
Not here: computing the numbers (live.py), adding them up (consolidation.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from pcmd.reports.content import (
    Figure,
)
from pcmd.sealing.suppression import (
    SMALL_CELL,
    suppress_count,
    suppress_percent,
)

HUNDRED = Decimal(100)
Numbers = tuple[Decimal, Decimal | None]  # numerator, denominator (None for counts and sums)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Spec:
    """One figure of sections I-II: where its numbers come from and how they combine."""

    key: str
    group: str
    label: Any  # lazy text
    unit: Any
    indicator: str = ""  # a catalogue code (values_read); else the key is filled by `BREAKDOWNS`
    additive: bool = True  # children's numbers add up to the parent's
    compare: bool = False  # show the same period last year
    people: bool = False  # counts people (or sealed records): suppressed when shown
    levels: tuple[str, ...] = ()  # only for units of these levels ("" = every level)


# The groups of sections I and II (DOMAIN.md §5.2) and the words that find them among the plan's
# own sections, so the report is numbered and titled like the plan it reports on.
GROUPS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("situation.establishments", _l("Cơ sở kinh doanh dịch vụ dễ bị lợi dụng"), ()),
    ("situation.people", _l("Người bán dâm và người có nguy cơ được ghi nhận"), ()),
    ("situation.hotspots", _l("Tụ điểm, địa bàn phức tạp"), ()),
    (
        "results.outreach",
        _l("Công tác truyền thông, tuyên truyền"),
        ("tuyên truyền", "truyền thông"),
    ),
    ("results.integration", _l("Lồng ghép với các chương trình kinh tế - xã hội"), ("lồng ghép",)),
    ("results.inspection", _l("Công tác kiểm tra, xử lý vi phạm"), ("kiểm tra", "thanh tra")),
    (
        "results.cases",
        _l("Đấu tranh, điều tra, truy tố, xét xử tội phạm"),
        ("đấu tranh", "tội phạm"),
    ),
    ("results.tips", _l("Tiếp nhận, xử lý tố giác, tin báo"), ("tố giác", "tin báo")),
    ("results.support", _l("Hỗ trợ người bán dâm, can thiệp giảm hại"), ("hỗ trợ", "giảm hại")),
    ("results.models", _l("Xây dựng, nhân rộng mô hình"), ("mô hình",)),
    ("results.training", _l("Đào tạo, tập huấn"), ("tập huấn", "đào tạo", "bồi dưỡng")),
    ("results.budget", _l("Kinh phí thực hiện"), ("kinh phí",)),
]
_ABOVE_COMMUNE = ("national", "province", "district")

FIGURES: list[Spec] = [
    Spec("establishments.total", "situation.establishments", _l("Tổng số cơ sở"), _l("cơ sở")),
    # establishments.type.<code> are added from the records (BREAKDOWNS)
    Spec(
        "people.total",
        "situation.people",
        _l("Tổng số người có hồ sơ hỗ trợ"),
        _l("người"),
        people=True,
    ),  # fmt: skip
    Spec("hotspots.active", "situation.hotspots", _l("Tụ điểm còn tồn tại"), _l("tụ điểm")),
    Spec(
        "hotspots-new",
        "situation.hotspots",
        _l("Tụ điểm mới phát hiện"),
        _l("tụ điểm"),
        indicator="hotspots-new",
        compare=True,
    ),  # fmt: skip
    Spec(
        "hotspots-cleared",
        "situation.hotspots",
        _l("Tụ điểm đã xóa bỏ"),
        _l("tụ điểm"),
        indicator="hotspots-cleared",
    ),  # fmt: skip
    Spec(
        "outreach-events",
        "results.outreach",
        _l("Số hoạt động tuyên truyền"),
        _l("hoạt động"),
        indicator="outreach-events",
        compare=True,
    ),  # fmt: skip
    Spec(
        "outreach-participants",
        "results.outreach",
        _l("Số lượt người tham dự"),
        _l("lượt người"),
        indicator="outreach-participants",
        compare=True,
    ),  # fmt: skip
    Spec(
        "outreach-village-coverage",
        "results.outreach",
        _l("Thôn, tổ dân phố có hoạt động tuyên truyền"),
        "%",
        indicator="outreach-village-coverage",
    ),  # fmt: skip
    Spec(
        "outreach-commune-coverage",
        "results.outreach",
        _l("Xã, phường có hoạt động tuyên truyền"),
        "%",
        indicator="outreach-commune-coverage",
        levels=_ABOVE_COMMUNE,
    ),  # fmt: skip
    Spec(
        "web-posts-monthly",
        "results.outreach",
        _l("Số tháng có tin, bài trên trang thông tin điện tử"),
        "%",
        indicator="web-posts-monthly",
        additive=False,
    ),  # fmt: skip
    Spec(
        "agencies-active",
        "results.integration",
        _l("Cơ quan, đơn vị có hoạt động phòng, chống mại dâm"),
        "%",
        indicator="agencies-active",
    ),  # fmt: skip
    Spec(
        "district-integrated-plans",
        "results.integration",
        _l("Huyện có kế hoạch lồng ghép"),
        "%",
        indicator="district-integrated-plans",
        levels=("national", "province"),
    ),  # fmt: skip
    Spec(
        "inspections",
        "results.inspection",
        _l("Số lượt kiểm tra"),
        _l("lượt"),
        indicator="inspections",
        compare=True,
    ),  # fmt: skip
    Spec(
        "establishments-inspected",
        "results.inspection",
        _l("Cơ sở được kiểm tra"),
        "%",
        indicator="establishments-inspected",
    ),  # fmt: skip
    Spec(
        "violations",
        "results.inspection",
        _l("Số vi phạm hành chính phát hiện"),
        _l("vi phạm"),
        indicator="violations",
        compare=True,
    ),  # fmt: skip
    Spec(
        "fines",
        "results.inspection",
        _l("Tiền phạt vi phạm hành chính"),
        _l("đồng"),
        indicator="fines",
        compare=True,
    ),  # fmt: skip
    Spec(
        "cases-handled",
        "results.cases",
        _l("Số vụ án bị khởi tố, xử lý"),
        _l("vụ"),
        indicator="cases-handled",
        compare=True,
    ),  # fmt: skip
    Spec(
        "tips.received",
        "results.tips",
        _l("Tin báo, tố giác tiếp nhận"),
        _l("tin"),
        compare=True,
        people=True,
    ),  # fmt: skip
    Spec("tips.handled", "results.tips", _l("Tin báo, tố giác đã xử lý"), _l("tin"), people=True),
    Spec(
        "tips-handled-in-time",
        "results.tips",
        _l("Xử lý đúng thời hạn"),
        "%",
        indicator="tips-handled-in-time",
        people=True,
    ),  # fmt: skip
    Spec(
        "support-reached",
        "results.support",
        _l("Người bán dâm có nhu cầu được tiếp cận dịch vụ hỗ trợ"),
        "%",
        indicator="support-reached",
        people=True,
    ),  # fmt: skip
    Spec("support.referrals", "results.support", _l("Lượt chuyển gửi"), _l("lượt"), people=True),
    # support.service.<kind> are added from the records (BREAKDOWNS)
    Spec("models.active", "results.models", _l("Mô hình đang hoạt động"), _l("mô hình")),
    Spec(
        "village-pilot-models",
        "results.models",
        _l("Thôn có mô hình thí điểm"),
        "%",
        indicator="village-pilot-models",
    ),  # fmt: skip
    Spec("training.courses", "results.training", _l("Số lớp tập huấn"), _l("lớp"), compare=True),
    Spec(
        "training.trainees",
        "results.training",
        _l("Số lượt học viên"),
        _l("lượt người"),
        compare=True,
    ),  # fmt: skip
    Spec(
        "staff-trained",
        "results.training",
        _l("Cán bộ liên quan được tập huấn"),
        "%",
        indicator="staff-trained",
    ),  # fmt: skip
    Spec("budget.allocated", "results.budget", _l("Kinh phí được giao"), _l("đồng")),
    Spec("budget.spent", "results.budget", _l("Kinh phí đã sử dụng"), _l("đồng")),
]
SPECS = {s.key: s for s in FIGURES}


# --- Showing a figure ---------------------------------------------------------------------


def _pct(num: Decimal, den: Decimal | None) -> Decimal | None:
    if not den:
        return None
    return (HUNDRED * num / den).quantize(Decimal("0.1"), ROUND_HALF_UP)


def number_text(n: Decimal | None) -> str:
    """Vietnamese form, as official reports print numbers: 1.234.567 and 45,5."""
    if n is None:
        return "—"
    if n == n.to_integral():
        return f"{int(n):,}".replace(",", ".")
    whole, _dot, frac = f"{n.quantize(Decimal('0.1'), ROUND_HALF_UP):,}".partition(".")
    return f"{whole.replace(',', '.')},{frac}"


def figure_shown(numbers: Numbers, *, people: bool) -> tuple[Decimal | None, str]:
    """(value, text as printed): counts as "1.234", shares as "45,5%", small counts of people
    as "<5", a share with no base as "—"."""
    num, den = numbers
    if den is None:
        if people and 0 < num < SMALL_CELL:
            return num, suppress_count(int(num))
        return num, number_text(num)
    value = _pct(num, den)
    if people:
        return value, suppress_percent(int(num), int(den))
    return value, "—" if value is None else f"{number_text(value)}%"


def make_figure(
    spec: Spec, key: str, label: str, numbers: Numbers, before: Numbers | None
) -> Figure:
    value, shown = figure_shown(numbers, people=spec.people)
    figure = Figure(
        key=key, label=str(label), unit=str(spec.unit), numerator=numbers[0],
        denominator=numbers[1], value=value, people=spec.people, shown=shown,
    )  # fmt: skip
    if before is not None:
        figure.last_year, figure.last_year_shown = figure_shown(before, people=spec.people)
    return figure


def spec_of_part(key: str) -> Spec:
    parent = {
        "establishments.type.": "establishments.total",
        "people.group.": "people.total",
        "support.service.": "support.referrals",
    }
    for prefix, total in parent.items():
        if key.startswith(prefix):
            spec = SPECS[total]
            unit = _("người") if prefix == "support.service." else spec.unit
            return replace(spec, key=key, unit=unit, compare=False)
    return Spec(key, "", key, "")
