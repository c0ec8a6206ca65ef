"""Build the figures of a report from the records: sections I and II, the target table, the tasks,
and, for a unit with children, the consolidation of the children's reports.

Owns: FIGURES (what sections I-II show), report_content_build(), unit_figures(),
figures_consolidate(), figure_shown(), live_differences().
Entry points: report_content_build(unit=, period=, plan=, today=) -> ReportContent.
Invariants: every number is read through the indicators app (store.values_read for catalogue
indicators, target_evaluate for targets, compute.part_records for breakdowns by type) or a
records app's selector (read only); nothing is typed in. For a unit with children (the hierarchy
on the period's last day, villages excepted), an additive figure is
    live value of the unit + Σ over children with an approved report (frozen − live),
so a child with an approved report contributes its frozen numbers, any other child its live
ones, and the unit's own-level records (and those of abolished units that are no child's) are
counted exactly once. Shares are recomputed from the added numerators and denominators. Figures
that are not additive (a unit's own monthly web posts, a change against a baseline) are the
unit's live value. Counts of people are shown suppressed (pcmd.sealing.suppression); true
numbers are kept for consolidation.
Not here: the workflow (services.py), the page (views.py), documents (rendering/).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from pcmd.common.periods import Period, period_parse
from pcmd.enforcement.models import BusinessType
from pcmd.indicators.compute import part_records_everywhere, unit_area
from pcmd.indicators.evaluation import Evaluation, target_evaluate
from pcmd.indicators.models import Indicator
from pcmd.indicators.rollup import Area, Tree, area_for_period, values_for_period
from pcmd.indicators.sources import source_get
from pcmd.indicators.store import values_read
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_children
from pcmd.plans.models import BudgetLine, Plan, Section, Task, TaskAssignment
from pcmd.plans.selectors import task_due_date, task_is_overdue
from pcmd.reports.content import (
    ChildRow,
    Figure,
    FigureGroup,
    ReportContent,
    TargetRow,
    TaskRow,
    content_from_json,
)
from pcmd.sealing.suppression import (
    SMALL_CELL,
    suppress_cells,
    suppress_count,
    suppress_percent,
)
from pcmd.support.casefiles.models import Beneficiary, Referral, ServiceKind
from pcmd.support.casefiles.selectors import support_counts
from pcmd.support.selectors import pilotmodels_built

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


# --- Breakdowns from the records ----------------------------------------------------------


def _as_of(unit: OrgUnit, period: Period) -> date:
    """The day a unit's area is read on: the period's last day, or the unit's, if sooner."""
    return unit.valid_to if unit.valid_to is not None and unit.valid_to < period.end else period.end


def _grouped(
    part: dict[str, Any], area: Area, start: date, end: date, by: str = "", total: str = ""
) -> dict[int, dict[Any, Decimal]]:
    """holder -> {breakdown value: count (or sum of `total`)} of the records a definition part
    counts, grouped by unit in one query and added up over each holder's area (as rollup.py
    does for the catalogue's indicators)."""
    source = source_get(part["source"])
    path = source.unit_field
    fields = [path, by] if by else [path]
    measure = Sum(total) if total else Count("pk")
    qs = part_records_everywhere(part, start, end).order_by()
    if len(area.holders_of) < 5000:  # a commune or a district: read only its area's records
        qs = qs.filter(**{f"{path}__in": sorted(area.holders_of)})
    rows = qs.values_list(*fields)
    out: dict[int, dict[Any, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows.annotate(n=measure).values_list(*fields, "n"):
        unit_id, key, n = row[0], (row[1] if by else ""), row[-1]
        for holder in area.holders_of.get(unit_id, ()):
            out[holder][key] += Decimal(n or 0)
    return out


def _budget(area: Area, first: int, last: int) -> dict[int, dict[str, Decimal]]:
    """holder -> allocated and spent of the budget lines of the plans of its area, for the
    years of the period."""
    lines = BudgetLine.objects.filter(year__gte=first, year__lte=last).order_by()
    if len(area.holders_of) < 5000:
        lines = lines.filter(plan__org_unit_id__in=sorted(area.holders_of))
    rows = lines.values_list("plan__org_unit_id").annotate(a=Sum("allocated"), s=Sum("spent"))
    out: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for unit_id, allocated, spent in rows.values_list("plan__org_unit_id", "a", "s"):
        for holder in area.holders_of.get(unit_id, ()):
            out[holder]["allocated"] += Decimal(allocated or 0)
            out[holder]["spent"] += Decimal(spent or 0)
    return out


def breakdowns(
    units: list[OrgUnit], period: Period, tree: Tree, *, compared_only: bool = False
) -> tuple[dict[int, dict[str, Numbers]], dict[str, str]]:
    """Figures that no catalogue indicator holds (counts by type, tips, trainings, budget), for
    each unit: {unit id: {key: numbers}}, and the labels of the keys made from the records."""
    start, end = period.start, period.end
    area = area_for_period(tree, period, {u.pk: _as_of(u, period) for u in units})
    labels: dict[str, str] = {}
    types = dict(BusinessType.objects.values_list("code", "name"))
    estab = _grouped({"source": "enforcement.establishments"}, area, start, end,
                     "business_type__code")  # fmt: skip
    hotspots = _grouped({"source": "enforcement.hotspots"}, area, start, end)
    received = _grouped({"source": "tips.tips"}, area, start, end)
    handled = _grouped({"source": "tips.tips", "date": "handled_at__date"}, area, start, end)
    courses = _grouped({"source": "training.courses"}, area, start, end)
    outside = _grouped({"source": "training.courses"}, area, start, end,
                       total="outside_participants")  # fmt: skip
    staff = _grouped({"source": "training.participations"}, area, start, end)
    ever = date(1900, 1, 1)
    budget = _budget(area, start.year, end.year)
    people_in = _grouped({"source": "support.beneficiaries"}, area, ever, end)
    models_in = _grouped({"source": "support.pilot_models"}, area, ever, end)
    out: dict[int, dict[str, Numbers]] = {}
    for unit in units:
        figs: dict[str, Numbers] = {}
        by_type = estab.get(unit.pk, {})
        for code, n in sorted(by_type.items(), key=lambda kv: types.get(kv[0], kv[0])):
            figs[f"establishments.type.{code}"] = (n, None)
            labels[f"establishments.type.{code}"] = types.get(code, code)
        figs["establishments.total"] = (sum(by_type.values(), ZERO), None)
        figs["hotspots.active"] = (hotspots.get(unit.pk, {}).get("", ZERO), None)
        figs["tips.received"] = (received.get(unit.pk, {}).get("", ZERO), None)
        figs["tips.handled"] = (handled.get(unit.pk, {}).get("", ZERO), None)
        figs["training.courses"] = (courses.get(unit.pk, {}).get("", ZERO), None)
        trainees = staff.get(unit.pk, {}).get("", ZERO) + outside.get(unit.pk, {}).get("", ZERO)
        figs["training.trainees"] = (trainees, None)
        if compared_only:
            out[unit.pk] = figs
            continue
        # The selectors of the support app, asked only where the area holds such records.
        built = pilotmodels_built(unit=unit, on=end) if unit.pk in models_in else 0
        figs["models.active"] = (Decimal(built), None)
        counts: dict[str, dict[str, int]] = {"by_group": {}, "by_service": {}}
        if unit.pk in people_in:
            counts = support_counts(start=start, end=end, unit=unit)
        people = ZERO
        for value, label in Beneficiary.Group.choices:
            n = Decimal(counts["by_group"].get(value, 0))
            figs[f"people.group.{value}"] = (n, None)
            labels[f"people.group.{value}"] = str(label)
            people += n
        figs["people.total"] = (people, None)
        for value, label in ServiceKind.choices:
            figs[f"support.service.{value}"] = (Decimal(counts["by_service"].get(value, 0)), None)
            labels[f"support.service.{value}"] = str(label)
        referrals = 0
        if unit.pk in people_in:
            referrals = Referral.objects.filter(
                unit_area(unit, "beneficiary__org_unit_id"),
                referred_on__gte=start,
                referred_on__lte=end,
            ).count()
        figs["support.referrals"] = (Decimal(referrals), None)
        figs["budget.allocated"] = (budget.get(unit.pk, {}).get("allocated", ZERO), None)
        figs["budget.spent"] = (budget.get(unit.pk, {}).get("spent", ZERO), None)
        out[unit.pk] = figs
    return out, labels


# --- Live figures -------------------------------------------------------------------------


@dataclass
class UnitFigures:
    """A unit's numbers for a period and the same period last year (live, from the records)."""

    now: dict[str, Numbers]
    last_year: dict[str, Numbers]
    labels: dict[str, str]


def _anchors() -> dict[str, Indicator]:
    codes = [s.indicator for s in FIGURES if s.indicator]
    return {i.code: i for i in Indicator.objects.filter(code__in=codes)}


def _catalogue(
    units: list[OrgUnit], period: Period, indicators: list[Indicator], tree: Tree | None
) -> dict[tuple[int, int], Numbers]:
    """(indicator, unit) -> numbers: values_read() for one unit (stored where fresh); for many
    (the children of a consolidated report) the set-wise roll-up the store itself is built
    with, one pass per indicator instead of one computation per unit."""
    if not indicators:
        return {}
    if tree is None or len(units) == 1:
        values = values_read(indicators, units, period)
        return {k: (v.numerator, v.denominator) for k, v in values.items()}
    area = area_for_period(tree, period, {u.pk: _as_of(u, period) for u in units})
    out: dict[tuple[int, int], Numbers] = {}
    for indicator in indicators:
        figures = values_for_period(indicator, area)
        for unit in units:
            out[indicator.pk, unit.pk] = figures.get(unit.pk, (ZERO, None))
    return out


def unit_figures(
    units: list[OrgUnit], period: Period, *, tree: Tree | None = None
) -> dict[int, UnitFigures]:
    """Live figures of each unit for `period` and, where compared, the same period last year."""
    tree = tree or Tree.load()
    anchors = _anchors()
    compare = period.kind != "range"
    wanted = [anchors[s.indicator] for s in FIGURES if s.indicator in anchors]
    now = _catalogue(units, period, wanted, tree)
    compared = [anchors[s.indicator] for s in FIGURES if s.compare and s.indicator in anchors]
    last = period.last_year()
    before = _catalogue(units, last, compared, tree) if compare else {}
    extra, labels = breakdowns(units, period, tree)
    extra_before = breakdowns(units, last, tree, compared_only=True)[0] if compare else {}
    out: dict[int, UnitFigures] = {}
    for unit in units:
        figs: dict[str, Numbers] = {}
        prev: dict[str, Numbers] = {}
        for spec in FIGURES:
            indicator = anchors.get(spec.indicator) if spec.indicator else None
            if indicator is None:
                continue
            figs[spec.key] = now[indicator.pk, unit.pk]
            if (indicator.pk, unit.pk) in before:
                prev[spec.key] = before[indicator.pk, unit.pk]
        figs.update(extra[unit.pk])
        for key in extra[unit.pk]:
            part = SPECS.get(key)
            if compare and part is not None and part.compare:
                prev[key] = extra_before[unit.pk][key]
        out[unit.pk] = UnitFigures(figs, prev, labels)
    return out


# --- Consolidation ------------------------------------------------------------------------


def _additive(key: str) -> bool:
    spec = SPECS.get(key)
    return True if spec is None else spec.additive


def _add(a: Numbers, b: Numbers, sign: int = 1) -> Numbers:
    num = a[0] + sign * b[0]
    if a[1] is None and b[1] is None:
        return num, None
    return num, (a[1] or ZERO) + sign * (b[1] or ZERO)


def _frozen_numbers(figure: Figure) -> Numbers:
    return figure.numerator or ZERO, figure.denominator


def figures_consolidate(
    own: dict[str, Numbers], corrections: list[tuple[dict[str, Numbers], dict[str, Numbers]]]
) -> dict[str, Numbers]:
    """The unit's live numbers, each additive one corrected by (frozen − live) for every child
    whose approved report is used: nothing is counted twice, own-level records stay in."""
    out = dict(own)
    for frozen, live in corrections:
        for key in set(frozen) | set(live):
            if not _additive(key):
                continue
            base = out.get(key, (ZERO, None))
            out[key] = _add(
                _add(base, frozen.get(key, (ZERO, None))), live.get(key, (ZERO, None)), -1
            )
    return out


# --- Showing a figure ---------------------------------------------------------------------


def _pct(num: Decimal, den: Decimal | None) -> Decimal | None:
    if not den:
        return None
    return (HUNDRED * num / den).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _number(n: Decimal | None) -> str:
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
        return num, _number(num)
    value = _pct(num, den)
    if people:
        return value, suppress_percent(int(num), int(den))
    return value, "—" if value is None else f"{_number(value)}%"


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


# --- Groups, numbered like the plan ---------------------------------------------------------


def _plan_sections(plan: Plan | None) -> list[Section]:
    if plan is None:
        return []
    return list(plan.sections.order_by("order", "pk"))


def _group_titles(plan: Plan | None) -> dict[str, tuple[int, str]]:
    """group key -> (order, title): the plan's own section for a group where it has one."""
    sections = _plan_sections(plan)
    out: dict[str, tuple[int, str]] = {}
    for index, (key, title, words) in enumerate(GROUPS):
        found = None
        for section in sections:
            text = (section.title or "").lower()
            if words and any(w in text for w in words):
                found = section
                break
        if found is not None:
            clean = re.sub(r"^[\dIVXivx.\s)-]+", "", found.title).strip().rstrip(".:;")
            if clean.isupper():  # "KINH PHÍ THỰC HIỆN" reads "Kinh phí thực hiện" as a group
                clean = clean.capitalize()
            out[key] = (found.order, clean[:1].upper() + clean[1:] if clean else title)
        else:
            out[key] = (10_000 + index, title)
    return out


def _groups(
    unit: OrgUnit,
    figures: dict[str, Numbers],
    last_year: dict[str, Numbers],
    labels: dict[str, str],
    plan: Plan | None,
) -> tuple[list[FigureGroup], list[FigureGroup]]:
    titles = _group_titles(plan)
    by_group: dict[str, list[Figure]] = {key: [] for key, _t, _w in GROUPS}
    for spec in FIGURES:
        if spec.levels and unit.level not in spec.levels:
            continue
        if spec.key in figures:
            by_group[spec.group].append(
                make_figure(spec, spec.key, spec.label, figures[spec.key], last_year.get(spec.key))
            )
        prefix = {
            "establishments.total": "establishments.type.",
            "people.total": "people.group.",
            "support.referrals": "support.service.",
        }.get(spec.key)
        if prefix:
            parts = sorted(k for k in figures if k.startswith(prefix))
            if prefix == "support.service.":
                parts = [
                    f"support.service.{v}"
                    for v, _l in ServiceKind.choices
                    if f"support.service.{v}" in figures
                ]
            elif prefix == "people.group.":
                parts = [f"people.group.{v}" for v, _l in Beneficiary.Group.choices]
            for key in parts:
                label = labels.get(key, key.rsplit(".", 1)[-1])
                by_group[spec.group].append(
                    make_figure(
                        _spec_of_part(key), key, label, figures.get(key, (ZERO, None)), None
                    )
                )
    _suppress_people(by_group["situation.people"], "people.total")
    situation: list[FigureGroup] = []
    results: list[FigureGroup] = []
    for key, _title, _words in GROUPS:
        (situation if key.startswith("situation.") else results).append(
            FigureGroup(key=key, number="", title=str(titles[key][1]), figures=by_group[key])
        )
    results.sort(key=lambda g: titles[g.key][0])
    for number, group in enumerate(situation, start=1):
        group.number = str(number)
    for number, group in enumerate(results, start=1):
        group.number = str(number)
    for group in [*situation, *results]:
        group.text = _sentence(group)
    return situation, results


def _suppress_people(figures: list[Figure], total_key: str) -> None:
    """Cells of people shown with their total: no small cell can be worked out from the rest."""
    total = next((f for f in figures if f.key == total_key), None)
    cells = {f.key: int(f.numerator or 0) for f in figures if f.key != total_key}
    if total is None or not cells:
        return
    shown = suppress_cells(cells, total=int(total.numerator or 0))
    for figure in figures:
        if figure.key in shown:
            figure.shown = shown[figure.key]


def _sentence(group: FigureGroup) -> str:
    parts = []
    for f in group.figures:
        if f.shown in ("", "—"):
            continue
        unit = "" if f.unit == "%" or f.shown.endswith("%") else f" {f.unit}"
        text = f"{f.label.lower()}: {f.shown}{unit}"
        if f.last_year_shown and f.last_year_shown != "—":
            text += _(" (cùng kỳ năm trước: %(v)s)") % {"v": f.last_year_shown}
        parts.append(text)
    return ("; ".join(parts) + ".") if parts else ""


# --- Targets and tasks ------------------------------------------------------------------


def _fmt_goal(value: Decimal | None, percent: bool) -> str:
    text = _number(value)
    return f"{text}%" if percent and value is not None else text


def _eval_shown(ev: Evaluation, percent: bool) -> str:
    if ev.actual is None:
        return "—"
    return _fmt_goal(ev.actual, percent)


def target_rows(plan: Plan, unit: OrgUnit, period: Period, today: date) -> list[TargetRow]:
    """The target table in the national layout: this period, the year's target, cumulative since
    the plan began, the programme's target, and the status from target_evaluate."""
    rows: list[TargetRow] = []
    cut = min(today, period.end)
    year = period_parse(str(period.end.year)) if period.kind != "range" else period
    targets = plan.targets.order_by("order", "pk").prefetch_related("milestones")
    for number, target in enumerate(targets, start=1):
        percent = target.unit == "%" or target.kind == "frequency"
        this = target_evaluate(target, unit=unit, period=period, today=cut)
        status = (
            this
            if year.id == period.id
            else target_evaluate(target, unit=unit, period=year, today=cut)
        )
        if plan.period_start < period.end.year:
            whole = period_parse(f"{plan.period_start}-{period.end.year}")
            cumulative = target_evaluate(target, unit=unit, period=whole, today=cut)
        else:
            cumulative = status
        value = this.value
        rows.append(
            TargetRow(
                target_id=target.pk,
                number=str(number),
                text=target.text,
                indicator=this.indicator.name if this.indicator else "",
                unit=target.get_unit_display()
                if hasattr(target, "get_unit_display")
                else target.unit,
                this_period=_eval_shown(this, percent),
                year_target=_fmt_goal(status.goal, percent),
                cumulative=_eval_shown(cumulative, percent),
                programme_target=_fmt_goal(
                    HUNDRED if target.kind == "frequency" else target.value, percent
                ),
                status=str(status.status),
                status_label=str(status.status.label),
                explanation=status.explanation,
                numerator=value.numerator if value is not None else None,
                denominator=value.denominator if value is not None else None,
            )
        )
    return rows


def task_rows(plan: Plan, period: Period, today: date) -> list[TaskRow]:
    cut = min(today, period.end)
    tasks = (
        plan.tasks.select_related("plan").prefetch_related("assignments").order_by("order", "pk")
    )
    rows = []
    for task in tasks:
        lead = next(
            (a.text for a in task.assignments.all() if a.role == TaskAssignment.Role.LEAD), ""
        )
        rows.append(
            TaskRow(
                task_id=task.pk,
                number=task.number,
                title=task.title,
                lead=lead,
                status=task.status,
                status_label=str(Task.Status(task.status).label),
                deadline=task_due_date(task),
                overdue=task_is_overdue(task, today=cut),
            )  # fmt: skip
        )
    return rows


# --- The report -------------------------------------------------------------------------


def report_children(unit: OrgUnit, period: Period) -> list[OrgUnit]:
    """The units that report to `unit` for `period`: its children on the period's last day (or
    the unit's, if it ended sooner), villages excepted (they keep no reports)."""
    children = orgunit_children(unit, on=_as_of(unit, period))
    return list(children.exclude(level=OrgUnit.Level.VILLAGE))


def _child_reports(children: list[OrgUnit], period: Period) -> dict[int, Any]:
    from pcmd.reports.models import Report

    reports = Report.objects.filter(org_unit__in=children, period=period.id).order_by("pk")
    return {r.org_unit_id: r for r in reports}


def report_content_build(
    *,
    unit: OrgUnit,
    period: Period | str,
    plan: Plan | None = None,
    today: date | None = None,
) -> ReportContent:
    """Everything sections I-II, the target table and the tasks say for `unit` and `period`."""
    from pcmd.reports.models import Report, kind_for_period

    if isinstance(period, str):
        period = period_parse(period)
    today = today or timezone.localdate()
    children = report_children(unit, period)
    tree = Tree.load()
    mine = unit_figures([unit], period, tree=tree)[unit.pk]
    live = unit_figures(children, period, tree=tree) if children else {}
    reports = _child_reports(children, period)
    corrections: list[tuple[dict[str, Numbers], dict[str, Numbers]]] = []
    corrections_ly: list[tuple[dict[str, Numbers], dict[str, Numbers]]] = []
    child_rows: list[ChildRow] = []
    labels = dict(mine.labels)
    for child in children:
        report = reports.get(child.pk)
        status = report.status if report is not None else "not_started"
        child_live = live[child.pk]
        labels.update(child_live.labels)
        narrative = report.narrative_values() if report is not None else {}
        if report is not None and report.status == Report.Status.APPROVED and report.content:
            frozen = content_from_json(report.content).figures()
            corrections.append(({k: _frozen_numbers(f) for k, f in frozen.items()}, child_live.now))
            corrections_ly.append(
                (
                    # compared figures are counts: last_year is the number itself
                    {k: (f.last_year, None) for k, f in frozen.items() if f.last_year is not None},
                    child_live.last_year,
                )
            )
            child_figures = frozen
            labels.update({k: f.label for k, f in frozen.items()})
        else:
            child_figures = _figures_flat(child_live)
        child_rows.append(
            ChildRow(
                unit_id=child.pk,
                unit_code=child.code,
                unit_name=child.name,
                report_id=report.pk
                if report is not None and report.status == Report.Status.APPROVED
                else None,
                report_status=status,
                figures=child_figures,
                narrative=narrative,
            )  # fmt: skip
        )
    figures = figures_consolidate(mine.now, corrections)
    before = figures_consolidate(mine.last_year, corrections_ly) if mine.last_year else {}
    situation, results = _groups(unit, figures, before, labels, plan)
    content = ReportContent(
        unit_id=unit.pk,
        unit_code=unit.code,
        unit_name=unit.name,
        unit_level=unit.level,
        period=period.id,
        period_label=period.label,
        kind=kind_for_period(period),
        built_at=timezone.now(),
        situation=situation,
        results=results,
        children=child_rows,
    )
    if plan is not None:
        content.plan_id = plan.pk
        content.plan_number = plan.number
        content.plan_title = plan.title
        content.plan_issued_on = plan.issued_on
        content.targets = target_rows(plan, unit, period, today)
        content.tasks = task_rows(plan, period, today)
    return content


def _figures_flat(unit_figs: UnitFigures) -> dict[str, Figure]:
    out = {}
    for key, numbers in unit_figs.now.items():
        spec = SPECS.get(key) or _spec_of_part(key)
        label = unit_figs.labels.get(key, spec.label)
        out[key] = make_figure(spec, key, label, numbers, unit_figs.last_year.get(key))
    return out


def _spec_of_part(key: str) -> Spec:
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


def live_differences(frozen: ReportContent, live: ReportContent) -> list[tuple[Figure, Figure]]:
    """Figures whose true numbers now differ from the frozen ones: (frozen, live) pairs."""
    now = live.figures()
    out = []
    for key, figure in frozen.figures().items():
        current = now.get(key)
        if current is None:
            continue
        if (figure.numerator, figure.denominator) != (current.numerator, current.denominator):
            out.append((figure, current))
    return out
