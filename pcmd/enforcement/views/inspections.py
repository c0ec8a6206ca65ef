"""Pages of inspections and the violations found at them, and of inspection teams: lists,
detail pages with their audit history, forms, the violation edit page, XLSX template / import /
export of inspections (one row per violation) and of teams (with their member agencies).

Owns: inspection_*, violation_create, violation_edit, violation_delete, team_*, INSPECTION,
VIOLATION, TEAM, INSPECTION_IMPORT, TEAM_IMPORT.
Invariants: as views.common; a violation edit based on an outdated version is refused with the
other person's version shown; exports are audited as EXPORT with the query that filtered them.
Not here: the rules (services/inspections.py, services/inspections_xlsx.py,
services/teams_xlsx.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pcmd.accounts.permissions import has_capability, require_capability
from pcmd.common.forms import form_errors_from
from pcmd.enforcement import forms, selectors, services
from pcmd.enforcement.jobs import (
    IMPORT_STORAGE_DIR,
    INSPECTION_IMPORT_JOB_HANDLER,
    TEAM_IMPORT_JOB_HANDLER,
)
from pcmd.enforcement.models import (
    BusinessType,
    Inspection,
    Violation,
)
from pcmd.enforcement.views import common
from pcmd.enforcement.views.common import (
    Filters,
    Kind,
    audit_export,
    int_param,
    list_context,
    page_of,
    read_filters,
    record_create,
    record_delete,
    record_edit,
    xlsx_response,
)
from pcmd.records.imports import ImportKind, records_import, records_import_job

INSPECTION = Kind(
    name="inspection",
    capability="inspection.manage",
    form=forms.InspectionForm,
    get=selectors.inspection_get_for_user,
    create=services.inspection_create,
    update=services.inspection_update,
    delete=services.inspection_delete,
    list_url="enforcement:inspection-list",
    title_new=gettext_lazy("Ghi kết quả kiểm tra"),
    title_edit=gettext_lazy("Sửa lượt kiểm tra"),
    title_delete=gettext_lazy("Xóa lượt kiểm tra"),
    detail_url=lambda o: reverse("enforcement:inspection-detail", args=[o.pk]),
)


VIOLATION = Kind(
    name="violation",
    capability="inspection.manage",
    form=forms.ViolationForm,
    get=selectors.violation_get_for_user,
    create=services.violation_create,
    update=services.violation_update,
    delete=services.violation_delete,
    list_url="enforcement:inspection-list",
    title_new=gettext_lazy("Ghi vi phạm"),
    title_edit=gettext_lazy("Sửa vi phạm"),
    title_delete=gettext_lazy("Xóa vi phạm"),
    detail_url=lambda o: reverse("enforcement:inspection-detail", args=[o.inspection_id]),
    show_history=True,
)


TEAM = Kind(
    name="team",
    capability="inspection.manage",
    form=forms.TeamForm,
    get=selectors.team_get_for_user,
    create=services.team_create,
    update=services.team_update,
    delete=services.team_delete,
    list_url="enforcement:team-list",
    title_new=gettext_lazy("Thêm đội kiểm tra liên ngành"),
    title_edit=gettext_lazy("Sửa đội kiểm tra"),
    title_delete=gettext_lazy("Xóa đội kiểm tra"),
    detail_url=lambda o: reverse("enforcement:team-detail", args=[o.pk]),
)


INSPECTION_IMPORT = ImportKind(
    capability="inspection.manage",
    importer=services.inspections_import,
    job_handler=INSPECTION_IMPORT_JOB_HANDLER,
    job_title=gettext_lazy("Nhập kết quả kiểm tra từ %(f)s"),
    title=gettext_lazy("Nhập kết quả kiểm tra từ Excel"),
    done=gettext_lazy("Đã nhập %(n)d lượt kiểm tra."),
    list_url="enforcement:inspection-list",
    template_url="enforcement:inspection-import-template",
    job_url="enforcement:inspection-import-job",
    form_class=forms.EstablishmentImportForm,
    storage_dir=IMPORT_STORAGE_DIR,
    job_heading=gettext_lazy("Nhập kết quả kiểm tra"),
    lead=gettext_lazy(
        "Tải tệp mẫu, điền mỗi dòng một lượt kiểm tra (kèm tối đa một vi phạm) rồi tải lên. "
        "Cơ sở được tìm trong sổ theo dõi của đơn vị đã chọn. Tệp được kiểm tra toàn bộ trước: "
        "có lỗi thì không dòng nào được ghi. Tệp trên %(direct_max)s dòng được nhập dưới nền."
    ),
    job_done=gettext_lazy("Đã nhập %(created)s lượt kiểm tra."),
    nav_template="enforcement/partials/_subnav.html",
)


TEAM_IMPORT = ImportKind(
    capability="inspection.manage",
    importer=services.teams_import,
    job_handler=TEAM_IMPORT_JOB_HANDLER,
    job_title=gettext_lazy("Nhập đội kiểm tra từ %(f)s"),
    title=gettext_lazy("Nhập đội kiểm tra liên ngành từ Excel"),
    done=gettext_lazy("Đã nhập %(n)d đội kiểm tra."),
    list_url="enforcement:team-list",
    template_url="enforcement:team-import-template",
    job_url="enforcement:team-import-job",
    form_class=forms.EstablishmentImportForm,
    storage_dir=IMPORT_STORAGE_DIR,
    job_heading=gettext_lazy("Nhập đội kiểm tra liên ngành"),
    lead=gettext_lazy(
        "Tải tệp mẫu, điền mỗi dòng một đội kiểm tra rồi tải lên. Cơ quan thành viên được tìm "
        "trong các cơ quan của đơn vị đã chọn và của đơn vị cấp trên. Tệp được kiểm tra toàn bộ "
        "trước: có lỗi thì không dòng nào được ghi. Tệp trên %(direct_max)s dòng được nhập dưới "
        "nền."
    ),
    job_done=gettext_lazy("Đã nhập %(created)s đội kiểm tra."),
    nav_template="enforcement/partials/_subnav.html",
)


def _inspection_query(request: HttpRequest) -> tuple[Filters, int | None, str, Any]:
    """The inspection list's filters as typed and the inspections they select."""
    f = read_filters(request)
    business_type = int_param(request, "type")
    mode = request.GET.get("mode") or ""
    mode = mode if mode in Inspection.Mode.values else ""
    qs = selectors.inspection_list_for_user(
        user=request.user, unit=f.unit, period=f.period, business_type=business_type, mode=mode
    )
    return f, business_type, mode, qs


@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "enforcement.view")
    f, business_type, mode, qs = _inspection_query(request)
    context = list_context(
        request, f, qs,
        business_types=BusinessType.objects.all(), business_type=business_type,
        modes=Inspection.Mode.choices, mode=mode, filtered=f.active or bool(business_type or mode),
        can_manage=has_capability(request.user, "inspection.manage"),
    )  # fmt: skip
    return render(request, "enforcement/inspection_list.html", context)


def _inspection_page(
    request: HttpRequest, inspection: Inspection, form: Any = None, status: int = 200
) -> HttpResponse:
    can_manage = has_capability(request.user, "inspection.manage")
    if form is None and can_manage:
        form = forms.ViolationForm(user=request.user)
    context = {
        "inspection": inspection,
        "unit": inspection.org_unit,
        "violations": inspection.violations.select_related("legal_basis"),
        "form": form,
        "can_manage": can_manage,
        "history": selectors.record_history(obj=inspection),
    }
    return render(request, "enforcement/inspection_detail.html", context, status=status)


@login_required
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _inspection_page(request, selectors.inspection_get_for_user(pk=pk, user=request.user))


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    est = int_param(request, "establishment")
    initial = {"establishment": est} if est else {}
    return record_create(request, INSPECTION, initial=initial)


@login_required
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_edit(request, INSPECTION, pk)


@login_required
def inspection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return record_delete(request, INSPECTION, pk)


@login_required
@require_POST
def violation_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get_for_user(pk=pk, user=request.user)
    require_capability(request.user, "inspection.manage")
    form = forms.ViolationForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.violation_create(
                inspection=inspection, acting_user=request.user, **form.service_data()
            )
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Đã ghi vi phạm."))
            return redirect(reverse("enforcement:inspection-detail", args=[pk]) + "#violations")
    return _inspection_page(request, inspection, form, status=422)


@login_required
def violation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a violation (optimistic locking: an outdated edit shows the other version)."""
    return record_edit(request, VIOLATION, pk)


@login_required
def violation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    violation: Violation = selectors.violation_get_for_user(pk=pk, user=request.user)
    back = reverse("enforcement:inspection-detail", args=[violation.inspection_id])
    return record_delete(request, VIOLATION, pk, back=back)


@login_required
@require_GET
def inspection_export(request: HttpRequest) -> HttpResponse:
    """The filtered inspection list (same filters as the list) as XLSX, one row per
    violation."""
    require_capability(request.user, "enforcement.view")
    qs = _inspection_query(request)[3].prefetch_related("violations__legal_basis")
    data = services.inspection_export_xlsx(inspections=qs.iterator(chunk_size=2000))
    audit_export(request, "inspections")
    return xlsx_response(data, f"kiem-tra-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def inspection_import_template(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "inspection.manage")
    return xlsx_response(services.inspection_template_xlsx(), "mau-nhap-kiem-tra.xlsx")


@login_required
def inspection_import(request: HttpRequest) -> HttpResponse:
    return records_import(request, INSPECTION_IMPORT, direct_max=common.DIRECT_IMPORT_MAX_ROWS)


@login_required
@require_GET
def inspection_import_job(request: HttpRequest, pk: Any) -> HttpResponse:
    return records_import_job(request, INSPECTION_IMPORT, pk)


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "enforcement.view")
    f = read_filters(request)
    qs = selectors.team_list_for_user(
        user=request.user, unit=f.unit, period=f.period, with_counts=True
    )
    context = list_context(
        request,
        f,
        qs,
        filtered=f.active,
        can_manage=has_capability(request.user, "inspection.manage"),
    )
    return render(request, "enforcement/team_list.html", context)


@login_required
@require_GET
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A team: the decision that set it up, its members, its period and the inspections it
    made (those the user may see), with its history."""
    team = selectors.team_get_for_user(pk=pk, user=request.user)
    inspections = selectors.inspection_list_for_user(user=request.user).filter(team=team)
    context = {
        "team": team,
        "unit": team.org_unit,
        "inspections": page_of(request, inspections),
        "can_manage": has_capability(request.user, "inspection.manage"),
        "history": selectors.record_history(obj=team),
        "today": timezone.localdate(),
    }
    return render(request, "enforcement/team_detail.html", context)


@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    return record_create(request, TEAM)


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_edit(request, TEAM, pk)


@login_required
def team_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return record_delete(request, TEAM, pk)


@login_required
@require_GET
def team_export(request: HttpRequest) -> HttpResponse:
    """The filtered team list (same filters as the list) as XLSX, with members and the number
    of inspections each team made."""
    require_capability(request.user, "enforcement.view")
    f = read_filters(request)
    qs = selectors.team_list_for_user(
        user=request.user, unit=f.unit, period=f.period, with_counts=True
    )
    data = services.team_export_xlsx(teams=qs.iterator(chunk_size=2000))
    audit_export(request, "inspection_teams")
    return xlsx_response(data, f"doi-kiem-tra-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def team_import_template(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "inspection.manage")
    return xlsx_response(services.team_template_xlsx(), "mau-nhap-doi-kiem-tra.xlsx")


@login_required
def team_import(request: HttpRequest) -> HttpResponse:
    return records_import(request, TEAM_IMPORT, direct_max=common.DIRECT_IMPORT_MAX_ROWS)


@login_required
@require_GET
def team_import_job(request: HttpRequest, pk: Any) -> HttpResponse:
    return records_import_job(request, TEAM_IMPORT, pk)
