"""Write the audit trail.

Owns: audit_record(). Every login, failed login, read of a sensitive record, create, update,
delete, export and import is recorded here by the service or view that performs it.
Invariants: audit rows are only ever inserted; a failure to audit aborts the action it records
(it runs in the same transaction).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from pcmd.accounts.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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
        object_repr=str(obj)[:255] if obj is not None else "",
        org_unit=org_unit,
        ip_address=client_ip(request),
        detail=detail or {},
    )
