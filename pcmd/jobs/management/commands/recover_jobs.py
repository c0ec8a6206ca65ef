"""`pcmd recover_jobs`: fail the jobs left "running" by a worker that is gone (killed, crashed,
its machine restarted), so that they can be started again (pcmd.jobs.recovery). The worker and
`pcmd scheduler` do this on their own; this is for a look by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pcmd.jobs.recovery import jobs_recover_orphans


class Command(BaseCommand):
    help = "Đánh dấu thất bại các tác vụ còn “đang chạy” mà tiến trình nền chạy chúng đã tắt."

    def handle(self, *args: Any, **options: Any) -> None:
        failed = jobs_recover_orphans()
        for job in failed:
            self.stdout.write(f"{job.pk} {job.title}: {job.message}")
        self.stdout.write(f"{len(failed)} tác vụ được đánh dấu thất bại.")
