"""The background import of a large pilot-model XLSX file (listed in pcmd.jobs.registry).

Owns: pilotmodel_import_job(), IMPORT_JOB_HANDLER, pilotmodel_import_enqueue().
Invariants: the uploaded file is kept in the default storage only until the job has read it;
the job writes all rows or none (services.pilotmodels_import) and stores every error message
(capped) in its result.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from pcmd.orgunits.models import OrgUnit
from pcmd.support import services

if TYPE_CHECKING:
    from pcmd.jobs.models import Job
    from pcmd.jobs.tasks import Progress

IMPORT_JOB_HANDLER = "pcmd.support.jobs.pilotmodel_import_job"
MAX_ERRORS_KEPT = 10_000


def pilotmodel_import_enqueue(*, data: bytes, unit: OrgUnit, user: Any, filename: str) -> Job:
    from pcmd.jobs.services import job_enqueue

    path = default_storage.save(f"support/imports/{uuid.uuid4().hex}.xlsx", ContentFile(data))
    return job_enqueue(
        handler=IMPORT_JOB_HANDLER,
        title=_("Nhập mô hình thí điểm từ %(f)s") % {"f": filename[:150]},
        params={"path": path, "unit_id": unit.pk, "filename": filename[:200]},
        user=user,
        org_unit=unit,
    )


def pilotmodel_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    path = str(job.params["path"])
    try:
        with default_storage.open(path, "rb") as fh:
            data = fh.read()
        result = services.pilotmodels_import(
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
