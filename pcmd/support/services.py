"""Write pilot models.

Owns: pilotmodel_create(), pilotmodel_update(), pilotmodel_delete(), PILOTMODEL_FIELDS,
pilotmodel_columns(), pilotmodel_template_xlsx(), pilotmodel_export_xlsx(), pilotmodels_import(),
PilotModelImportResult.
Invariants: a person writes only with "pilotmodel.manage" and only in units of their scope
(acting_user=None is the system); the start is never in the future and the unit exists on it;
a closed model has a closing date, not before its start and not in the future; an open one has
none; a stale update is refused (StaleRecord); every write is audited in its transaction. An
XLSX import checks every row with _validate first, then writes all rows in one transaction or
none, audited once as IMPORT.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, unit_in_scope
from pcmd.common.records import record_save_versioned
from pcmd.indicators.store import records_bulk_written
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
from pcmd.records.xlsx import Column, RowError, xlsx_export, xlsx_read_rows, xlsx_template
from pcmd.support.models import PilotModel

PILOTMODEL_FIELDS = (
    "org_unit",
    "name",
    "kind",
    "start_date",
    "status",
    "closed_on",
    "members",
    "people_reached",
    "task",
    "note",
)


def _require_write(user: Any, unit: OrgUnit) -> None:
    if user is None:
        return
    if not has_capability(user, "pilotmodel.manage"):
        raise PermissionDenied(_("Vai trò của bạn không được ghi mô hình thí điểm."))
    if not unit_in_scope(user, unit):
        raise PermissionDenied(_("Đơn vị này nằm ngoài phạm vi của bạn."))


def _validate(model: PilotModel) -> None:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not (model.name or "").strip():
        errors["name"] = _("Hãy nhập tên mô hình.")
    if model.kind not in PilotModel.Kind.values:
        errors["kind"] = _("Loại mô hình không hợp lệ.")
    if model.status not in PilotModel.Status.values:
        errors["status"] = _("Trạng thái không hợp lệ.")
    if model.start_date and model.start_date > today:
        errors["start_date"] = _("Ngày bắt đầu không được ở tương lai.")
    if model.start_date and not model.org_unit.is_valid_on(model.start_date):
        errors["org_unit"] = _("Đơn vị %(unit)s không tồn tại vào ngày %(d)s.") % {
            "unit": model.org_unit.name,
            "d": model.start_date.strftime("%d/%m/%Y"),
        }
    if model.status == PilotModel.Status.CLOSED:
        if model.closed_on is None:
            errors["closed_on"] = _("Mô hình đã kết thúc: hãy nhập ngày kết thúc.")
        elif model.closed_on > today:
            errors["closed_on"] = _("Ngày kết thúc không được ở tương lai.")
        elif model.start_date and model.closed_on < model.start_date:
            errors["closed_on"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
    elif model.closed_on is not None:
        errors["closed_on"] = _("Chỉ nhập ngày kết thúc khi mô hình đã kết thúc.")
    for name in ("members", "people_reached"):
        if (getattr(model, name) or 0) < 0:
            errors[name] = _("Không được âm.")
    if (
        model.task is not None
        and not OrgUnitScope.objects.filter(
            holder_id=model.task.plan.org_unit_id, unit_id=model.org_unit_id
        ).exists()
    ):
        errors["task"] = _("Nhiệm vụ này thuộc kế hoạch của đơn vị khác.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pilotmodel_create(*, acting_user: Any, org_unit: OrgUnit, **fields: Any) -> PilotModel:
    _require_write(acting_user, org_unit)
    model = PilotModel(org_unit=org_unit, created_by=acting_user, **fields)
    _validate(model)
    record_save_versioned(model, expected_version=None)
    audit_record(action=AuditEvent.Action.CREATE, user=acting_user, obj=model)
    return model


@transaction.atomic
def pilotmodel_update(
    *, model: PilotModel, acting_user: Any, expected_version: int | None, **fields: Any
) -> PilotModel:
    """Change a pilot model; refused (StaleRecord) if someone saved it since it was read."""
    _require_write(acting_user, model.org_unit)
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in PILOTMODEL_FIELDS:
            raise TypeError(f"unknown field {name}")
        old = getattr(model, name)
        if getattr(old, "pk", old) != getattr(value, "pk", value):
            changes[name] = [str(getattr(old, "pk", old)), str(getattr(value, "pk", value))]
        setattr(model, name, value)
    _require_write(acting_user, model.org_unit)
    _validate(model)
    record_save_versioned(model, expected_version=expected_version)
    audit_record(
        action=AuditEvent.Action.UPDATE, user=acting_user, obj=model, detail={"changes": changes}
    )
    return model


@transaction.atomic
def pilotmodel_delete(*, model: PilotModel, acting_user: Any) -> None:
    _require_write(acting_user, model.org_unit)
    audit_record(action=AuditEvent.Action.DELETE, user=acting_user, obj=model)
    model.delete()


# --- XLSX ---------------------------------------------------------------------------------

IMPORT_BATCH = 2000
Progress = Callable[[int, int, str], None]


def pilotmodel_columns() -> list[Column]:
    return [
        Column("name", "Tên mô hình", required=True, max_length=300),
        Column("kind", "Loại mô hình", kind="choice", choices=PilotModel.Kind.choices,
               required=True),
        Column("start_date", "Ngày bắt đầu", kind="date", required=True),
        Column("status", "Trạng thái", kind="choice", choices=PilotModel.Status.choices,
               help="Để trống: Đang hoạt động."),
        Column("closed_on", "Ngày kết thúc", kind="date",
               help="Chỉ ghi khi mô hình đã kết thúc."),
        Column("members", "Số thành viên", kind="int"),
        Column("people_reached", "Số người được tiếp cận, hỗ trợ", kind="int"),
        Column("note", "Ghi chú", max_length=2000),
    ]  # fmt: skip


def pilotmodel_template_xlsx() -> bytes:
    return xlsx_template(
        columns=pilotmodel_columns(),
        sheet_title="Mô hình thí điểm",
        instructions=[
            _("Mẫu nhập mô hình thí điểm: mỗi dòng một mô hình."),
            _("Giữ nguyên dòng tiêu đề. Không gộp ô, không dùng công thức."),
            _("Ngày ghi dạng dd/mm/yyyy, không ở tương lai; mô hình đã kết thúc phải có ngày "
              "kết thúc, không trước ngày bắt đầu."),
            _("Tệp được kiểm tra toàn bộ trước khi ghi: có lỗi ở dòng nào thì không dòng nào "
              "được ghi."),
        ],
    )  # fmt: skip


def pilotmodel_export_xlsx(*, models: Iterable[PilotModel]) -> bytes:
    columns = [Column("unit", "Đơn vị"), *pilotmodel_columns()]
    return xlsx_export(
        columns=columns,
        rows=(
            {
                "unit": m.org_unit.name,
                "name": m.name,
                "kind": m.kind,
                "start_date": m.start_date,
                "status": m.status,
                "closed_on": m.closed_on,
                "members": m.members,
                "people_reached": m.people_reached,
                "note": m.note,
            }
            for m in models
        ),
    )


@dataclass
class PilotModelImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def pilotmodels_import(
    *,
    unit: OrgUnit,
    data: bytes,
    acting_user: Any,
    filename: str = "",
    progress: Progress | None = None,
) -> PilotModelImportResult:
    """Check every row against the pilot models' rules, then write all rows in one transaction,
    or none. `unit` is the unit the models belong to."""
    _require_write(acting_user, unit)
    columns = pilotmodel_columns()
    rows, errors = xlsx_read_rows(data=data, columns=columns)
    if errors:
        return PilotModelImportResult(errors=errors)
    total = len(rows)
    if progress:
        progress(0, total, _("Đang kiểm tra %(n)d dòng") % {"n": total})
    label = {c.key: c.label for c in columns}
    label["org_unit"] = label["start_date"]
    objects: list[PilotModel] = []
    for row in rows:
        obj = PilotModel(
            org_unit=unit,
            name=row["name"],
            kind=row["kind"],
            start_date=row["start_date"],
            status=row["status"] or PilotModel.Status.ACTIVE,
            closed_on=row["closed_on"],
            members=row["members"] or 0,
            people_reached=row["people_reached"] or 0,
            note=row["note"],
            created_by=acting_user,
        )
        try:
            _validate(obj)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(RowError(row["_row"], label.get(name, ""), message))
        objects.append(obj)
    if errors:
        return PilotModelImportResult(errors=errors)
    with transaction.atomic():
        for start in range(0, total, IMPORT_BATCH):
            PilotModel.objects.bulk_create(objects[start : start + IMPORT_BATCH])
            records_bulk_written(objects[start : start + IMPORT_BATCH])
            if progress:
                done = min(total, start + IMPORT_BATCH)
                progress(done, total, _("Đã ghi %(n)d/%(t)d dòng") % {"n": done, "t": total})
        audit_record(
            action=AuditEvent.Action.IMPORT,
            user=acting_user,
            obj=unit,
            detail={"filename": filename[:200], "pilot_models": total},
        )
    return PilotModelImportResult(created=total)
