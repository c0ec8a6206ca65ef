"""Pages of tips for officers: the list, intake, the detail with its timeline and actions, the
attachments, the suppressed aggregates, and the notifications (the bell).

Owns: tip_list, tip_create, tip_detail, tip_assign, tip_verify, tip_classify, tip_handle,
tip_transfer, tip_pause, tip_resume, tip_extend, tip_reveal, tip_message, attachment,
stats, notification_list, notification_read.
Invariants: every tip comes through selectors.tip_get_for_user (tip.view and the unit in scope;
404 outside it); every change goes through services (role and unit checked there); an action
whose input fails re-renders the detail with the form's errors (422) and writes nothing. Opening
a tip's detail shows its sealed content and is audited as VIEW_SENSITIVE (content only); the
reporter's details are shown only after tip_reveal with a reason.
Not here: the public page (public_views.py), the rules (services.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, require_capability
from pcmd.common.forms import form_errors_from
from pcmd.common.paging import CappedPaginator
from pcmd.common.params import parse_id
from pcmd.common.records import StaleRecord
from pcmd.enforcement.forms import scope_units
from pcmd.enforcement.selectors import period_range
from pcmd.orgunits.models import OrgUnit
from pcmd.tips import forms, selectors, services
from pcmd.tips.deadlines import tip_clock
from pcmd.tips.models import Subject, Tip, TipAttachment

PAGE_SIZE = 25


@dataclass
class Filters:
    unit: OrgUnit | None
    unit_id: str
    period: str
    units: QuerySet[OrgUnit]
    error: str = ""


def _filters(request: HttpRequest) -> Filters:
    """The unit (inside the scope) and period filters shared by the list and the aggregates."""
    units = scope_units(request.user)
    unit_id = parse_id((request.GET.get("unit") or "").strip())
    unit = units.filter(pk=unit_id).first() if unit_id is not None else None
    period = (request.GET.get("period") or "").strip().upper()
    error = ""
    if period:
        try:
            period_range(period)
        except ValidationError as exc:
            error, period = exc.messages[0], ""
    return Filters(unit, str(unit.pk) if unit else "", period, units, error)


@login_required
@require_GET
def tip_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "tip.view")
    f = _filters(request)
    status = request.GET.get("status", "") if request.GET.get("status") in Tip.Status.values else ""
    subject = request.GET.get("subject", "") if request.GET.get("subject") in Subject.values else ""
    qs = selectors.tip_list_for_user(
        user=request.user, unit=f.unit, period=f.period, status=status, subject=subject
    )
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tips/tip_list.html",
        {
            "page_obj": page,
            "rows": selectors.tip_rows(page.object_list),
            "filters": f,
            "unit": f.unit or getattr(request.user, "org_unit", None),
            "status": status,
            "subject": subject,
            "statuses": Tip.Status.choices,
            "subjects": Subject.choices,
            "can_manage": has_capability(request.user, "tip.manage"),
        },
    )


@login_required
def tip_create(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "tip.manage")
    if request.method == "POST":
        form = forms.IntakeForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                tip = services.tip_receive(
                    acting_user=request.user, org_unit=data.pop("org_unit"),
                    received_at=data.pop("received_at"), channel=data.pop("channel"),
                    content=data.pop("content"), files=data.pop("attachments") or [], **data,
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã tiếp nhận tin báo %(r)s.") % {"r": tip.reference})
                return redirect("tips:detail", pk=tip.pk)
    else:
        form = forms.IntakeForm(user=request.user)
    return render(
        request,
        "tips/tip_form.html",
        {"form": form, "unit": getattr(request.user, "org_unit", None)},
        status=422 if form.is_bound else 200,
    )


def _detail_context(request: HttpRequest, tip: Tip, **bound: Any) -> dict[str, Any]:
    user = request.user
    manage = services.can_manage(user, tip)
    is_open = tip.status != Tip.Status.HANDLED
    context: dict[str, Any] = {
        "tip": tip,
        "unit": tip.org_unit,
        "clock": tip_clock(tip),
        "events": tip.events.select_related("actor"),
        "pauses": tip.pauses.all(),
        "open_pause": next((p for p in tip.pauses.all() if p.ended_at is None), None),
        "attachments": tip.attachments.all(),
        "messages_list": tip.messages.select_related("author"),
        "transfers": tip.transfers.select_related("org_unit"),
        "can_manage": manage,
        "can_supervise": services.can_supervise(user, tip),
        "can_reveal": services.can_reveal(user, tip) and not tip.reporter_anonymous,
        "is_open": is_open,
        "has_extension": hasattr(tip, "extension"),
        "linked_case_visible": tip.case_id is not None and has_capability(user, "enforcement.view"),
    }
    if manage:
        context.update(
            assign_form=bound.get("assign_form") or forms.AssignForm(tip=tip),
            note_form=bound.get("note_form") or forms.NoteForm(),
            classify_form=bound.get("classify_form")
            or forms.ClassifyForm(
                initial={
                    "subject": tip.subject,
                    "legal_nature": tip.legal_nature,
                    "is_complex": tip.is_complex,
                    "remote_area": tip.remote_area,
                }
            ),  # fmt: skip
            handle_form=bound.get("handle_form") or forms.HandleForm(user=user),
            transfer_form=bound.get("transfer_form") or forms.TransferForm(tip=tip),
            pause_form=bound.get("pause_form") or forms.PauseForm(),
            message_form=bound.get("message_form") or forms.MessageForm(),
            reveal_form=bound.get("reveal_form") or forms.RevealForm(),
        )
    if context["can_supervise"]:
        context["extend_form"] = bound.get("extend_form") or forms.ExtendForm()
    context.update(bound)
    return context


@login_required
@require_GET
def tip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tip = selectors.tip_get_for_user(pk=pk, user=request.user)
    audit_record(
        action=AuditEvent.Action.VIEW_SENSITIVE, user=request.user, obj=tip, request=request,
        detail={"fields": ["content"]},
    )  # fmt: skip
    return render(request, "tips/tip_detail.html", _detail_context(request, tip))


def _action(
    request: HttpRequest,
    pk: int,
    form_name: str,
    make_form: Callable[[Tip], Any],
    run: Callable[[Tip, Any], Any],
    done: str,
) -> HttpResponse:
    """Shared shape of the POST actions: parse, call the service, re-render on error."""
    tip = selectors.tip_get_for_user(pk=pk, user=request.user)
    form = make_form(tip)
    if form.is_valid():
        try:
            run(tip, form.cleaned_data)
        except StaleRecord:
            messages.error(request, _("Tin báo vừa được người khác cập nhật; hãy thử lại."))
            return redirect("tips:detail", pk=tip.pk)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, done)
            return redirect("tips:detail", pk=tip.pk)
    tip.refresh_from_db()
    context = _detail_context(request, tip, **{form_name: form, "failed": form_name})
    return render(request, "tips/tip_detail.html", context, status=422)


@login_required
@require_POST
def tip_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "assign_form", lambda t: forms.AssignForm(request.POST, tip=t),
        lambda t, d: services.tip_assign_officer(tip=t, officer=d["officer"],
                                                 acting_user=request.user),
        _("Đã giao cán bộ thụ lý."),
    )  # fmt: skip


@login_required
@require_POST
def tip_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "note_form", lambda t: forms.NoteForm(request.POST),
        lambda t, d: services.tip_verify(tip=t, acting_user=request.user, note=d["note"]),
        _("Đã chuyển sang xác minh."),
    )  # fmt: skip


@login_required
@require_POST
def tip_classify(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "classify_form", lambda t: forms.ClassifyForm(request.POST),
        lambda t, d: services.tip_classify(tip=t, acting_user=request.user, **d),
        _("Đã phân loại."),
    )  # fmt: skip


@login_required
@require_POST
def tip_handle(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "handle_form", lambda t: forms.HandleForm(request.POST, user=request.user),
        lambda t, d: services.tip_handle(tip=t, acting_user=request.user, **d),
        _("Đã ghi kết quả xử lý."),
    )  # fmt: skip


@login_required
@require_POST
def tip_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "transfer_form", lambda t: forms.TransferForm(request.POST, tip=t),
        lambda t, d: services.tip_transfer(tip=t, acting_user=request.user, **d),
        _("Đã chuyển tin báo."),
    )  # fmt: skip


@login_required
@require_POST
def tip_pause(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "pause_form", lambda t: forms.PauseForm(request.POST),
        lambda t, d: services.tip_pause(tip=t, acting_user=request.user, reason=d["reason"]),
        _("Đã tạm dừng tính thời hạn."),
    )  # fmt: skip


@login_required
@require_POST
def tip_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "note_form", lambda t: forms.NoteForm(request.POST),
        lambda t, d: services.tip_resume(tip=t, acting_user=request.user),
        _("Đã tiếp tục tính thời hạn."),
    )  # fmt: skip


@login_required
@require_POST
def tip_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "extend_form", lambda t: forms.ExtendForm(request.POST),
        lambda t, d: services.tip_extend(tip=t, acting_user=request.user, **d),
        _("Đã phê duyệt gia hạn."),
    )  # fmt: skip


@login_required
@require_POST
def tip_message(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, "message_form", lambda t: forms.MessageForm(request.POST),
        lambda t, d: services.tip_message_officer(tip=t, acting_user=request.user, body=d["body"]),
        _("Đã gửi tin nhắn."),
    )  # fmt: skip


@login_required
@require_POST
def tip_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the reporter's details once, after recording the reason (never redirected: the
    values are in this response only)."""
    tip = selectors.tip_get_for_user(pk=pk, user=request.user)
    if not services.can_reveal(request.user, tip):
        raise PermissionDenied(
            _("Chỉ cán bộ thụ lý hoặc công an của đơn vị được xem thông tin người báo.")
        )
    form = forms.RevealForm(request.POST)
    if form.is_valid():
        try:
            revealed = services.tip_reveal_reporter(
                tip=tip, user=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            context = _detail_context(request, tip, revealed=revealed)
            return render(request, "tips/tip_detail.html", context)
    return render(
        request, "tips/tip_detail.html",
        _detail_context(request, tip, reveal_form=form, failed="reveal_form"), status=422,
    )  # fmt: skip


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    att = TipAttachment.objects.select_related("tip").filter(pk=pk).first()
    if att is None:
        raise Http404(_("Không tìm thấy, hoặc bạn không có quyền xem mục này."))
    tip = selectors.tip_get_for_user(pk=att.tip_id, user=request.user)
    audit_record(
        action=AuditEvent.Action.VIEW_SENSITIVE, user=request.user, obj=tip, request=request,
        detail={"fields": ["attachment"], "attachment": att.pk},
    )  # fmt: skip
    response = FileResponse(att.file.open("rb"), content_type=att.content_type)
    response["Content-Disposition"] = f'attachment; filename="{att.pk}-{att.original_name}"'
    return response


@login_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "tip.stats")
    f = _filters(request)
    data = selectors.tip_stats(user=request.user, unit=f.unit, period=f.period)
    return render(
        request,
        "tips/stats.html",
        {"stats": data, "filters": f, "unit": f.unit or getattr(request.user, "org_unit", None)},
    )


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.notification_list(user=request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tips/notification_list.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "unit": getattr(request.user, "org_unit", None),
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.getlist("id")
    ids = [n for x in raw if (n := parse_id(x)) is not None] or None
    services.notification_mark_read(user=request.user, ids=ids)
    return redirect("tips:notifications")
