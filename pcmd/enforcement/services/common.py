"""Helpers shared by the enforcement services: who may write where, the checks every record
shares (dates not in the future, a unit in scope and in existence on the date), applying
changes, saving with optimistic locking and auditing.

Owns: Errors, require_write(), check_not_future(), check_unit(), apply_changes(),
raise_if_errors(), save_audited(), delete_audited(), today().
Invariants: acting_user=None means the system (a command, the demo) and is always allowed; a
person needs the capability and the unit in scope, else PermissionDenied in Vietnamese. Nothing
is written when any check fails; every write leaves one audit row in the same transaction.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Model, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import require_capability, unit_in_scope
from pcmd.common.records import record_save_versioned
from pcmd.orgunits.models import OrgUnit

Errors = dict[str, list[str]]


def today() -> date:
    return timezone.localdate()


def fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def require_write(user: Any, capability: str, org_unit: OrgUnit | None) -> None:
    """The user may write this kind of record in `org_unit` (None: just the role)."""
    if user is None:
        return
    require_capability(user, capability)
    if org_unit is not None and not unit_in_scope(user, org_unit):
        raise PermissionDenied(_("Đơn vị của bản ghi nằm ngoài phạm vi của bạn."))


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def check_not_future(errors: Errors, field: str, value: date | None) -> None:
    if value is not None and value > today():
        add(
            errors,
            field,
            _("Ngày %(d)s chưa tới: không ghi ngày trong tương lai.") % {"d": fmt(value)},
        )


def check_unit(
    errors: Errors, *, user: Any, org_unit: OrgUnit | None, on: date, field: str = "org_unit"
) -> None:
    """A record's unit: not a village (villages go in their own field), inside the user's
    scope, and in existence on the record's date."""
    if org_unit is None:
        add(errors, field, _("Hãy chọn đơn vị."))
        return
    if org_unit.level == OrgUnit.Level.VILLAGE:
        add(errors, field, _("Chọn xã, phường (hoặc cấp trên); thôn ghi ở ô riêng."))
        return
    if user is not None and not unit_in_scope(user, org_unit):
        add(errors, field, _("Đơn vị %(u)s nằm ngoài phạm vi của bạn.") % {"u": org_unit.name})
        return
    if not org_unit.is_valid_on(on):
        add(
            errors,
            field,
            _("Đơn vị %(u)s không còn (hoặc chưa) tồn tại vào ngày %(d)s.")
            % {"u": org_unit.name, "d": fmt(on)},
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value


def apply_changes(obj: Model, fields: dict[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    """Set `fields` on `obj`; return {field: [old, new]} for those that changed."""
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{type(obj).__name__}: unknown fields {sorted(unknown)}")
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        try:
            old = getattr(obj, name)
        except ObjectDoesNotExist:  # a required foreign key not set yet
            old = None
        if old != value:
            changes[name] = [_jsonable(old), _jsonable(value)]
            setattr(obj, name, value)
    return changes


def raise_if_errors(obj: Model, errors: Errors, *, exclude: list[str] | None = None) -> None:
    """Merge the model's own checks (required fields, choices, constraints) with `errors`."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name not in errors:
                errors[name] = list(messages)
    if errors:
        raise ValidationError(errors)


def save_audited(
    obj: Any, *, acting_user: Any, expected_version: int | None, changes: dict[str, Any] | None
) -> Any:
    """Save a new record (changes=None) or an edit (refused with StaleRecord if outdated)."""
    creating = obj.pk is None
    if creating and acting_user is not None and hasattr(obj, "created_by_id"):
        obj.created_by = acting_user
    if hasattr(obj, "version"):
        record_save_versioned(obj, expected_version=expected_version)
    else:
        obj.save()
    if creating or changes:
        audit_record(
            action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
            user=acting_user,
            obj=obj,
            org_unit=_unit_of(obj),
            detail={} if creating else {"changes": changes},
        )
    return obj


def _unit_of(obj: Any) -> OrgUnit | None:
    unit = getattr(obj, "org_unit", None)
    if unit is None and hasattr(obj, "inspection"):
        unit = obj.inspection.org_unit
    return unit


def delete_audited(obj: Any, *, acting_user: Any, in_use: str) -> None:
    """Delete `obj` with an audit row; `in_use` explains a refusal when others depend on it."""
    audit_record(action=AuditEvent.Action.DELETE, user=acting_user, obj=obj, org_unit=_unit_of(obj))
    try:
        obj.delete()
    except ProtectedError as exc:
        raise ValidationError(in_use) from exc


def field_names(model: type[models.Model], *extra: str) -> frozenset[str]:
    """The editable field names of `model` (FKs by name), plus `extra`."""
    skip = {"id", "version", "created_by", "created_at", "updated_at"}
    names = {f.name for f in model._meta.concrete_fields if f.name not in skip}
    return frozenset(names | set(extra))
