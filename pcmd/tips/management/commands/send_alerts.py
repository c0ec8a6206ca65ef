"""`pcmd send_alerts`: create in-app notifications for tip deadlines near (≤ 3 days) or past.

Idempotent (a second run creates nothing new). `--enqueue` queues the same work as a job for
the background worker instead of running it here; `--now` (ISO date-time) runs it against
another clock, for checks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pcmd.tips.alerts import send_alerts
from pcmd.tips.jobs import SEND_ALERTS_JOB_HANDLER


class Command(BaseCommand):
    help = "Tạo thông báo cho tin báo sắp đến hạn hoặc quá hạn xử lý."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Đưa vào hàng đợi tác vụ nền.")
        parser.add_argument("--now", default="", help="Thời điểm tính (ISO 8601), để kiểm tra.")

    def handle(self, *args: Any, enqueue: bool, now: str, **options: Any) -> None:
        if enqueue:
            from pcmd.jobs.services import job_enqueue

            job = job_enqueue(
                handler=SEND_ALERTS_JOB_HANDLER, title="Gửi cảnh báo thời hạn tin báo",
                user=None, org_unit=None,
            )  # fmt: skip
            self.stdout.write(f"queued {job.pk}")
            return
        moment = None
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"--now: {exc}") from exc
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        result = send_alerts(now=moment)
        self.stdout.write(
            f"tips checked {result.tips_checked}, near {result.near}, overdue {result.overdue}, "
            f"referral follow-ups overdue {result.follow_ups}, "
            f"reports due, overdue or returned {result.reports}, "
            f"notifications created {result.notifications}"
        )
