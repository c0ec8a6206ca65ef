"""Pages of pilot models: list with filters, detail, create, edit (the other person's version
shown when a save comes too late), delete with confirmation.

Owns: pilotmodel_list, pilotmodel_detail, pilotmodel_create, pilotmodel_edit, pilotmodel_delete,
pilotmodel_export, pilotmodel_import, pilotmodel_import_template, pilotmodel_import_job (the
import pages driven by PILOTMODEL_IMPORT, pcmd.records.imports).
Invariants: objects come through selectors (404 outside the scope); writes through services
(audited); a failed form keeps what was typed and answers 422.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, require_capability
from pcmd.common.forms import form_save
from pcmd.common.params import parse_year
from pcmd.records.imports import ImportKind, records_import, records_import_job
from pcmd.sealing.suppression import suppress_count
from pcmd.support import forms, selectors, services
from pcmd.support.casefiles import selectors as case_selectors
from pcmd.support.jobs import IMPORT_JOB_HANDLER, IMPORT_STORAGE_DIR
from pcmd.support.models import PilotModel

PAGE_SIZE = 25
DIRECT_IMPORT_MAX_ROWS = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _values(form: Any) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


def _query(request: HttpRequest) -> tuple[str, int | None, str, str, Any]:
    """The list's filters as typed and the pilot models they select."""
    year_raw = (request.GET.get("year") or "").strip()
    year = parse_year(year_raw)
    kind = request.GET.get("kind") or ""
    kind = kind if kind in PilotModel.Kind.values else ""
    status = request.GET.get("status") or ""
    status = status if status in PilotModel.Status.values else ""
    qs = selectors.pilotmodel_list_for_user(
        user=request.user,
        start=date(year, 1, 1) if year else None,
        end=date(year, 12, 31) if year else None,
        kind=kind,
        status=status,
    )
    return year_raw, year, kind, status, qs


@login_required
def pilotmodel_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "pilotmodel.view")
    year_raw, year, kind, status, qs = _query(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "models": page.object_list,
        "year": year_raw if year else "",
        "kind": kind,
        "status": status,
        "kinds": PilotModel.Kind.choices,
        "statuses": PilotModel.Status.choices,
        "filtered": bool(year or kind or status),
        "can_manage": has_capability(request.user, "pilotmodel.manage"),
        "unit": getattr(request.user, "org_unit", None),
    }
    return render(request, "support/pilotmodel_list.html", context)


@login_required
def pilotmodel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    model = selectors.pilotmodel_get_for_user(model_id=pk, user=request.user)
    # Members are listed by pseudonymous code, and only to those who read case files; the
    # others see the suppressed count.
    members = case_selectors.pilotmodel_members_for_user(model=model, user=request.user)
    context = {
        "model": model,
        "can_manage": has_capability(request.user, "pilotmodel.manage"),
        "can_view_members": has_capability(request.user, "beneficiary.view"),
        "members": members,
        "members_count": suppress_count(model.beneficiaries.count()),
    }
    return render(request, "support/pilotmodel_detail.html", context)


@login_required
def pilotmodel_create(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "pilotmodel.manage")
    user: Any = request.user
    if request.method == "POST":
        form = forms.PilotModelForm(request.POST, user=user)
        model, _current = form_save(
            form, lambda: services.pilotmodel_create(acting_user=user, **_values(form))
        )
        if model is not None:
            messages.success(request, _("Đã ghi mô hình thí điểm."))
            return redirect("support:pilotmodel-detail", pk=model.pk)
        return render(request, "support/pilotmodel_form.html", {"form": form}, status=422)
    form = forms.PilotModelForm(user=user, initial={"org_unit": user.org_unit_id})
    return render(request, "support/pilotmodel_form.html", {"form": form})


@login_required
def pilotmodel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    model = selectors.pilotmodel_get_for_user(model_id=pk, user=request.user)
    require_capability(request.user, "pilotmodel.manage")
    user: Any = request.user
    if request.method == "POST":
        form = forms.PilotModelForm(request.POST, user=user)
        saved, current = form_save(
            form,
            lambda: services.pilotmodel_update(
                model=model,
                acting_user=user,
                expected_version=form.cleaned_data.get("version"),
                **_values(form),
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu."))
            return redirect("support:pilotmodel-detail", pk=saved.pk)
        context = {"form": form, "model": model, "current": current}
        return render(request, "support/pilotmodel_form.html", context, status=422)
    form = forms.PilotModelForm.for_model(model, user=user)
    return render(request, "support/pilotmodel_form.html", {"form": form, "model": model})


@login_required
def pilotmodel_delete(request: HttpRequest, pk: int) -> HttpResponse:
    model = selectors.pilotmodel_get_for_user(model_id=pk, user=request.user)
    require_capability(request.user, "pilotmodel.manage")
    if request.method == "POST":
        services.pilotmodel_delete(model=model, acting_user=request.user)
        messages.success(request, _("Đã xóa mô hình %(name)s.") % {"name": model})
        return redirect("support:pilotmodel-list")
    return render(request, "support/pilotmodel_confirm_delete.html", {"model": model})


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def pilotmodel_export(request: HttpRequest) -> HttpResponse:
    """The filtered list (same filters as the list) as XLSX."""
    require_capability(request.user, "pilotmodel.view")
    qs = _query(request)[4].select_related("org_unit")
    data = services.pilotmodel_export_xlsx(models=qs.iterator(chunk_size=2000))
    audit_record(
        action=AuditEvent.Action.EXPORT,
        user=request.user,
        org_unit=getattr(request.user, "org_unit", None),
        request=request,
        detail={"what": "pilot_models", "query": request.GET.urlencode()[:500]},
    )
    return _xlsx_response(data, f"mo-hinh-thi-diem-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def pilotmodel_import_template(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "pilotmodel.manage")
    return _xlsx_response(services.pilotmodel_template_xlsx(), "mau-nhap-mo-hinh-thi-diem.xlsx")


PILOTMODEL_IMPORT = ImportKind(
    capability="pilotmodel.manage",
    importer=services.pilotmodels_import,
    job_handler=IMPORT_JOB_HANDLER,
    job_title=gettext_lazy("Nhập mô hình thí điểm từ %(f)s"),
    title=gettext_lazy("Nhập mô hình thí điểm từ Excel"),
    done=gettext_lazy("Đã nhập %(n)d mô hình thí điểm."),
    list_url="support:pilotmodel-list",
    template_url="support:pilotmodel-import-template",
    job_url="support:pilotmodel-import-job",
    form_class=forms.PilotModelImportForm,
    storage_dir=IMPORT_STORAGE_DIR,
    unit_field="org_unit",
    job_heading=gettext_lazy("Nhập mô hình thí điểm"),
    lead=gettext_lazy(
        "Tải tệp mẫu, điền mỗi dòng một mô hình rồi tải lên. Tệp được kiểm tra toàn bộ trước: "
        "có lỗi thì không dòng nào được ghi. Tệp trên %(direct_max)s dòng được nhập dưới nền."
    ),
    job_done=gettext_lazy("Đã nhập %(created)s mô hình."),
)


@login_required
def pilotmodel_import(request: HttpRequest) -> HttpResponse:
    return records_import(request, PILOTMODEL_IMPORT, direct_max=DIRECT_IMPORT_MAX_ROWS)


@login_required
@require_GET
def pilotmodel_import_job(request: HttpRequest, pk: Any) -> HttpResponse:
    return records_import_job(request, PILOTMODEL_IMPORT, pk)
