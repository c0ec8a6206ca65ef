"""Pages of the register of establishments (list, detail with inspection history and audit
history, create, edit, delete, XLSX template / import / export), the enforcement home page and
the inspection sample.

Owns: index, establishment_*, ESTABLISHMENT, ESTABLISHMENT_IMPORT, sample.
Invariants: as views.common; exports are audited as EXPORT with the query that filtered them.
Not here: the rules (services/establishments.py), reads and measures (selectors.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, require_capability
from pcmd.enforcement import forms, selectors, services
from pcmd.enforcement.jobs import (
    IMPORT_JOB_HANDLER,
    IMPORT_STORAGE_DIR,
)
from pcmd.enforcement.models import (
    BusinessType,
    RiskLevel,
)
from pcmd.enforcement.views import common
from pcmd.enforcement.views.common import (
    Filters,
    Kind,
    int_param,
    list_context,
    read_filters,
    record_create,
    record_delete,
    record_edit,
    xlsx_response,
)
from pcmd.records.imports import ImportKind, records_import, records_import_job

ESTABLISHMENT = Kind(
    name="establishment",
    capability="establishment.manage",
    form=forms.EstablishmentForm,
    get=selectors.establishment_get_for_user,
    create=services.establishment_create,
    update=services.establishment_update,
    delete=services.establishment_delete,
    list_url="enforcement:establishment-list",
    title_new=gettext_lazy("Thêm cơ sở kinh doanh dịch vụ"),
    title_edit=gettext_lazy("Sửa thông tin cơ sở"),
    title_delete=gettext_lazy("Xóa cơ sở khỏi sổ theo dõi"),
    detail_url=lambda o: reverse("enforcement:establishment-detail", args=[o.pk]),
)


ESTABLISHMENT_IMPORT = ImportKind(
    capability="establishment.manage",
    importer=services.establishments_import,
    job_handler=IMPORT_JOB_HANDLER,
    job_title=gettext_lazy("Nhập cơ sở kinh doanh dịch vụ từ %(f)s"),
    title=gettext_lazy("Nhập cơ sở kinh doanh dịch vụ từ Excel"),
    done=gettext_lazy("Đã nhập %(n)d cơ sở kinh doanh."),
    list_url="enforcement:establishment-list",
    template_url="enforcement:establishment-import-template",
    job_url="enforcement:establishment-import-job",
    form_class=forms.EstablishmentImportForm,
    storage_dir=IMPORT_STORAGE_DIR,
    unit_field="commune",
    unit_arg="commune",
    job_heading=gettext_lazy("Nhập cơ sở kinh doanh dịch vụ"),
    lead=gettext_lazy(
        "Tải tệp mẫu, điền mỗi dòng một cơ sở rồi tải lên. Tệp được kiểm tra toàn bộ trước: "
        "có lỗi thì không dòng nào được ghi. Tệp trên %(direct_max)s dòng được nhập dưới nền."
    ),
    job_done=gettext_lazy("Đã nhập %(created)s cơ sở."),
    nav_template="enforcement/partials/_subnav.html",
)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "enforcement.view")
    user = request.user
    context = {
        "unit": getattr(user, "org_unit", None),
        "n_establishments": selectors.establishment_list_for_user(user=user)
        .filter(closed_on__isnull=True)
        .count(),
        "n_open_hotspots": selectors.hotspot_list_for_user(user=user, open_only=True).count(),
        "can_case": has_capability(user, "case.manage"),
    }
    return render(request, "enforcement/index.html", context)


def _establishment_query(request: HttpRequest) -> tuple[Filters, int | None, str, str, Any]:
    """The list's filters as typed and the establishments they select."""
    f = read_filters(request)
    business_type = int_param(request, "type")
    risk = request.GET.get("risk") or ""
    risk = risk if risk in RiskLevel.values else ""
    search = (request.GET.get("q") or "").strip()[:100]
    qs = selectors.establishment_list_for_user(
        user=request.user, unit=f.unit, period=f.period, business_type=business_type,
        risk_level=risk, search=search,
    )  # fmt: skip
    return f, business_type, risk, search, qs


@login_required
@require_GET
def establishment_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "enforcement.view")
    f, business_type, risk, search, qs = _establishment_query(request)
    context = list_context(
        request, f, qs,
        business_types=BusinessType.objects.all(), business_type=business_type,
        risks=RiskLevel.choices, risk=risk, q=search,
        filtered=f.active or bool(business_type or risk or search),
        can_manage=has_capability(request.user, "establishment.manage"),
    )  # fmt: skip
    return render(request, "enforcement/establishment_list.html", context)


@login_required
@require_GET
def establishment_export(request: HttpRequest) -> HttpResponse:
    """The filtered register (same filters as the list) as XLSX."""
    require_capability(request.user, "enforcement.view")
    qs = _establishment_query(request)[4]
    data = services.establishment_export_xlsx(establishments=qs.iterator(chunk_size=2000))
    audit_record(
        action=AuditEvent.Action.EXPORT,
        user=request.user,
        org_unit=getattr(request.user, "org_unit", None),
        request=request,
        detail={"what": "establishments", "query": request.GET.urlencode()[:500]},
    )
    return xlsx_response(data, f"co-so-kinh-doanh-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def establishment_import_template(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "establishment.manage")
    return xlsx_response(services.establishment_template_xlsx(), "mau-nhap-co-so-kinh-doanh.xlsx")


@login_required
def establishment_import(request: HttpRequest) -> HttpResponse:
    return records_import(request, ESTABLISHMENT_IMPORT, direct_max=common.DIRECT_IMPORT_MAX_ROWS)


@login_required
@require_GET
def establishment_import_job(request: HttpRequest, pk: Any) -> HttpResponse:
    return records_import_job(request, ESTABLISHMENT_IMPORT, pk)


@login_required
@require_GET
def establishment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    est = selectors.establishment_get_for_user(pk=pk, user=request.user)
    context = {
        "est": est,
        "unit": est.org_unit,
        "inspections": selectors.inspection_list_for_user(user=request.user, establishment=est.pk),
        "hotspots": selectors.hotspot_list_for_user(user=request.user).filter(establishment=est),
        "can_manage": has_capability(request.user, "establishment.manage"),
        "can_inspect": has_capability(request.user, "inspection.manage"),
        "history": selectors.record_history(obj=est),
    }
    return render(request, "enforcement/establishment_detail.html", context)


@login_required
def establishment_create(request: HttpRequest) -> HttpResponse:
    return record_create(request, ESTABLISHMENT)


@login_required
def establishment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_edit(request, ESTABLISHMENT, pk)


@login_required
def establishment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return record_delete(request, ESTABLISHMENT, pk)


@login_required
@require_GET
def sample(request: HttpRequest) -> HttpResponse:
    """Which establishments to inspect this year to reach a share, never-inspected and
    high-risk first; with the share already reached."""
    require_capability(request.user, "enforcement.view")
    f = read_filters(request)
    unit = f.unit or getattr(request.user, "org_unit", None)
    year_default = timezone.localdate().year
    form = forms.SampleForm(
        request.GET if "year" in request.GET else None,
        initial={"year": year_default, "share": Decimal(20)},
    )
    proposal = share = None
    if unit is not None:
        year, pct = year_default, Decimal(20)
        if form.is_bound and form.is_valid():
            year, pct = form.cleaned_data["year"], form.cleaned_data["share"]
        proposal = selectors.inspection_sample(unit=unit, year=year, share=pct)
        share = selectors.establishments_inspected_share(unit=unit, period=str(year))
    context = {
        "form": form,
        "filters": f,
        "unit": unit,
        "proposal": proposal,
        "share": share,
        "today": date.today(),
    }
    return render(request, "enforcement/sample.html", context)
