"""The allow-list of background job handlers: only what is listed here can run in the worker.

Owns: JobKind, JOB_KINDS (name -> kind), kind_for_handler(), handler_resolve().
Invariants: a Job's `handler` is a dotted path that must appear here, both when the job is
enqueued and again when the worker runs it; nothing else is ever imported from a job row, so a
tampered row cannot make the worker run arbitrary code. Handlers take (job, progress) and return
a JSON-serialisable dict that becomes Job.result.
Not here: running (tasks.py), enqueuing (services.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


class UnknownJobHandler(LookupError):
    """The dotted path is not in the allow-list."""


@dataclass(frozen=True)
class JobKind:
    """A kind of job users may start: its handler, its title and who may start it."""

    name: str
    handler: str
    title: Any  # lazy translation
    capability: str


JOB_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    JOB_KINDS[kind.name] = kind
    return kind


# Later apps register their long operations here, next to this one.
register(
    JobKind(
        name="orgunits.load",
        handler="pcmd.jobs.handlers.orgunits_load",
        title=_("Nạp lại cây đơn vị hành chính"),
        capability="job.run_system",
    )
)

register(
    JobKind(
        name="outreach.import",
        handler="pcmd.outreach.jobs.outreach_import_job",
        title=_("Nhập hoạt động tuyên truyền từ tệp XLSX"),
        capability="outreach.manage",
    )
)

register(
    JobKind(
        name="enforcement.establishment_import",
        handler="pcmd.enforcement.jobs.establishment_import_job",
        title=_("Nhập cơ sở kinh doanh dịch vụ từ tệp XLSX"),
        capability="establishment.manage",
    )
)

register(
    JobKind(
        name="enforcement.case_import",
        handler="pcmd.enforcement.jobs.case_import_job",
        title=_("Nhập vụ án từ tệp XLSX"),
        capability="case.manage",
    )
)

register(
    JobKind(
        name="enforcement.inspection_import",
        handler="pcmd.enforcement.jobs.inspection_import_job",
        title=_("Nhập kết quả kiểm tra từ tệp XLSX"),
        capability="inspection.manage",
    )
)

register(
    JobKind(
        name="enforcement.hotspot_import",
        handler="pcmd.enforcement.jobs.hotspot_import_job",
        title=_("Nhập tụ điểm phức tạp về mại dâm từ tệp XLSX"),
        capability="inspection.manage",
    )
)

register(
    JobKind(
        name="enforcement.team_import",
        handler="pcmd.enforcement.jobs.team_import_job",
        title=_("Nhập đội kiểm tra liên ngành từ tệp XLSX"),
        capability="inspection.manage",
    )
)

register(
    JobKind(
        name="support.pilotmodel_import",
        handler="pcmd.support.jobs.pilotmodel_import_job",
        title=_("Nhập mô hình thí điểm từ tệp XLSX"),
        capability="pilotmodel.manage",
    )
)

register(
    JobKind(
        name="training.staff_import",
        handler="pcmd.training.jobs.staff_import_job",
        title=_("Nhập danh sách cán bộ từ tệp XLSX"),
        capability="training.manage",
    )
)

register(
    JobKind(
        name="training.course_import",
        handler="pcmd.training.jobs.course_import_job",
        title=_("Nhập lớp tập huấn từ tệp XLSX"),
        capability="training.manage",
    )
)


# Scheduled hourly by `pcmd scheduler` (pcmd.jobs.schedule); the run is idempotent
# (pcmd.tips.alerts).
register(
    JobKind(
        name="tips.send_alerts",
        handler="pcmd.tips.jobs.send_alerts_job",
        title=_("Gửi cảnh báo thời hạn xử lý tin báo"),
        capability="job.run_system",
    )
)


def kind_for_handler(handler: str) -> JobKind:
    for kind in JOB_KINDS.values():
        if kind.handler == handler:
            return kind
    raise UnknownJobHandler(handler)


def handler_resolve(handler: str) -> Callable[..., Any]:
    """The handler function for an allowed dotted path; UnknownJobHandler otherwise."""
    kind_for_handler(handler)
    func: Callable[..., Any] = import_string(handler)
    return func
