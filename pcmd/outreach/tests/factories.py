"""Small factories for outreach tests: users and events in real units, demo villages."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import HOANG_HOP, make_user, unit
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.orgunits.selectors import village_list
from pcmd.outreach.models import OutreachEvent
from pcmd.outreach.services import OUTREACH_COLUMNS

__all__ = ["HOANG_HOP", "make_user", "unit"]


def hoang_hop_with_villages() -> OrgUnit:
    from pcmd.orgunits.demo import demo_load

    demo_load()
    return unit(HOANG_HOP)


def a_village(commune: OrgUnit) -> OrgUnit:
    village = village_list(commune).first()
    assert village is not None
    return village


def an_agency(commune: OrgUnit) -> Agency:
    agency = Agency.objects.filter(org_unit=commune).order_by("pk").first()
    assert agency is not None
    return agency


def make_event(*, org_unit: OrgUnit | None = None, **overrides: Any) -> OutreachEvent:
    fields: dict[str, Any] = {
        "org_unit": org_unit or unit(HOANG_HOP),
        "date": date(2025, 3, 10),
        "form": OutreachEvent.Form.MEETING,
        "topic": "Phòng, chống mại dâm trong thanh niên",
        "participants": 40,
        **overrides,
    }
    return OutreachEvent.objects.create(**fields)


def coordinator(**kw: Any) -> User:
    return make_user(username=kw.pop("username", "dieu-phoi"), **kw)


def xlsx_bytes(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header or [c.label for c in OUTREACH_COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
