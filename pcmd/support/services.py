"""Write pilot models.

Owns: pilotmodel_create(), pilotmodel_update(), pilotmodel_delete(), PILOTMODEL_FIELDS.
Invariants: a person writes only with "pilotmodel.manage" and only in units of their scope
(acting_user=None is the system); the start is never in the future and the unit exists on it;
a closed model has a closing date, not before its start and not in the future; an open one has
none; a stale update is refused (StaleRecord); every write is audited in its transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, unit_in_scope
from pcmd.common.records import record_save_versioned
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
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
