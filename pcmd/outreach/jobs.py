"""The background import of a large outreach XLSX file (listed in pcmd.jobs.registry).

Owns: outreach_import_job(), IMPORT_JOB_HANDLER, IMPORT_STORAGE_DIR.
Invariants: the job writes all rows or none (services.outreach_events_import) and stores every
error message (capped) in its result.
Not here: keeping the file and running it (pcmd.records.imports).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pcmd.outreach import services
from pcmd.records.imports import run_import

if TYPE_CHECKING:
    from pcmd.jobs.models import Job
    from pcmd.jobs.tasks import Progress

IMPORT_JOB_HANDLER = "pcmd.outreach.jobs.outreach_import_job"
IMPORT_STORAGE_DIR = "outreach/imports"


def outreach_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    return run_import(job, progress, services.outreach_events_import, unit_arg="commune")
