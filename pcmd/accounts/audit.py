"""Write the audit trail.

Owns: audit_record(). Every login, failed login, read of a sensitive record, create, update,
delete, export and import is recorded here by the service or view that performs it.
Invariants: audit rows are only ever inserted; a failure to audit aborts the action it records
(it runs in the same transaction); no value of a sealed field (pcmd.sealing.fields) is ever
written: keys named after the object's sealed fields are dropped from `detail` at any depth
(their names are kept in detail["sealed_fields"]), strings holding a sealed value are masked,
and the object's repr falls back to "<model> #<pk>" if it would show one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from pcmd.accounts.models import AuditEvent
from pcmd.sealing.fields import sealed_field_names

MASK = "[đã ẩn]"
MIN_MASKED_LENGTH = 3


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _sealed_values(obj: Model, names: list[str]) -> list[str]:
    values = []
    for name in names:
        value = obj.__dict__.get(name)  # never a database read from here
        if value is not None and len(str(value)) >= MIN_MASKED_LENGTH:
            values.append(str(value))
    return values


def _scrub(value: Any, names: frozenset[str], secrets: list[str], dropped: set[str]) -> Any:
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            if key in names:
                dropped.add(key)
                continue
            kept[key] = _scrub(item, names, secrets, dropped)
        return kept
    if isinstance(value, list | tuple):
        return [_scrub(item, names, secrets, dropped) for item in value]
    if isinstance(value, str) and any(secret in value for secret in secrets):
        return MASK
    return value


def scrub_sealed(obj: Model | None, detail: dict[str, Any] | None) -> dict[str, Any]:
    """`detail` without the sealed fields' values of `obj` (names kept in "sealed_fields")."""
    detail = dict(detail or {})
    names = sealed_field_names(obj) if obj is not None else []
    if not names:
        return detail
    dropped: set[str] = set()
    clean = _scrub(detail, frozenset(names), _sealed_values(obj, names), dropped)  # type: ignore[arg-type]
    if dropped:
        clean["sealed_fields"] = sorted(set(clean.get("sealed_fields", [])) | dropped)
    return clean


def _object_repr(obj: Model) -> str:
    text = str(obj)[:255]
    names = sealed_field_names(obj)
    if names and any(secret in text for secret in _sealed_values(obj, names)):
        return f"{obj._meta.verbose_name} #{obj.pk}"
    return text


def audit_record(
    *,
    action: str,
    user: Any = None,
    obj: Model | None = None,
    org_unit: Any = None,
    request: HttpRequest | None = None,
    username: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if org_unit is None and obj is not None:
        org_unit = getattr(obj, "org_unit", None)
        if org_unit is None and obj.__class__.__name__ == "OrgUnit":
            org_unit = obj
    return AuditEvent.objects.create(
        user=user,
        username=username or (user.get_username() if user is not None else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_object_repr(obj) if obj is not None else "",
        org_unit=org_unit,
        ip_address=client_ip(request),
        detail=scrub_sealed(obj, detail),
    )
