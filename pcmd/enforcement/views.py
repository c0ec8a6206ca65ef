"""Pages of enforcement: the register of establishments (list, detail with inspection history,
create, edit, delete), inspections with their violations, inspection teams, hot spots, criminal
cases, and the inspection sample.

Owns: index, establishment_* (with establishment_export, establishment_import,
establishment_import_template, establishment_import_job), inspection_*, violation_create,
violation_delete, team_*, hotspot_*, case_* (with case_export, case_import,
case_import_template, case_import_job), sample; the generic record pages (_record_create,
_record_edit, _record_delete) driven by a Kind, and the XLSX import pages
driven by an ImportKind (pcmd.records.imports).
Invariants: every object comes through pcmd.enforcement.selectors (404 outside the user's
scope); every change goes through pcmd.enforcement.services (audited; role and unit checked
there and mirrored here to answer 403 early and hide buttons); a form that fails keeps what was
typed and answers 422; an edit based on an outdated version is refused with the other person's
version shown beside the form.
Not here: the rules (services/), reads and measures (selectors.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, require_capability
from pcmd.common.records import StaleRecord
from pcmd.enforcement import forms, selectors, services
from pcmd.enforcement.jobs import CASE_IMPORT_JOB_HANDLER, IMPORT_JOB_HANDLER, IMPORT_STORAGE_DIR
from pcmd.enforcement.models import (
    BusinessType,
    Case,
    Inspection,
    RiskLevel,
    Violation,
)
from pcmd.orgunits.models import OrgUnit
from pcmd.records.imports import ImportKind, records_import, records_import_job

PAGE_SIZE = 25
DIRECT_IMPORT_MAX_ROWS = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form_errors_from(exc: ValidationError, form: Any) -> None:
    """Put a service's ValidationError onto the form, beside the field it names."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Filters ----------------------------------------------------------------------------------


@dataclass
class Filters:
    unit: OrgUnit | None
    unit_id: str
    period: str
    units: QuerySet[OrgUnit]
    error: str = ""

    @property
    def active(self) -> bool:
        return bool(self.unit_id or self.period)


def _filters(request: HttpRequest) -> Filters:
    units = forms.scope_units(request.user)
    unit_raw = (request.GET.get("unit") or "").strip()
    unit = units.filter(pk=int(unit_raw)).first() if unit_raw.isdigit() else None
    period = (request.GET.get("period") or "").strip().upper()
    error = ""
    if period:
        try:
            selectors.period_range(period)
        except ValidationError as exc:
            error, period = exc.messages[0], ""
    return Filters(unit, str(unit.pk) if unit else "", period, units, error)


def _int(request: HttpRequest, name: str) -> int | None:
    raw = (request.GET.get(name) or "").strip()
    return int(raw) if raw.isdigit() else None


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _list_context(
    request: HttpRequest, f: Filters, qs: QuerySet[Any], **extra: Any
) -> dict[str, Any]:
    page = _page(request, qs)
    return {
        "page_obj": page,
        "rows": page.object_list,
        "filters": f,
        "unit": f.unit or getattr(request.user, "org_unit", None),
        **extra,
    }


# --- Generic record pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How the generic pages create, edit and delete one kind of record."""

    name: str  # the service's keyword for the record: "establishment"
    capability: str
    form: type[forms.RecordForm]
    get: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    list_url: str
    title_new: Any
    title_edit: Any
    title_delete: Any
    detail_url: Callable[[Any], str] | None = None

    def after_save(self, obj: Any) -> str:
        return self.detail_url(obj) if self.detail_url else reverse(self.list_url)


def _current_values(obj: Model, form: Any) -> list[tuple[str, Any]]:
    """The other person's saved version, field by field, to show beside a refused edit."""
    values = []
    for name in form._meta.fields:
        field: Any = obj._meta.get_field(name)
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if display else getattr(obj, name)
        values.append((str(field.verbose_name).capitalize(), value))
    return values


def _render_form(
    request: HttpRequest, kind: Kind, form: Any, *, title: Any, obj: Any = None, **extra: Any
) -> HttpResponse:
    status = 422 if form.is_bound else 200
    context = {
        "form": form,
        "title": title,
        "kind": kind,
        "obj": obj,
        "cancel_url": kind.after_save(obj) if obj is not None else reverse(kind.list_url),
        "unit": getattr(obj, "org_unit", None) or getattr(request.user, "org_unit", None),
        **extra,
    }
    return render(request, "enforcement/record_form.html", context, status=status)


def _record_create(
    request: HttpRequest, kind: Kind, *, initial: dict[str, Any] | None = None, **service_args: Any
) -> HttpResponse:
    require_capability(request.user, kind.capability)
    if request.method == "POST":
        form = kind.form(request.POST, user=request.user)
        if form.is_valid():
            try:
                obj = kind.create(acting_user=request.user, **service_args, **form.service_data())
            except ValidationError as exc:
                _form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect(kind.after_save(obj))
    else:
        form = kind.form(initial=initial or {}, user=request.user)
    return _render_form(request, kind, form, title=kind.title_new)


def _record_edit(request: HttpRequest, kind: Kind, pk: int) -> HttpResponse:
    obj = kind.get(pk=pk, user=request.user)
    require_capability(request.user, kind.capability)
    current = None
    if request.method == "POST":
        form = kind.form.for_edit(obj, request.POST, user=request.user)
        if form.is_valid():
            try:
                obj = kind.update(
                    **{kind.name: obj},
                    acting_user=request.user,
                    expected_version=form.cleaned_data.get("version"),
                    **form.service_data(),
                )
            except StaleRecord as exc:
                current = exc.current
                form.add_error(None, exc)
                # What was typed stays; saving again now overwrites knowingly.
                data = request.POST.copy()
                data["version"] = str(getattr(current, "version", ""))
                form.data = data
            except ValidationError as exc:
                _form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect(kind.after_save(obj))
    else:
        form = kind.form.for_edit(obj, user=request.user)
    return _render_form(
        request,
        kind,
        form,
        title=kind.title_edit,
        obj=obj,
        current=_current_values(current, form) if current is not None else None,
    )


def _record_delete(request: HttpRequest, kind: Kind, pk: int, *, back: str = "") -> HttpResponse:
    obj = kind.get(pk=pk, user=request.user)
    require_capability(request.user, kind.capability)
    error = ""
    if request.method == "POST":
        try:
            kind.delete(**{kind.name: obj}, acting_user=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Đã xóa."))
            return redirect(back or reverse(kind.list_url))
    context = {
        "obj": obj,
        "title": kind.title_delete,
        "error": error,
        "cancel_url": back or kind.after_save(obj),
        "unit": getattr(obj, "org_unit", None),
    }
    return render(request, "enforcement/record_delete.html", context, status=422 if error else 200)


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
)
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
)
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
)


# --- Home -------------------------------------------------------------------------------------


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


# --- Establishments ---------------------------------------------------------------------------


def _establishment_query(request: HttpRequest) -> tuple[Filters, int | None, str, str, Any]:
    """The list's filters as typed and the establishments they select."""
    f = _filters(request)
    business_type = _int(request, "type")
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
    context = _list_context(
        request, f, qs,
        business_types=BusinessType.objects.all(), business_type=business_type,
        risks=RiskLevel.choices, risk=risk, q=search,
        filtered=f.active or bool(business_type or risk or search),
        can_manage=has_capability(request.user, "establishment.manage"),
    )  # fmt: skip
    return render(request, "enforcement/establishment_list.html", context)


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
    return _xlsx_response(data, f"co-so-kinh-doanh-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def establishment_import_template(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "establishment.manage")
    return _xlsx_response(services.establishment_template_xlsx(), "mau-nhap-co-so-kinh-doanh.xlsx")


@login_required
def establishment_import(request: HttpRequest) -> HttpResponse:
    return records_import(request, ESTABLISHMENT_IMPORT, direct_max=DIRECT_IMPORT_MAX_ROWS)


@login_required
@require_GET
def establishment_import_job(request: HttpRequest, pk: Any) -> HttpResponse:
    return records_import_job(request, ESTABLISHMENT_IMPORT, pk)


def _audit_export(request: HttpRequest, what: str) -> None:
    audit_record(
        action=AuditEvent.Action.EXPORT,
        user=request.user,
        org_unit=getattr(request.user, "org_unit", None),
        request=request,
        detail={"what": what, "query": request.GET.urlencode()[:500]},
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
    }
    return render(request, "enforcement/establishment_detail.html", context)


@login_required
def establishment_create(request: HttpRequest) -> HttpResponse:
    return _record_create(request, ESTABLISHMENT)


@login_required
def establishment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_edit(request, ESTABLISHMENT, pk)


@login_required
def establishment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_delete(request, ESTABLISHMENT, pk)


# --- Inspections and violations ---------------------------------------------------------------


@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "enforcement.view")
    f = _filters(request)
    business_type = _int(request, "type")
    mode = request.GET.get("mode") or ""
    mode = mode if mode in Inspection.Mode.values else ""
    qs = selectors.inspection_list_for_user(
        user=request.user, unit=f.unit, period=f.period, business_type=business_type, mode=mode
    )
    context = _list_context(
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
    }
    return render(request, "enforcement/inspection_detail.html", context, status=status)


@login_required
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _inspection_page(request, selectors.inspection_get_for_user(pk=pk, user=request.user))


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    est = _int(request, "establishment")
    initial = {"establishment": est} if est else {}
    return _record_create(request, INSPECTION, initial=initial)


@login_required
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_edit(request, INSPECTION, pk)


@login_required
def inspection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_delete(request, INSPECTION, pk)


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
            _form_errors_from(exc, form)
        else:
            messages.success(request, _("Đã ghi vi phạm."))
            return redirect(reverse("enforcement:inspection-detail", args=[pk]) + "#violations")
    return _inspection_page(request, inspection, form, status=422)


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
)


@login_required
def violation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    violation: Violation = selectors.violation_get_for_user(pk=pk, user=request.user)
    back = reverse("enforcement:inspection-detail", args=[violation.inspection_id])
    return _record_delete(request, VIOLATION, pk, back=back)


# --- Teams, hot spots, cases ------------------------------------------------------------------


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "enforcement.view")
    f = _filters(request)
    qs = selectors.team_list_for_user(user=request.user, unit=f.unit, period=f.period)
    context = _list_context(
        request,
        f,
        qs,
        filtered=f.active,
        can_manage=has_capability(request.user, "inspection.manage"),
    )
    return render(request, "enforcement/team_list.html", context)


@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    return _record_create(request, TEAM)


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_edit(request, TEAM, pk)


@login_required
def team_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_delete(request, TEAM, pk)


@login_required
@require_GET
def hotspot_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "enforcement.view")
    f = _filters(request)
    open_only = request.GET.get("open") == "1"
    qs = selectors.hotspot_list_for_user(
        user=request.user, unit=f.unit, period=f.period, open_only=open_only
    )
    context = _list_context(
        request, f, qs, open_only=open_only, filtered=f.active or open_only,
        can_manage=has_capability(request.user, "inspection.manage"),
    )  # fmt: skip
    return render(request, "enforcement/hotspot_list.html", context)


@login_required
def hotspot_create(request: HttpRequest) -> HttpResponse:
    return _record_create(request, HOTSPOT)


@login_required
def hotspot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_edit(request, HOTSPOT, pk)


@login_required
def hotspot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_delete(request, HOTSPOT, pk)


def _case_query(request: HttpRequest) -> tuple[Filters, str, Any]:
    """The case list's filters as typed and the cases they select."""
    f = _filters(request)
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
    context = _list_context(
        request, f, qs, stages=Case.Stage.choices, stage=stage, compared=compared,
        filtered=f.active or bool(stage), can_manage=has_capability(request.user, "case.manage"),
    )  # fmt: skip
    return render(request, "enforcement/case_list.html", context)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    return _record_create(request, CASE)


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_edit(request, CASE, pk)


@login_required
def case_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_delete(request, CASE, pk)


# --- Inspection sample ------------------------------------------------------------------------


@login_required
@require_GET
def sample(request: HttpRequest) -> HttpResponse:
    """Which establishments to inspect this year to reach a share, never-inspected and
    high-risk first; with the share already reached."""
    require_capability(request.user, "enforcement.view")
    f = _filters(request)
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


@login_required
@require_GET
def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered case list (same filters as the list) as XLSX."""
    require_capability(request.user, "enforcement.view")
    qs = _case_query(request)[2]
    data = services.case_export_xlsx(cases=qs.iterator(chunk_size=2000))
    _audit_export(request, "cases")
    return _xlsx_response(data, f"vu-an-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def case_import_template(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "case.manage")
    return _xlsx_response(services.case_template_xlsx(), "mau-nhap-vu-an.xlsx")


@login_required
def case_import(request: HttpRequest) -> HttpResponse:
    return records_import(request, CASE_IMPORT, direct_max=DIRECT_IMPORT_MAX_ROWS)


@login_required
@require_GET
def case_import_job(request: HttpRequest, pk: Any) -> HttpResponse:
    return records_import_job(request, CASE_IMPORT, pk)
