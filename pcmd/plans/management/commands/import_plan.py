"""`pcmd import_plan FILE --orgunit CODE`: read a plan document and save it for a unit.

The unit's code is resolved at the plan's date (its issue date, else 1 July of its first year),
so a code reused after the 2025 reform names the right unit; when no unit has the code on that
date, the one unit that had it during the plan's period is taken; a code that still names
several units is an error listing them. Uncertain fields stop the import (exit 1, every warning
printed) unless --accept-warnings; a document that is not a plan, or tracks nothing, is always
refused. Nothing is saved on failure.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import (
    OrgUnitAmbiguous,
    OrgUnitNotFound,
    orgunit_get_by_code,
    orgunit_label,
)
from pcmd.plans import parsing, services
from pcmd.plans.models import Plan
from pcmd.plans.parsing.reading import read_document
from pcmd.plans.services.preview import document_problems, plan_dates


def _unit_for(code: str, *, day: date, parsed: dict[str, Any]) -> OrgUnit:
    """The unit with `code` on the plan's date; failing that, the one unit with that code that
    existed during the plan's period (Xã Hoằng Hợp's 2025 plan: the commune ended on 30/6)."""
    try:
        return orgunit_get_by_code(code, on=day)
    except OrgUnitNotFound:
        _issued, start, end = plan_dates(parsed)
        if start is None or end is None:
            raise
        first, last = date(start, 1, 1), date(end, 12, 31)
        found = list(
            OrgUnit.objects.filter(code=code.strip())
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))[:20]
        )
        if not found:
            raise
        if len(found) > 1:
            raise OrgUnitAmbiguous(code, found) from None
        return found[0]


class Command(BaseCommand):
    help = (
        "Nhập một kế hoạch (.docx, .txt) cho đơn vị có mã CODE. Dừng lại nếu có trường chưa "
        "chắc chắn, trừ khi có --accept-warnings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp kế hoạch .docx hoặc .txt")
        parser.add_argument("--orgunit", required=True, help="Mã đơn vị ban hành (ví dụ 15919)")
        parser.add_argument(
            "--accept-warnings",
            action="store_true",
            help="Vẫn lưu khi còn trường chưa chắc chắn (các cảnh báo được ghi vào kế hoạch).",
        )
        parser.add_argument(
            "--status",
            choices=[Plan.Status.DRAFT, Plan.Status.ISSUED],
            default=Plan.Status.DRAFT,
            help="Trạng thái của kế hoạch sau khi nhập (mặc định: draft).",
        )
        parser.add_argument(
            "--create-agency",
            action="append",
            default=[],
            metavar="NAME",
            help="Tạo cơ quan còn thiếu có tên như trong văn bản (có thể lặp lại).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}.") from exc
        try:
            source_text = read_document(data, path.name)
            document = parsing.parse_file(data, path.name)
        except parsing.DocumentUnreadable as exc:
            raise CommandError(str(exc)) from exc
        parsed = document.to_dict()
        problems = document_problems(parsed)
        if problems:
            raise CommandError(" ".join(problems) + " Không lưu gì.")
        day = services.plan_reference_day(parsed)
        if day is None:
            raise CommandError(
                "Không xác định được ngày hay năm của kế hoạch để chọn đơn vị theo mã."
            )
        code = options["orgunit"]
        try:
            unit = _unit_for(code, day=day, parsed=parsed)
        except OrgUnitNotFound as exc:
            raise CommandError(
                f"Không có đơn vị mã “{code}” vào ngày {day:%d/%m/%Y} (ngày của kế hoạch) "
                "hay trong thời kỳ của kế hoạch."
            ) from exc
        except OrgUnitAmbiguous as exc:
            names = "; ".join(orgunit_label(u) for u in exc.candidates)
            raise CommandError(f"Mã “{code}” khớp với nhiều đơn vị: {names}.") from exc
        try:
            plan = services.plan_import(
                parsed=parsed,
                org_unit=unit,
                acting_user=None,
                source_name=path.name,
                source_text=source_text,
                create_agencies=options["create_agency"],
                accept_warnings=options["accept_warnings"],
                status=options["status"],
            )
        except services.PlanImportError as exc:
            for message in exc.messages:
                self.stderr.write(f"- {message}" if not message.endswith(":") else message)
            hint = "" if options["accept_warnings"] else " (dùng --accept-warnings để vẫn lưu)"
            raise CommandError(f"Chưa lưu kế hoạch{hint}.") from exc
        self._report(plan)

    def _report(self, plan: Plan) -> None:
        out = self.stdout
        out.write(
            self.style.SUCCESS(
                f"Đã lưu kế hoạch #{plan.pk}: {plan} — {orgunit_label(plan.org_unit)}, "
                f"{plan.period_label}, {plan.get_status_display().lower()}."
            )
        )
        out.write(
            f"  {plan.sections.count()} mục, {plan.targets.count()} chỉ tiêu, "
            f"{plan.tasks.count()} nhiệm vụ, {plan.responsibilities.count()} đoạn trách nhiệm, "
            f"{plan.budget_lines.count()} nguồn kinh phí."
        )
        if plan.parent is not None:
            out.write(f"  Kế hoạch cấp trên: {plan.parent}.")
        elif plan.parent_reference:
            out.write(f"  Kế hoạch cấp trên (chưa có trong hệ thống): {plan.parent_reference}")
        if plan.warnings:
            out.write(f"  {len(plan.warnings)} cảnh báo được ghi kèm kế hoạch:")
            for warning in plan.warnings:
                out.write(f"  - {warning}")
