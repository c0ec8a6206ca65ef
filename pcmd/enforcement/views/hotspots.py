"""Pages of hot spots: list, detail (detection, clearing, audit history), forms, XLSX
template / import / export.

Owns: hotspot_*, HOTSPOT, HOTSPOT_IMPORT.
Invariants: as views.common; exports are audited as EXPORT with the query that filtered them.
Not here: the rules (services/hotspots.py).
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
    HOTSPOT_IMPORT_JOB_HANDLER,
    IMPORT_STORAGE_DIR,
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

HOTSPOT = Kind(
    name="hotspot",
    capability="inspection.manage",
    form=forms.HotSpotForm,
    get=selectors.hotspot_get_for_user,
    create=services.hotspot_create,
    update=services.hotspot_update,
    delete=services.hotspot_delete,
    list_url="enforcement:hotspot-list",
    title_new=gettext_lazy("Ghi tụ điểm phức tạp về mại dâm"),
    title_edit=gettext_lazy("Sửa tụ điểm"),
    title_delete=gettext_lazy("Xóa tụ điểm"),
    detail_url=lambda o: reverse("enforcement:hotspot-detail", args=[o.pk]),
)


HOTSPOT_IMPORT = ImportKind(
    capability="inspection.manage",
    importer=services.hotspots_import,
    job_handler=HOTSPOT_IMPORT_JOB_HANDLER,
    job_title=gettext_lazy("Nhập tụ điểm từ %(f)s"),
    title=gettext_lazy("Nhập tụ điểm phức tạp về mại dâm từ Excel"),
    done=gettext_lazy("Đã nhập %(n)d tụ điểm."),
    list_url="enforcement:hotspot-list",
    template_url="enforcement:hotspot-import-template",
    job_url="enforcement:hotspot-import-job",
    form_class=forms.EstablishmentImportForm,
    storage_dir=IMPORT_STORAGE_DIR,
    job_heading=gettext_lazy("Nhập tụ điểm phức tạp về mại dâm"),
    job_done=gettext_lazy("Đã nhập %(created)s tụ điểm."),
    nav_template="enforcement/partials/_subnav.html",
)


def _hotspot_query(request: HttpRequest) -> tuple[Filters, bool, Any]:
    """The hot spot list's filters as typed and the hot spots they select."""
    f = read_filters(request)
    open_only = request.GET.get("open") == "1"
    qs = selectors.hotspot_list_for_user(
        user=request.user, unit=f.unit, period=f.period, open_only=open_only
    )
    return f, open_only, qs


@login_required
@require_GET
def hotspot_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "enforcement.view")
    f, open_only, qs = _hotspot_query(request)
    context = list_context(
        request, f, qs, open_only=open_only, filtered=f.active or open_only,
        can_manage=has_capability(request.user, "inspection.manage"),
    )  # fmt: skip
    return render(request, "enforcement/hotspot_list.html", context)


@login_required
@require_GET
def hotspot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A hot spot: when and how it was detected, whether and when it was cleared, its history."""
    hotspot = selectors.hotspot_get_for_user(pk=pk, user=request.user)
    context = {
        "hotspot": hotspot,
        "unit": hotspot.org_unit,
        "can_manage": has_capability(request.user, "inspection.manage"),
        "history": selectors.record_history(obj=hotspot),
    }
    return render(request, "enforcement/hotspot_detail.html", context)


@login_required
def hotspot_create(request: HttpRequest) -> HttpResponse:
    return record_create(request, HOTSPOT)


@login_required
def hotspot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_edit(request, HOTSPOT, pk)


@login_required
def hotspot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return record_delete(request, HOTSPOT, pk)


@login_required
@require_GET
def hotspot_export(request: HttpRequest) -> HttpResponse:
    """The filtered hot spot list (same filters as the list) as XLSX."""
    require_capability(request.user, "enforcement.view")
    qs = _hotspot_query(request)[2]
    data = services.hotspot_export_xlsx(hotspots=qs.iterator(chunk_size=2000))
    audit_export(request, "hotspots")
    return xlsx_response(data, f"tu-diem-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def hotspot_import_template(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "inspection.manage")
    return xlsx_response(services.hotspot_template_xlsx(), "mau-nhap-tu-diem.xlsx")


@login_required
def hotspot_import(request: HttpRequest) -> HttpResponse:
    return records_import(request, HOTSPOT_IMPORT, direct_max=common.DIRECT_IMPORT_MAX_ROWS)


@login_required
@require_GET
def hotspot_import_job(request: HttpRequest, pk: Any) -> HttpResponse:
    return records_import_job(request, HOTSPOT_IMPORT, pk)
