"""`pcmd rebuild_values [--year 2026 ...] [--indicator CODE ...]`: compute and store every
indicator value of the given years (default: this year and last) from the records, with a
progress bar. Run after loading data by other means than the application (a restore, `pcmd
synth`, fixtures); record writes keep the table fresh on their own.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from pcmd.indicators.models import Indicator
from pcmd.indicators.store import values_rebuild, values_vacuum


class Command(BaseCommand):
    help = "Tính lại và lưu mọi giá trị chỉ số của các năm đã chọn từ bản ghi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, action="append", help="Năm cần tính (lặp lại được)."
        )
        parser.add_argument(
            "--indicator", action="append", help="Mã chỉ số cần tính (mặc định: tất cả)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Số luồng tính song song trên PostgreSQL (mặc định: 2; 1 là tuần tự).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        this_year = timezone.localdate().year
        years = options["year"] or [this_year - 1, this_year]
        for year in years:
            if not 1900 <= year <= 2200:
                raise CommandError(f"Năm không hợp lệ: {year}.")
        workers = options["workers"]
        if workers is not None and not 1 <= workers <= 16:
            raise CommandError(f"Số luồng phải từ 1 đến 16: {workers}.")
        indicators = Indicator.objects.filter(is_active=True)
        if options["indicator"]:
            indicators = indicators.filter(code__in=options["indicator"])
            missing = set(options["indicator"]) - set(indicators.values_list("code", flat=True))
            if missing:
                raise CommandError("Không có chỉ số: " + ", ".join(sorted(missing)) + ".")
        for year in years:
            quiet = options["verbosity"] < 1
            with tqdm(total=0, desc=str(year), unit="bước", disable=quiet) as bar:

                def progress(done: int, total: int, message: str) -> None:
                    bar.total = total  # noqa: B023 - the bar of this year
                    bar.n = done  # noqa: B023
                    bar.set_postfix_str(message)  # noqa: B023
                    bar.refresh()  # noqa: B023

                result = values_rebuild(
                    year, indicators=list(indicators), progress=progress, workers=workers
                )
            self.stdout.write(
                f"{year}: {result.rows} giá trị của {result.indicators} chỉ số "
                f"trong {result.seconds:.1f} giây."
            )
        values_vacuum()
