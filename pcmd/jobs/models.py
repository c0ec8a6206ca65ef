"""Long jobs run by the background worker, and their progress as users see it.

Owns: Job. A Job is created by services.job_enqueue() and run by tasks.run_job() in the worker;
its handler reports progress through the JobProgress it is given.
Invariants: a job's row is the single source of its state; it outlives the web process that
enqueued it, so a page can show progress after a restart. A job left "running" by a worker that
died is failed by pcmd.jobs.recovery and can be started again (services.job_retry).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One run of a long operation (import, rebuild, rendering, alerts)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        SUCCEEDED = "succeeded", _("Hoàn thành")
        FAILED = "failed", _("Thất bại")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    handler = models.CharField(_("xử lý"), max_length=200)
    title = models.CharField(_("tên tác vụ"), max_length=255)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), default=0)
    message = models.CharField(_("thông báo"), max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Which worker process runs it ("host:pid:start ticks", pcmd.jobs.recovery) and when it last
    # said so: a running job whose worker is gone is failed by recovery.jobs_recover_orphans().
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tác vụ nền")
        verbose_name_plural = _("tác vụ nền")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
