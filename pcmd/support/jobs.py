"""The background import of a large pilot-model XLSX file (listed in pcmd.jobs.registry).

Owns: pilotmodel_import_job(), IMPORT_JOB_HANDLER, IMPORT_STORAGE_DIR.
Invariants: the job writes all rows or none (services.pilotmodels_import) and stores every error
message (capped) in its result.
Not here: keeping the file and running it (pcmd.records.imports).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pcmd.records.imports import run_import
from pcmd.support import services

if TYPE_CHECKING:
    from pcmd.jobs.models import Job
    from pcmd.jobs.tasks import Progress

IMPORT_JOB_HANDLER = "pcmd.support.jobs.pilotmodel_import_job"
IMPORT_STORAGE_DIR = "support/imports"


def pilotmodel_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    return run_import(job, progress, services.pilotmodels_import)
