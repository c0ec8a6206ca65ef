"""`pcmd show_orgunit CODE_OR_NAME [--on YYYY-MM-DD]`: resolve a unit as of a date and print it.

A code or name is resolved at the date given (today by default); an ambiguous one lists every
candidate and exits non-zero instead of guessing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import (
    OrgUnitAmbiguous,
    OrgUnitNotFound,
    orgunit_ancestors,
    orgunit_children,
    orgunit_find,
    orgunit_get_by_code,
    orgunit_label,
    orgunit_predecessors,
    orgunit_successor,
)


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ: “{value}” (dạng YYYY-MM-DD).") from exc


def resolve_orgunit(text: str, *, on: date) -> OrgUnit:
    """A code (digits or "VN") or a name, resolved at `on`; CommandError when none or many."""
    text = text.strip()
    if text.isdigit() or text.upper() == "VN":
        try:
            return orgunit_get_by_code(text.upper(), on=on)
        except OrgUnitAmbiguous as exc:
            raise CommandError(str(exc)) from exc
        except OrgUnitNotFound:
            pass
        # Not valid on that date: the unit of that code at any date, if there is only one
        # (its successor on `on` is then printed).
        try:
            return orgunit_get_by_code(text.upper())
        except (OrgUnitAmbiguous, OrgUnitNotFound) as exc:
            raise CommandError(f"{exc} (ngày {on:%d/%m/%Y})") from exc
    found = orgunit_find(text, on=on)
    if not found:
        raise CommandError(f"Không tìm thấy đơn vị “{text}” vào ngày {on:%d/%m/%Y}.")
    if len(found) > 1:
        raise CommandError(str(OrgUnitAmbiguous(text, found)))
    return found[0]


class Command(BaseCommand):
    help = "Tra cứu một đơn vị hành chính theo mã hoặc tên, tại một ngày."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("orgunit", help="Mã (15919) hoặc tên (“xã Hoằng Hợp”).")
        parser.add_argument("--on", type=parse_date, default=None, help="Ngày (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        on: date = options["on"] or timezone.localdate()
        unit = resolve_orgunit(options["orgunit"], on=on)
        self.stdout.write(f"{orgunit_label(unit)} — {unit.get_level_display()}")
        self.stdout.write(f"Ngày tra cứu: {on:%d/%m/%Y}")
        chain = orgunit_ancestors(unit, on=on) if unit.is_valid_on(on) else []
        if chain:
            self.stdout.write("Trực thuộc: " + " › ".join(u.name for u in chain))
        if not unit.is_valid_on(on):
            successor = orgunit_successor(unit, on=on)
            self.stdout.write(
                "Đơn vị không còn hiệu lực vào ngày này; dữ liệu thuộc về: "
                + (orgunit_label(successor) if successor else "(không có)")
            )
        preds = [orgunit_label(s.predecessor) for s in orgunit_predecessors(unit)]
        if preds:
            self.stdout.write("Kế thừa từ: " + "; ".join(preds))
        children = orgunit_children(unit, on=on)
        self.stdout.write(f"Đơn vị trực thuộc vào ngày này: {children.count()}")
