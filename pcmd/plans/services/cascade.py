"""Cascade a plan down the hierarchy (a draft for a child unit) and over time (the annual plan
of one year of a multi-year plan).

Owns: plan_cascade(), plan_derive_year(), restate_population().
Invariants: the new plan is a draft linked to its source (parent and derived_from); each
target and task keeps a link to the one it came from (parent_target, parent_task) so the
consistency check (selectors.plan_consistency) can compare them; a target counted over units
("% số xã, phường, thị trấn") is restated over the child's own next level ("% số thôn"); one
cascade per child unit and one annual plan per year.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.common.text import search_key
from pcmd.orgunits.models import REFORM_DATE, Agency, OrgUnit, OrgUnitScope
from pcmd.orgunits.selectors import agency_list
from pcmd.plans.models import (
    Milestone,
    Plan,
    PlanBasis,
    Section,
    Target,
    Task,
    TaskAssignment,
)
from pcmd.plans.services.common import require_plan_edit


def _population_level(population: str) -> str | None:
    """The level of units a population counts ("huyện, thị, thành phố" → district), if any:
    the population must start with a level word (after "số", "các", "cấp")."""
    key = search_key(population)
    for lead in ("tong so ", "so ", "cac ", "cap "):
        if key.startswith(lead):
            key = key[len(lead) :]
    first = key.split(" ", 1)[0] if key else ""
    if first in ("huyen", "quan") or key.startswith("thi xa"):
        return OrgUnit.Level.DISTRICT
    if first in ("xa", "phuong") or key.startswith("thi tran"):
        return OrgUnit.Level.COMMUNE
    if first in ("thon", "xom", "ap", "ban") or key.startswith(("to dan pho", "khu pho")):
        return OrgUnit.Level.VILLAGE
    return None


def next_level_label(unit: OrgUnit) -> str:
    """How a plan names the units directly below `unit` ("thôn" below a rural commune)."""
    if unit.level in (OrgUnit.Level.NATIONAL,):
        return "tỉnh, thành phố"
    if unit.level == OrgUnit.Level.PROVINCE:
        if unit.valid_from is not None and unit.valid_from >= REFORM_DATE:
            return "xã, phường, đặc khu"
        return "huyện, thị xã, thành phố"
    if unit.level == OrgUnit.Level.DISTRICT:
        return "xã, phường, thị trấn"
    if unit.kind == OrgUnit.Kind.WARD:
        return "tổ dân phố"
    if unit.kind == OrgUnit.Kind.TOWNSHIP:
        return "thôn, tổ dân phố"
    return "thôn"


_CALLED = re.compile(r"\s*\(gọi chung là[^)]*\)", re.IGNORECASE)


def restate_population(target: Target, child: OrgUnit) -> tuple[str, str]:
    """(text, population) of `target` restated for `child`: a share of units becomes a share
    of the child's own next level; anything else stays as written."""
    population = target.population or ""
    if target.unit != Target.Unit.PERCENT or _population_level(population) is None:
        return target.text, population
    new_population = next_level_label(child)
    text = target.text
    position = text.lower().find(population.lower()) if population else -1
    if position >= 0:
        text = text[:position] + new_population + text[position + len(population) :]
        text = _CALLED.sub("", text, count=1)
    else:
        text = f"{text} ({_('áp dụng cho')} {new_population})"
    return text, new_population


def _copy_sections(source: Plan, plan: Plan) -> dict[int, Section]:
    mapping: dict[int, Section] = {}
    for section in Section.objects.filter(plan=source).order_by("order", "id"):
        mapping[section.pk] = Section.objects.create(
            plan=plan,
            parent=mapping.get(section.parent_id) if section.parent_id else None,
            order=section.order,
            number=section.number,
            title=section.title,
            text=section.text,
        )
    return mapping


def _agency_by_kind(unit: OrgUnit, on: date) -> dict[str, Agency]:
    found: dict[str, list[Agency]] = {}
    for agency in agency_list(unit, on=on):
        found.setdefault(agency.kind, []).append(agency)
    return {
        kind: agencies[0]
        for kind, agencies in found.items()
        if len(agencies) == 1 and kind != Agency.Kind.OTHER
    }


def _copy_task(
    task: Task,
    plan: Plan,
    sections: dict[int, Section],
    *,
    kinds: dict[str, Agency] | None,
    start: date | None,
    end: date | None,
) -> Task:
    copy = Task.objects.create(
        plan=plan,
        section=sections.get(task.section_id) if task.section_id else None,
        order=task.order,
        number=task.number,
        title=task.title,
        activities=list(task.activities or []),
        timeframe_text=task.timeframe_text,
        timeframe_kind=task.timeframe_kind,
        start=start,
        end=end,
        confidence=task.confidence,
        parent_task=task,
    )
    for assignment in task.assignments.select_related("agency").order_by("role", "order"):
        agency: Agency | None = None
        text = assignment.text
        if kinds is None:
            agency = assignment.agency  # same unit: same bodies
        elif assignment.agency is not None and assignment.agency.kind in kinds:
            agency = kinds[assignment.agency.kind]
            text = agency.name
        TaskAssignment.objects.create(
            task=copy, role=assignment.role, text=text, agency=agency, order=assignment.order
        )
    return copy


def _unit_day(unit: OrgUnit, year: int) -> date:
    day = date(year, 1, 1)
    if unit.valid_from is not None and day < unit.valid_from:
        day = unit.valid_from
    if unit.valid_to is not None and day > unit.valid_to:
        day = unit.valid_to
    return day


def _basis_text(plan: Plan) -> str:
    parts = [_("Thực hiện Kế hoạch")]
    if plan.number:
        parts.append(_("số %(n)s") % {"n": plan.number})
    if plan.issued_on:
        parts.append(_("ngày %(d)s") % {"d": plan.issued_on.strftime("%d/%m/%Y")})
    parts.append(_("của %(issuer)s") % {"issuer": plan.issuer or plan.org_unit.name})
    return " ".join(parts) + f" {_('về')} {plan.title[:1].lower()}{plan.title[1:]}"


@transaction.atomic
def plan_cascade(*, plan: Plan, child_unit: OrgUnit, acting_user: Any) -> Plan:
    """A draft plan for `child_unit` (a unit below the plan's) from `plan`: the same sections
    and tasks, each target restated for the child, everything linked to its source."""
    require_plan_edit(acting_user, plan)
    if (
        child_unit.pk == plan.org_unit_id
        or not OrgUnitScope.objects.filter(
            holder_id=plan.org_unit_id, unit_id=child_unit.pk
        ).exists()
    ):
        raise ValidationError(
            {
                "child_unit": _("%(child)s không phải là đơn vị cấp dưới của %(unit)s.")
                % {"child": child_unit.name, "unit": plan.org_unit.name}
            }
        )
    first, last = date(plan.period_start, 1, 1), date(plan.period_end, 12, 31)
    if (child_unit.valid_to and child_unit.valid_to < first) or (
        child_unit.valid_from and child_unit.valid_from > last
    ):
        raise ValidationError(
            {
                "child_unit": _("%(child)s không tồn tại trong thời kỳ %(p)s của kế hoạch.")
                % {"child": child_unit.name, "p": plan.period_label}
            }
        )
    if Plan.objects.filter(derived_from=plan, org_unit=child_unit).exists():
        raise ValidationError(
            {
                "child_unit": _("%(child)s đã có kế hoạch tạo từ kế hoạch này.")
                % {"child": child_unit.name}
            }
        )
    child = Plan.objects.create(
        org_unit=child_unit,
        kind=Plan.Kind.PLAN,
        status=Plan.Status.DRAFT,
        title=_restate_title(plan, child_unit),
        period_start=plan.period_start,
        period_end=plan.period_end,
        parent=plan,
        derived_from=plan,
        issuer=_("UBND %(unit)s") % {"unit": _unit_words(child_unit)},
        budget_text=plan.budget_text,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    PlanBasis.objects.create(
        plan=child,
        order=0,
        text=_basis_text(plan),
        number=plan.number,
        issued_on=plan.issued_on,
        issuer=plan.issuer,
        linked_plan=plan,
    )
    sections = _copy_sections(plan, child)
    for target in plan.targets.prefetch_related("milestones"):
        text, population = restate_population(target, child_unit)
        copy = Target.objects.create(
            plan=child,
            section=sections.get(target.section_id) if target.section_id else None,
            order=target.order,
            text=text,
            kind=target.kind,
            comparator=target.comparator,
            value=target.value,
            value_max=target.value_max,
            unit=target.unit,
            per=target.per,
            population=population[:255],
            baseline_year=target.baseline_year,
            start_year=target.start_year,
            confidence=target.confidence,
            parent_target=target,
        )
        Milestone.objects.bulk_create(
            [Milestone(target=copy, year=m.year, value=m.value) for m in target.milestones.all()]
        )
    kinds = _agency_by_kind(child_unit, _unit_day(child_unit, plan.period_start))
    for task in plan.tasks.all():
        _copy_task(task, child, sections, kinds=kinds, start=task.start, end=task.end)
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=acting_user,
        obj=child,
        detail={"cascaded_from": plan.pk, "targets": child.targets.count()},
    )
    return child


def _unit_words(unit: OrgUnit) -> str:
    """“Xã Hoằng Hợp” → “xã Hoằng Hợp” (as it reads after “UBND”)."""
    prefix = unit.name[: len(unit.name) - len(unit.short_name)].strip().lower()
    return f"{prefix} {unit.short_name}".strip() if unit.short_name else unit.name


def _restate_title(plan: Plan, child: OrgUnit) -> str:
    source = plan.org_unit
    for written in (source.name, _unit_words(source)):
        position = plan.title.lower().find(written.lower())
        if position >= 0:
            return (
                plan.title[:position] + _unit_words(child) + plan.title[position + len(written) :]
            )
    return f"{plan.title} — {child.name}"


_PERIOD = re.compile(r"giai đoạn\s*\d{4}\s*[-–]\s*\d{4}", re.IGNORECASE)


@transaction.atomic
def plan_derive_year(*, plan: Plan, year: int, acting_user: Any) -> Plan:
    """The annual plan for `year` of a multi-year plan of the same unit: each target at that
    year's milestone (else its final value), the tasks that fall in that year."""
    require_plan_edit(acting_user, plan)
    if plan.period_start == plan.period_end:
        raise ValidationError({"year": _("Kế hoạch này đã là kế hoạch một năm.")})
    if not plan.period_start <= year <= plan.period_end:
        raise ValidationError(
            {"year": _("Năm %(y)s nằm ngoài thời kỳ %(p)s.") % {"y": year, "p": plan.period_label}}
        )
    if Plan.objects.filter(
        derived_from=plan, org_unit=plan.org_unit, period_start=year, period_end=year
    ).exists():
        raise ValidationError(
            {"year": _("Đã có kế hoạch năm %(y)s tạo từ kế hoạch này.") % {"y": year}}
        )
    title = _PERIOD.sub(f"năm {year}", plan.title, count=1)
    if title == plan.title:
        title = f"{plan.title} — năm {year}"
    annual = Plan.objects.create(
        org_unit=plan.org_unit,
        kind=Plan.Kind.PLAN,
        status=Plan.Status.DRAFT,
        title=title,
        period_start=year,
        period_end=year,
        parent=plan,
        derived_from=plan,
        issuer=plan.issuer,
        place=plan.place,
        budget_text=plan.budget_text,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    PlanBasis.objects.create(
        plan=annual,
        order=0,
        text=_basis_text(plan),
        number=plan.number,
        issued_on=plan.issued_on,
        issuer=plan.issuer,
        linked_plan=plan,
    )
    sections = _copy_sections(plan, annual)
    for target in plan.targets.prefetch_related("milestones"):
        milestones = {m.year: m.value for m in target.milestones.all()}
        value = milestones.get(year, target.value)
        Target.objects.create(
            plan=annual,
            section=sections.get(target.section_id) if target.section_id else None,
            order=target.order,
            text=target.text,
            kind=target.kind,
            comparator=target.comparator,
            value=value,
            value_max=target.value_max if year not in milestones else None,
            unit=target.unit,
            per=target.per,
            population=target.population,
            baseline_year=target.baseline_year,
            start_year=target.start_year,
            confidence=target.confidence,
            parent_target=target,
        )
    first, last = date(year, 1, 1), date(year, 12, 31)
    for task in plan.tasks.all():
        if (task.end and task.end < first) or (task.start and task.start > last):
            continue  # done before, or starting after, the year
        start = max(task.start, first) if task.start else None
        end = min(task.end, last) if task.end else None
        _copy_task(task, annual, sections, kinds=None, start=start, end=end)
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=acting_user,
        obj=annual,
        detail={"derived_from": plan.pk, "year": year},
    )
    return annual
