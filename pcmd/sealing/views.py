"""The break-glass page: open a time-limited grant, list the grants one may see, end one early.

Owns: break_glass (GET list + form, POST open), break_glass_end (POST).
Invariants: only roles with sealed.break_glass open grants, and leaders/admins see the grants of
their scope; every opening and ending goes through access.py (audited); a failed form answers 422.
Not here: the rules (access.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts.permissions import has_capability
from pcmd.sealing import access
from pcmd.sealing.forms import BreakGlassForm

PAGE_SIZE = 25


def _may_see_page(user: Any) -> bool:
    return has_capability(user, "sealed.break_glass") or user.role in access.SUPERVISOR_ROLES


@login_required
def break_glass(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not _may_see_page(user):
        raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))
    can_open = has_capability(user, "sealed.break_glass")
    status = 200
    form = BreakGlassForm(user=user) if can_open else None
    if request.method == "POST":
        if not can_open:
            raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))
        form = BreakGlassForm(request.POST, user=user)
        if form.is_valid():
            try:
                grant = access.break_glass_open(
                    user=user,
                    org_unit=form.cleaned_data["org_unit"],
                    reason=form.cleaned_data["reason"],
                    minutes=form.cleaned_data["minutes"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Đã mở quyền truy cập khẩn cấp đến %(time)s.")
                    % {"time": timezone.localtime(grant.expires_at).strftime("%H:%M %d/%m/%Y")},
                )
                return redirect("sealing:break-glass")
        status = 422
    grants = access.break_glass_list_for_user(user)
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "grants": page.object_list,
        "now": timezone.now(),
        "is_supervisor": user.role in access.SUPERVISOR_ROLES,
    }
    return render(request, "sealing/break_glass.html", context, status=status)


@login_required
@require_POST
def break_glass_end(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    grant = access.break_glass_get_for_user(grant_id=pk, user=user)
    access.break_glass_end(grant=grant, user=user, request=request)
    messages.success(request, _("Đã kết thúc quyền truy cập khẩn cấp."))
    return redirect("sealing:break-glass")
