"""Pages of the support case files: list (codes, filters, search through the blind index),
detail with the timeline, a form for each record, identity reveal with a reason, closure request
and approval, legal hold, data-subject export and erasure, overdue referrals, suppressed
statistics.

Owns: beneficiary_list, beneficiary_create, beneficiary_detail, beneficiary_edit,
consent_create, consent_withdraw, assessment_create, service_create, referral_create,
referral_update, referral_overdue, beneficiary_reveal, closure_request, closure_decide,
legal_hold, beneficiary_export, beneficiary_erase, support_stats.
Invariants: case files come through selectors (404 outside the scope or without
"beneficiary.view"); identities appear only on the reveal page, after reveal() audited the read,
on a response that is not cached; writes go through services; a failed form keeps what was
typed and answers 422; a refused referral says why and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, require_capability, unit_in_scope
from pcmd.common.forms import form_errors_from
from pcmd.common.params import parse_year
from pcmd.common.records import StaleRecord
from pcmd.sealing.access import reveal
from pcmd.sealing.suppression import suppress_cells, suppress_count, suppress_percent
from pcmd.support.casefiles import dsr, forms, selectors, services
from pcmd.support.casefiles.models import Beneficiary, Referral, ServiceKind

PAGE_SIZE = 25
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _caps(user: Any, b: Beneficiary | None = None) -> dict[str, bool]:
    in_scope = b is None or unit_in_scope(user, b.org_unit)
    return {
        "can_manage": has_capability(user, "beneficiary.manage") and in_scope,
        "can_supervise": has_capability(user, "support.supervise") and in_scope,
        "can_reveal": b is not None and selectors.can_reveal_identity(user, b),
        "can_search": has_capability(user, "beneficiary.identity"),
        "can_request": b is not None and dsr.can_handle_request(user, b),
    }


def _get(request: HttpRequest, pk: int) -> Beneficiary:
    return selectors.beneficiary_get_for_user(beneficiary_id=pk, user=request.user)


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    beneficiary: Beneficiary | None = None,
    lead: str = "",
    submit: str = "",
    status: int = 200,
    danger: bool = False,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "b": beneficiary,
        "lead": lead,
        "submit": submit or _("Lưu"),
        "danger": danger,
    }
    return render(request, "support/casefiles/form.html", context, status=status)


# --- List, detail ------------------------------------------------------------------------


@login_required
def beneficiary_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "beneficiary.view")
    user: Any = request.user
    group = request.GET.get("group") or ""
    group = group if group in Beneficiary.Group.values else ""
    status = request.GET.get("status") or ""
    status = status if status in Beneficiary.Status.values else ""
    year_raw = (request.GET.get("year") or "").strip()
    year = parse_year(year_raw)
    # The search is POSTed: a name or ID number in a URL would end up in server logs and the
    # browser's history.
    query = (request.POST.get("q") or "").strip()[:200] if request.method == "POST" else ""
    by = "id_number" if request.POST.get("by") == "id_number" else "name"
    searching = bool(query) and has_capability(user, "beneficiary.identity")
    if searching:
        qs = selectors.beneficiary_search(user=user, query=query, kind=by)
        # A search by name or ID number tells whether the person has a file: it is a read of
        # sealed data, recorded without the value searched for.
        audit_record(
            action=AuditEvent.Action.VIEW_SENSITIVE,
            user=user,
            org_unit=user.org_unit,
            request=request,
            detail={"search": by, "matches": qs.count()},
        )
    else:
        qs = selectors.beneficiary_list_for_user(user=user, group=group, status=status, year=year)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "beneficiaries": page.object_list,
        "group": group,
        "status": status,
        "year": year_raw if year else "",
        "by": by,
        "groups": Beneficiary.Group.choices,
        "statuses": Beneficiary.Status.choices,
        "filtered": bool(group or status or year or searching),
        "searching": searching,
        "overdue": selectors.referral_list_overdue(user=user).count(),
        "unit": user.org_unit,
        **_caps(user),
    }
    return render(request, "support/casefiles/beneficiary_list.html", context)


@login_required
def beneficiary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    b = _get(request, pk)
    today = timezone.localdate()
    context = {
        "b": b,
        "timeline": selectors.beneficiary_timeline(b),
        "consents": b.consents.all(),
        "pilot_models": b.pilot_models.all(),
        "referral_consent": services.referral_consent(b, today),
        "today": today,
        **_caps(request.user, b),
    }
    return render(request, "support/casefiles/beneficiary_detail.html", context)


@login_required
def beneficiary_create(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "beneficiary.manage")
    user: Any = request.user
    title = _("Lập hồ sơ hỗ trợ")
    if request.method == "POST":
        form = forms.BeneficiaryForm(request.POST, user=user)
        if form.is_valid():
            try:
                b = services.beneficiary_create(acting_user=user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã lập hồ sơ %(code)s.") % {"code": b.code})
                return redirect("support:beneficiary-detail", pk=b.pk)
        return _form_page(request, form=form, title=title, status=422)
    form = forms.BeneficiaryForm(
        user=user, initial={"org_unit": user.org_unit_id, "registered_on": timezone.localdate()}
    )
    lead = _("Mã hồ sơ được cấp tự động (mã đơn vị, năm, số thứ tự), không suy ra từ tên.")
    return _form_page(request, form=form, title=title, lead=lead)


@login_required
def beneficiary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    b = _get(request, pk)
    require_capability(request.user, "beneficiary.manage")
    user: Any = request.user
    title = _("Sửa hồ sơ %(code)s") % {"code": b.code}
    if request.method == "POST":
        form = forms.BeneficiaryEditForm(request.POST, user=user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            values = {k: data[k] for k in services.BENEFICIARY_FIELDS}
            try:
                services.beneficiary_update(
                    beneficiary=b,
                    acting_user=user,
                    expected_version=data.get("version"),
                    identity=form.identity(),
                    pilot_models=data["pilot_models"],
                    **values,
                )
            except StaleRecord as exc:
                form.add_error(None, exc)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect("support:beneficiary-detail", pk=b.pk)
        return _form_page(request, form=form, title=title, beneficiary=b, status=422)
    form = forms.BeneficiaryEditForm.for_beneficiary(b, user=user)
    return _form_page(request, form=form, title=title, beneficiary=b)


def _record_form(
    request: HttpRequest,
    b: Beneficiary,
    *,
    form_class: Callable[..., Any],
    title: str,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    lead: str = "",
    form_kwargs: dict[str, Any] | None = None,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    require_capability(request.user, "beneficiary.manage")
    kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, PermissionDenied):
                    raise
                form_errors_from(exc, form)
            else:
                messages.success(request, done)
                return redirect("support:beneficiary-detail", pk=b.pk)
        return _form_page(request, form=form, title=title, beneficiary=b, lead=lead, status=422)
    form = form_class(initial=initial or {}, **kwargs)
    return _form_page(request, form=form, title=title, beneficiary=b, lead=lead)


@login_required
def origin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the person was referred from: the inspection or the case that found them."""
    b = _get(request, pk)
    return _record_form(
        request, b, form_class=forms.OriginForm,
        title=_("Nguồn chuyển đến — %(code)s") % {"code": b.code},
        save=lambda d: services.beneficiary_origin_set(
            beneficiary=b, acting_user=request.user, **d),
        done=_("Đã lưu nguồn chuyển đến."),
        lead=_("Lượt kiểm tra (xử phạt hành chính) hoặc vụ án đã phát hiện người này; trang "
               "của lượt kiểm tra, vụ án sẽ hiện mã hồ sơ (chỉ với người được xem hồ sơ)."),
        form_kwargs={"user": request.user, "beneficiary": b},
        initial={"inspection": b.origin_inspection_id, "case": b.origin_case_id},
    )  # fmt: skip


@login_required
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    b = _get(request, pk)
    return _record_form(
        request, b, form_class=forms.ConsentForm,
        title=_("Ghi đồng ý — %(code)s") % {"code": b.code},
        save=lambda d: services.consent_create(beneficiary=b, acting_user=request.user, **d),
        done=_("Đã ghi đồng ý."), initial={"given_on": timezone.localdate()},
        lead=_("Ghi rõ người được hỗ trợ đồng ý cho những nội dung nào. Chuyển gửi chỉ thực hiện "
               "được khi có đồng ý cho phép chuyển gửi, chia sẻ thông tin."),
    )  # fmt: skip


@login_required
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_get_for_user(consent_id=pk, user=request.user)
    b = consent.beneficiary
    return _record_form(
        request, b, form_class=forms.ConsentWithdrawForm,
        title=_("Rút lại đồng ý ngày %(d)s — %(code)s") % {
            "d": consent.given_on.strftime("%d/%m/%Y"), "code": b.code},
        save=lambda d: services.consent_withdraw(
            consent=consent, acting_user=request.user, **d),
        done=_("Đã ghi việc rút lại đồng ý."), initial={"withdrawn_on": timezone.localdate()},
    )  # fmt: skip


@login_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    b = _get(request, pk)
    return _record_form(
        request, b, form_class=forms.AssessmentForm,
        title=_("Đánh giá nhu cầu — %(code)s") % {"code": b.code},
        save=lambda d: services.assessment_create(beneficiary=b, acting_user=request.user, **d),
        done=_("Đã ghi đánh giá nhu cầu."), initial={"assessed_on": timezone.localdate()},
    )  # fmt: skip


@login_required
def service_create(request: HttpRequest, pk: int) -> HttpResponse:
    b = _get(request, pk)
    return _record_form(
        request, b, form_class=forms.ServiceForm,
        title=_("Ghi dịch vụ đã cung cấp — %(code)s") % {"code": b.code},
        save=lambda d: services.service_create(beneficiary=b, acting_user=request.user, **d),
        done=_("Đã ghi dịch vụ."), initial={"provided_on": timezone.localdate()},
        form_kwargs={"user": request.user, "beneficiary": b},
    )  # fmt: skip


@login_required
def referral_create(request: HttpRequest, pk: int) -> HttpResponse:
    b = _get(request, pk)
    consent = services.referral_consent(b, timezone.localdate())
    lead = (
        _("Có đồng ý chuyển gửi ngày %(d)s.") % {"d": consent.given_on.strftime("%d/%m/%Y")}
        if consent
        else _("Chưa có đồng ý còn hiệu lực cho phép chuyển gửi: hãy ghi đồng ý trước.")
    )
    return _record_form(
        request, b, form_class=forms.ReferralForm,
        title=_("Chuyển gửi — %(code)s") % {"code": b.code},
        save=lambda d: services.referral_create(beneficiary=b, acting_user=request.user, **d),
        done=_("Đã ghi chuyển gửi."), lead=lead,
        initial={"referred_on": timezone.localdate()}, form_kwargs={"user": request.user},
    )  # fmt: skip


@login_required
def referral_update(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for_user(referral_id=pk, user=request.user)
    b = referral.beneficiary
    return _record_form(
        request, b, form_class=forms.ReferralUpdateForm,
        title=_("Cập nhật chuyển gửi đến %(to)s — %(code)s") % {
            "to": referral.recipient, "code": b.code},
        save=lambda d: services.referral_update(
            referral=referral, acting_user=request.user, **d),
        done=_("Đã cập nhật chuyển gửi."),
        initial={"status": referral.status, "follow_up_on": referral.follow_up_on,
                 "outcome_note": referral.outcome_note},
    )  # fmt: skip


@login_required
def referral_overdue(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "beneficiary.view")
    referrals = selectors.referral_list_overdue(user=request.user)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "referrals": page.object_list, "today": timezone.localdate()}
    return render(request, "support/casefiles/referral_overdue.html", context)


# --- Identity, closure, legal hold -------------------------------------------------------


@never_cache
@login_required
def beneficiary_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    b = selectors.beneficiary_get_for_reveal(beneficiary_id=pk, user=request.user)
    title = _("Xem thông tin nhận dạng — %(code)s") % {"code": b.code}
    if request.method == "POST":
        form = forms.RevealForm(request.POST)
        if form.is_valid():
            try:
                values = reveal(
                    user=request.user, obj=b, fields=form.cleaned_data["fields_wanted"],
                    reason=form.cleaned_data["reason"], request=request,
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error("reason", exc)
            else:
                labels = dict(forms.IDENTITY_CHOICES)
                shown = [(labels[k], v) for k, v in values.items()]
                context = {"b": b, "shown": shown, "title": title}
                return render(request, "support/casefiles/beneficiary_revealed.html", context)
        return _form_page(request, form=form, title=title, beneficiary=b, status=422,
                          submit=_("Xem"))  # fmt: skip
    lead = _("Mỗi lần xem được ghi vào nhật ký cùng lý do và được người phụ trách theo dõi.")
    return _form_page(request, form=forms.RevealForm(), title=title, beneficiary=b, lead=lead,
                      submit=_("Xem"))  # fmt: skip


@login_required
def closure_request(request: HttpRequest, pk: int) -> HttpResponse:
    b = _get(request, pk)
    return _record_form(
        request, b, form_class=forms.ClosureRequestForm,
        title=_("Đề nghị đóng hồ sơ %(code)s") % {"code": b.code},
        save=lambda d: services.closure_request(beneficiary=b, acting_user=request.user, **d),
        done=_("Đã gửi đề nghị đóng hồ sơ; chờ lãnh đạo phê duyệt."),
        initial={"closed_on": timezone.localdate()},
    )  # fmt: skip


def _supervisor_form(
    request: HttpRequest,
    b: Beneficiary,
    *,
    form_class: Any,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    require_capability(request.user, "support.supervise")
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, done)
                return redirect("support:beneficiary-detail", pk=b.pk)
        return _form_page(request, form=form, title=title, beneficiary=b, status=422)
    return _form_page(request, form=form_class(initial=initial or {}), title=title, beneficiary=b)


@login_required
def closure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    b = _get(request, pk)
    return _supervisor_form(
        request, b, form_class=forms.ClosureDecideForm,
        title=_("Phê duyệt đóng hồ sơ %(code)s") % {"code": b.code},
        save=lambda d: services.closure_decide(
            beneficiary=b, acting_user=request.user, approve=d["decision"] == "approve",
            note=d["note"]),
        done=_("Đã ghi quyết định."),
    )  # fmt: skip


@login_required
def legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    b = _get(request, pk)
    return _supervisor_form(
        request, b, form_class=forms.LegalHoldForm,
        title=_("Giữ hồ sơ %(code)s theo yêu cầu pháp lý") % {"code": b.code},
        save=lambda d: services.legal_hold_set(
            beneficiary=b, acting_user=request.user, hold=d["hold"], reason=d["reason"]),
        done=_("Đã lưu."), initial={"hold": not b.legal_hold},
    )  # fmt: skip


# --- Data-subject requests ----------------------------------------------------------------


def _require_request(request: HttpRequest, b: Beneficiary) -> None:
    if not dsr.can_handle_request(request.user, b):
        raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))


@never_cache
@login_required
def beneficiary_export(request: HttpRequest, pk: int) -> HttpResponse:
    b = _get(request, pk)
    _require_request(request, b)
    title = _("Xuất toàn bộ dữ liệu của hồ sơ %(code)s") % {"code": b.code}
    if request.method == "POST":
        form = forms.ExportForm(request.POST)
        if form.is_valid():
            try:
                data = dsr.beneficiary_export(
                    beneficiary=b, acting_user=request.user,
                    reason=form.cleaned_data["reason"], request=request,
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                stamp = f"{timezone.localdate():%Y%m%d}"
                if form.cleaned_data["format"] == "xlsx":
                    response = HttpResponse(
                        dsr.beneficiary_export_xlsx(data), content_type=XLSX_TYPE
                    )
                    name = f"ho-so-{b.code}-{stamp}.xlsx"
                else:
                    response = HttpResponse(
                        dsr.beneficiary_export_json(data), content_type="application/json"
                    )
                    name = f"ho-so-{b.code}-{stamp}.json"
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return response
        return _form_page(request, form=form, title=title, beneficiary=b, status=422,
                          submit=_("Tải xuống"))  # fmt: skip
    lead = _("Bản xuất gồm cả thông tin nhận dạng, dùng để trả lời yêu cầu của chính người được "
             "hỗ trợ. Việc xuất được ghi vào nhật ký cùng lý do.")  # fmt: skip
    return _form_page(request, form=forms.ExportForm(), title=title, beneficiary=b, lead=lead,
                      submit=_("Tải xuống"))  # fmt: skip


@login_required
def beneficiary_erase(request: HttpRequest, pk: int) -> HttpResponse:
    b = _get(request, pk)
    _require_request(request, b)
    title = _("Xóa hồ sơ %(code)s theo yêu cầu") % {"code": b.code}
    if request.method == "POST":
        form = forms.EraseForm(request.POST, beneficiary=b)
        if form.is_valid():
            try:
                code = dsr.beneficiary_erase(
                    beneficiary=b, acting_user=request.user,
                    reason=form.cleaned_data["reason"], request=request,
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã xóa hồ sơ %(code)s và mọi dữ liệu của hồ sơ.")
                                 % {"code": code})  # fmt: skip
                return redirect("support:beneficiary-list")
        return _form_page(request, form=form, title=title, beneficiary=b, status=422,
                          submit=_("Xóa vĩnh viễn"), danger=True)  # fmt: skip
    lead = (
        _("Hồ sơ đang bị giữ theo yêu cầu pháp lý nên không xóa được.")
        if b.legal_hold
        else _("Xóa vĩnh viễn hồ sơ, thông tin nhận dạng, đồng ý, đánh giá, dịch vụ và chuyển "
               "gửi. Không khôi phục được.")
    )  # fmt: skip
    return _form_page(request, form=forms.EraseForm(beneficiary=b), title=title, beneficiary=b,
                      lead=lead, submit=_("Xóa vĩnh viễn"), danger=True)  # fmt: skip


# --- Statistics ---------------------------------------------------------------------------


@login_required
@require_GET
def support_stats(request: HttpRequest) -> HttpResponse:
    """Counts of people by group and by service, and the share of people in need reached —
    with small cells suppressed — for everyone with "support.stats"."""
    require_capability(request.user, "support.stats")
    user: Any = request.user
    year_raw = (request.GET.get("year") or "").strip()
    today = timezone.localdate()
    year = parse_year(year_raw) or today.year
    start_raw, end_raw = request.GET.get("from") or "", request.GET.get("to") or ""
    try:
        start = date.fromisoformat(start_raw) if start_raw else date(year, 1, 1)
        end = date.fromisoformat(end_raw) if end_raw else date(year, 12, 31)
    except ValueError:
        start, end = date(year, 1, 1), date(year, 12, 31)
    counts = selectors.support_counts(start=start, end=end, user=user)
    by_group = {g: counts["by_group"].get(g, 0) for g in Beneficiary.Group.values}
    group_total = sum(by_group.values())
    group_shown = suppress_cells(by_group, total=group_total)
    by_service = {k: counts["by_service"].get(k, 0) for k in ServiceKind.values}
    # People can receive several kinds of service: no total is shown, so no complement needed.
    service_shown = suppress_cells(by_service)
    reach = selectors.support_reach(start=start, end=end, user=user)
    reach_sw = selectors.support_reach(
        start=start, end=end, user=user, groups=[Beneficiary.Group.SEX_WORKER]
    )
    context = {
        "start": start,
        "end": end,
        "year": year,
        "unit": user.org_unit,
        "groups": [(label, group_shown[g]) for g, label in Beneficiary.Group.choices],
        "group_total": suppress_count(group_total),
        "services": [(label, service_shown[k]) for k, label in ServiceKind.choices],
        "reach": {
            "in_need": suppress_count(reach.in_need),
            "reached": suppress_count(reach.reached),
            "percent": suppress_percent(reach.reached, reach.in_need),
        },
        "reach_sw": {
            "in_need": suppress_count(reach_sw.in_need),
            "reached": suppress_count(reach_sw.reached),
            "percent": suppress_percent(reach_sw.reached, reach_sw.in_need),
        },
        "overdue": suppress_count(counts["overdue"]["referrals"]),
        "referral_statuses": Referral.Status.choices,
    }
    return render(request, "support/casefiles/stats.html", context)
