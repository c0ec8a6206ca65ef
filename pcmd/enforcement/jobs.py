"""The background imports of large enforcement XLSX files (listed in pcmd.jobs.registry).

Owns: establishment_import_job(), IMPORT_JOB_HANDLER, case_import_job(),
CASE_IMPORT_JOB_HANDLER, inspection_import_job(), INSPECTION_IMPORT_JOB_HANDLER,
hotspot_import_job(), HOTSPOT_IMPORT_JOB_HANDLER, team_import_job(), TEAM_IMPORT_JOB_HANDLER,
IMPORT_STORAGE_DIR.
Invariants: the job writes all rows or none (services.establishments_import,
services.cases_import, services.inspections_import, services.hotspots_import,
services.teams_import) and stores every error message (capped) in its result.
Not here: keeping the file and running it (pcmd.records.imports).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pcmd.enforcement import services
from pcmd.records.imports import run_import

if TYPE_CHECKING:
    from pcmd.jobs.models import Job
    from pcmd.jobs.tasks import Progress

IMPORT_JOB_HANDLER = "pcmd.enforcement.jobs.establishment_import_job"
CASE_IMPORT_JOB_HANDLER = "pcmd.enforcement.jobs.case_import_job"
INSPECTION_IMPORT_JOB_HANDLER = "pcmd.enforcement.jobs.inspection_import_job"
HOTSPOT_IMPORT_JOB_HANDLER = "pcmd.enforcement.jobs.hotspot_import_job"
TEAM_IMPORT_JOB_HANDLER = "pcmd.enforcement.jobs.team_import_job"
IMPORT_STORAGE_DIR = "enforcement/imports"


def establishment_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    return run_import(job, progress, services.establishments_import, unit_arg="commune")


def case_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    return run_import(job, progress, services.cases_import)


def inspection_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    return run_import(job, progress, services.inspections_import)


def hotspot_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    return run_import(job, progress, services.hotspots_import)


def team_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    return run_import(job, progress, services.teams_import)
