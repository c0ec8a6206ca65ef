"""`pcmd load_orgunits`: load Vietnam's hierarchy before and after 1/7/2025 (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from pcmd.orgunits.loading import orgunits_load


class Command(BaseCommand):
    help = (
        "Nạp cây đơn vị hành chính Việt Nam (trước và sau 01/7/2025). Chạy lại không thay đổi gì."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # disable=None: a bar on a terminal only, not hundreds of lines in a CI log.
        quiet = options["verbosity"] == 0
        bar = tqdm(total=1, unit="mục", disable=True if quiet else None, leave=False)

        def progress(done: int, total: int, message: str) -> None:
            bar.total = total
            bar.set_description(message)
            bar.update(done - bar.n)

        started = time.perf_counter()
        result = orgunits_load(progress=progress)
        bar.close()
        elapsed = time.perf_counter() - started
        counts = ", ".join(f"{level}: {n}" for level, n in result.counts.items())
        if quiet:
            return
        self.stdout.write(
            f"Đơn vị: {result.created} mới, {result.updated} cập nhật; quan hệ trực thuộc: "
            f"{result.links_created} mới, {result.links_updated} cập nhật; kế thừa: "
            f"{result.successions_created} mới. Tổng theo cấp — {counts}. ({elapsed:.1f} giây)"
        )
        if result.unmatched_conversions:
            self.stdout.write(
                f"{len(result.unmatched_conversions)} khóa chuyển đổi không khớp đơn vị cũ nào "
                f"(ví dụ: {result.unmatched_conversions[:3]})."
            )
