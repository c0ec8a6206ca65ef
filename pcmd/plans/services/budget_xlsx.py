"""A plan's budget lines in XLSX: the template to fill, the all-or-nothing import, the export.

Owns: budget_columns(), budget_template_xlsx(), budget_export_xlsx(), budgetlines_import(),
BudgetImportResult, component_refs(), parse_vnd(), BUDGET_MAX_ROWS.
Invariants: every row is checked with the same rules as a line typed on the budget page
(budget.budgetline_validate: year inside the plan's period, amounts never negative, the
component belongs to this plan) before anything is written; amounts are whole numbers of đồng
("15000000", "15.000.000", "15 000 000"; a fraction or a decimal comma is refused, never
rounded); the component is named by its number in the plan ("II.1.2.a"; "II.3.2.b#2" for the
second task that shares a number), empty for the plan as a whole; then all lines are written in
one transaction, audited once as IMPORT on the plan, or nothing is written and every problem is
returned by row and column. A plan holds tens of lines, so files are imported at once (no
background job) and capped at BUDGET_MAX_ROWS rows.
Not here: the upload page (budget_views.py), the one-line writes (budget.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.plans.models import BudgetLine, Plan, Section, Task
from pcmd.plans.services.budget import budgetline_validate, require_budget
from pcmd.records.xlsx import Column, RowError, xlsx_export, xlsx_read_rows, xlsx_template

BUDGET_MAX_ROWS = 10_000
MAX_DIGITS = 16  # BudgetLine.allocated / spent
_VND_PLAIN = re.compile(r"^\d+$")
_VND_GROUPED = re.compile(r"^\d{1,3}(?:[. ]\d{3})+$")
_VND_SUFFIX = re.compile(r"\s*(?:đồng|đ|vnđ|vnd)\s*$", re.IGNORECASE)
_REF_SPLIT = " — "


def component_refs(plan: Plan) -> dict[str, Section | Task]:
    """Every component of the plan by the reference a file names it with: a task by its number
    ("II.1.2.a"; the k-th task sharing a number as "II.3.2.b#k"), else a section by its number.
    Tasks come first: a task usually carries the number of the section it sits in."""
    refs: dict[str, Section | Task] = {}
    tasks = list(Task.objects.filter(plan=plan).order_by("order", "id"))
    seen: dict[str, int] = {}
    for task in tasks:
        number = (task.number or "").strip()
        if not number:
            continue
        seen[number] = seen.get(number, 0) + 1
    counter: dict[str, int] = {}
    for task in tasks:
        number = (task.number or "").strip()
        if not number:
            continue
        counter[number] = counter.get(number, 0) + 1
        ref = number if seen[number] == 1 else f"{number}#{counter[number]}"
        refs[ref] = task
    for section in Section.objects.filter(plan=plan).order_by("order", "id"):
        number = (section.number or "").strip()
        if number and number not in refs and f"{number}#1" not in refs:
            refs[number] = section
    return refs


def _ref_label(ref: str, component: Section | Task) -> str:
    title = component.title if isinstance(component, Task) else (component.title or "")
    return f"{ref}{_REF_SPLIT}{' '.join(title.split())[:80]}".strip()


def budget_columns(*, plan: Plan | None = None) -> list[Column]:
    """The columns of a budget file. Given a plan (for its template), the component column
    offers the plan's components as a drop-down; reading takes any text and resolves it."""
    component_help = (
        "Số mục hoặc nhiệm vụ trong kế hoạch (ví dụ II.1.2.a); để trống nếu là kinh phí chung "
        "của cả kế hoạch."
    )
    component = (
        Column(
            "component", "Mục hoặc nhiệm vụ", kind="choice", help=component_help,
            choices=[(ref, _ref_label(ref, c)) for ref, c in component_refs(plan).items()],
        )
        if plan is not None
        else Column("component", "Mục hoặc nhiệm vụ", max_length=300, help=component_help)
    )  # fmt: skip
    amount_kind = "int" if plan is not None else "text"
    amount_help = "Số nguyên đồng, không âm (ví dụ 15000000 hoặc 15.000.000)."
    return [
        Column("year", "Năm", kind="int", required=True, help="Năm trong thời kỳ của kế hoạch."),
        component,
        Column("source", "Nguồn kinh phí", kind="choice", required=True,
               choices=BudgetLine.Source.choices),
        Column("text", "Nội dung", max_length=2000),
        Column("allocated", "Dự toán (đồng)", kind=amount_kind, max_length=40, help=amount_help),
        Column("spent", "Đã chi (đồng)", kind=amount_kind, max_length=40, help=amount_help),
    ]  # fmt: skip


def parse_vnd(value: Any) -> tuple[Decimal | None, str]:
    """A whole amount of đồng from a cell as read (text); (None, "") when empty."""
    text = _VND_SUFFIX.sub("", str(value or "")).strip()
    if not text:
        return None, ""
    negative = text.startswith("-")
    digits = text.lstrip("-").strip()
    if _VND_PLAIN.match(digits):
        number = int(digits)
    elif _VND_GROUPED.match(digits):
        number = int(digits.replace(".", "").replace(" ", ""))
    else:
        return None, _("“%(v)s” không phải là số nguyên đồng (không ghi phần lẻ, không dùng "
                       "dấu phẩy).") % {"v": text}  # fmt: skip
    if negative and number:
        return None, _("Số tiền không được âm.")
    if len(str(number)) > MAX_DIGITS:
        return None, _("Số tiền quá lớn (tối đa %(n)d chữ số).") % {"n": MAX_DIGITS}
    return Decimal(number), ""


def budget_template_xlsx(*, plan: Plan) -> bytes:
    return xlsx_template(
        columns=budget_columns(plan=plan),
        sheet_title="Kinh phí",
        instructions=[
            _("Mẫu nhập kinh phí thực hiện kế hoạch: %(plan)s (%(period)s). Mỗi dòng một khoản "
              "kinh phí.") % {"plan": str(plan)[:150], "period": plan.period_label},
            _("Giữ nguyên dòng tiêu đề. Không gộp ô, không dùng công thức."),
            _("Năm phải trong thời kỳ của kế hoạch (%(a)s–%(b)s).")
            % {"a": plan.period_start, "b": plan.period_end},
            _("Mục hoặc nhiệm vụ: chọn trong danh sách hoặc ghi số mục (ví dụ II.1.2.a); để "
              "trống nếu là kinh phí chung của cả kế hoạch."),
            _("Số tiền ghi bằng số nguyên đồng, không âm, không có phần lẻ."),
            _("Tệp được kiểm tra toàn bộ trước khi ghi: có lỗi ở dòng nào thì không dòng nào "
              "được ghi."),
        ],
    )  # fmt: skip


def budget_export_xlsx(*, lines: Iterable[BudgetLine]) -> bytes:
    """The lines as XLSX, in the columns the import reads (components by their reference)."""
    lines = list(lines)
    refs_by_plan: dict[int, dict[tuple[str, int], str]] = {}
    rows = []
    for line in lines:
        by_obj = refs_by_plan.get(line.plan_id)
        if by_obj is None:
            by_obj = {(type(c).__name__, c.pk): ref for ref, c in component_refs(line.plan).items()}
            refs_by_plan[line.plan_id] = by_obj
        ref = ""
        if line.task_id:
            ref = by_obj.get(("Task", line.task_id), "")
        elif line.section_id:
            ref = by_obj.get(("Section", line.section_id), "")
        rows.append(
            {
                "year": line.year,
                "component": ref,
                "source": line.source,
                "text": line.text,
                "allocated": int(line.allocated) if line.allocated is not None else None,
                "spent": int(line.spent) if line.spent is not None else None,
            }
        )
    columns = [
        replace(c, kind="int") if c.key in ("allocated", "spent") else c
        for c in budget_columns(plan=None)
    ]
    return xlsx_export(columns=columns, rows=rows)


@dataclass
class BudgetImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def budgetlines_import(
    *, plan: Plan, data: bytes, acting_user: Any, filename: str = ""
) -> BudgetImportResult:
    """Check every row of the file against the budget rules of `plan`, then add all lines to
    the plan in one transaction, or none."""
    require_budget(acting_user, plan)
    columns = budget_columns()
    rows, errors = xlsx_read_rows(data=data, columns=columns, max_rows=BUDGET_MAX_ROWS)
    if errors:
        return BudgetImportResult(errors=errors)
    label = {c.key: c.label for c in columns}
    label["section"] = label["task"] = label["component"]
    refs = {ref.lower(): component for ref, component in component_refs(plan).items()}
    lines: list[BudgetLine] = []
    for row in rows:
        number = row["_row"]
        problems: list[RowError] = []
        amounts: dict[str, Decimal | None] = {}
        for key in ("allocated", "spent"):
            amounts[key], message = parse_vnd(row[key])
            if message:
                problems.append(RowError(number, label[key], message))
        section: Section | None = None
        task: Task | None = None
        ref = str(row["component"] or "").split(_REF_SPLIT)[0].strip().rstrip(".)")
        if ref:
            component = refs.get(ref.lower())
            if component is None:
                problems.append(
                    RowError(
                        number,
                        label["component"],
                        _("kế hoạch này không có mục hoặc nhiệm vụ số “%(v)s”.") % {"v": ref}
                        if f"{ref.lower()}#1" not in refs
                        else _(
                            "có nhiều nhiệm vụ cùng số “%(v)s”: ghi “%(v)s#1”, “%(v)s#2”… "
                            "theo thứ tự trong kế hoạch."
                        )
                        % {"v": ref},
                    )
                )
            elif isinstance(component, Task):
                task = component
            else:
                section = component
        line = BudgetLine(
            plan=plan,
            year=row["year"],
            source=row["source"],
            text=row["text"],
            section=section,
            task=task,
            allocated=amounts["allocated"],
            spent=amounts["spent"],
        )
        if not problems:
            try:
                budgetline_validate(line)
            except ValidationError as exc:
                problems.extend(
                    RowError(number, label.get(name, ""), message)
                    for name, messages in exc.message_dict.items()
                    for message in messages
                )
        errors.extend(problems)
        lines.append(line)
    if errors:
        return BudgetImportResult(errors=errors)
    with transaction.atomic():
        BudgetLine.objects.bulk_create(lines, batch_size=2000)
        audit_record(
            action=AuditEvent.Action.IMPORT,
            user=acting_user,
            obj=plan,
            org_unit=plan.org_unit,
            detail={"filename": filename[:200], "budget_lines": len(lines)},
        )
    return BudgetImportResult(created=len(lines))
