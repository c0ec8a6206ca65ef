"""The generic XLSX import pages and background import jobs shared by the record apps
(enforcement, support, training, outreach).

Owns: ImportKind, records_import() (upload -> count rows -> direct import or background job),
records_import_job() (the job's result page), import_enqueue(), run_import(), MAX_ERRORS_KEPT.
Invariants: the uploaded file is kept in the default storage only until the job has read it;
an import writes all rows or none (the app's importer) and a job stores every error message
(capped) in its result; the job page only shows jobs of the kind's handler in the user's scope.
Not here: the columns and the row -> record mapping (each app's services), the allow-list of
job handlers (pcmd.jobs.registry; each app's jobs.py keeps its handler and calls run_import).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcmd.accounts.permissions import get_in_scope_or_404, require_capability
from pcmd.orgunits.models import OrgUnit
from pcmd.records.xlsx import XLSX_MAX_BYTES, xlsx_count_rows

if TYPE_CHECKING:
    from pcmd.jobs.models import Job
    from pcmd.jobs.tasks import Progress

MAX_ERRORS_KEPT = 10_000


@dataclass(frozen=True)
class ImportKind:
    """How the generic import pages take one kind of record from an XLSX file."""

    capability: str
    importer: Callable[..., Any]  # services.*_import(<unit_arg>=, data=, acting_user=, filename=)
    job_handler: str
    job_title: Any  # lazy, with %(f)s for the file name
    title: Any  # lazy page title
    done: Any  # lazy, with %(n)d: the message after a direct import
    list_url: str
    template_url: str
    job_url: str
    form_class: Any  # the upload form: takes user=, has "file" and `unit_field`
    storage_dir: str  # where the file waits for its job, e.g. "support/imports"
    unit_field: str = "commune"  # the form field naming the unit
    unit_arg: str = "unit"  # the importer's keyword for the unit (job param f"{unit_arg}_id")
    job_heading: Any = None  # lazy heading of the job page (default: title)
    lead: Any = gettext_lazy(
        "Tải tệp mẫu, điền mỗi dòng một bản ghi rồi tải lên. Tệp được kiểm tra toàn bộ trước: "
        "có lỗi thì không dòng nào được ghi. Tệp trên %(direct_max)s dòng được nhập dưới nền."
    )
    job_done: Any = gettext_lazy("Đã nhập %(created)s bản ghi.")
    nav_template: str = ""  # included above the heading when set

    @property
    def heading(self) -> Any:
        return self.job_heading if self.job_heading is not None else self.title


def import_enqueue(
    *, kind: ImportKind, data: bytes, unit: OrgUnit, user: Any, filename: str
) -> Job:
    """Keep the file and queue the kind's handler to import it under `unit`."""
    from pcmd.jobs.services import job_enqueue

    path = default_storage.save(f"{kind.storage_dir}/{uuid.uuid4().hex}.xlsx", ContentFile(data))
    return job_enqueue(
        handler=kind.job_handler,
        title=str(kind.job_title) % {"f": filename[:150]},
        params={"path": path, f"{kind.unit_arg}_id": unit.pk, "filename": filename[:200]},
        user=user,
        org_unit=unit,
    )


def run_import(
    job: Job, progress: Progress, importer: Callable[..., Any], *, unit_arg: str = "unit"
) -> dict[str, Any]:
    """The body of an import job: read the kept file, import it, forget the file."""
    path = str(job.params["path"])
    try:
        with default_storage.open(path, "rb") as fh:
            data = fh.read()
        result = importer(
            data=data,
            acting_user=job.created_by,
            filename=str(job.params.get("filename") or ""),
            progress=progress,
            **{unit_arg: OrgUnit.objects.get(pk=job.params[f"{unit_arg}_id"])},
        )
    finally:
        default_storage.delete(path)
    return {
        "created": result.created,
        "error_count": len(result.errors),
        "errors": [str(e) for e in result.errors[:MAX_ERRORS_KEPT]],
    }


def records_import(request: HttpRequest, kind: ImportKind, *, direct_max: int) -> HttpResponse:
    """Upload a file: checked and written at once up to `direct_max` rows, else a job."""
    require_capability(request.user, kind.capability)
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        form = kind.form_class(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            unit = form.cleaned_data[kind.unit_field]
            if upload.size > XLSX_MAX_BYTES:
                form.add_error(
                    "file", _("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": XLSX_MAX_BYTES >> 20}
                )
            else:
                data = upload.read()
                if xlsx_count_rows(data) > direct_max:
                    job = import_enqueue(
                        kind=kind, data=data, unit=unit, user=request.user, filename=upload.name
                    )
                    return redirect(kind.job_url, pk=job.pk)
                result = kind.importer(
                    data=data,
                    acting_user=request.user,
                    filename=upload.name,
                    **{kind.unit_arg: unit},
                )
                if result.ok:
                    messages.success(request, str(kind.done) % {"n": result.created})
                    return redirect(kind.list_url)
                errors = [str(e) for e in result.errors]
        status = 422
    else:
        form = kind.form_class(user=request.user)
    context = {
        "form": form,
        "errors": errors,
        "direct_max": direct_max,
        "kind": kind,
        "lead": str(kind.lead) % {"direct_max": direct_max},
    }
    return render(request, "records/import.html", context, status=status)


def records_import_job(request: HttpRequest, kind: ImportKind, pk: Any) -> HttpResponse:
    """The result page of an import job (its errors, or how many records it wrote)."""
    from pcmd.jobs.models import Job

    require_capability(request.user, kind.capability)
    job = get_in_scope_or_404(Job.objects.filter(handler=kind.job_handler), request.user, pk=pk)
    result = job.result or {}
    created = result.get("created")
    return render(
        request,
        "records/import_job.html",
        {
            "job": job,
            "kind": kind,
            "errors": result.get("errors") or [],
            "created": created,
            "done": str(kind.job_done) % {"created": created} if created else "",
        },
    )
