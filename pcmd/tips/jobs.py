"""Worker job of tips: send the deadline alerts (registered in pcmd.jobs.registry).

Owns: send_alerts_job(), SEND_ALERTS_JOB_HANDLER.
Scheduling: `pcmd scheduler` (pcmd.jobs.schedule) queues it every hour and the worker runs it;
`pcmd send_alerts --enqueue` queues one run by hand. Either way the run is idempotent.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from pcmd.tips.alerts import send_alerts

if TYPE_CHECKING:
    from pcmd.jobs.models import Job
    from pcmd.jobs.tasks import Progress

SEND_ALERTS_JOB_HANDLER = "pcmd.tips.jobs.send_alerts_job"


def send_alerts_job(job: Job, progress: Progress) -> dict[str, Any]:
    progress(0, 1, "")
    result = send_alerts()
    progress(1, 1, "")
    return asdict(result)
