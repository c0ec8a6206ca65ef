"""`pcmd restore IN [--for-real] [--allow-key-mismatch]`: check a backup archive and say what it
would replace; with --for-real, replace the database and the uploaded files with it
(pcmd.ops.backup). Stop the site and the worker first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcmd.common.atomic import DiskFullError
from pcmd.ops.backup import BackupError, RestorePlan, backup_restore


class Command(BaseCommand):
    help = (
        "Khôi phục từ tệp sao lưu. Mặc định chỉ kiểm tra và liệt kê những gì sẽ bị thay thế; "
        "thêm --for-real để khôi phục thật."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="Tệp sao lưu do `pcmd backup` tạo")
        parser.add_argument(
            "--for-real",
            action="store_true",
            help="Thay thế thật cơ sở dữ liệu và các tệp (hãy dừng trang web và tiến trình nền).",
        )
        parser.add_argument(
            "--allow-key-mismatch",
            action="store_true",
            help="Vẫn khôi phục khi khóa niêm phong hiện tại khác khóa lúc sao lưu "
            "(các trường niêm phong sẽ không đọc được).",
        )

    def handle(self, *args: Any, archive: str, for_real: bool, **options: Any) -> None:
        try:
            plan = backup_restore(
                Path(archive), for_real=for_real, allow_key_mismatch=options["allow_key_mismatch"]
            )
        except (BackupError, DiskFullError) as exc:
            raise CommandError(str(exc)) from exc
        self._report(plan, for_real=for_real)

    def _report(self, plan: RestorePlan, *, for_real: bool) -> None:
        out = self.stdout
        manifest = plan.manifest
        out.write(
            f"Bản sao lưu: PCMD {manifest['pcmd_version']}, {manifest['engine']}, tạo lúc "
            f"{manifest['created_at']}; mọi tổng kiểm tra đều khớp."
        )
        for warning in plan.warnings:
            out.write(self.style.WARNING(f"Cảnh báo: {warning}"))
        verb = "Đã thay" if for_real else "Sẽ thay"
        out.write(f"{verb} cơ sở dữ liệu (số dòng hiện tại -> trong bản sao lưu):")
        for table, now, then in plan.tables:
            if now or then:
                out.write(f"  {table}: {'-' if now is None else now} -> {then}")
        for table in plan.dropped_tables:
            out.write(f"  {table}: bị xóa (không có trong bản sao lưu)")
        out.write(
            f"Tệp tải lên: {plan.files_added} thêm, {plan.files_replaced} thay, "
            f"{plan.files_unchanged} giữ nguyên, {plan.files_removed} xóa."
        )
        if for_real:
            out.write(self.style.SUCCESS("Đã khôi phục xong."))
        else:
            out.write("Chưa thay đổi gì (chạy thử). Thêm --for-real để khôi phục thật.")
