"""The background imports of large staff roster and training course XLSX files (listed in
pcmd.jobs.registry).

Owns: staff_import_job(), IMPORT_JOB_HANDLER, course_import_job(), COURSE_IMPORT_JOB_HANDLER,
IMPORT_STORAGE_DIR.
Invariants: a job writes all rows or none (services.staff_import, services.courses_import) and
stores every error message (capped) in its result.
Not here: keeping the file and running it (pcmd.records.imports).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pcmd.records.imports import run_import
from pcmd.training import services

if TYPE_CHECKING:
    from pcmd.jobs.models import Job
    from pcmd.jobs.tasks import Progress

IMPORT_JOB_HANDLER = "pcmd.training.jobs.staff_import_job"
COURSE_IMPORT_JOB_HANDLER = "pcmd.training.jobs.course_import_job"
IMPORT_STORAGE_DIR = "training/imports"


def staff_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    return run_import(job, progress, services.staff_import)


def course_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    return run_import(job, progress, services.courses_import)
