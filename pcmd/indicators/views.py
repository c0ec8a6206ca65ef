"""Pages of indicators: a plan's targets evaluated for a unit and a period, the records behind a
value (drill-down), and correcting which indicator measures a target.

Owns: plan_evaluation, target_measure_edit, value_detail, entry_list, entry_create,
entry_edit, entry_delete; plan_periods().
Invariants: a plan, a target and a unit are reached only inside the user's scope (404
outside); the records behind a value are shown only to roles that may read that kind of record
(the source's capability), else the figure alone; a mapping change needs plan.manage on the
plan's unit and is audited.
Not here: computing (compute.py), evaluating (evaluation.py), mapping rules (mapping.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import (
    get_in_scope_or_404,
    has_capability,
    require_capability,
    scope_filter,
)
from pcmd.common.forms import form_errors_from
from pcmd.common.periods import Period, PeriodError, period_parse
from pcmd.indicators import services
from pcmd.indicators.compute import (
    coverage_breakdown,
    indicator_value,
    part_records,
    value_scope,
)
from pcmd.indicators.evaluation import default_period, target_evaluate
from pcmd.indicators.forms import AggregateEntryForm
from pcmd.indicators.models import AggregateEntry, Indicator, TargetMeasure
from pcmd.indicators.sources import source_get
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_children
from pcmd.plans import selectors as plan_selectors
from pcmd.plans.models import Plan

DRILL_LIMIT = 200
PAGE_SIZE = 25


def plan_periods(plan: Plan) -> list[Period]:
    """The periods a plan is evaluated over: each year and its halves, and the whole programme."""
    out: list[Period] = []
    for year in range(plan.period_start, plan.period_end + 1):
        out += [period_parse(f"{year}"), period_parse(f"{year}S1"), period_parse(f"{year}S2")]
    if plan.period_end > plan.period_start:
        out.append(period_parse(f"{plan.period_start}-{plan.period_end}"))
    return out


def _period_from(request: HttpRequest, allowed: list[Period], default: Period) -> Period:
    wanted = (request.GET.get("period") or "").strip().upper()
    return next((p for p in allowed if p.id == wanted), default)


def _unit_from(request: HttpRequest, choices: list[OrgUnit], default: OrgUnit) -> OrgUnit:
    wanted = request.GET.get("unit") or ""
    return next((u for u in choices if str(u.pk) == wanted), default)


@login_required
@require_GET
def plan_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """Every target of a plan: actual, expected by now, goal, status, why."""
    require_capability(request.user, "plan.view")
    plan = plan_selectors.plan_get_for_user(plan_id=pk, user=request.user)
    today = timezone.localdate()
    periods = plan_periods(plan)
    period = _period_from(request, periods, default_period_of(plan, today))
    # The children inside the user's scope, in one query (not one per child: a province has
    # a hundred communes).
    units = [plan.org_unit] + list(
        scope_filter(orgunit_children(plan.org_unit, on=min(period.end, today)), request.user, "pk")
    )
    unit = _unit_from(request, units, plan.org_unit)
    targets = list(plan.targets.order_by("order").prefetch_related("milestones"))
    # A six-monthly report measures the year's targets from January to the end of the half
    # ("kết quả 6 tháng đầu năm" against the year's goal, pro-rated): evaluate the year as of
    # that day. A year or the programme period is evaluated as of today (or its end).
    measured, as_of = period, min(today, period.end)
    if period.kind == "half":
        measured = period_parse(str(period.start.year))
    rows = [target_evaluate(t, unit=unit, period=measured, today=as_of) for t in targets]
    return render(
        request,
        "indicators/plan_evaluation.html",
        {
            "plan": plan,
            "rows": rows,
            "periods": periods,
            "period": period,
            "units": units,
            "unit": unit,
            "today": as_of,
            "measured": measured,
            "can_map": plan_selectors.can_edit_plan(request.user, plan),
            "indicators": Indicator.objects.filter(is_active=True).order_by("name"),
        },
    )


def default_period_of(plan: Plan, today: Any) -> Period:
    first = plan.targets.order_by("order").first()
    if first is not None:
        return default_period(first, today)
    return period_parse(str(min(max(today.year, plan.period_start), plan.period_end)))


@login_required
@require_POST
def target_measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose (or clear) the indicator that measures a target; kept through re-imports."""
    require_capability(request.user, "plan.manage")
    target = plan_selectors.target_get_for_user(target_id=pk, user=request.user)
    if not plan_selectors.can_edit_plan(request.user, target.plan):
        raise PermissionDenied(_("Bạn không sửa được kế hoạch này."))
    measure, _created = TargetMeasure.objects.get_or_create(target=target)
    raw = request.POST.get("indicator") or ""
    indicator = None
    if raw:
        indicator = Indicator.objects.filter(pk=raw if raw.isdigit() else 0, is_active=True).first()
        if indicator is None:
            messages.error(request, _("Chỉ số đã chọn không tồn tại hoặc đã ngừng dùng."))
            return redirect(_evaluation_url(target.plan_id, request))
    before = measure.indicator.code if measure.indicator else ""
    measure.indicator = indicator
    measure.is_manual = True
    measure.warning = "" if indicator else _("Đã bỏ chỉ số đo; chỉ tiêu này không được đánh giá.")
    measure.save()
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=request.user,
        obj=target,
        detail={"indicator": [before, indicator.code if indicator else ""]},
        request=request,
    )
    messages.success(request, _("Đã lưu chỉ số đo cho chỉ tiêu."))
    return redirect(_evaluation_url(target.plan_id, request))


def _evaluation_url(plan_id: int, request: HttpRequest) -> str:
    from django.urls import reverse

    query = request.POST.get("back") or ""
    url = reverse("indicators:plan-evaluation", args=[plan_id])
    return f"{url}?{query}" if query and "\n" not in query else url


def _sources_of(indicator: Indicator) -> list[dict[str, Any]]:
    d = indicator.definition
    if indicator.kind == Indicator.Kind.RATIO:
        numerator = d["numerator"] if isinstance(d["numerator"], list) else [d["numerator"]]
        return [*numerator, d["denominator"]]
    if indicator.kind in (Indicator.Kind.CHANGE, Indicator.Kind.CUMULATIVE):
        return [d["base"]]
    return [d]


def _shown(value: Any, sealed: bool) -> dict[str, str | None]:
    """The figures of a value as the page shows them: counts of people suppressed ("<5"),
    a share over fewer than 5 people as "—"."""
    from pcmd.sealing.suppression import suppress_count, suppress_percent

    if not sealed:
        return {}
    den = int(value.denominator) if value.denominator is not None else None
    num = int(value.numerator)
    return {
        "numerator": suppress_count(num),
        "denominator": suppress_count(den) if den is not None else None,
        "value": suppress_percent(num, den) if den is not None else suppress_count(num),
    }


@login_required
@require_GET
def value_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One value (?indicator=code&period=id) of a unit, and what it was computed from: the
    units counted, the records, the aggregate entries."""
    require_capability(request.user, "plan.view")
    unit = get_in_scope_or_404(OrgUnit.objects.all(), request.user, "id", pk=pk)
    indicator = Indicator.objects.filter(code=request.GET.get("indicator") or "").first()
    if indicator is None:
        raise Http404(_("Không có chỉ số này."))
    try:
        period = period_parse(request.GET.get("period") or str(timezone.localdate().year))
    except PeriodError as exc:
        messages.error(request, str(exc))
        period = period_parse(str(timezone.localdate().year))
    value = indicator_value(indicator, unit, period)
    parts = _sources_of(indicator)
    readable = all(has_capability(request.user, source_get(p["source"]).capability) for p in parts)
    sealed = any(source_get(p["source"]).sealed for p in parts)
    scope = value_scope(indicator, unit, period)
    groups: list[dict[str, Any]] = []
    covered_units: list[tuple[OrgUnit, int, bool]] = []
    if readable and not sealed:
        if indicator.kind == Indicator.Kind.COVERAGE:
            covered_units = coverage_breakdown(indicator, unit, period)[:DRILL_LIMIT]
        for part in parts:
            source = source_get(part["source"])
            qs = part_records(part, scope, period.start, period.end)
            groups.append(
                {
                    "label": source.label,
                    "count": qs.count(),
                    "records": list(qs.order_by("-pk")[:DRILL_LIMIT]),
                }
            )
    return render(
        request,
        "indicators/value_detail.html",
        {
            "indicator": indicator,
            "unit": unit,
            "period": period,
            "value": value,
            "shown": _shown(value, sealed),
            "sealed": sealed,
            "groups": groups,
            "covered_units": covered_units,
            "readable": readable and not sealed,
            "entries": list(scope.entries),
            "limit": DRILL_LIMIT,
        },
    )


# --- aggregate data entries -------------------------------------------------------------------


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    """Aggregate entries in the user's scope, newest first, by indicator and period."""
    require_capability(request.user, "plan.view")
    qs = scope_filter(
        AggregateEntry.objects.select_related("indicator", "org_unit", "entered_by"),
        request.user,
    ).order_by("-entered_at", "-pk")
    code = request.GET.get("indicator") or ""
    period = (request.GET.get("period") or "").strip().upper()
    if code:
        qs = qs.filter(indicator__code=code)
    if period:
        qs = qs.filter(period=period)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "indicators/entry_list.html",
        {
            "page": page,
            "indicators": Indicator.objects.filter(is_active=True).order_by("name"),
            "code": code,
            "period_text": period,
            "can_manage": has_capability(request.user, "indicator.aggregate"),
        },
    )


def _entry_page(request: HttpRequest, entry: AggregateEntry | None) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = AggregateEntryForm(request.POST, user=request.user, entry=entry)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.aggregate_entry_save(
                    acting_user=request.user,
                    indicator=data["indicator"],
                    org_unit=data["org_unit"],
                    period=data["period"],
                    numerator=data["numerator"],
                    denominator=data["denominator"],
                    note=data["note"],
                    entry=entry,
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã lưu số liệu tổng hợp."))
                return redirect("indicators:entry-list")
        status = 422
    else:
        form = AggregateEntryForm(user=request.user, entry=entry)
    return render(
        request, "indicators/entry_form.html", {"form": form, "entry": entry}, status=status
    )


@login_required
def entry_create(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "indicator.aggregate")
    return _entry_page(request, None)


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request.user, "indicator.aggregate")
    entry = get_in_scope_or_404(
        AggregateEntry.objects.select_related("indicator"), request.user, pk=pk
    )
    return _entry_page(request, entry)


@login_required
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request.user, "indicator.aggregate")
    entry = get_in_scope_or_404(
        AggregateEntry.objects.select_related("indicator", "org_unit"), request.user, pk=pk
    )
    if request.method == "POST":
        services.aggregate_entry_delete(acting_user=request.user, entry=entry)
        messages.success(request, _("Đã xóa số liệu tổng hợp."))
        return redirect("indicators:entry-list")
    return render(request, "indicators/entry_confirm_delete.html", {"entry": entry})
