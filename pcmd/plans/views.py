"""Pages of plans: the list, import (upload → editable preview → confirm), the plan page that
reads like the document, edits of the header / a target / a task and its assignments, status,
DOCX export, cascade to a child unit, the annual plan, the task page with progress, my tasks.

Owns: plan_list, plan_import, plan_preview, plan_detail, plan_edit, plan_status,
plan_export_docx, plan_cascade, plan_derive_year, plan_reference_register, target_edit,
task_detail, task_edit, assignment_delete, evidence_download, my_tasks.
Invariants: every object comes through pcmd.plans.selectors (404 outside the user's scope);
every change goes through pcmd.plans.services (audited; the rule of who may is checked there
and mirrored here only to hide buttons); a form that fails keeps what was typed and answers
422; the import preview lives in the session (never in a hidden field the browser could alter)
and posted agency ids are checked against the unit's agencies.
Not here: parsing (parsing/), the rules (services/, selectors.py), DOCX layout (rendering/),
the budget pages (budget_views.py).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pcmd.accounts.permissions import get_in_scope_or_404, has_capability, require_capability
from pcmd.common.forms import form_errors_from
from pcmd.common.params import parse_year
from pcmd.common.text import search_key
from pcmd.orgunits import selectors as orgunit_selectors
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.plans import forms, parsing, selectors, services
from pcmd.plans.models import (
    Plan,
    PlanBasis,
    ProgressEvidence,
    Target,
    Task,
    TaskAssignment,
)
from pcmd.plans.rendering.docx import plan_docx, section_label
from pcmd.plans.services.matching import clean_name

if TYPE_CHECKING:
    from pcmd.accounts.models import User

PAGE_SIZE = 25
SESSION_KEY = "plans.import"
MAX_PENDING_IMPORTS = 3
MAX_SOURCE_CHARS = 1_000_000


def _acting(request: HttpRequest) -> User:
    return cast("User", request.user)


def _today() -> date:
    return timezone.localdate()


def _plan_or_404(request: HttpRequest, pk: int) -> Plan:
    return selectors.plan_get_for_user(plan_id=pk, user=request.user)


def _editable_plan_or_403(request: HttpRequest, pk: int) -> Plan:
    plan = _plan_or_404(request, pk)
    if not selectors.can_edit_plan(request.user, plan):
        raise PermissionDenied(
            _("Chỉ cán bộ điều phối của %(unit)s được sửa kế hoạch này.")
            % {"unit": plan.org_unit.name}
        )
    return plan


# --- list -------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "plan.view")
    qs = selectors.plan_list_for_user(user=request.user)
    status = request.GET.get("status") or ""
    if status in Plan.Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    year_raw = (request.GET.get("year") or "").strip()
    year: int | None = parse_year(year_raw)
    if year is not None:
        qs = qs.filter(period_start__lte=year, period_end__gte=year)
    qs = qs.annotate(
        n_targets=Count("targets", distinct=True), n_tasks=Count("tasks", distinct=True)
    ).order_by("-period_start", "-issued_on", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "plans": page.object_list,
        "status": status,
        "year": year_raw if year is not None else "",
        "statuses": Plan.Status.choices,
        "filtered": bool(status or year),
        "can_import": has_capability(request.user, "plan.manage"),
        "unit": getattr(request.user, "org_unit", None),
    }
    return render(request, "plans/plan_list.html", context)


# --- import: upload, preview, confirm ------------------------------------------------------


def _import_unit(request: HttpRequest) -> OrgUnit:
    require_capability(request.user, "plan.manage")
    unit = getattr(request.user, "org_unit", None)
    if unit is None:
        raise Http404(_("Tài khoản của bạn chưa được gắn với đơn vị nào."))
    return cast(OrgUnit, unit)


def _pending(request: HttpRequest) -> dict[str, Any]:
    return cast(dict[str, Any], request.session.get(SESSION_KEY) or {})


def _store_pending(request: HttpRequest, data: dict[str, Any], token: str | None = None) -> str:
    pending = _pending(request)
    if token is None:
        token = secrets.token_urlsafe(12)
        while len(pending) >= MAX_PENDING_IMPORTS:
            pending.pop(next(iter(pending)))
    pending[token] = data
    request.session[SESSION_KEY] = pending
    return token


def _load_pending(request: HttpRequest, unit: OrgUnit) -> tuple[str, dict[str, Any]]:
    token = request.GET.get("t") or request.POST.get("t") or ""
    data = _pending(request).get(token)
    if not data or data.get("org_unit_id") != unit.pk:
        raise Http404(_("Bản xem trước đã hết hạn hoặc không tồn tại: hãy tải văn bản lên lại."))
    return token, data


def _preview_url(token: str) -> str:
    return reverse("plans:preview") + "?t=" + token


@login_required
def plan_import(request: HttpRequest) -> HttpResponse:
    """Upload a .docx/.txt or paste text; a readable document goes on to the preview."""
    unit = _import_unit(request)
    status = 200
    if request.method == "POST":
        form = forms.PlanUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            try:
                if upload is not None:
                    name = upload.name
                    parsed_doc = parsing.parse_file(upload.read(), name)
                else:
                    name = _("Văn bản dán vào")
                    parsed_doc = parsing.parse_text(form.cleaned_data["text"])
            except parsing.DocumentUnreadable as exc:
                form.add_error("file" if upload is not None else "text", str(exc))
            else:
                parsed = parsed_doc.to_dict()
                source = getattr(parsed_doc, "text", None) or form.cleaned_data.get("text") or ""
                token = _store_pending(
                    request,
                    {
                        "org_unit_id": unit.pk,
                        "parsed": parsed,
                        "original": parsed,
                        "source_name": name,
                        "source_text": str(source)[:MAX_SOURCE_CHARS],
                    },
                )
                return redirect(_preview_url(token))
        status = 422
    else:
        form = forms.PlanUploadForm()
    return render(
        request,
        "plans/plan_import.html",
        {"form": form, "unit": unit, "max_mb": forms.MAX_UPLOAD_BYTES // (1024 * 1024)},
        status=status,
    )


def _flatten_sections(
    nodes: list[dict[str, Any]], depth: int = 1
) -> list[tuple[dict[str, Any], int]]:
    out: list[tuple[dict[str, Any], int]] = []
    for node in nodes:
        out.append((node, depth))
        out.extend(_flatten_sections(list(node.get("children") or []), depth + 1))
    return out


def _home_section(number: Any, known: set[str]) -> str:
    parts = [p for p in str(number or "").split(".") if p]
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts = parts[:-1]
    return ""


def _unresolved_names(preview: Any) -> tuple[list[str], dict[str, list[int]]]:
    """Names the matcher could not resolve (none, or several agencies fit), once each, with
    the agencies it suggests; the user decides each one on the preview page."""
    names: dict[str, str] = {}
    candidates: dict[str, list[int]] = {}
    for item in (*preview.tasks, *preview.responsibilities):
        for matches in item.agencies.values():
            for match in matches:
                if not match.uncertain:
                    continue
                name = clean_name(match.text)
                key = search_key(name)
                if key not in names:
                    names[key] = name
                    candidates[name] = [
                        int(c["id"]) for c in match.candidates if isinstance(c.get("id"), int)
                    ]
    return list(names.values()), candidates


def _build_preview_form(
    request: HttpRequest, unit: OrgUnit, pending: dict[str, Any], preview: Any, data: Any = None
) -> forms.PlanPreviewForm:
    names, candidates = _unresolved_names(preview)
    agencies = list(orgunit_selectors.agency_list(unit, on=date.fromisoformat(preview.on)))
    return forms.PlanPreviewForm(
        data,
        parsed=pending["parsed"],
        unmatched=names,
        agencies=agencies,
        candidates=candidates,
        decisions=pending.get("decisions") or {},
    )


_TARGET_NEEDS = ("comparator", "value", "unit")


def _preview_outline(
    parsed: dict[str, Any], form: forms.PlanPreviewForm, preview: Any
) -> list[dict[str, Any]]:
    """Sections in document order, each with its targets and tasks (fields and doubts)."""
    flat = _flatten_sections(list(parsed.get("sections") or []))
    known = {str(node.get("number")) for node, _depth in flat if node.get("number")}
    targets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    tasks: dict[str, list[dict[str, Any]]] = defaultdict(list)
    reviews_t = {item.index: item for item in preview.targets}
    reviews_k = {item.index: item for item in preview.tasks}
    for i, raw in enumerate(parsed.get("targets") or []):
        targets[_home_section(raw.get("section"), known)].append(
            {
                "index": i,
                "raw": raw,
                "f": form.target_fields(i),
                "review": reviews_t.get(i),
                "missing": [name for name in _TARGET_NEEDS if raw.get(name) in (None, "")],
            }
        )
    for i, raw in enumerate(parsed.get("tasks") or []):
        review = reviews_k.get(i)
        fields = form.task_fields(i)
        roles = [
            {
                "field": fields[role],
                "matches": (review.agencies.get(role, []) if review else []),
            }
            for role in TaskAssignment.Role.values
        ]
        tasks[_home_section(raw.get("section"), known)].append(
            {"index": i, "raw": raw, "f": fields, "review": review, "roles": roles}
        )
    outline = []
    for node, depth in flat:
        number = str(node.get("number") or "")
        text = node.get("text") or []
        outline.append(
            {
                "label": section_label(number),
                "title": node.get("title") or "",
                "text": text if isinstance(text, list) else [text],
                "depth": min(depth, 4),
                "targets": targets.pop(number, []) if number else [],
                "tasks": tasks.pop(number, []) if number else [],
            }
        )
    leftover_t = [t for items in targets.values() for t in items]
    leftover_k = [k for items in tasks.values() for k in items]
    if leftover_t or leftover_k:
        outline.append(
            {
                "label": "",
                "title": _("Ngoài các mục đã đọc được"),
                "text": [],
                "depth": 1,
                "targets": leftover_t,
                "tasks": leftover_k,
            }
        )
    return outline


def _preview_page(
    request: HttpRequest,
    *,
    unit: OrgUnit,
    token: str,
    pending: dict[str, Any],
    form: forms.PlanPreviewForm | None = None,
    import_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    parsed = pending["parsed"]
    preview = services.plan_preview(parsed=parsed, org_unit=unit)
    if form is None:
        form = _build_preview_form(request, unit, pending, preview)
    responsibilities = [
        {"raw": raw, "review": review}
        for raw, review in zip(
            parsed.get("responsibilities") or [], preview.responsibilities, strict=False
        )
    ]
    context = {
        "unit": unit,
        "token": token,
        "pending": pending,
        "parsed": parsed,
        "preview": preview,
        "form": form,
        "outline": _preview_outline(parsed, form, preview),
        "responsibilities": responsibilities,
        "import_errors": import_errors or [],
        "n_targets": len(parsed.get("targets") or []),
        "n_tasks": len(parsed.get("tasks") or []),
        "n_uncertain": sum(1 for i in (*preview.targets, *preview.tasks) if i.uncertain),
    }
    return render(request, "plans/plan_preview.html", context, status=status)


@login_required
def plan_preview(request: HttpRequest) -> HttpResponse:
    """GET: the parsed plan as an editable outline. POST: apply the edits (action=refresh) or
    import it (action=confirm)."""
    unit = _import_unit(request)
    token, pending = _load_pending(request, unit)
    if request.method != "POST":
        return _preview_page(request, unit=unit, token=token, pending=pending)

    preview = services.plan_preview(parsed=pending["parsed"], org_unit=unit)
    form = _build_preview_form(request, unit, pending, preview, request.POST)
    if not preview.can_import:
        return _preview_page(
            request, unit=unit, token=token, pending=pending, form=form, status=422
        )
    if not form.is_valid():
        return _preview_page(
            request, unit=unit, token=token, pending=pending, form=form, status=422
        )
    edited, choices, create = form.apply()
    if request.POST.get("action") != "confirm":
        pending = {**pending, "parsed": edited, "decisions": form.decisions()}
        _store_pending(request, pending, token)
        messages.info(request, _("Đã áp dụng các thay đổi; hãy xem lại rồi xác nhận."))
        return redirect(_preview_url(token))
    try:
        plan = services.plan_import(
            parsed=edited,
            org_unit=unit,
            acting_user=_acting(request),
            source_name=pending.get("source_name") or "",
            source_text=pending.get("source_text") or "",
            agency_choices=choices,
            create_agencies=create,
            accept_warnings=True,  # the user has seen every doubt on this page
        )
    except services.PlanImportError as exc:
        return _preview_page(
            request,
            unit=unit,
            token=token,
            pending=pending,
            form=form,
            import_errors=list(exc.messages),
            status=422,
        )
    pending_all = _pending(request)
    pending_all.pop(token, None)
    request.session[SESSION_KEY] = pending_all
    messages.success(
        request,
        _("Đã nhập kế hoạch: %(t)s chỉ tiêu, %(k)s nhiệm vụ.")
        % {"t": plan.targets.count(), "k": plan.tasks.count()},
    )
    return redirect("plans:detail", pk=plan.pk)


# --- the plan page ---------------------------------------------------------------------------


def _plan_outline(plan: Plan, today: date) -> tuple[list[dict[str, Any]], list[Task]]:
    """Sections (depth-first, in order) with their targets and tasks; and the overdue tasks."""
    sections = sorted(plan.sections.all(), key=lambda s: (s.order, s.pk))
    children: dict[int | None, list[Any]] = defaultdict(list)
    ids = {s.pk for s in sections}
    for s in sections:
        children[s.parent_id if s.parent_id in ids else None].append(s)
    targets: dict[int | None, list[Target]] = defaultdict(list)
    for target in sorted(plan.targets.all(), key=lambda t: (t.order, t.pk)):
        targets[target.section_id if target.section_id in ids else None].append(target)
    tasks: dict[int | None, list[Task]] = defaultdict(list)
    overdue = []
    for task in sorted(plan.tasks.all(), key=lambda t: (t.order, t.pk)):
        task.plan = plan  # selectors read plan.period_end; no extra query
        task.is_overdue = selectors.task_is_overdue(task, today=today)  # type: ignore[attr-defined]
        task.label = section_label(task.number)  # type: ignore[attr-defined]
        if task.is_overdue:  # type: ignore[attr-defined]
            overdue.append(task)
        tasks[task.section_id if task.section_id in ids else None].append(task)

    outline: list[dict[str, Any]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for s in children.get(parent_id, []):
            outline.append(
                {
                    "section": s,
                    "label": section_label(s.number),
                    "depth": min(depth, 4),
                    "targets": targets.pop(s.pk, []),
                    "tasks": tasks.pop(s.pk, []),
                }
            )
            walk(s.pk, depth + 1)

    walk(None, 1)
    if targets.get(None) or tasks.get(None):
        outline.append(
            {
                "section": None,
                "label": "",
                "depth": 1,
                "targets": targets.pop(None, []),
                "tasks": tasks.pop(None, []),
            }
        )
    return outline, overdue


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request.user, "plan.view")
    plan = get_in_scope_or_404(
        selectors.plan_detail_queryset().prefetch_related("sections"), request.user, pk=pk
    )
    today = _today()
    outline, overdue = _plan_outline(plan, today)
    issues = selectors.plan_consistency(plan=plan)
    can_edit = selectors.can_edit_plan(request.user, plan)
    basis = sorted(plan.basis.all(), key=lambda b: b.order)
    linked_ids = {b.linked_plan_id for b in basis if b.linked_plan_id}
    linked = (
        {p.pk: p for p in selectors.plan_list_for_user(user=request.user).filter(pk__in=linked_ids)}
        if linked_ids
        else {}
    )
    for b in basis:
        visible = linked.get(b.linked_plan_id) if b.linked_plan_id else None
        b.visible_plan = visible  # type: ignore[attr-defined]
    children = list(
        selectors.plan_list_for_user(user=request.user)
        .filter(parent=plan)
        .order_by("org_unit__name", "id")
    )
    derived = list(
        selectors.plan_list_for_user(user=request.user)
        .filter(derived_from=plan)
        .order_by("period_start", "id")
    )
    parent_visible = (
        selectors.plan_list_for_user(user=request.user).filter(pk=plan.parent_id).exists()
        if plan.parent_id
        else False
    )
    next_status = {
        Plan.Status.DRAFT: [(Plan.Status.ISSUED, _("Ban hành"))],
        Plan.Status.ISSUED: [(Plan.Status.CLOSED, _("Kết thúc kế hoạch"))],
        Plan.Status.CLOSED: [(Plan.Status.ISSUED, _("Mở lại"))],
    }.get(cast(Plan.Status, plan.status), [])
    context = {
        "plan": plan,
        "unit": plan.org_unit,
        "outline": outline,
        "overdue": overdue,
        "issues": issues,
        "basis": basis,
        "children": children,
        "derived": derived,
        "parent_visible": parent_visible,
        "responsibilities": list(plan.responsibilities.all()),
        "reporting": list(plan.reporting_duties.all()),
        "budget_lines": list(plan.budget_lines.all()),
        "can_edit": can_edit,
        "editable": can_edit and plan.status != Plan.Status.CLOSED,
        "next_status": next_status,
        "today": today,
        "roles": TaskAssignment.Role.choices,
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan_or_403(request, pk)
    status = 200
    if request.method == "POST":
        form = forms.PlanForm.for_plan(plan, request.POST)
        if form.is_valid():
            try:
                services.plan_update(plan=plan, acting_user=_acting(request), **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã lưu thông tin kế hoạch."))
                return redirect("plans:detail", pk=plan.pk)
        status = 422
    else:
        form = forms.PlanForm.for_plan(plan)
    return render(
        request, "plans/plan_form.html", {"plan": plan, "unit": plan.org_unit, "form": form},
        status=status,
    )  # fmt: skip


@login_required
@require_POST
def plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan_or_403(request, pk)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Trạng thái không hợp lệ."))
        return redirect("plans:detail", pk=plan.pk)
    try:
        services.plan_status_set(
            plan=plan, status=form.cleaned_data["status"], acting_user=_acting(request)
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Kế hoạch nay ở trạng thái “%(s)s”.") % {"s": plan.get_status_display()}
        )
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_reference_register(request: HttpRequest, pk: int, basis_pk: int) -> HttpResponse:
    """Register the plan a basis entry cites as a reference plan (number only) and link it."""
    plan = _editable_plan_or_403(request, pk)
    basis = PlanBasis.objects.filter(plan=plan, pk=basis_pk).first()
    if basis is None:
        raise Http404(_("Không tìm thấy căn cứ này."))
    # The cited plan belongs to the unit above when the issuer names it; else to the plan's own.
    on = plan.issued_on or date(plan.period_start, 7, 1)
    parent_unit = orgunit_selectors.orgunit_parent(plan.org_unit, on=on) or plan.org_unit
    try:
        reference = services.plan_reference_register(
            plan=plan, basis=basis, org_unit=parent_unit, acting_user=_acting(request)
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Đã đăng ký kế hoạch tham chiếu %(n)s và gắn làm kế hoạch cấp trên.")
            % {"n": reference.number},
        )
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_GET
def plan_export_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    data = plan_docx(selectors.plan_as_parsed(plan=plan), org_unit_name=plan.org_unit.name)
    name = (
        slugify(f"ke-hoach-{plan.number or plan.pk}-{plan.org_unit.name}") or f"ke-hoach-{plan.pk}"
    )
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


def _child_units(plan: Plan) -> Any:
    """Units directly below the plan's unit, valid during the plan's period."""
    on = date(plan.period_start, 1, 1)
    if plan.org_unit.valid_to is not None and plan.org_unit.valid_to < on:
        on = plan.org_unit.valid_to
    start = plan.org_unit.valid_from
    if start is not None and on < start:
        on = start
    return orgunit_selectors.orgunit_children(plan.org_unit, on=on).order_by("name", "id")


@login_required
def plan_cascade(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan_or_403(request, pk)
    units = _child_units(plan)
    status = 200
    if request.method == "POST":
        form = forms.CascadeForm(request.POST, units=units)
        if form.is_valid():
            try:
                child = services.plan_cascade(
                    plan=plan,
                    child_unit=form.cleaned_data["child_unit"],
                    acting_user=_acting(request),
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(
                    request,
                    _("Đã tạo kế hoạch của %(unit)s từ kế hoạch này (dự thảo).")
                    % {"unit": child.org_unit.name},
                )
                return redirect("plans:detail", pk=child.pk)
        status = 422
    else:
        form = forms.CascadeForm(units=units)
    return render(
        request,
        "plans/plan_cascade.html",
        {"plan": plan, "unit": plan.org_unit, "form": form, "has_units": units.exists()},
        status=status,
    )


@login_required
def plan_derive_year(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan_or_403(request, pk)
    status = 200
    if request.method == "POST":
        form = forms.DeriveYearForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                annual = services.plan_derive_year(
                    plan=plan, year=form.cleaned_data["year"], acting_user=_acting(request)
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(
                    request,
                    _("Đã tạo kế hoạch năm %(y)s (dự thảo).") % {"y": annual.period_start},
                )
                return redirect("plans:detail", pk=annual.pk)
        status = 422
    else:
        form = forms.DeriveYearForm(plan=plan)
    return render(
        request,
        "plans/plan_derive_year.html",
        {"plan": plan, "unit": plan.org_unit, "form": form},
        status=status,
    )


# --- targets and tasks ---------------------------------------------------------------------


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.target_get_for_user(target_id=pk, user=request.user)
    plan = target.plan
    if not selectors.can_edit_plan(request.user, plan):
        raise PermissionDenied(_("Bạn không được sửa kế hoạch này."))
    status = 200
    if request.method == "POST":
        form = forms.TargetForm.for_target(target, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            milestones = data.pop("milestones")
            try:
                services.target_update(
                    target=target, acting_user=_acting(request), milestones=milestones, **data
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã lưu chỉ tiêu."))
                return redirect(reverse("plans:detail", args=[plan.pk]) + f"#target-{target.pk}")
        status = 422
    else:
        form = forms.TargetForm.for_target(target)
    return render(
        request,
        "plans/target_form.html",
        {"target": target, "plan": plan, "unit": plan.org_unit, "form": form},
        status=status,
    )


def _task_context(request: HttpRequest, task: Task) -> dict[str, Any]:
    plan = task.plan
    return {
        "task": task,
        "plan": plan,
        "unit": plan.org_unit,
        "assignments": list(task.assignments.select_related("agency").order_by("role", "order")),
        "is_overdue": selectors.task_is_overdue(task, today=_today()),
        "due": selectors.task_due_date(task),
        "label": task.number,  # "II.1.2.a": the full number says where the task sits
        "can_edit": selectors.can_edit_plan(request.user, plan)
        and plan.status != Plan.Status.CLOSED,
        "responsibilities": list(task.responsibilities.prefetch_related("agencies")),
    }


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The task, its assignments and progress history; POST adds a progress update."""
    task = selectors.task_get_for_user(task_id=pk, user=request.user)
    can_progress = selectors.can_record_progress(request.user, task)
    status = 200
    form = None
    if request.method == "POST":
        if not can_progress:
            raise PermissionDenied(_("Bạn không được cập nhật tiến độ nhiệm vụ này."))
        form = forms.ProgressForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.task_progress_add(
                    task=task,
                    on=data["on"],
                    status=data["status"],
                    note=data["note"],
                    files=data["evidence"],
                    acting_user=_acting(request),
                )
            except ValidationError as exc:
                form_errors_from(exc, form, rename={"files": "evidence"})
            else:
                messages.success(request, _("Đã ghi nhận tiến độ."))
                return redirect("plans:task", pk=task.pk)
        status = 422
    elif can_progress:
        form = forms.ProgressForm(initial={"on": _today(), "status": task.status})
    context = _task_context(request, task)
    context.update(
        {
            "form": form,
            "can_progress": can_progress,
            "updates": list(
                task.progress_updates.select_related("created_by")
                .prefetch_related("evidence")
                .order_by("-on", "-id")
            ),
        }
    )
    return render(request, "plans/task_detail.html", context, status=status)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The task's fields; its assignments (add one, remove one) on the same page."""
    task = selectors.task_get_for_user(task_id=pk, user=request.user)
    plan = task.plan
    if not selectors.can_edit_plan(request.user, plan):
        raise PermissionDenied(_("Bạn không được sửa kế hoạch này."))
    agencies = Agency.objects.filter(org_unit=plan.org_unit).order_by("name")
    status = 200
    form = forms.TaskForm.for_task(task)
    assignment_form = forms.AssignmentForm(agencies=agencies)
    responsibilities_form = forms.TaskResponsibilitiesForm(task=task)
    if request.method == "POST":
        acting = _acting(request)
        if request.POST.get("form") == "responsibilities":
            responsibilities_form = forms.TaskResponsibilitiesForm(request.POST, task=task)
            if responsibilities_form.is_valid():
                services.task_responsibilities_set(
                    task=task,
                    responsibilities=list(responsibilities_form.cleaned_data["responsibilities"]),
                    acting_user=acting,
                )
                messages.success(request, _("Đã lưu các mục trách nhiệm của nhiệm vụ."))
                return redirect("plans:task-edit", pk=task.pk)
        elif request.POST.get("form") == "assignment":
            assignment_form = forms.AssignmentForm(request.POST, agencies=agencies)
            if assignment_form.is_valid():
                data = assignment_form.cleaned_data
                try:
                    services.assignment_set(
                        task=task,
                        role=data["role"],
                        text=data["text"],
                        agency=data["agency"],
                        acting_user=acting,
                    )
                except ValidationError as exc:
                    form_errors_from(exc, assignment_form)
                else:
                    messages.success(request, _("Đã lưu phân công."))
                    return redirect("plans:task-edit", pk=task.pk)
        else:
            form = forms.TaskForm.for_task(task, request.POST)
            if form.is_valid():
                try:
                    services.task_update(task=task, acting_user=acting, **form.cleaned_data)
                except ValidationError as exc:
                    form_errors_from(exc, form)
                else:
                    messages.success(request, _("Đã lưu nhiệm vụ."))
                    return redirect("plans:task", pk=task.pk)
        status = 422
    context = _task_context(request, task)
    context.update(
        {
            "form": form,
            "assignment_form": assignment_form,
            "responsibilities_form": responsibilities_form,
        }
    )
    return render(request, "plans/task_form.html", context, status=status)


@login_required
@require_POST
def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request.user, "plan.view")
    assignment = get_in_scope_or_404(
        TaskAssignment.objects.select_related("task__plan__org_unit"),
        request.user,
        field="task__plan__org_unit",
        pk=pk,
    )
    task = assignment.task
    try:
        services.assignment_delete(assignment=assignment, acting_user=_acting(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã bỏ phân công “%(t)s”.") % {"t": assignment.text})
    return redirect("plans:task-edit", pk=task.pk)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    require_capability(request.user, "plan.view")
    evidence = get_in_scope_or_404(
        ProgressEvidence.objects.select_related("progress__task__plan"),
        request.user,
        field="progress__task__plan__org_unit",
        pk=pk,
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Tệp minh chứng không còn trên máy chủ.")) from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )


# --- my tasks --------------------------------------------------------------------------------


@login_required
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "plan.view")
    today = _today()
    user = _acting(request)
    tasks = list(selectors.my_tasks(user=user).prefetch_related("assignments"))
    agency_ids = selectors.user_agency_ids(user)
    for task in tasks:
        task.is_overdue = selectors.task_is_overdue(task, today=today)  # type: ignore[attr-defined]
        task.due = selectors.task_due_date(task)  # type: ignore[attr-defined]
        task.my_roles = sorted(  # type: ignore[attr-defined]
            {a.get_role_display() for a in task.assignments.all() if a.agency_id in agency_ids}
        )
    tasks.sort(
        key=lambda t: (
            not t.is_overdue,  # type: ignore[attr-defined]
            t.status == Task.Status.DONE,
            t.due or date.max,  # type: ignore[attr-defined]
        )
    )
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/my_tasks.html",
        {
            "page_obj": page,
            "tasks": page.object_list,
            "agency": getattr(user, "agency", None),
            "n_overdue": len([t for t in tasks if getattr(t, "is_overdue", False)]),
            "today": today,
        },
    )
