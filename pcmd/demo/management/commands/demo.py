"""`pcmd demo`: the demo data of every app, created once however often it runs.

Org units first (villages, agencies, accounts: pcmd.orgunits.demo), then plans (both seed plans
imported with the real parser, some tasks in progress or done: pcmd.plans.demo). Village names
are illustrative; every demo account's password is `pcmd-demo`. Needs `pcmd load_orgunits` first.
Then the operational records (events, roster, establishments, inspections, cases, pilot models,
budget lines, the An Giang districts' yearly plans: pcmd.demo.records), from a fixed seed.
Last the periodic reports, written, submitted and approved by the demo accounts (pcmd.reports.demo).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pcmd.demo.records import LABELS as RECORD_LABELS
from pcmd.demo.records import demo_records_load
from pcmd.orgunits.demo import DEMO_PASSWORD, DEMO_USERS, DemoHierarchyMissing
from pcmd.orgunits.demo import demo_load as orgunits_demo_load
from pcmd.plans.demo import demo_load as plans_demo_load
from pcmd.reports.demo import LABELS as REPORT_LABELS
from pcmd.reports.demo import demo_reports_load
from pcmd.support.demo import LABELS as SUPPORT_LABELS
from pcmd.support.demo import demo_support_load
from pcmd.tips.demo import demo_tips_load

_CATEGORY_LABELS = {
    "villages": "thôn",
    "agencies": "cơ quan",
    "agency_successions": "quan hệ kế thừa cơ quan",
    "standing_agencies": "phân công cơ quan thường trực",
    "users": "tài khoản",
    "plans": "kế hoạch",
    "reference_plans": "kế hoạch tham chiếu",
    "progress_updates": "cập nhật tiến độ",
}


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu trình diễn (thôn, cơ quan, tài khoản mẫu, hai kế hoạch mẫu, hồ sơ nghiệp vụ "
        "mẫu). Chạy lại không thay đổi gì. Cần chạy `pcmd load_orgunits` trước."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] >= 1
        out: Any = self.stdout if verbose else None
        try:
            units = orgunits_demo_load(stdout=out)
        except DemoHierarchyMissing as exc:
            raise CommandError(str(exc)) from exc
        plans = plans_demo_load(stdout=out)
        records = demo_records_load(stdout=out)
        records.update(demo_tips_load(stdout=out))
        records.update({SUPPORT_LABELS[k]: n for k, n in demo_support_load(stdout=out).items()})
        records.update({REPORT_LABELS[k]: n for k, n in demo_reports_load(stdout=out).items()})
        created: dict[str, list[str]] = {}
        for result in (units, plans):
            for category, items in result.created.items():
                created.setdefault(category, []).extend(items)
        existing = units.existing + plans.existing
        if not created and not records:
            self.stdout.write(f"Dữ liệu trình diễn đã có đủ ({existing} mục); không thay đổi gì.")
        elif created:
            parts = [
                f"{len(items)} {_CATEGORY_LABELS.get(category, category)}"
                for category, items in created.items()
            ]
            self.stdout.write(
                self.style.SUCCESS("Đã tạo: " + ", ".join(parts) + ".")
                + (f" Đã có sẵn {existing} mục." if existing else "")
            )
        if records:
            parts = [
                f"{n} {RECORD_LABELS.get(category, category)}" for category, n in records.items()
            ]
            self.stdout.write(self.style.SUCCESS("Hồ sơ trình diễn: " + ", ".join(parts) + "."))
        if verbose:
            names = ", ".join(u["username"] for u in DEMO_USERS)
            self.stdout.write(f"Tài khoản trình diễn (mật khẩu “{DEMO_PASSWORD}”): {names}.")
