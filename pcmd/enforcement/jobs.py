"""The background imports of large enforcement XLSX files (listed in pcmd.jobs.registry).

Owns: establishment_import_job(), IMPORT_JOB_HANDLER, establishment_import_enqueue(),
case_import_job(), CASE_IMPORT_JOB_HANDLER, record_import_enqueue().
Invariants: the uploaded file is kept in the default storage only until the job has read it;
the job writes all rows or none (services.establishments_import, services.cases_import) and
stores every error message (capped) in its result.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from pcmd.enforcement import services
from pcmd.orgunits.models import OrgUnit

if TYPE_CHECKING:
    from pcmd.jobs.models import Job
    from pcmd.jobs.tasks import Progress

IMPORT_JOB_HANDLER = "pcmd.enforcement.jobs.establishment_import_job"
CASE_IMPORT_JOB_HANDLER = "pcmd.enforcement.jobs.case_import_job"
MAX_ERRORS_KEPT = 10_000


def establishment_import_enqueue(*, data: bytes, commune: OrgUnit, user: Any, filename: str) -> Job:
    from pcmd.jobs.services import job_enqueue

    path = default_storage.save(f"enforcement/imports/{uuid.uuid4().hex}.xlsx", ContentFile(data))
    return job_enqueue(
        handler=IMPORT_JOB_HANDLER,
        title=_("Nhập cơ sở kinh doanh dịch vụ từ %(f)s") % {"f": filename[:150]},
        params={"path": path, "commune_id": commune.pk, "filename": filename[:200]},
        user=user,
        org_unit=commune,
    )


def establishment_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    path = str(job.params["path"])
    try:
        with default_storage.open(path, "rb") as fh:
            data = fh.read()
        result = services.establishments_import(
            data=data,
            commune=OrgUnit.objects.get(pk=job.params["commune_id"]),
            acting_user=job.created_by,
            filename=str(job.params.get("filename") or ""),
            progress=progress,
        )
    finally:
        default_storage.delete(path)
    return {
        "created": result.created,
        "error_count": len(result.errors),
        "errors": [str(e) for e in result.errors[:MAX_ERRORS_KEPT]],
    }


def record_import_enqueue(
    *, handler: str, title: str, data: bytes, unit: OrgUnit, user: Any, filename: str
) -> Job:
    """Keep the file and queue `handler` to import it under `unit`."""
    from pcmd.jobs.services import job_enqueue

    path = default_storage.save(f"enforcement/imports/{uuid.uuid4().hex}.xlsx", ContentFile(data))
    return job_enqueue(
        handler=handler,
        title=title,
        params={"path": path, "unit_id": unit.pk, "filename": filename[:200]},
        user=user,
        org_unit=unit,
    )


def _run_import(job: Job, progress: Progress, importer: Any) -> dict[str, Any]:
    path = str(job.params["path"])
    try:
        with default_storage.open(path, "rb") as fh:
            data = fh.read()
        result = importer(
            data=data,
            unit=OrgUnit.objects.get(pk=job.params["unit_id"]),
            acting_user=job.created_by,
            filename=str(job.params.get("filename") or ""),
            progress=progress,
        )
    finally:
        default_storage.delete(path)
    return {
        "created": result.created,
        "error_count": len(result.errors),
        "errors": [str(e) for e in result.errors[:MAX_ERRORS_KEPT]],
    }


def case_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    return _run_import(job, progress, services.cases_import)
