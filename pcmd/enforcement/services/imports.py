"""The all-or-nothing XLSX import shared by the enforcement records filed under one unit
(criminal cases, hot spots, inspections with their violations).

Owns: ImportResult, Progress, IMPORT_BATCH, import_rows(), errors_of().
Invariants: the caller's own _check (the same one its create service runs) judges every row;
the whole file is checked before anything is written; then all rows are written in one
transaction, audited once as IMPORT on the unit, or none.
Not here: the columns and the row -> record mapping (each record's service module).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import unit_in_scope
from pcmd.enforcement.services.common import require_write
from pcmd.indicators.store import records_bulk_written
from pcmd.orgunits.models import OrgUnit
from pcmd.records.xlsx import Column, RowError, xlsx_read_rows

IMPORT_BATCH = 2000
Progress = Callable[[int, int, str], None]
# Build one record from a row: (record, problems found while resolving names in the row).
Build = Callable[[dict[str, Any]], tuple[models.Model | None, list[RowError]]]
Check = Callable[[Any], None]
# Write one batch of checked records (default: bulk_create); for records with children.
Write = Callable[[list[Any]], None]


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def errors_of(exc: ValidationError, *, row: int, labels: dict[str, str]) -> list[RowError]:
    """A service's ValidationError as row errors, each under the column of its field."""
    if not hasattr(exc, "error_dict"):
        return [RowError(row, "", message) for message in exc.messages]
    return [
        RowError(row, labels.get(name, ""), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def import_rows(
    *,
    model: type[models.Model],
    capability: str,
    unit: OrgUnit,
    data: bytes,
    columns: list[Column],
    build: Build,
    check: Check,
    labels: dict[str, str],
    acting_user: Any,
    what: str,
    filename: str = "",
    progress: Progress | None = None,
    write: Write | None = None,
) -> ImportResult:
    """Read and check every row (`build` then `check`), then write them all or none.

    `build` may return None for a row that only adds to the record of an earlier row (an
    inspection's second violation); `write` then saves a batch of records with their children.
    """
    require_write(acting_user, capability, None)
    if unit.level == OrgUnit.Level.VILLAGE or (
        acting_user is not None and not unit_in_scope(acting_user, unit)
    ):
        return ImportResult(
            errors=[RowError(0, "", _("Chỉ nhập được cho một xã (hoặc cấp trên) trong phạm vi "
                                      "của bạn."))]
        )  # fmt: skip
    rows, errors = xlsx_read_rows(data=data, columns=columns)
    if errors:
        return ImportResult(errors=errors)
    total = len(rows)
    if progress:
        progress(0, total, _("Đang kiểm tra %(n)d dòng") % {"n": total})
    objects: list[models.Model] = []
    for row in rows:
        obj, problems = build(row)
        errors.extend(problems)
        if obj is None:
            continue
        if not problems:
            try:
                check(obj)
            except ValidationError as exc:
                errors.extend(errors_of(exc, row=row["_row"], labels=labels))
        objects.append(obj)
    if errors:
        return ImportResult(errors=errors)
    total = len(objects)
    with transaction.atomic():
        for start in range(0, total, IMPORT_BATCH):
            batch = objects[start : start + IMPORT_BATCH]
            if write is not None:
                write(batch)
            else:
                model._default_manager.bulk_create(batch)
            records_bulk_written(batch)
            if progress:
                done = min(total, start + IMPORT_BATCH)
                progress(done, total, _("Đã ghi %(n)d/%(t)d dòng") % {"n": done, "t": total})
        audit_record(
            action=AuditEvent.Action.IMPORT,
            user=acting_user,
            obj=unit,
            detail={"filename": filename[:200], what: total},
        )
    return ImportResult(created=total)
