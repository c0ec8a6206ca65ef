"""`pcmd backup OUT`: one archive with a consistent snapshot of the database, every uploaded
file and a manifest (pcmd.ops.backup). The seal keys are never in it: keep them apart."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcmd.common.atomic import DiskFullError
from pcmd.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và các tệp đã tải lên vào một tệp .tar.gz (không chứa khóa "
        "niêm phong)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="Tệp sao lưu sẽ tạo, ví dụ pcmd-2026-01-31.tar.gz")

    def handle(self, *args: Any, out: str, **options: Any) -> None:
        started = time.perf_counter()
        try:
            result = backup_create(Path(out))
        except (BackupError, DiskFullError) as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {result.path}: {result.size / 1e6:.1f} MB, cơ sở dữ liệu "
                f"{manifest['engine']} ({len(manifest['row_counts'])} bảng, {rows} dòng), "
                f"{media} tệp, trong {time.perf_counter() - started:.1f} giây."
            )
        )
        self.stdout.write(
            "Các khóa niêm phong KHÔNG có trong tệp sao lưu: hãy cất giữ chúng riêng, "
            "thiếu khóa thì không đọc được các trường niêm phong."
        )
