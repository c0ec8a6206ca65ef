"""Pages of awareness activities: list (filters, sorting, XLSX export), detail, create, edit
with optimistic locking, delete with confirmation, XLSX template and import.

Owns: event_list, event_export, event_detail, agency_options, event_create, event_edit,
event_delete, import_template, event_import, import_job, attachment_download.
Invariants: every object comes through pcmd.outreach.selectors (404 outside the scope); every
change goes through pcmd.outreach.services (audited); a failed form keeps what was typed and
answers 422; a stale edit shows the other person's version beside what was typed.
Not here: the rules (services.py), reading (selectors.py), XLSX mechanics (pcmd.records).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import (
    get_in_scope_or_404,
    has_capability,
    require_capability,
    scope_filter,
)
from pcmd.common.forms import form_errors_from
from pcmd.common.paging import CappedPaginator
from pcmd.common.records import StaleRecord
from pcmd.orgunits.models import Agency
from pcmd.outreach import forms, selectors, services
from pcmd.outreach.jobs import IMPORT_JOB_HANDLER, IMPORT_STORAGE_DIR
from pcmd.outreach.models import OutreachAttachment, OutreachEvent
from pcmd.records.filters import unit_filter_choices
from pcmd.records.imports import ImportKind, records_import, records_import_job

PAGE_SIZE = 25
DIRECT_IMPORT_MAX_ROWS = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "outreach.view")
    filters = selectors.outreach_filters_parse(data=request.GET, user=request.user)
    qs = selectors.outreach_event_list_for_user(user=request.user, filters=filters)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "events": page.object_list,
        "filters": filters,
        "period_text": request.GET.get("period", ""),
        "forms": OutreachEvent.Form.choices,
        "sorts": [
            ("-date", _("Mới nhất")),
            ("date", _("Cũ nhất")),
            ("unit", _("Theo đơn vị")),
            ("form", _("Theo hình thức")),
            ("-participants", _("Đông người nhất")),
        ],
        # The agencies of the user's own unit and of the unit picked in the filter (another
        # than the user's own): a province holds thousands in its communes, of which the first
        # 300 by key told nobody anything (and cost a tenth of the page).
        "agencies": forms.commune_agencies(
            scope_filter(Agency.objects.all(), request.user).order_by("key"),
            request.user,
            filters.unit if filters.unit != getattr(request.user, "org_unit", None) else None,
            also=filters.agency.pk if filters.agency is not None else None,
        ),
        "units": unit_filter_choices(request.user),
        "can_manage": has_capability(request.user, "outreach.manage"),
        "unit": getattr(request.user, "org_unit", None),
    }
    return render(request, "outreach/event_list.html", context)


@login_required
@require_GET
def event_export(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "outreach.view")
    filters = selectors.outreach_filters_parse(data=request.GET, user=request.user)
    qs = selectors.outreach_event_list_for_user(user=request.user, filters=filters)
    data = services.outreach_export_xlsx(events=qs.iterator(chunk_size=2000))
    audit_record(
        action=AuditEvent.Action.EXPORT,
        user=request.user,
        org_unit=getattr(request.user, "org_unit", None),
        request=request,
        detail={"what": "outreach", "query": request.GET.urlencode()[:500]},
    )
    return _xlsx_response(data, f"tuyen-truyen-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request.user, "outreach.view")
    event = selectors.outreach_event_get_for_user(event_id=pk, user=request.user)
    return render(
        request,
        "outreach/event_detail.html",
        {"event": event, "can_manage": has_capability(request.user, "outreach.manage")},
    )


@login_required
@require_GET
def agency_options(request: HttpRequest) -> HttpResponse:
    """Partial: the <option>s of the form's agency list for the commune typed or picked
    (?commune=, as the form posts it): its agencies and the user's own unit's, in scope."""
    require_capability(request.user, "outreach.manage")
    form = forms.OutreachEventForm(user=request.user)
    agencies = form.agencies_for(request.GET.get("commune"), request.user)
    return render(
        request,
        "outreach/partials/_agency_options.html",
        {
            "empty_label": form.fields["agency"].empty_label,  # type: ignore[attr-defined]
            "options": [(a.pk, forms.agency_label(a)) for a in agencies],
        },
    )


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "outreach.manage")
    status = 200
    if request.method == "POST":
        form = forms.OutreachEventForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                event = services.outreach_event_create(
                    acting_user=request.user,
                    files=form.cleaned_data.get("attachments") or [],
                    **form.service_values(),
                )
            except ValidationError as exc:
                form_errors_from(exc, form, rename={"org_unit": "village"})
            else:
                messages.success(request, _("Đã ghi hoạt động tuyên truyền."))
                return redirect("outreach:detail", pk=event.pk)
        status = 422
    else:
        form = forms.OutreachEventForm(user=request.user)
    return render(request, "outreach/event_form.html", {"form": form, "event": None}, status=status)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request.user, "outreach.manage")
    event = selectors.outreach_event_get_for_user(event_id=pk, user=request.user)
    status = 200
    current: OutreachEvent | None = None
    if request.method == "POST":
        form = forms.OutreachEventForm(request.POST, request.FILES, user=request.user, event=event)
        if form.is_valid():
            try:
                services.outreach_event_update(
                    event=event,
                    expected_version=form.cleaned_data.get("version"),
                    acting_user=request.user,
                    files=form.cleaned_data.get("attachments") or [],
                    **form.service_values(),
                )
            except StaleRecord as exc:
                current = selectors.outreach_event_get_for_user(event_id=pk, user=request.user)
                form.add_error(None, exc.messages[0])
                # Saving again now means "I have seen their version": base it on theirs.
                data = request.POST.copy()
                data["version"] = str(getattr(exc.current, "version", ""))
                form.data = data
            except ValidationError as exc:
                form_errors_from(exc, form, rename={"org_unit": "village"})
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("outreach:detail", pk=event.pk)
        status = 409 if current is not None else 422
    else:
        form = forms.OutreachEventForm(user=request.user, event=event)
    return render(
        request,
        "outreach/event_form.html",
        {"form": form, "event": event, "current": current},
        status=status,
    )


@login_required
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request.user, "outreach.manage")
    event = selectors.outreach_event_get_for_user(event_id=pk, user=request.user)
    if request.method == "POST":
        services.outreach_event_delete(event=event, acting_user=request.user)
        messages.success(request, _("Đã xóa hoạt động tuyên truyền."))
        return redirect("outreach:list")
    return render(request, "outreach/event_confirm_delete.html", {"event": event})


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "outreach.manage")
    return _xlsx_response(services.outreach_template_xlsx(), "mau-nhap-tuyen-truyen.xlsx")


OUTREACH_IMPORT = ImportKind(
    capability="outreach.manage",
    importer=services.outreach_events_import,
    job_handler=IMPORT_JOB_HANDLER,
    job_title=gettext_lazy("Nhập hoạt động tuyên truyền từ %(f)s"),
    title=gettext_lazy("Nhập hoạt động tuyên truyền từ Excel"),
    done=gettext_lazy("Đã nhập %(n)d hoạt động tuyên truyền."),
    list_url="outreach:list",
    template_url="outreach:import-template",
    job_url="outreach:import-job",
    form_class=forms.OutreachImportForm,
    storage_dir=IMPORT_STORAGE_DIR,
    unit_field="commune",
    unit_arg="commune",
    job_heading=gettext_lazy("Nhập hoạt động tuyên truyền"),
    lead=gettext_lazy(
        "Tải tệp mẫu, điền mỗi dòng một hoạt động rồi tải lên. Tệp được kiểm tra toàn bộ trước: "
        "có lỗi thì không dòng nào được ghi. Tệp trên %(direct_max)s dòng được nhập dưới nền."
    ),
    job_done=gettext_lazy("Đã nhập %(created)s hoạt động."),
    nav_template="outreach/partials/_breadcrumb.html",
)


@login_required
def event_import(request: HttpRequest) -> HttpResponse:
    return records_import(request, OUTREACH_IMPORT, direct_max=DIRECT_IMPORT_MAX_ROWS)


@login_required
@require_GET
def import_job(request: HttpRequest, pk: Any) -> HttpResponse:
    return records_import_job(request, OUTREACH_IMPORT, pk)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    require_capability(request.user, "outreach.view")
    attachment = get_in_scope_or_404(
        OutreachAttachment.objects.select_related("event"),
        request.user,
        field="event__org_unit",
        pk=pk,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Tệp đính kèm không còn trên máy chủ.")) from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
