"""`pcmd render_report --orgunit CODE --period 2025S1 --out report.docx` (or .xlsx).

Writes the same document the report page offers: the saved report of the unit and period (its
frozen figures once submitted), or — when none was saved — a draft built from the records now.
The unit's code is resolved at the period's last day (codes are reused across the 2025 reform).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcmd.common.periods import PeriodError, period_parse
from pcmd.orgunits.selectors import OrgUnitAmbiguous, OrgUnitNotFound, orgunit_get_by_code
from pcmd.reports.documents import FORMATS, report_file_for


class Command(BaseCommand):
    help = "Xuất báo cáo định kỳ của một đơn vị ra tệp DOCX hoặc XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgunit", required=True, help="Mã đơn vị (theo ngày cuối kỳ).")
        parser.add_argument("--period", required=True, help="Kỳ báo cáo: 2025S1, 2025, 2016-2020.")
        parser.add_argument("--out", required=True, help="Tệp ra, .docx hoặc .xlsx.")

    def handle(self, *args: Any, orgunit: str, period: str, out: str, **options: Any) -> None:
        try:
            parsed = period_parse(period)
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        path = Path(out)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError("Tệp ra phải có đuôi .docx hoặc .xlsx.")
        try:
            unit = orgunit_get_by_code(orgunit, on=parsed.end)
        except (OrgUnitNotFound, OrgUnitAmbiguous) as exc:
            raise CommandError(str(exc)) from exc
        file, report = report_file_for(unit=unit, period=parsed, fmt=fmt)
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_bytes(file.data)
        tmp.replace(path)  # never a half-written report at the name asked for
        if report is None:
            state = "bản dự thảo từ số liệu hiện tại (chưa có báo cáo được lưu)"
        else:
            state = f"báo cáo #{report.pk}, {report.get_status_display()}"
        self.stdout.write(
            f"{path} ← {unit.name}, {parsed.label}: {state}, {len(file.data):,} bytes"
        )
