"""Small typed helpers for orgunits tests: real units by code, users, agencies, import files."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from pcmd.accounts.models import User
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.orgunits.selectors import orgunit_get_by_code

BEFORE = date(2025, 3, 1)  # the old three-level tree (districts, Xã Hoằng Hợp, old An Giang)
AFTER = date(2026, 1, 1)  # the two-level tree since 1/7/2025

# Codes that name one unit before the reform and another after (or only one of them).
_OLD_CODES = {"15919", "399", "89"}


def unit(code: str, *, on: date | None = None) -> OrgUnit:
    """The real unit with this official code (old codes at BEFORE, the others at AFTER)."""
    if on is None:
        on = BEFORE if code in _OLD_CODES else AFTER
    return orgunit_get_by_code(code, on=on)


def make_user(
    *, username: str = "canbo", role: str = User.Role.COORDINATOR, code: str = "15919", **extra: Any
) -> User:
    return User.objects.create(username=username, role=role, org_unit=unit(code), **extra)


def make_agency(
    *, org_unit: OrgUnit, name: str = "Công an xã", kind: str = Agency.Kind.POLICE, **extra: Any
) -> Agency:
    return Agency.objects.create(org_unit=org_unit, name=name, kind=kind, **extra)


def csv_bytes(rows: list[list[str]], *, bom: bool = True) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
