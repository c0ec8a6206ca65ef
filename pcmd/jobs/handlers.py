"""Adapters that let existing long operations run as jobs: each takes (job, progress).

Owns: orgunits_load(). Every function here must be listed in registry.JOB_KINDS.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from pcmd.orgunits import loading

if TYPE_CHECKING:
    from pcmd.jobs.models import Job
    from pcmd.jobs.tasks import Progress


def orgunits_load(job: Job, progress: Progress) -> dict[str, Any]:
    """Reload the official hierarchy (idempotent) and report what changed."""
    result = loading.orgunits_load(progress=progress)
    data = asdict(result)
    data["unmatched_conversions"] = len(result.unmatched_conversions)
    return data
