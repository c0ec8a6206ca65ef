"""Write the budget lines of a plan: allocated and spent money per year and component.

Owns: budgetline_create(), budgetline_update(), budgetline_delete(), budget_warnings(),
BUDGET_FIELDS, require_budget(), can_manage_budget(), budgetline_validate().
Invariants: a person needs "budget.manage" and the plan's unit (a coordinator of that unit, or an
admin whose scope holds it; acting_user=None is the system); amounts are never negative; the
year lies within the plan's period; the component (a section or a task) belongs to the plan;
spending above the allocation is allowed but reported as a warning; an update based on an older
`version` is refused (StaleRecord, nothing written) so two people never overwrite each other;
every write is audited (an update with the fields it changed, old and new).
Not here: totals (selectors.budget_totals), the XLSX file (budget_xlsx.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, unit_in_scope
from pcmd.common.records import record_save_versioned
from pcmd.plans.models import BudgetLine, Plan
from pcmd.plans.services.common import jsonable

BUDGET_FIELDS = ("year", "source", "section", "task", "text", "allocated", "spent")


def can_manage_budget(user: Any, plan: Plan) -> bool:
    if not has_capability(user, "budget.manage"):
        return False
    if user.role == "admin":
        return unit_in_scope(user, plan.org_unit_id)
    return bool(user.org_unit_id == plan.org_unit_id)


def require_budget(user: Any, plan: Plan) -> None:
    if user is None:
        return
    if not can_manage_budget(user, plan):
        raise PermissionDenied(
            _("Chỉ cán bộ điều phối của %(unit)s (hoặc quản trị) được ghi kinh phí kế hoạch này.")
            % {"unit": plan.org_unit.name}
        )


def budget_warnings(line: BudgetLine) -> list[str]:
    if line.spent is not None and line.allocated is not None and line.spent > line.allocated:
        return [
            _("Số đã chi (%(s)s đồng) vượt dự toán (%(a)s đồng).")
            % {
                "s": f"{line.spent:,.0f}".replace(",", "."),
                "a": f"{line.allocated:,.0f}".replace(",", "."),
            }
        ]
    return []


def budgetline_validate(line: BudgetLine) -> None:
    """Raise ValidationError (by field, in Vietnamese) if the line breaks a rule of its plan."""
    errors: dict[str, str] = {}
    plan = line.plan
    if line.source not in BudgetLine.Source.values:
        errors["source"] = _("Nguồn kinh phí không hợp lệ.")
    if line.year is None:
        errors["year"] = _("Hãy nhập năm.")
    elif not (plan.period_start or line.year) <= line.year <= (plan.period_end or line.year):
        errors["year"] = _("Năm phải nằm trong thời kỳ của kế hoạch (%(a)s–%(b)s).") % {
            "a": plan.period_start,
            "b": plan.period_end,
        }
    for name in ("allocated", "spent"):
        value = getattr(line, name)
        if value is not None and Decimal(value) < 0:
            errors[name] = _("Số tiền không được âm.")
    if line.section is not None and line.section.plan_id != plan.pk:
        errors["section"] = _("Mục này thuộc kế hoạch khác.")
    if line.task is not None and line.task.plan_id != plan.pk:
        errors["task"] = _("Nhiệm vụ này thuộc kế hoạch khác.")
    if line.section is not None and line.task is not None:
        errors["task"] = _("Chọn một mục hoặc một nhiệm vụ, không chọn cả hai.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def budgetline_create(*, plan: Plan, acting_user: Any, **fields: Any) -> BudgetLine:
    require_budget(acting_user, plan)
    line = BudgetLine(plan=plan, **{k: v for k, v in fields.items() if k in BUDGET_FIELDS})
    budgetline_validate(line)
    record_save_versioned(line, expected_version=None)
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=acting_user,
        obj=line,
        org_unit=plan.org_unit,
        detail={k: jsonable(getattr(line, k)) for k in BUDGET_FIELDS},
    )
    return line


@transaction.atomic
def budgetline_update(
    *, line: BudgetLine, acting_user: Any, expected_version: int | None, **fields: Any
) -> BudgetLine:
    """Change a line; refused (StaleRecord, with the current line) if someone saved it since
    `expected_version` was read (None: the version `line` was read at)."""
    require_budget(acting_user, line.plan)
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in BUDGET_FIELDS:
            raise TypeError(f"unknown field {name}")
        old = getattr(line, name)
        if jsonable(old) != jsonable(value):
            changes[name] = [jsonable(old), jsonable(value)]
        setattr(line, name, value)
    budgetline_validate(line)
    record_save_versioned(line, expected_version=expected_version)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=acting_user,
        obj=line,
        org_unit=line.plan.org_unit,
        detail={"changes": changes, "version": line.version},
    )
    return line


@transaction.atomic
def budgetline_delete(*, line: BudgetLine, acting_user: Any) -> None:
    require_budget(acting_user, line.plan)
    audit_record(
        action=AuditEvent.Action.DELETE, user=acting_user, obj=line, org_unit=line.plan.org_unit
    )
    line.delete()
