"""`pcmd purge_support [--for-real]`: erase the closed support case files whose retention period
(RetentionRule, by group) has run out. A dry run unless --for-real: it prints what it would
erase. Files under legal hold are listed and kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pcmd.support.casefiles.dsr import support_purge


class Command(BaseCommand):
    help = (
        "Xóa hồ sơ hỗ trợ đã đóng quá thời hạn lưu (theo bảng thời hạn lưu). Mặc định chỉ chạy "
        "thử và in ra những gì sẽ xóa; thêm --for-real để xóa thật."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--for-real", action="store_true", help="Xóa thật (mặc định chỉ chạy thử)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for_real = bool(options["for_real"])
        items, erased = support_purge(for_real=for_real)
        if not items:
            self.stdout.write("Không có hồ sơ nào quá thời hạn lưu.")
            return
        for item in items:
            state = (
                "giữ lại (đang bị giữ theo yêu cầu pháp lý)"
                if item.held
                else ("đã xóa" if for_real else "sẽ xóa")
            )
            self.stdout.write(
                f"{item.code}: đóng ngày {item.closed_on:%d/%m/%Y}, lưu đến "
                f"{item.keep_until:%d/%m/%Y} — {state}"
            )
        held = sum(1 for i in items if i.held)
        if for_real:
            self.stdout.write(self.style.SUCCESS(f"Đã xóa {erased} hồ sơ; giữ lại {held}."))
        else:
            self.stdout.write(
                f"Chạy thử: {len(items) - held} hồ sơ sẽ bị xóa, {held} được giữ lại. "
                "Chưa xóa gì; thêm --for-real để xóa thật."
            )
