"""What every enforcement page shares: the list filters (unit, period), pagination, and the
generic create / edit / delete pages driven by a Kind; the XLSX response and export audit.

Owns: Filters, read_filters(), page_of(), list_context(), Kind,
record_create(), record_edit(), record_delete(), _render_form(), xlsx_response(), audit_export(),
PAGE_SIZE,
DIRECT_IMPORT_MAX_ROWS (files with more rows are imported as a background job).
Invariants: every object comes through pcmd.enforcement.selectors (404 outside the user's
scope); every change goes through pcmd.enforcement.services (audited; role and unit checked
there and mirrored here to answer 403 early and hide buttons); a form that fails keeps what was
typed and answers 422; an edit based on an outdated version is refused with the other person's
version shown beside the form (and, for kinds with show_history, the record's history below).
Not here: the pages of each record (the sibling modules), the rules (services/).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import require_capability
from pcmd.common.forms import form_save
from pcmd.common.paging import CappedPaginator
from pcmd.common.params import parse_id
from pcmd.enforcement import forms, selectors
from pcmd.orgunits.models import OrgUnit
from pcmd.records.filters import unit_filter_choices

PAGE_SIZE = 25


DIRECT_IMPORT_MAX_ROWS = 2000


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Filters:
    unit: OrgUnit | None
    unit_id: str
    period: str
    units: list[OrgUnit]  # the unit filter's choices (records.filters.unit_filter_choices)
    error: str = ""

    @property
    def active(self) -> bool:
        return bool(self.unit_id or self.period)


def read_filters(request: HttpRequest) -> Filters:
    unit_id = parse_id((request.GET.get("unit") or "").strip())
    unit = None
    if unit_id is not None:
        unit = forms.scope_units(request.user).filter(pk=unit_id).first()
    units = unit_filter_choices(request.user, selected=unit, villages=False)
    period = (request.GET.get("period") or "").strip().upper()
    error = ""
    if period:
        try:
            selectors.period_range(period)
        except ValidationError as exc:
            error, period = exc.messages[0], ""
    return Filters(unit, str(unit.pk) if unit else "", period, units, error)


def int_param(request: HttpRequest, name: str) -> int | None:
    raw = (request.GET.get(name) or "").strip()
    return parse_id(raw)


def page_of(request: HttpRequest, qs: QuerySet[Any]) -> Any:
    return CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def list_context(
    request: HttpRequest, f: Filters, qs: QuerySet[Any], **extra: Any
) -> dict[str, Any]:
    page = page_of(request, qs)
    return {
        "page_obj": page,
        "rows": page.object_list,
        "filters": f,
        "unit": f.unit or getattr(request.user, "org_unit", None),
        **extra,
    }


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
    show_history: bool = False  # the edit page lists the record's audit history

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


def record_create(
    request: HttpRequest, kind: Kind, *, initial: dict[str, Any] | None = None, **service_args: Any
) -> HttpResponse:
    require_capability(request.user, kind.capability)
    if request.method == "POST":
        form = kind.form(request.POST, user=request.user)
        obj, _current = form_save(
            form,
            lambda: kind.create(acting_user=request.user, **service_args, **form.service_data()),
        )
        if obj is not None:
            messages.success(request, _("Đã lưu."))
            return redirect(kind.after_save(obj))
    else:
        form = kind.form(initial=initial or {}, user=request.user)
    return _render_form(request, kind, form, title=kind.title_new)


def record_edit(request: HttpRequest, kind: Kind, pk: int) -> HttpResponse:
    obj = kind.get(pk=pk, user=request.user)
    require_capability(request.user, kind.capability)
    current = None
    if request.method == "POST":
        form = kind.form.for_edit(obj, request.POST, user=request.user)
        saved, current = form_save(
            form,
            lambda: kind.update(
                **{kind.name: obj},
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.service_data(),
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(kind.after_save(saved))
    else:
        form = kind.form.for_edit(obj, user=request.user)
    return _render_form(
        request,
        kind,
        form,
        title=kind.title_edit,
        obj=obj,
        current=_current_values(current, form) if current is not None else None,
        history=selectors.record_history(obj=obj) if kind.show_history else None,
    )


def record_delete(request: HttpRequest, kind: Kind, pk: int, *, back: str = "") -> HttpResponse:
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


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def audit_export(request: HttpRequest, what: str) -> None:
    audit_record(
        action=AuditEvent.Action.EXPORT,
        user=request.user,
        org_unit=getattr(request.user, "org_unit", None),
        request=request,
        detail={"what": what, "query": request.GET.urlencode()[:500]},
    )
