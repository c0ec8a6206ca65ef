"""Pages of a plan's budget: the lines with yearly totals and a form to add one, edit with the
line's history (a late save is refused and the other person's version shown), delete with
confirmation, XLSX template, import and export.

Owns: plan_budget, budget_line_edit, budget_line_delete, budget_export, budget_import,
budget_import_template, BudgetLineForm, BudgetImportForm.
Invariants: the plan and the line come through the scoped selectors (404 outside the user's
scope); writes go through pcmd.plans.services (the rule of who may write is checked there and
mirrored here only to hide buttons); a failed form keeps what was typed and answers 422; an
import lists every problem and writes nothing, or writes every line.
Not here: the rules (services/budget.py, services/budget_xlsx.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import get_in_scope_or_404, require_capability
from pcmd.common.forms import form_errors_from
from pcmd.common.params import parse_year
from pcmd.common.records import StaleRecord
from pcmd.plans import selectors, services
from pcmd.plans.models import BudgetLine, Plan, Section, Task
from pcmd.plans.services.budget import require_budget
from pcmd.records.xlsx import XLSX_MAX_BYTES

if TYPE_CHECKING:
    from pcmd.accounts.models import User

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COMPONENT_FIELDS = {"section": "component", "task": "component"}


def _acting(request: HttpRequest) -> User:
    return cast("User", request.user)


def _show_stale(form: Any, exc: StaleRecord, current: BudgetLine) -> None:
    """Keep what was typed, say why it was refused, and base the next save on the stored
    version, so that saving again is a deliberate overwrite."""
    form.add_error(None, exc)
    data = form.data.copy()
    data["version"] = str(current.version)
    form.data = data


class BudgetLineForm(django_forms.Form):
    """A budget line: year, component (a section or a task of the plan), source, amounts."""

    year = django_forms.IntegerField(label=gettext_lazy("Năm"), min_value=1990, max_value=2100)
    component = django_forms.ChoiceField(label=gettext_lazy("Mục hoặc nhiệm vụ"), required=False)
    source = django_forms.ChoiceField(label=gettext_lazy("Nguồn kinh phí"), choices=[])
    text = django_forms.CharField(label=gettext_lazy("Nội dung"), required=False, max_length=2000)
    allocated = django_forms.DecimalField(
        label=gettext_lazy("Dự toán (đồng)"),
        min_value=0,
        max_digits=16,
        decimal_places=0,
        required=False,
    )
    spent = django_forms.DecimalField(
        label=gettext_lazy("Đã chi (đồng)"),
        min_value=0,
        max_digits=16,
        decimal_places=0,
        required=False,
    )
    version = django_forms.IntegerField(widget=django_forms.HiddenInput, required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["source"].choices = BudgetLine.Source.choices  # type: ignore[attr-defined]
        sections = Section.objects.filter(plan=plan).order_by("order")
        tasks = Task.objects.filter(plan=plan).order_by("order")
        self.fields["component"].choices = [  # type: ignore[attr-defined]
            ("", _("Cả kế hoạch")),
            (_("Mục"), [(f"s:{s.pk}", f"{s.number} {s.title}"[:120]) for s in sections]),
            (_("Nhiệm vụ"), [(f"t:{t.pk}", f"{t.number} {t.title}"[:120]) for t in tasks]),
        ]
        if not self.is_bound and "year" not in self.initial:
            this_year = timezone.localdate().year
            if plan.period_start and plan.period_end:
                this_year = min(max(this_year, plan.period_start), plan.period_end)
            self.initial["year"] = this_year

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        component = data.pop("component", "") or ""
        data["section"] = data["task"] = None
        if component.startswith("s:"):
            data["section"] = Section.objects.filter(plan=self.plan, pk=component[2:]).first()
        elif component.startswith("t:"):
            data["task"] = Task.objects.filter(plan=self.plan, pk=component[2:]).first()
        return data

    @classmethod
    def initial_for(cls, line: BudgetLine) -> dict[str, Any]:
        component = ""
        if line.section_id:
            component = f"s:{line.section_id}"
        elif line.task_id:
            component = f"t:{line.task_id}"
        return {
            "year": line.year,
            "component": component,
            "source": line.source,
            "text": line.text,
            "allocated": line.allocated,
            "spent": line.spent,
            "version": line.version,
        }


class BudgetImportForm(django_forms.Form):
    file = django_forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx) theo mẫu"),
        widget=django_forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _plan_or_404(request: HttpRequest, pk: int) -> Plan:
    return selectors.plan_get_for_user(plan_id=pk, user=request.user)


def _budget_context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    lines = list(
        plan.budget_lines.select_related("section", "task").order_by("year", "source", "id")
    )
    totals: dict[Any, dict[str, Any]] = {}
    for line in lines:
        row = totals.setdefault(line.year, {"year": line.year, "allocated": 0, "spent": 0})
        row["allocated"] += line.allocated or 0
        row["spent"] += line.spent or 0
    for row in totals.values():
        row["over"] = row["spent"] > row["allocated"]
    return {
        "plan": plan,
        "lines": lines,
        "totals": sorted(totals.values(), key=lambda r: r["year"] or 0),
        "can_manage": services.can_manage_budget(request.user, plan),
    }


def _warn(request: HttpRequest, line: BudgetLine) -> None:
    for warning in services.budget_warnings(line):
        messages.warning(request, warning)


@login_required
def plan_budget(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's budget lines with totals per year, and a form to add one."""
    plan = _plan_or_404(request, pk)
    context = _budget_context(request, plan)
    status = 200
    form = BudgetLineForm(plan=plan)
    if request.method == "POST":
        require_budget(request.user, plan)
        form = BudgetLineForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                line = services.budgetline_create(
                    plan=plan, acting_user=_acting(request), **form.values()
                )
            except ValidationError as exc:
                form_errors_from(exc, form, rename=COMPONENT_FIELDS)
            else:
                messages.success(request, _("Đã thêm dòng kinh phí."))
                _warn(request, line)
                return redirect("plans:budget", pk=plan.pk)
        status = 422
    context["form"] = form
    return render(request, "plans/budget_list.html", context, status=status)


def _budget_line_or_404(request: HttpRequest, pk: int) -> BudgetLine:
    require_capability(request.user, "plan.view")
    return get_in_scope_or_404(
        BudgetLine.objects.select_related("plan", "plan__org_unit", "section", "task"),
        request.user,
        field="plan__org_unit",
        pk=pk,
    )


@login_required
def budget_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a line. A save based on an older version than the stored one is refused: the
    stored line is shown beside the form, which keeps what was typed and now carries the
    current version, so saving again is a deliberate choice."""
    line = _budget_line_or_404(request, pk)
    plan = line.plan
    require_budget(request.user, plan)
    status = 200
    current = None
    if request.method == "POST":
        form = BudgetLineForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                line = services.budgetline_update(
                    line=line,
                    acting_user=_acting(request),
                    expected_version=form.cleaned_data.get("version"),
                    **form.values(),
                )
            except StaleRecord as exc:
                current = cast(BudgetLine, exc.current)
                _show_stale(form, exc, current)
            except ValidationError as exc:
                form_errors_from(exc, form, rename=COMPONENT_FIELDS)
            else:
                messages.success(request, _("Đã lưu dòng kinh phí."))
                _warn(request, line)
                return redirect("plans:budget", pk=plan.pk)
        status = 422
    else:
        form = BudgetLineForm(plan=plan, initial=BudgetLineForm.initial_for(line))
    context = {
        "plan": plan,
        "line": line,
        "form": form,
        "current": current,
        "history": _history_rows(line),
    }
    return render(request, "plans/budget_form.html", context, status=status)


@login_required
def budget_line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = _budget_line_or_404(request, pk)
    plan = line.plan
    require_budget(request.user, plan)
    if request.method == "POST":
        services.budgetline_delete(line=line, acting_user=_acting(request))
        messages.success(request, _("Đã xóa dòng kinh phí."))
        return redirect("plans:budget", pk=plan.pk)
    return render(request, "plans/budget_confirm_delete.html", {"plan": plan, "line": line})


FIELD_LABELS = {
    "year": gettext_lazy("Năm"),
    "source": gettext_lazy("Nguồn kinh phí"),
    "section": gettext_lazy("Mục"),
    "task": gettext_lazy("Nhiệm vụ"),
    "text": gettext_lazy("Nội dung"),
    "allocated": gettext_lazy("Dự toán (đồng)"),
    "spent": gettext_lazy("Đã chi (đồng)"),
}


def _shown(name: str, value: Any, plan: Plan) -> str:
    """A value of the audit trail as a person reads it."""
    if value in (None, ""):
        return "—"
    if name == "source":
        return str(dict(BudgetLine.Source.choices).get(value, value))
    if name in ("section", "task"):
        model = Section if name == "section" else Task
        found = model.objects.filter(plan=plan, pk=value).first()
        return f"{found.number} {found.title}"[:100].strip() if found else f"#{value}"
    if name in ("allocated", "spent"):
        try:
            return f"{int(float(value)):,}".replace(",", ".")
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def _history_rows(line: BudgetLine) -> list[dict[str, Any]]:
    """The line's audit trail: when, who, what, and each changed field (old → new)."""
    rows = []
    for event in selectors.budgetline_history(line=line):
        detail = event.detail or {}
        changes = detail.get("changes") if event.action == AuditEvent.Action.UPDATE else None
        items = []
        if isinstance(changes, dict):
            for name, pair in changes.items():
                if isinstance(pair, list) and len(pair) == 2:
                    old, new = pair
                    items.append(
                        {
                            "label": FIELD_LABELS.get(name, name),
                            "old": _shown(name, old, line.plan),
                            "new": _shown(name, new, line.plan),
                        }
                    )
        rows.append(
            {
                "at": event.at,
                "who": event.username or _("Hệ thống"),
                "action": event.get_action_display(),
                "version": detail.get("version"),
                "changes": items,
            }
        )
    return rows


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_stem(plan: Plan) -> str:
    return slugify(f"{plan.org_unit.name} {plan.period_label}")[:60] or str(plan.pk)


@login_required
@require_GET
def budget_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's budget lines (optionally of one `year`) as XLSX, in the import's columns."""
    plan = _plan_or_404(request, pk)
    lines = plan.budget_lines.select_related("plan").order_by("year", "source", "id")
    year = (request.GET.get("year") or "").strip()
    if parse_year(year) is not None:
        lines = lines.filter(year=parse_year(year))
    data = services.budget_export_xlsx(lines=lines)
    audit_record(
        action=AuditEvent.Action.EXPORT,
        user=request.user,
        obj=plan,
        org_unit=plan.org_unit,
        request=request,
        detail={"what": "budget_lines", "query": request.GET.urlencode()[:500]},
    )
    stamp = f"{timezone.localdate():%Y%m%d}"
    return _xlsx_response(data, f"kinh-phi-{_file_stem(plan)}-{stamp}.xlsx")


@login_required
@require_GET
def budget_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The template for this plan: its components and sources as drop-downs."""
    plan = _plan_or_404(request, pk)
    require_budget(request.user, plan)
    data = services.budget_template_xlsx(plan=plan)
    return _xlsx_response(data, f"mau-nhap-kinh-phi-{_file_stem(plan)}.xlsx")


@login_required
def budget_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a file of budget lines for the plan: every row checked, then all written or none."""
    plan = _plan_or_404(request, pk)
    require_budget(request.user, plan)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = BudgetImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > XLSX_MAX_BYTES:
                form.add_error(
                    "file", _("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": XLSX_MAX_BYTES >> 20}
                )
            else:
                result = services.budgetlines_import(
                    plan=plan, data=upload.read(), acting_user=_acting(request),
                    filename=upload.name,
                )  # fmt: skip
                if result.ok:
                    messages.success(
                        request, _("Đã nhập %(n)d dòng kinh phí.") % {"n": result.created}
                    )
                    return redirect("plans:budget", pk=plan.pk)
                errors = [str(e) for e in result.errors]
        status = 422
    else:
        form = BudgetImportForm()
    context = {
        "plan": plan,
        "form": form,
        "errors": errors,
        "max_rows": f"{services.BUDGET_MAX_ROWS:,}".replace(",", "."),
        "period": f"{plan.period_start}–{plan.period_end}",
    }
    return render(request, "plans/budget_import.html", context, status=status)
