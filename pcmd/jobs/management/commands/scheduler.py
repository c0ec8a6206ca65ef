"""`pcmd scheduler [--once]`: queue the scheduled jobs (pcmd.jobs.schedule) when they are due.

Queues every minute (`--interval`) until stopped (SIGINT/SIGTERM); `--once` makes one pass and
exits. Each pass first fails the jobs whose worker died mid-job (pcmd.jobs.recovery).
Every second in between it refreshes the stored indicator values that record writes marked
stale (pcmd.indicators.store.values_refresh), so the table is never more than a second behind
when the machine has time to spare: the process lowers its own priority (`--niceness`, 10 by
default), and after a long pass pauses as long again, so that pages are served first.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pcmd.jobs.recovery import jobs_recover_orphans
from pcmd.jobs.schedule import schedule_due

DEFAULT_NICENESS = 10
REFRESH_PAUSE_RATIO = 1.0  # the pause after a refresh pass, as a share of the pass's time


class Command(BaseCommand):
    help = "Đưa các tác vụ định kỳ (cảnh báo thời hạn …) vào hàng đợi khi đến hạn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Chạy một lượt rồi dừng.")
        parser.add_argument("--interval", type=int, default=60, help="Số giây giữa hai lượt.")
        parser.add_argument(
            "--niceness",
            type=int,
            default=DEFAULT_NICENESS,
            help="Độ ưu tiên thấp hơn các trang web (nice của hệ điều hành, 0: như nhau).",
        )

    def handle(self, *args: Any, once: bool, interval: int, niceness: int, **options: Any) -> None:
        stop = False
        if niceness > 0 and not once and hasattr(os, "nice"):
            # Refreshing a country's coverage after each write can take a core: the pages come
            # first (pcmd loadtest, docs/performance.md), the refresh takes the idle time.
            os.nice(niceness)

        def finish(_signum: int, _frame: Any) -> None:
            nonlocal stop
            stop = True

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, finish)
        next_schedule = 0.0
        while not stop:
            if time.monotonic() >= next_schedule:
                for job in jobs_recover_orphans():
                    self.stdout.write(f"failed {job.pk}: its worker {job.worker} is gone")
                for job in schedule_due():
                    self.stdout.write(f"queued {job.handler} ({job.pk})")
                next_schedule = time.monotonic() + max(1, interval)
            if once:
                self._refresh_values()
                return
            started = time.monotonic()
            self._refresh_values()
            took = time.monotonic() - started
            # Every second when a pass is quick (nothing stale: a write shows within a second);
            # after a long one (a stream of writes), as long again, so the refresh takes at most
            # half of the machine's time from the pages.
            time.sleep(max(1 - took, took * REFRESH_PAUSE_RATIO))

    def _refresh_values(self) -> None:
        from django.db import DatabaseError, close_old_connections

        from pcmd.indicators.store import values_refresh

        try:
            values_refresh(limit=200)
        except DatabaseError as exc:  # the database restarting: try again next second
            self.stderr.write(f"values_refresh: {exc}")
            close_old_connections()
