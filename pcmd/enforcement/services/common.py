"""Helpers shared by the enforcement services: who may write where, the checks every record
shares (dates not in the future, a unit in scope and in existence on the date), applying
changes, saving with optimistic locking and auditing.

Owns: Errors, Lookups, in_scope_of(), require_write(), check_not_future(), check_unit(),
apply_changes(), raise_if_errors(), save_audited(), delete_audited(), today().
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


class Lookups:
    """Memoised answers for checking many rows of one import with the same rules as a single
    record: is a unit in the user's scope, which unit carries another's records on a date.
    `resolved` also tells the checks that the related objects were looked up by the importer
    (so the per-row foreign-key and constraint queries of full_clean are skipped; the rules
    behind those constraints are checked in Python by the services)."""

    resolved = True

    def __init__(self, user: Any) -> None:
        self.user = user
        self._scope: dict[int, bool] = {}
        self._successor: dict[tuple[int, date], OrgUnit | None] = {}

    def in_scope(self, unit: OrgUnit | int | None) -> bool:
        if unit is None:
            return unit_in_scope(self.user, None)
        key = unit.pk if isinstance(unit, OrgUnit) else unit
        if key not in self._scope:
            self._scope[key] = unit_in_scope(self.user, key)
        return self._scope[key]

    def successor(self, unit: OrgUnit, on: date) -> OrgUnit | None:
        from pcmd.orgunits.selectors import orgunit_successor

        key = (unit.pk, on)
        if key not in self._successor:
            self._successor[key] = orgunit_successor(unit, on=on)
        return self._successor[key]


def in_scope_of(user: Any, lookups: Lookups | None) -> Any:
    """unit -> bool: the unit is in `user`'s scope (memoised when checking an import)."""
    if lookups is not None:
        return lookups.in_scope
    return lambda unit: unit_in_scope(user, unit)


def check_unit(
    errors: Errors,
    *,
    user: Any,
    org_unit: OrgUnit | None,
    on: date,
    field: str = "org_unit",
    lookups: Lookups | None = None,
) -> None:
    """A record's unit: not a village (villages go in their own field), inside the user's
    scope, and in existence on the record's date."""
    if org_unit is None:
        add(errors, field, _("Hãy chọn đơn vị."))
        return
    if org_unit.level == OrgUnit.Level.VILLAGE:
        add(errors, field, _("Chọn xã, phường (hoặc cấp trên); thôn ghi ở ô riêng."))
        return
    if user is not None and not in_scope_of(user, lookups)(org_unit):
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


def raise_if_errors(
    obj: Model,
    errors: Errors,
    *,
    exclude: list[str] | None = None,
    lookups: Lookups | None = None,
) -> None:
    """Merge the model's own checks (required fields, choices, constraints) with `errors`.

    With `lookups` (an import that resolved the related objects itself), foreign keys and
    database constraints are not queried again row by row."""
    constraints = True
    if lookups is not None and lookups.resolved:
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        exclude = [*(exclude or []), *relations]
        constraints = False
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=constraints)
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
