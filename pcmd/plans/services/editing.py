"""Edit a saved plan: its header, status, targets (with milestones), tasks and assignments.

Owns: plan_update(), plan_status_set(), target_update(), task_update(), assignment_set(),
assignment_delete(); PLAN_FIELDS, TARGET_FIELDS, TASK_FIELDS.
Invariants: only a coordinator of the issuing unit or an admin edits (common.require_plan_edit);
a closed plan is read-only; status moves draft → issued → closed (and closed → issued to reopen),
never issued → draft; each change is audited with the old and new values of the fields that
changed; a field a person edits is confirmed (confidence 1).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.common.text import nfc
from pcmd.orgunits.models import Agency, OrgUnitScope
from pcmd.plans.models import (
    Milestone,
    Plan,
    Responsibility,
    Section,
    Target,
    Task,
    TaskAssignment,
)
from pcmd.plans.services.common import jsonable, require_plan_edit

PLAN_FIELDS = (
    "number",
    "issued_on",
    "place",
    "issuer",
    "title",
    "decision_title",
    "period_start",
    "period_end",
    "signer_name",
    "signer_title",
    "recipients",
    "budget_text",
    "parent",
    "parent_reference",
)
TARGET_FIELDS = (
    "text",
    "kind",
    "comparator",
    "value",
    "value_max",
    "unit",
    "per",
    "population",
    "baseline_year",
    "start_year",
    "section",
    "parent_target",
)
TASK_FIELDS = (
    "number",
    "title",
    "activities",
    "timeframe_text",
    "timeframe_kind",
    "start",
    "end",
    "status",
    "section",
)

# Allowed status moves of a plan.
_PLAN_MOVES = {
    Plan.Status.DRAFT: {Plan.Status.ISSUED},
    Plan.Status.ISSUED: {Plan.Status.CLOSED},
    Plan.Status.CLOSED: {Plan.Status.ISSUED},
}


def _unknown(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError(
            _("Không sửa được trường: %(names)s.") % {"names": ", ".join(unknown)}
        )


def _editable(plan: Plan, acting_user: Any) -> None:
    require_plan_edit(acting_user, plan)
    if plan.status == Plan.Status.CLOSED:
        raise ValidationError(_("Kế hoạch đã kết thúc: mở lại (ban hành lại) trước khi sửa."))


def _apply(obj: Any, fields: dict[str, Any]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        attname = name
        if name in ("parent", "section", "parent_target"):
            attname = f"{name}_id"
            value = value.pk if value is not None and not isinstance(value, int) else value
        if isinstance(value, str) and name not in ("status", "kind", "comparator", "unit", "per"):
            value = nfc(value) if name != "text" or "\n" not in value else value.strip()
        old = getattr(obj, attname)
        if old != value:
            changes[name] = [jsonable(old), jsonable(value)]
            setattr(obj, attname, value)
    return changes


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("“%(v)s” không phải là số.") % {"v": value}}) from None


@transaction.atomic
def plan_update(*, plan: Plan, acting_user: Any, **fields: Any) -> Plan:
    """Change header fields of a plan (not its status: plan_status_set)."""
    _unknown(fields, PLAN_FIELDS)
    _editable(plan, acting_user)
    parent = fields.get("parent")
    if parent is not None and getattr(parent, "pk", parent) == plan.pk:
        raise ValidationError({"parent": _("Một kế hoạch không thể là cấp trên của chính nó.")})
    changes = _apply(plan, fields)
    errors: dict[str, str] = {}
    if not str(plan.title).strip():
        errors["title"] = _("Hãy nhập trích yếu của kế hoạch.")
    if plan.period_end < plan.period_start:
        errors["period_end"] = _("Năm kết thúc phải từ năm bắt đầu trở về sau.")
    if errors:
        plan.refresh_from_db()
        raise ValidationError(errors)
    if changes:
        plan.save()
        audit_record(
            action=AuditEvent.Action.UPDATE, user=acting_user, obj=plan, detail={"changes": changes}
        )
    return plan


@transaction.atomic
def plan_status_set(*, plan: Plan, status: str, acting_user: Any) -> Plan:
    """Move a plan draft → issued → closed (closed → issued reopens it); issued → draft is not
    allowed."""
    require_plan_edit(acting_user, plan)
    if status not in Plan.Status.values:
        raise ValidationError({"status": _("Trạng thái “%(s)s” không hợp lệ.") % {"s": status}})
    if status == plan.status:
        return plan
    if status not in _PLAN_MOVES.get(plan.status, set()):  # type: ignore[call-overload]
        raise ValidationError(
            {
                "status": _("Không thể chuyển kế hoạch từ “%(a)s” sang “%(b)s”.")
                % {"a": plan.get_status_display(), "b": Plan.Status(status).label}
            }
        )
    old = plan.status
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=acting_user,
        obj=plan,
        detail={"changes": {"status": [old, status]}},
    )
    return plan


def _target_validate(target: Target) -> None:
    errors: dict[str, str] = {}
    if not target.text.strip():
        errors["text"] = _("Hãy nhập nội dung chỉ tiêu.")
    if target.kind not in Target.Kind.values:
        errors["kind"] = _("Loại chỉ tiêu không hợp lệ.")
    if target.comparator not in Target.Comparator.values:
        errors["comparator"] = _("Phép so sánh không hợp lệ.")
    if target.unit not in Target.Unit.values:
        errors["unit"] = _("Đơn vị tính không hợp lệ.")
    if target.per and target.per not in Target.Per.values:
        errors["per"] = _("Chu kỳ không hợp lệ.")
    if target.value is None:
        errors["value"] = _("Hãy nhập giá trị chỉ tiêu.")
    if target.comparator == Target.Comparator.BETWEEN:
        if target.value_max is None:
            errors["value_max"] = _("Khoảng giá trị cần giá trị trên.")
        elif target.value is not None and target.value_max < target.value:
            errors["value_max"] = _("Giá trị trên phải lớn hơn hoặc bằng giá trị dưới.")
    if (
        target.section_id
        and not Section.objects.filter(pk=target.section_id, plan_id=target.plan_id).exists()
    ):
        errors["section"] = _("Mục không thuộc kế hoạch này.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def target_update(
    *,
    target: Target,
    acting_user: Any,
    milestones: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Target:
    """Change a target's fields; `milestones=[{"year", "value"}]` replaces its milestones."""
    _unknown(fields, TARGET_FIELDS)
    _editable(target.plan, acting_user)
    for name in ("value", "value_max"):
        if name in fields:
            fields[name] = _decimal(fields[name], name)
    changes = _apply(target, fields)
    try:
        _target_validate(target)
    except ValidationError:
        target.refresh_from_db()  # the caller's object must not keep the refused values
        raise
    if milestones is not None:
        rows: dict[int, Decimal] = {}
        for row in milestones:
            try:
                year = int(row["year"])
            except (KeyError, TypeError, ValueError):
                target.refresh_from_db()
                raise ValidationError({"milestones": _("Mỗi mốc cần năm và giá trị.")}) from None
            value = _decimal(row.get("value"), "milestones")
            if value is None:
                raise ValidationError(
                    {"milestones": _("Mốc năm %(y)s thiếu giá trị.") % {"y": year}}
                )
            if year in rows:
                raise ValidationError({"milestones": _("Năm %(y)s bị lặp.") % {"y": year}})
            rows[year] = value
        old = {m.year: m.value for m in target.milestones.all()}
        if old != rows:
            target.milestones.all().delete()
            Milestone.objects.bulk_create(
                [Milestone(target=target, year=y, value=v) for y, v in sorted(rows.items())]
            )
            changes["milestones"] = [
                {str(y): str(v) for y, v in sorted(old.items())},
                {str(y): str(v) for y, v in sorted(rows.items())},
            ]
    if changes:
        target.confidence = 1.0
        target.save()
        audit_record(
            action=AuditEvent.Action.UPDATE,
            user=acting_user,
            obj=target,
            org_unit=target.plan.org_unit,
            detail={"plan": target.plan_id, "changes": changes},
        )
    return target


def _task_validate(task: Task) -> None:
    errors: dict[str, str] = {}
    if not task.title.strip():
        errors["title"] = _("Hãy nhập tên nhiệm vụ.")
    if task.timeframe_kind and task.timeframe_kind not in Task.TimeframeKind.values:
        errors["timeframe_kind"] = _("Loại thời gian không hợp lệ.")
    if task.status not in Task.Status.values:
        errors["status"] = _("Trạng thái nhiệm vụ không hợp lệ.")
    if task.start and task.end and task.end < task.start:
        errors["end"] = _("Hạn hoàn thành phải sau ngày bắt đầu.")
    if not isinstance(task.activities, list):
        errors["activities"] = _("Nội dung hoạt động phải là một danh sách.")
    if (
        task.section_id
        and not Section.objects.filter(pk=task.section_id, plan_id=task.plan_id).exists()
    ):
        errors["section"] = _("Mục không thuộc kế hoạch này.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_update(*, task: Task, acting_user: Any, **fields: Any) -> Task:
    """Change a task's fields (title, activities, timeframe, status …)."""
    _unknown(fields, TASK_FIELDS)
    _editable(task.plan, acting_user)
    for name in ("start", "end"):
        if isinstance(fields.get(name), str):
            fields[name] = date.fromisoformat(fields[name]) if fields[name] else None
    changes = _apply(task, fields)
    try:
        _task_validate(task)
    except ValidationError:
        task.refresh_from_db()
        raise
    if changes:
        task.confidence = 1.0
        task.save()
        audit_record(
            action=AuditEvent.Action.UPDATE,
            user=acting_user,
            obj=task,
            org_unit=task.plan.org_unit,
            detail={"plan": task.plan_id, "changes": changes},
        )
    return task


def _agency_fits(agency: Agency, plan: Plan) -> bool:
    """An agency of the plan's unit or of a unit below it."""
    return (
        agency.org_unit_id == plan.org_unit_id
        or OrgUnitScope.objects.filter(
            holder_id=plan.org_unit_id, unit_id=agency.org_unit_id
        ).exists()
    )


@transaction.atomic
def assignment_set(
    *, task: Task, role: str, text: str, agency: Agency | None, acting_user: Any
) -> TaskAssignment:
    """Name a body for a role of the task; the same role and name again updates its agency."""
    _editable(task.plan, acting_user)
    if role not in TaskAssignment.Role.values:
        raise ValidationError({"role": _("Vai trò “%(r)s” không hợp lệ.") % {"r": role}})
    text = nfc(text) or (agency.name if agency is not None else "")
    if not text:
        raise ValidationError({"text": _("Hãy nhập tên cơ quan như trong văn bản.")})
    if agency is not None and not _agency_fits(agency, task.plan):
        raise ValidationError(
            {
                "agency": _("%(agency)s không thuộc %(unit)s hay đơn vị cấp dưới.")
                % {"agency": agency.name, "unit": task.plan.org_unit.name}
            }
        )
    assignment = TaskAssignment.objects.filter(task=task, role=role, text=text).first()
    if assignment is None:
        last = TaskAssignment.objects.filter(task=task, role=role).order_by("-order").first()
        assignment = TaskAssignment.objects.create(
            task=task,
            role=role,
            text=text[:500],
            agency=agency,
            order=(last.order + 1) if last else 0,
        )
        action, detail = AuditEvent.Action.CREATE, {"task": task.pk, "role": role, "text": text}
    else:
        old = assignment.agency_id
        if old == (agency.pk if agency else None):
            return assignment
        assignment.agency = agency
        assignment.save(update_fields=["agency"])
        action = AuditEvent.Action.UPDATE
        detail = {"task": task.pk, "changes": {"agency": [old, agency.pk if agency else None]}}
    audit_record(
        action=action, user=acting_user, obj=assignment, org_unit=task.plan.org_unit, detail=detail
    )
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: TaskAssignment, acting_user: Any) -> None:
    task = assignment.task
    _editable(task.plan, acting_user)
    audit_record(
        action=AuditEvent.Action.DELETE,
        user=acting_user,
        obj=assignment,
        org_unit=task.plan.org_unit,
        detail={"task": task.pk, "role": assignment.role, "text": assignment.text},
    )
    assignment.delete()


@transaction.atomic
def task_responsibilities_set(
    *, task: Task, responsibilities: list[Responsibility], acting_user: Any
) -> Task:
    """Say which paragraphs of "Tổ chức thực hiện" cover this task.

    Province plans list tasks as bullets and name who does them only in section V; linking a
    paragraph to the task puts it in the "my tasks" of every body the paragraph names.
    """
    _editable(task.plan, acting_user)
    if any(r.plan_id != task.plan_id for r in responsibilities):
        raise ValidationError(_("Chỉ gắn được các mục trách nhiệm của cùng kế hoạch."))
    before = sorted(task.responsibilities.values_list("pk", flat=True))
    after = sorted(r.pk for r in responsibilities)
    if before != after:
        task.responsibilities.set(responsibilities)
        audit_record(
            action=AuditEvent.Action.UPDATE,
            user=acting_user,
            obj=task,
            org_unit=task.plan.org_unit,
            detail={"plan": task.plan_id, "responsibilities": {"from": before, "to": after}},
        )
    return task
