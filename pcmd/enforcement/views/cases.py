"""Pages of criminal cases: list (with the count a year earlier), detail (stages with dates,
counts, linked task, audit history), forms, XLSX template / import / export.

Owns: case_*, CASE, CASE_IMPORT.
Invariants: as views.common; cases carry counts only; exports are audited as EXPORT with the
query that filtered them.
Not here: the rules (services/cases.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pcmd.accounts.permissions import has_capability, require_capability
from pcmd.enforcement import forms, selectors, services
from pcmd.enforcement.jobs import (
    CASE_IMPORT_JOB_HANDLER,
    IMPORT_STORAGE_DIR,
)
from pcmd.enforcement.models import (
    CASE_STAGE_DATES,
    Case,
)
from pcmd.enforcement.views import common
from pcmd.enforcement.views.common import (
    Filters,
    Kind,
    audit_export,
    list_context,
    read_filters,
    record_create,
    record_delete,
    record_edit,
    xlsx_response,
)
from pcmd.records.imports import ImportKind, records_import, records_import_job

CASE = Kind(
    name="case",
    capability="case.manage",
    form=forms.CaseForm,
    get=selectors.case_get_for_user,
    create=services.case_create,
    update=services.case_update,
    delete=services.case_delete,
    list_url="enforcement:case-list",
    title_new=gettext_lazy("Ghi vụ án"),
    title_edit=gettext_lazy("Sửa vụ án"),
    title_delete=gettext_lazy("Xóa vụ án"),
    detail_url=lambda o: reverse("enforcement:case-detail", args=[o.pk]),
)


CASE_IMPORT = ImportKind(
    capability="case.manage",
    importer=services.cases_import,
    job_handler=CASE_IMPORT_JOB_HANDLER,
    job_title=gettext_lazy("Nhập vụ án từ %(f)s"),
    title=gettext_lazy("Nhập vụ án từ Excel"),
    done=gettext_lazy("Đã nhập %(n)d vụ án."),
    list_url="enforcement:case-list",
    template_url="enforcement:case-import-template",
    job_url="enforcement:case-import-job",
    form_class=forms.EstablishmentImportForm,
    storage_dir=IMPORT_STORAGE_DIR,
    nav_template="enforcement/partials/_subnav.html",
)


def _case_query(request: HttpRequest) -> tuple[Filters, str, Any]:
    """The case list's filters as typed and the cases they select."""
    f = read_filters(request)
    stage = request.GET.get("stage") or ""
    stage = stage if stage in Case.Stage.values else ""
    qs = selectors.case_list_for_user(user=request.user, unit=f.unit, period=f.period, stage=stage)
    return f, stage, qs


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "enforcement.view")
    f, stage, qs = _case_query(request)
    compared = None
    if f.period:
        unit = f.unit or getattr(request.user, "org_unit", None)
        if unit is not None:
            compared = selectors.cases_compared(unit=unit, period=f.period)
    context = list_context(
        request, f, qs, stages=Case.Stage.choices, stage=stage, compared=compared,
        filtered=f.active or bool(stage), can_manage=has_capability(request.user, "case.manage"),
    )  # fmt: skip
    return render(request, "enforcement/case_list.html", context)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A criminal case: its stages with their dates, the counts, the linked task, its history."""
    case = selectors.case_get_for_user(pk=pk, user=request.user)
    reached = list(Case.Stage.values).index(case.stage)
    stages = [
        (
            label,
            case.opened_on
            if value == Case.Stage.DETECTED
            else getattr(case, CASE_STAGE_DATES[value]),
            i <= reached,
        )
        for i, (value, label) in enumerate(Case.Stage.choices)
    ]
    context = {
        "case": case,
        "unit": case.org_unit,
        "stages": stages,
        "can_manage": has_capability(request.user, "case.manage"),
        "history": selectors.record_history(obj=case),
    }
    return render(request, "enforcement/case_detail.html", context)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    return record_create(request, CASE)


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_edit(request, CASE, pk)


@login_required
def case_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return record_delete(request, CASE, pk)


@login_required
@require_GET
def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered case list (same filters as the list) as XLSX."""
    require_capability(request.user, "enforcement.view")
    qs = _case_query(request)[2]
    data = services.case_export_xlsx(cases=qs.iterator(chunk_size=2000))
    audit_export(request, "cases")
    return xlsx_response(data, f"vu-an-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def case_import_template(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "case.manage")
    return xlsx_response(services.case_template_xlsx(), "mau-nhap-vu-an.xlsx")


@login_required
def case_import(request: HttpRequest) -> HttpResponse:
    return records_import(request, CASE_IMPORT, direct_max=common.DIRECT_IMPORT_MAX_ROWS)


@login_required
@require_GET
def case_import_job(request: HttpRequest, pk: Any) -> HttpResponse:
    return records_import_job(request, CASE_IMPORT, pk)
