"""The content of a report: sections I-II in groups numbered like the plan, the target table,
the plan's tasks, and for a unit with children, the consolidation of their reports.

Owns: report_content_build(), report_children(), target_rows(), task_rows(), live_differences().
Invariants: the children of a unit are those of the hierarchy on the period's last day, villages
excepted; a child's approved report contributes its frozen figures (consolidation.py), any other
child its live ones, flagged by ChildRow.report_status; the target table's status comes from
indicators.evaluation.target_evaluate (the year to the period's end for a six-month report).
Not here: the workflow (services.py), the page (views.py), documents (rendering/).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.common.periods import Period, period_parse
from pcmd.indicators.evaluation import Evaluation, target_evaluate, target_goal
from pcmd.indicators.rollup import Tree
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_children
from pcmd.plans.models import Plan, Section, Task, TaskAssignment
from pcmd.plans.selectors import task_due_date, task_is_overdue
from pcmd.reports.builder.consolidation import figures_consolidate, frozen_numbers
from pcmd.reports.builder.figures import (
    FIGURES,
    GROUPS,
    SPECS,
    ZERO,
    Numbers,
    make_figure,
    number_text,
    spec_of_part,
)
from pcmd.reports.builder.live import UnitFigures, as_of, unit_figures
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
    suppress_cells,
)
from pcmd.support.casefiles.models import Beneficiary, ServiceKind

# --- Groups, numbered like the plan ---------------------------------------------------------


def _plan_sections(plan: Plan | None) -> list[Section]:
    if plan is None:
        return []
    return list(plan.sections.order_by("order", "pk"))


def _group_titles(plan: Plan | None) -> dict[str, tuple[float, str]]:
    """group key -> (order, title): the plan's own section for a group where it has one."""
    sections = _plan_sections(plan)
    out: dict[str, tuple[float, str]] = {}
    titled: set[int] = set()
    for index, (key, title, words) in enumerate(GROUPS):
        found = None
        for section in sections:
            text = (section.title or "").lower()
            if words and any(w in text for w in words):
                found = section
                break
        if found is not None and found.pk in titled:
            # One plan component holding two groups (inspections and criminal cases under
            # "Tăng cường kiểm tra ..."): the second keeps its own title, printed right after.
            out[key] = (found.order + 0.5, title)
        elif found is not None:
            titled.add(found.pk)
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
                    make_figure(spec_of_part(key), key, label, figures.get(key, (ZERO, None)), None)
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
    text = number_text(value)
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
                programme_target=_fmt_goal(target_goal(target, plan.period_end), percent),
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


def _reporting_children(unit: OrgUnit, period: Period) -> QuerySet[OrgUnit]:
    children = orgunit_children(unit, on=as_of(unit, period))
    return children.exclude(level=OrgUnit.Level.VILLAGE)


def report_children(unit: OrgUnit, period: Period) -> list[OrgUnit]:
    """The units that report to `unit` for `period`: its children on the period's last day (or
    the unit's, if it ended sooner), villages excepted (they keep no reports)."""
    return list(_reporting_children(unit, period))


def report_children_ids(unit: OrgUnit, period: Period) -> list[int]:
    """The ids of report_children(), in the same order, without building the units."""
    return list(_reporting_children(unit, period).values_list("pk", flat=True))


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
            corrections.append(({k: frozen_numbers(f) for k, f in frozen.items()}, child_live.now))
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
        spec = SPECS.get(key) or spec_of_part(key)
        label = unit_figs.labels.get(key, spec.label)
        out[key] = make_figure(spec, key, label, numbers, unit_figs.last_year.get(key))
    return out


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
