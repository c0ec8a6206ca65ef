"""The anonymous public tip page: /to-giac/ (submit) and /to-giac/tra-cuu/ (status, messages).

Owns: public_submit, public_lookup, public_message.
Invariants: no login, no JavaScript needed (the place is chosen in two steps: the province by
GET, then the commune in the tip form), Vietnamese, every asset from our own host. Nothing about
the client is kept: no IP address, user agent or cookie is stored with the tip, no session is
started, no flash message is used; rate limits count in the cache under a keyed hash of the
address for the window only (ratelimit.py). The receipt code is shown once, in the response to
the submission, never redirected to or logged. A wrong or guessed code gets the same answer as
any code that leads nowhere, after the same work (the hash is always computed).
CSRF: the forms carry Django's CSRF token; its cookie ("csrftoken") holds a random value, not
personal data, is not linked to the tip and is the standard protection against a third-party
site submitting in the citizen's name — the choice is to keep it.
Not here: the rules (services.py).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from pcmd.common.forms import form_errors_from
from pcmd.common.params import parse_id
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import valid_on_q
from pcmd.tips import forms, ratelimit, services
from pcmd.tips.models import Tip

LIMITED = 429


def _provinces() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(
        valid_on_q(timezone.localdate()), level=OrgUnit.Level.PROVINCE
    ).order_by("key")


def _limited(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["limited"] = True
    return render(request, template, context, status=LIMITED)


@never_cache
@require_http_methods(["GET", "POST"])
def public_submit(request: HttpRequest) -> HttpResponse:
    provinces = _provinces()
    raw = request.POST.get("tinh") or request.GET.get("tinh") or ""
    province_id = parse_id(raw)
    province = provinces.filter(pk=province_id).first() if province_id is not None else None
    context: dict[str, Any] = {"provinces": provinces, "province": province}
    if province is None:
        return render(request, "tips/public/submit.html", context)
    on = timezone.localdate()
    if request.method == "POST":
        form = forms.PublicTipForm(request.POST, request.FILES, province=province, on=on)
        context["form"] = form
        if ratelimit.limit_hit(request, ratelimit.SUBMIT):
            return _limited(request, "tips/public/submit.html", context)
        if form.is_valid():
            data = form.cleaned_data
            try:
                tip, code = services.tip_public_submit(
                    org_unit=data["commune"], content=data["content"],
                    files=data["attachments"] or [],
                    reporter_name=data["reporter_name"], reporter_phone=data["reporter_phone"],
                    reporter_email=data["reporter_email"],
                )  # fmt: skip
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                return render(
                    request,
                    "tips/public/receipt.html",
                    {"code": code, "receipt_hash": tip.receipt_hash, "at": tip.received_at,
                     "place": tip.org_unit.name},
                )  # fmt: skip
        return render(request, "tips/public/submit.html", context, status=422)
    context["form"] = forms.PublicTipForm(province=province, on=on)
    return render(request, "tips/public/submit.html", context)


def _status_context(tip: Tip, code: str) -> dict[str, Any]:
    return {
        "tip": tip,
        "status_label": tip.get_status_display(),
        "outcome_label": tip.get_outcome_display() if tip.outcome else "",
        "messages_list": services.messages_for_reporter(tip),
        "message_form": forms.PublicMessageForm(initial={"code": code}),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def public_lookup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "tips/public/lookup.html", {"form": forms.LookupForm()})
    form = forms.LookupForm(request.POST)
    context: dict[str, Any] = {"form": form}
    if ratelimit.limit_hit(request, ratelimit.LOOKUP):
        return _limited(request, "tips/public/lookup.html", context)
    if form.is_valid():
        code = form.cleaned_data["code"]
        tip = services.tip_by_receipt(code)
        if tip is not None:
            return render(request, "tips/public/status.html", _status_context(tip, code))
    # The same answer for a malformed, mistyped or guessed code; the code is not echoed back.
    context = {"form": forms.LookupForm(), "not_found": True}
    return render(request, "tips/public/lookup.html", context, status=404)


@never_cache
@require_POST
def public_message(request: HttpRequest) -> HttpResponse:
    form = forms.PublicMessageForm(request.POST)
    if ratelimit.limit_hit(request, ratelimit.LOOKUP):
        return _limited(request, "tips/public/lookup.html", {"form": forms.LookupForm()})
    code = request.POST.get("code", "")
    tip = services.tip_by_receipt(code)
    if tip is None:
        context = {"form": forms.LookupForm(), "not_found": True}
        return render(request, "tips/public/lookup.html", context, status=404)
    if form.is_valid():
        try:
            services.tip_message_reporter(tip=tip, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            context = _status_context(tip, code)
            context["sent"] = _("Đã gửi tin nhắn.")
            return render(request, "tips/public/status.html", context)
    context = _status_context(tip, code)
    context["message_form"] = form
    return render(request, "tips/public/status.html", context, status=422)
