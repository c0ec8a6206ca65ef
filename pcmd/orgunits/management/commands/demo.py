"""`pcmd demo`: create the demo villages, agencies and accounts (idempotent; see orgunits.demo).

Village names are illustrative; agencies come from the two seed plans; every demo account's
password is `pcmd-demo`. Needs `pcmd load_orgunits` first.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pcmd.orgunits.demo import DEMO_PASSWORD, DEMO_USERS, DemoHierarchyMissing, demo_load

_CATEGORY_LABELS = {
    "villages": "thôn",
    "agencies": "cơ quan",
    "agency_successions": "quan hệ kế thừa cơ quan",
    "standing_agencies": "phân công cơ quan thường trực",
    "users": "tài khoản",
}


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu trình diễn (thôn, cơ quan, tài khoản mẫu). Chạy lại không thay đổi gì. "
        "Cần chạy `pcmd load_orgunits` trước."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] >= 1
        try:
            result = demo_load(stdout=self.stdout if verbose else None)  # type: ignore[arg-type]
        except DemoHierarchyMissing as exc:
            raise CommandError(str(exc)) from exc
        if result.created_count == 0:
            self.stdout.write(
                f"Dữ liệu trình diễn đã có đủ ({result.existing} mục); không thay đổi gì."
            )
        else:
            parts = [
                f"{len(items)} {_CATEGORY_LABELS.get(category, category)}"
                for category, items in result.created.items()
            ]
            self.stdout.write(
                self.style.SUCCESS("Đã tạo: " + ", ".join(parts) + ".")
                + (f" Đã có sẵn {result.existing} mục." if result.existing else "")
            )
        if verbose:
            names = ", ".join(u["username"] for u in DEMO_USERS)
            self.stdout.write(f"Tài khoản trình diễn (mật khẩu “{DEMO_PASSWORD}”): {names}.")
