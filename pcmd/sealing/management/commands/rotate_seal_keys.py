"""`pcmd rotate_seal_keys [--dry-run] [--batch-size N]`: re-encrypt sealed fields with the new key.

Rotation: put the new key first in PCMD_SEAL_KEYS and keep the old ones after it
("NEW,OLD"), run this command, then remove the old keys. Each batch is its own transaction,
so an interrupted run can simply be run again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcmd.sealing.fields import SealedValueError
from pcmd.sealing.rotation import DEFAULT_BATCH_SIZE, RotationResult, seal_keys_rotate


class Command(BaseCommand):
    help = (
        "Mã hóa lại mọi trường niêm phong bằng khóa đầu tiên của PCMD_SEAL_KEYS "
        "(--dry-run: chỉ đếm, không ghi)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đếm, không ghi gì.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Số dòng mỗi giao dịch (mặc định {DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")

        def progress(result: RotationResult, total: int) -> None:
            self.stdout.write(f"  {result.model}: {result.rows}/{total} rows")

        try:
            results = seal_keys_rotate(
                batch_size=options["batch_size"], dry_run=dry_run, progress=progress
            )
        except SealedValueError as exc:
            raise CommandError(str(exc)) from exc
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        for result in results:
            fields = ", ".join(f"{name} {n}" for name, n in result.by_field.items())
            self.stdout.write(
                f"{result.model}: {result.rows} rows, {result.values} sealed values, "
                f"{verb} {result.rotated} ({fields})"
            )
        if not results:
            self.stdout.write("No model has sealed fields.")
        total = sum(result.rotated for result in results)
        self.stdout.write(self.style.SUCCESS(f"Done: {verb} {total} values."))
