"""`pcmd parse_plan FILE [--json]`: print what the parser reads in a plan document.

Needs no database (no system or migration checks, no queries). Exits 0 for any readable document
(plan, decision, report, letter), with its warnings; fails with the Vietnamese message only when
the file cannot be read as a document at all. Rejecting what is not a plan is import_plan's job.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcmd.plans.parsing import MAX_BYTES, DocumentUnreadable, ParsedDocument, parse_file

KIND_LABELS = {
    "plan": "Kế hoạch",
    "decision": "Quyết định",
    "report": "Báo cáo",
    "letter": "Công văn",
    "other": "Văn bản khác",
}
PER_LABELS = {"week": "tuần", "month": "tháng", "quarter": "quý", "year": "năm"}
ROLE_LABELS = (
    ("lead", "Chủ trì"),
    ("support", "Phối hợp"),
    ("advisor", "Tham mưu"),
    ("decider", "Quyết định"),
)


class Command(BaseCommand):
    help = "Đọc một tệp kế hoạch (.docx/.txt) và in cấu trúc: chỉ tiêu, nhiệm vụ, trách nhiệm."
    requires_system_checks: list[str] = []  # type: ignore[assignment]
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="đường dẫn tệp .docx hoặc .txt")
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise DocumentUnreadable(
                    f"Tệp {path.name!r} quá lớn ({size:,} byte); giới hạn là 10 MB.".replace(
                        ",", "."
                    )
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không mở được tệp {str(path)!r}: {exc.strerror or exc}") from exc
        except DocumentUnreadable as exc:
            raise CommandError(str(exc)) from exc
        try:
            document = parse_file(data, path.name)
        except DocumentUnreadable as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(document.to_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(outline_lines(document)))


def outline_lines(document: ParsedDocument) -> list[str]:
    """A readable Vietnamese outline of the parsed document."""
    data = document.to_dict()
    out = [
        f"{KIND_LABELS.get(data['kind'], data['kind'])}: {data['title'] or '(không có tiêu đề)'}"
    ]
    out.append(f"  Số: {data['number'] or '—'}   Ngày: {_date(data['issued_on'])}")
    out.append(f"  Nơi ban hành: {data['place'] or '—'}   Cơ quan: {data['issuer'] or '—'}")
    period = data["period"]
    if period:
        span = (
            str(period["start"])
            if period["start"] == period["end"]
            else f"{period['start']}-{period['end']}"
        )
        out.append(f"  Thời kỳ: {span}")
    for ref in data["basis"]:
        out.append(f"  Căn cứ: {ref['number'] or ref['text'][:80]} ({_date(ref['issued_on'])})")
    out.append("")
    out.append("Mục lục:")
    for section in data["sections"]:
        out.extend(_section_lines(section, 1))
    out.append("")
    out.append(f"Chỉ tiêu ({len(data['targets'])}):")
    for target in data["targets"]:
        value = target["value"]
        if target["value_max"] is not None:
            value = f"{value}-{target['value_max']}"
        unit = {"%": "%", "count": "", "times": " lần"}.get(target["unit"] or "", "")
        per = f"/{PER_LABELS.get(target['per'], target['per'])}" if target["per"] else ""
        out.append(
            f"  [{target['section']}] {target['comparator']} {value}{unit}{per}"
            f" — {target['population'] or '?'} (độ tin cậy {target['confidence']})"
        )
        if target["milestones"]:
            steps = ", ".join(f"{m['year']}: {m['value']}" for m in target["milestones"])
            out.append(f"      lộ trình: {steps}")
    out.append("")
    out.append(f"Nhiệm vụ ({len(data['tasks'])}):")
    for task in data["tasks"]:
        out.append(f"  [{task['section']}] {_cut(task['title'])}")
        for role, label in ROLE_LABELS:
            if task[role]:
                out.append(f"      {label}: {', '.join(task[role])}")
        if task["timeframe"]:
            out.append(f"      Thời gian: {task['timeframe']['text']}")
        if task["activities"]:
            out.append(f"      Hoạt động: {len(task['activities'])}")
    out.append("")
    out.append(f"Tổ chức thực hiện ({len(data['responsibilities'])}):")
    for item in data["responsibilities"]:
        names = ", ".join(item["agencies"]) or _cut(item["text"], 60)
        out.append(f"  - {'Đề nghị ' if item['requested'] else ''}{names}")
    for duty in data["reporting"]:
        out.append(f"Báo cáo: {', '.join(duty['frequency']) or 'định kỳ'} — {_cut(duty['text'])}")
    signer = data["signer"]
    if signer:
        out.append(f"Người ký: {signer['name'] or '—'} ({signer['title'] or '—'})")
    if data["recipients"]:
        out.append(f"Nơi nhận: {'; '.join(data['recipients'])}")
    if data["warnings"]:
        out.append("")
        out.append(f"Cảnh báo ({len(data['warnings'])}):")
        out.extend(f"  ! {warning}" for warning in data["warnings"])
    return out


def _section_lines(section: dict[str, Any], depth: int) -> list[str]:
    lines = [f"{'  ' * depth}{section['number']}. {_cut(section['title'], 70)}"]
    for child in section["children"]:
        lines.extend(_section_lines(child, depth + 1))
    return lines


def _date(value: str | None) -> str:
    if not value:
        return "—"
    year, month, day = value.split("-")
    return f"{day}/{month}/{year}"


def _cut(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
