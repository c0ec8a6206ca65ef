"""Pages of background jobs: the list, one job with its live progress, starting system jobs.

Owns: job_list, job_detail, job_run_orgunits_load, job_retry_view.
Invariants: a user sees the jobs they started and the jobs of units in their scope; the detail
page polls its own progress partial every 2 s until the job has finished.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts.permissions import has_capability, require_capability, scope_q
from pcmd.jobs import registry
from pcmd.jobs.models import Job
from pcmd.jobs.services import JobRetryRefused, job_enqueue, job_retry


def _jobs_for(user) -> QuerySet[Job]:  # type: ignore[no-untyped-def]
    return Job.objects.filter(Q(created_by=user) | scope_q(user, "org_unit")).select_related(
        "created_by", "org_unit"
    )


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "job.view")
    page = Paginator(_jobs_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {"page_obj": page, "jobs": page.object_list})


@login_required
def job_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    require_capability(request.user, "job.view")
    job = _jobs_for(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404(_("Không tìm thấy, hoặc bạn không có quyền xem mục này."))
    context = {"job": job, "can_retry": _can_retry(request.user, job)}
    if getattr(request, "htmx", False):
        return render(request, "jobs/partials/_progress.html", context)
    return render(request, "jobs/job_detail.html", context)


@login_required
@require_POST
def job_run_orgunits_load(request: HttpRequest) -> HttpResponse:
    kind = registry.JOB_KINDS["orgunits.load"]
    require_capability(request.user, kind.capability)
    job = job_enqueue(
        handler=kind.handler,
        title=str(kind.title),
        params={},
        user=request.user,  # type: ignore[arg-type]
        org_unit=getattr(request.user, "org_unit", None),
    )
    messages.success(request, _("Đã đưa tác vụ vào hàng đợi; trang này tự cập nhật tiến độ."))
    return redirect("jobs:detail", pk=job.pk)


def _can_retry(user, job: Job) -> bool:  # type: ignore[no-untyped-def]
    if job.status != Job.Status.FAILED:
        return False
    try:
        kind = registry.kind_for_handler(job.handler)
    except registry.UnknownJobHandler:
        return False
    return has_capability(user, kind.capability)


@login_required
@require_POST
def job_retry_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Start a failed job again (the same handler and parameters), as the user asking."""
    require_capability(request.user, "job.view")
    job = _jobs_for(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404(_("Không tìm thấy, hoặc bạn không có quyền xem mục này."))
    try:
        kind = registry.kind_for_handler(job.handler)
    except registry.UnknownJobHandler as exc:
        raise Http404(_("Không tìm thấy, hoặc bạn không có quyền xem mục này.")) from exc
    require_capability(request.user, kind.capability)
    try:
        again = job_retry(job=job, user=request.user)  # type: ignore[arg-type]
    except JobRetryRefused as exc:
        messages.error(request, str(exc))
        return redirect("jobs:detail", pk=job.pk)
    messages.success(request, _("Đã đưa tác vụ vào hàng đợi để chạy lại."))
    return redirect("jobs:detail", pk=again.pk)
