"""Pages of the reports: the unit's list, the children's status, create, the report itself with
its autosaved narrative and its workflow forms.

Owns: report_list, children_status, report_create, report_detail, report_save, report_submit,
report_return, report_approve, report_reopen, report_download.
Invariants: views parse, call one service and present its result; objects outside the user's
scope are 404, a missing capability 403; a refusal is shown beside the form that asked, with
nothing changed; the narrative autosaves with htmx two seconds after typing stops (answered by
a small status partial); the Save button is a plain POST with or without JavaScript, so a
save and the submission that follows it never race.
Not here: rules (services.py), figures (builder.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts.permissions import require_capability
from pcmd.common.forms import form_errors_from
from pcmd.common.periods import PeriodError, period_containing, period_parse
from pcmd.common.records import StaleRecord
from pcmd.plans.models import Plan
from pcmd.reports import selectors, services
from pcmd.reports.builder import live_differences, report_content_build
from pcmd.reports.forms import CommentForm, NarrativeForm, ReasonForm, ReportCreateForm
from pcmd.reports.models import NARRATIVE_FIELDS, Report


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    reports = list(selectors.report_list_for_user(user=user, unit=user.org_unit))
    return render(
        request,
        "reports/report_list.html",
        {"reports": reports, "unit": user.org_unit,
         "can_write": services.can_write(user, user.org_unit) if user.org_unit else False},
    )  # fmt: skip


@login_required
def children_status(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_capability(user, selectors.VIEW)
    today = timezone.localdate()
    # By default the six months last ended: the reports most likely being sent up now.
    last_half = period_containing(
        period_containing(today, "half").start - timedelta(days=1), "half"
    )
    text = request.GET.get("period") or last_half.id
    error = ""
    try:
        period = period_parse(text)
    except PeriodError as exc:
        error, period = str(exc), period_containing(today, "half")
    rows = selectors.children_status(unit=user.org_unit, period=period, today=today)
    not_approved = sum(1 for r in rows if r.status != Report.Status.APPROVED)
    return render(
        request,
        "reports/children_status.html",
        {"rows": rows, "period": period, "unit": user.org_unit, "error": error,
         "not_approved": not_approved},
    )  # fmt: skip


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_capability(user, "report.write")
    unit = user.org_unit
    plans = Plan.objects.filter(org_unit=unit).order_by("-period_start")
    form = ReportCreateForm(request.POST or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                acting_user=user, unit=unit, period=form.cleaned_data["period"],
                plan=form.cleaned_data["plan"], review=form.cleaned_data["review"],
            )  # fmt: skip
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            return redirect("reports:detail", report.pk)
    return render(
        request, "reports/report_create.html", {"form": form, "unit": unit},
        status=422 if form.errors else 200,
    )  # fmt: skip


def _detail_context(request: HttpRequest, report: Report, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    content = selectors.report_content(report, fresh=request.GET.get("fresh") == "1")
    differences = None  # not compared: the page asks the differences partial after loading
    if report.is_frozen and report.content and request.GET.get("check"):
        differences = _differences(report, content)
    narrative_form = extra.pop("narrative_form", None) or NarrativeForm(
        instance=report, initial={"version": report.version}
    )
    children = content.children
    return {
        "report": report,
        "content": content,
        "differences": differences,
        "children": children,
        "not_approved": sum(1 for c in children if c.report_status != Report.Status.APPROVED),
        "narrative_form": narrative_form,
        "narrative_rows": [
            (
                narrative_form[name],
                [
                    (c.unit_name, c.narrative.get(name, ""))
                    for c in children
                    if c.narrative.get(name)
                ],
            )
            for name in NARRATIVE_FIELDS
        ],  # fmt: skip
        "comment_form": extra.pop("comment_form", None) or CommentForm(),
        "reason_form": extra.pop("reason_form", None) or ReasonForm(),
        "events": report.events.select_related("user"),
        "can_write": services.can_write(user, report) and report.is_editable,
        "can_review": services.can_review(user, report),
        "parent": services.report_parent(report),
        "missing": services.missing_sections(report) if report.is_editable else [],
        **extra,
    }


def _differences(report: Report, content: Any) -> list[Any]:
    """Frozen figures whose live value now differs (the target table is not rebuilt)."""
    live = report_content_build(unit=report.org_unit, period=report.period)
    return live_differences(content, live)


@login_required
def report_differences(request: HttpRequest, pk: int) -> HttpResponse:
    """The note saying whether the live figures differ from the frozen ones (loaded by htmx
    after the page, since rebuilding a province's figures takes seconds)."""
    report = selectors.report_get_for_user(report_id=pk, user=request.user)
    differences = []
    if report.is_frozen and report.content:
        differences = _differences(report, selectors.report_content(report))
    return render(
        request, "reports/partials/_differences.html",
        {"report": report, "differences": differences},
    )  # fmt: skip


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(report_id=pk, user=request.user)
    return render(request, "reports/report_detail.html", _detail_context(request, report))


@login_required
@require_POST
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(report_id=pk, user=request.user)
    form = NarrativeForm(request.POST, instance=Report.objects.get(pk=report.pk))
    status = 200
    error = ""
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            report = services.report_save_narrative(
                acting_user=request.user, report=report, data=data,
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except StaleRecord as exc:
            error, status = exc.messages[0], 409
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 422
    else:
        error, status = _("Có trường chưa hợp lệ, hãy xem lại."), 422
    if _is_htmx(request):
        return render(
            request, "reports/partials/_save_status.html",
            {"report": report, "error": error, "saved_at": timezone.localtime()},
            status=200,  # htmx swaps only 2xx answers: the refusal is in the partial itself
        )  # fmt: skip
    if status == 200:
        messages.success(request, _("Đã lưu."))
        return redirect("reports:detail", report.pk)
    if status == 409:
        data = request.POST.copy()
        data["version"] = str(Report.objects.get(pk=report.pk).version)
        form.data = data
    form.add_error(None, error)
    return render(
        request, "reports/report_detail.html",
        _detail_context(request, report, narrative_form=form), status=status,
    )  # fmt: skip


def _action(
    request: HttpRequest, pk: int, run: Any, form_name: str = "", form: Any = None
) -> HttpResponse:
    report = selectors.report_get_for_user(report_id=pk, user=request.user)
    if form is not None and not form.is_valid():
        ctx = _detail_context(request, report, **{form_name: form})
        return render(request, "reports/report_detail.html", ctx, status=422)
    try:
        run(report)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        ctx = _detail_context(request, report, action_errors=exc.messages)
        if form is not None:
            ctx[form_name] = form
        return render(request, "reports/report_detail.html", ctx, status=422)
    return redirect("reports:detail", report.pk)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, lambda r: services.report_submit(acting_user=request.user, report=r)
    )


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, lambda r: services.report_approve(acting_user=request.user, report=r)
    )


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = CommentForm(request.POST)
    return _action(
        request, pk,
        lambda r: services.report_return(
            acting_user=request.user, report=r, comment=form.cleaned_data["comment"]
        ),
        "comment_form", form,
    )  # fmt: skip


@login_required
@require_POST
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    return _action(
        request, pk,
        lambda r: services.report_reopen(
            acting_user=request.user, report=r, reason=form.cleaned_data["reason"]
        ),
        "reason_form", form,
    )  # fmt: skip


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report as the office issues it (DOCX) or its statistical annex (XLSX)."""
    from pcmd.reports.documents import FormatError, report_file

    report = selectors.report_get_for_user(report_id=pk, user=request.user)
    try:
        out = report_file(report=report, fmt=fmt, acting_user=request.user)
    except FormatError as exc:
        return HttpResponse(str(exc), status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(out.data, content_type=out.content_type)
    response["Content-Disposition"] = f'attachment; filename="{out.name}"'
    response["Cache-Control"] = "private, no-store"
    return response
