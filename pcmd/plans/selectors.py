"""Read plans, scoped to the user; who may edit a plan or record a task's progress; overdue
tasks, "my tasks", the consistency of a plan with its parent and children; a plan back in the
parser's JSON shape.

Owns: plan_list_for_user(), plan_get_for_user(), task_get_for_user(), target_get_for_user(),
can_edit_plan(), can_record_progress(), task_due_date(), task_is_overdue(), tasks_overdue(),
my_tasks(), user_agency_ids(), plan_consistency() (ConsistencyIssue), plan_as_parsed(),
target_value_for_year(), budgetline_list_for_user(), budgetline_history().
Invariants: every query for a user goes through accounts.permissions (scope_filter /
get_in_scope_or_404 on the plan's org unit); objects outside the scope are 404. A plan is
edited by a coordinator (plan.manage) of the unit that issued it, or by an admin whose scope
holds it.
Not here: writes (services/), pages (views.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import (
    get_in_scope_or_404,
    has_capability,
    scope_filter,
    unit_in_scope,
)
from pcmd.orgunits.models import AgencySuccession, OrgUnitScope
from pcmd.plans.models import (
    BudgetLine,
    Plan,
    Section,
    Target,
    Task,
    TaskAssignment,
)
from pcmd.plans.parsing.bodies import is_generic as is_generic_phrase

# --- Scoped reads -------------------------------------------------------------------------


def plan_list_for_user(*, user: Any) -> QuerySet[Plan]:
    """Plans of the units in the user's scope (none without plan.view), newest first."""
    if not has_capability(user, "plan.view"):
        return Plan.objects.none()
    return scope_filter(Plan.objects.select_related("org_unit", "parent"), user)


def plan_get_for_user(*, plan_id: int, user: Any) -> Plan:
    """The plan if the user may see it, else Http404."""
    return get_in_scope_or_404(plan_list_for_user(user=user), user, pk=plan_id)


def task_get_for_user(*, task_id: int, user: Any) -> Task:
    qs = Task.objects.select_related("plan", "plan__org_unit", "section")
    if not has_capability(user, "plan.view"):
        qs = qs.none()
    return get_in_scope_or_404(qs, user, field="plan__org_unit", pk=task_id)


def target_get_for_user(*, target_id: int, user: Any) -> Target:
    qs = Target.objects.select_related("plan", "plan__org_unit", "section")
    if not has_capability(user, "plan.view"):
        qs = qs.none()
    return get_in_scope_or_404(qs, user, field="plan__org_unit", pk=target_id)


def budgetline_list_for_user(
    *, user: Any, plan: int | None = None, unit: int | None = None, year: int | None = None
) -> QuerySet[BudgetLine]:
    """Budget lines of plans in the user's scope (none without plan.view); `unit` takes the
    plans of that unit and of the units below it."""
    qs = BudgetLine.objects.select_related("plan", "plan__org_unit", "section", "task")
    if not has_capability(user, "plan.view"):
        return qs.none()
    qs = scope_filter(qs, user, field="plan__org_unit")
    if plan is not None:
        qs = qs.filter(plan_id=plan)
    if unit is not None:
        qs = qs.filter(
            plan__org_unit__in=OrgUnitScope.objects.filter(holder_id=unit).values("unit_id")
        )
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("plan_id", "year", "source", "id")


def budgetline_history(*, line: BudgetLine) -> QuerySet[AuditEvent]:
    """Who created and changed the line, and what each change was, newest first."""
    return AuditEvent.objects.filter(
        object_type=BudgetLine._meta.label_lower, object_id=str(line.pk)
    ).order_by("-at", "-id")


def plan_detail_queryset() -> QuerySet[Plan]:
    """Plans with everything a plan page or export shows, prefetched."""
    return Plan.objects.select_related("org_unit", "parent").prefetch_related(
        "basis",
        "sections",
        Prefetch("targets", queryset=Target.objects.prefetch_related("milestones")),
        Prefetch(
            "tasks",
            queryset=Task.objects.prefetch_related(
                Prefetch("assignments", queryset=TaskAssignment.objects.select_related("agency"))
            ),
        ),
        "responsibilities__agencies",
        "reporting_duties",
        "budget_lines",
    )


# --- Who may do what ----------------------------------------------------------------------


def can_edit_plan(user: Any, plan: Plan) -> bool:
    """A coordinator of the issuing unit, or an admin whose scope holds the plan's unit."""
    if not has_capability(user, "plan.manage"):
        return False
    if user.role == "admin":
        return unit_in_scope(user, plan.org_unit_id)
    return bool(user.org_unit_id == plan.org_unit_id)


def user_agency_ids(user: Any) -> set[int]:
    """The user's agency and the agencies it took over (their tasks are the user's too)."""
    agency_id = getattr(user, "agency_id", None)
    if not agency_id:
        return set()
    ids = {agency_id}
    frontier = {agency_id}
    for _depth in range(5):
        older = (
            set(
                AgencySuccession.objects.filter(successor_id__in=frontier).values_list(
                    "predecessor_id", flat=True
                )
            )
            - ids
        )
        if not older:
            break
        ids |= older
        frontier = older
    return ids


def _task_names_agencies_q(agency_ids: set[int]) -> Q:
    return Q(assignments__agency_id__in=agency_ids) | Q(
        responsibilities__agencies__agency_id__in=agency_ids
    )


def can_record_progress(user: Any, task: Task) -> bool:
    """Admins, coordinators and data entry in scope; police, inspectors, social workers and
    leaders only on tasks whose assignments or linked responsibilities name their agency."""
    if not unit_in_scope(user, task.plan.org_unit_id):
        return False
    if has_capability(user, "task.progress"):
        return True
    if not has_capability(user, "task.progress_assigned"):
        return False
    agencies = user_agency_ids(user)
    if not agencies:
        return False
    return Task.objects.filter(_task_names_agencies_q(agencies), pk=task.pk).exists()


# --- Tracking -----------------------------------------------------------------------------


def task_due_date(task: Task) -> date | None:
    """When the task must be done: its end date; an ongoing or whole-year task without one is
    due at the end of the plan's period."""
    if task.end is not None:
        return task.end
    if task.timeframe_kind in ("", Task.TimeframeKind.ONGOING, Task.TimeframeKind.YEAR):
        return date(task.plan.period_end, 12, 31)
    return None


def task_is_overdue(task: Task, *, today: date) -> bool:
    if task.status == Task.Status.DONE:
        return False
    due = task_due_date(task)
    return due is not None and due < today


def tasks_overdue(*, plan: Plan, today: date) -> QuerySet[Task]:
    """Tasks of `plan` not done whose due date (see task_due_date) has passed."""
    qs = plan.tasks.exclude(status=Task.Status.DONE)
    due_passed = Q(end__lt=today)
    if plan.period_end < today.year:
        due_passed |= Q(
            end__isnull=True,
            timeframe_kind__in=["", Task.TimeframeKind.ONGOING, Task.TimeframeKind.YEAR],
        )
    return qs.filter(due_passed).order_by("order")


def my_tasks(*, user: Any) -> QuerySet[Task]:
    """Tasks, across the plans in the user's scope, that name the user's agency (or one it
    succeeded) as lead, support, advisor or decider, or through a linked responsibility."""
    agencies = user_agency_ids(user)
    if not agencies:
        return Task.objects.none()
    plans = plan_list_for_user(user=user)
    ids = (
        Task.objects.filter(plan__in=plans)
        .filter(_task_names_agencies_q(agencies))
        .values("pk")
        .distinct()
    )
    return (
        Task.objects.filter(pk__in=ids)
        .select_related("plan", "plan__org_unit")
        .order_by("-plan__period_start", "plan_id", "order")
    )


# --- Consistency between a plan and its parent --------------------------------------------


@dataclass(frozen=True)
class ConsistencyIssue:
    """A child target weaker than its parent's, or a parent target the child leaves out."""

    kind: str  # "weaker" | "missing"
    message: str
    parent_plan_id: int
    child_plan_id: int
    parent_target_id: int
    child_target_id: int | None = None


def target_value_for_year(target: Target, year: int | None) -> Decimal:
    """The level a target asks for in `year`: that year's milestone, else its final value."""
    if year is not None:
        for milestone in target.milestones.all():
            if milestone.year == year:
                return milestone.value
    return target.value


def _weaker(child: Target, parent: Target, year: int | None) -> bool:
    wanted = target_value_for_year(parent, year)
    if child.unit != parent.unit:
        return False
    if parent.comparator in ("<=", "<"):
        return child.value > wanted
    if parent.comparator == "between":
        return child.value < parent.value
    return child.value < wanted


def _fmt(value: Decimal, unit: str) -> str:
    text = f"{value.normalize():f}".replace(".", ",")
    return f"{text}%" if unit == "%" else text


def _pair_issues(child_plan: Plan, parent_plan: Plan) -> list[ConsistencyIssue]:
    year = child_plan.period_start if child_plan.period_start == child_plan.period_end else None
    child_targets = list(child_plan.targets.prefetch_related("milestones"))
    parent_targets = list(parent_plan.targets.prefetch_related("milestones"))
    by_parent: dict[int, list[Target]] = {}
    for target in child_targets:
        if target.parent_target_id:
            by_parent.setdefault(target.parent_target_id, []).append(target)
    issues: list[ConsistencyIssue] = []
    for index, parent in enumerate(parent_targets, start=1):
        children = by_parent.get(parent.pk, [])
        if not children:
            issues.append(
                ConsistencyIssue(
                    kind="missing",
                    message=_(
                        "Chỉ tiêu %(n)s của kế hoạch cấp trên “%(text)s” chưa có chỉ tiêu tương "
                        "ứng trong kế hoạch của %(unit)s."
                    )
                    % {"n": index, "text": _short(parent.text), "unit": child_plan.org_unit.name},
                    parent_plan_id=parent_plan.pk,
                    child_plan_id=child_plan.pk,
                    parent_target_id=parent.pk,
                )
            )
            continue
        for child in children:
            if _weaker(child, parent, year):
                wanted = target_value_for_year(parent, year)
                issues.append(
                    ConsistencyIssue(
                        kind="weaker",
                        message=_(
                            "Chỉ tiêu “%(text)s” của %(unit)s (%(child)s) thấp hơn mức của kế "
                            "hoạch cấp trên (%(parent)s)."
                        )
                        % {
                            "text": _short(child.text),
                            "unit": child_plan.org_unit.name,
                            "child": _fmt(child.value, child.unit),
                            "parent": _fmt(wanted, parent.unit),
                        },
                        parent_plan_id=parent_plan.pk,
                        child_plan_id=child_plan.pk,
                        parent_target_id=parent.pk,
                        child_target_id=child.pk,
                    )
                )
    return issues


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def plan_consistency(*, plan: Plan) -> list[ConsistencyIssue]:
    """Issues between `plan` and its parent plan, and between `plan` and each of its children
    (so the same issue shows on both plans)."""
    issues: list[ConsistencyIssue] = []
    if plan.parent_id is not None and plan.parent is not None:
        issues.extend(_pair_issues(plan, plan.parent))
    for child in plan.children.select_related("org_unit").order_by("id"):
        issues.extend(_pair_issues(child, plan))
    return issues


# --- The plan in the parser's shape --------------------------------------------------------


def _section_tree(plan: Plan) -> list[dict[str, Any]]:
    sections = list(Section.objects.filter(plan=plan).order_by("order", "id"))
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for section in sections:
        node: dict[str, Any] = {
            "number": section.number,
            "title": section.title,
            "children": [],
        }
        node["text"] = [line for line in section.text.split("\n") if line.strip()]
        nodes[section.pk] = node
    for section in sections:
        node = nodes[section.pk]
        if section.parent_id and section.parent_id in nodes:
            nodes[section.parent_id]["children"].append(node)
        else:
            roots.append(node)
    return roots


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def plan_as_parsed(*, plan: Plan) -> dict[str, Any]:
    """The plan in the shape of the parser's JSON contract (for the DOCX export and tests)."""
    targets = []
    for target in plan.targets.select_related("section").prefetch_related("milestones"):
        targets.append(
            {
                "section": target.section.number if target.section else None,
                "text": target.text,
                "kind": target.kind,
                "comparator": target.comparator,
                "value": _num(target.value),
                "value_max": _num(target.value_max),
                "unit": target.unit,
                "per": target.per or None,
                "population": target.population or None,
                "baseline_year": target.baseline_year,
                "start_year": target.start_year,
                "milestones": [
                    {"year": m.year, "value": _num(m.value)} for m in target.milestones.all()
                ],
            }
        )
    tasks = []
    for task in plan.tasks.select_related("section").prefetch_related("assignments"):
        roles: dict[str, list[str]] = {"lead": [], "support": [], "advisor": [], "decider": []}
        lines: dict[str, list[str]] = {}
        has_group: set[str] = set()
        for assignment in sorted(task.assignments.all(), key=lambda a: (a.role, a.order, a.pk)):
            lines.setdefault(assignment.role, []).append(assignment.text)
            # Group phrases ("các đơn vị có liên quan") are kept as written, not as bodies.
            if assignment.agency_id is None and is_generic_phrase(assignment.text):
                has_group.add(assignment.role)
            else:
                roles.setdefault(assignment.role, []).append(assignment.text)
        tasks.append(
            {
                "section": task.number or (task.section.number if task.section else None),
                "title": task.title,
                "activities": list(task.activities or []),
                **roles,
                "roles_text": {role: ", ".join(lines[role]) for role in sorted(has_group)},
                "timeframe": {
                    "text": task.timeframe_text,
                    "kind": task.timeframe_kind or None,
                    "start": task.start.isoformat() if task.start else None,
                    "end": task.end.isoformat() if task.end else None,
                }
                if (task.timeframe_text or task.timeframe_kind or task.start or task.end)
                else None,
            }
        )
    responsibilities = [
        {
            "number": r.number or None,
            "agencies": [a.text for a in r.agencies.all()],
            "text": r.text,
            "requested": any(a.is_requested for a in r.agencies.all()),
        }
        for r in plan.responsibilities.prefetch_related("agencies")
    ]
    budget = [
        {"source": b.source, "text": b.text, "year": b.year, "allocated": _num(b.allocated)}
        for b in plan.budget_lines.all().order_by("id")
    ]
    return {
        "kind": plan.kind,
        "number": plan.number or None,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "place": plan.place or None,
        "issuer": plan.issuer or None,
        "title": plan.title,
        "decision_title": plan.decision_title or None,
        "period": {"start": plan.period_start, "end": plan.period_end},
        "basis": [
            {
                "text": b.text,
                "number": b.number or None,
                "issued_on": b.issued_on.isoformat() if b.issued_on else None,
                "issuer": b.issuer or None,
            }
            for b in plan.basis.all().order_by("order")
        ],
        "sections": _section_tree(plan),
        "targets": targets,
        "tasks": tasks,
        "responsibilities": responsibilities,
        "reporting": [
            {"text": d.text, "frequency": list(d.frequency or [])}
            for d in plan.reporting_duties.all().order_by("id")
        ],
        "budget": {"text": plan.budget_text, "lines": budget},
        "signer": {"name": plan.signer_name or None, "title": plan.signer_title or None},
        "recipients": list(plan.recipients or []),
        "warnings": list(plan.warnings or []),
    }


__all__ = [
    "ConsistencyIssue",
    "budgetline_history",
    "budgetline_list_for_user",
    "can_edit_plan",
    "can_record_progress",
    "my_tasks",
    "plan_as_parsed",
    "plan_consistency",
    "plan_detail_queryset",
    "plan_get_for_user",
    "plan_list_for_user",
    "target_get_for_user",
    "target_value_for_year",
    "task_due_date",
    "task_get_for_user",
    "task_is_overdue",
    "tasks_overdue",
    "user_agency_ids",
]
