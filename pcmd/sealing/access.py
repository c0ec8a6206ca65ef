"""Reading sealed values with a recorded reason, and break-glass grants.

Owns: reveal(), break_glass_open(), break_glass_end(), break_glass_active(),
break_glass_list_for_user().
Invariants: every read of a sealed value through reveal() writes exactly one AuditEvent
(VIEW_SENSITIVE) whose detail names the fields and the reason, never the values; a reason has
at least 10 characters; a break-glass grant needs the capability sealed.break_glass, a unit in
the user's scope and at most 4 hours, and is audited when opened and ended.
Not here: deciding whether a user may read a given record's identity — the caller checks its
capability, role or unit (or break_glass_active()) before calling reveal().
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.permissions import (
    has_capability,
    is_national,
    require_capability,
    scope_q,
    unit_in_scope,
)
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
from pcmd.sealing.fields import sealed_field_names
from pcmd.sealing.models import MAX_BREAK_GLASS_MINUTES, MIN_REASON_LENGTH, BreakGlassGrant


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            _("Hãy ghi rõ lý do (ít nhất %(n)d ký tự)."),
            code="reason_too_short",
            params={"n": MIN_REASON_LENGTH},
        )
    return reason


@transaction.atomic
def reveal(
    *,
    user: Any,
    obj: Model,
    fields: Sequence[str],
    reason: str,
    request: HttpRequest | None = None,
) -> dict[str, Any]:
    """The plain values of `fields` of `obj`, after recording who read them and why."""
    reason = _clean_reason(reason)
    names = list(dict.fromkeys(fields))
    if not names:
        raise ValidationError(_("Chưa chọn trường nào để xem."), code="no_fields")
    sealed = set(sealed_field_names(obj))
    unknown = [name for name in names if name not in sealed]
    if unknown:
        raise ValueError(f"reveal() only reads sealed fields; not sealed: {unknown}")
    audit_record(
        action=AuditEvent.Action.VIEW_SENSITIVE,
        user=user,
        obj=obj,
        request=request,
        detail={"fields": names, "reason": reason},
    )
    return {name: getattr(obj, name) for name in names}


def _covering_units(org_unit: OrgUnit | int) -> Q:
    """Grants on this unit or on any unit whose scope holds it."""
    unit_id = org_unit.pk if isinstance(org_unit, OrgUnit) else org_unit
    holders = OrgUnitScope.objects.filter(unit_id=unit_id).values("holder_id")
    return Q(org_unit_id=unit_id) | Q(org_unit_id__in=holders)


def break_glass_active(user: Any, org_unit: OrgUnit | int | None) -> BreakGlassGrant | None:
    """The user's grant covering `org_unit` now, if any (and only while the role allows it)."""
    if org_unit is None or not has_capability(user, "sealed.break_glass"):
        return None
    now = timezone.now()
    return (
        BreakGlassGrant.objects.filter(
            _covering_units(org_unit),
            user=user,
            ended_at__isnull=True,
            starts_at__lte=now,
            expires_at__gt=now,
        )
        .order_by("-expires_at")
        .first()
    )


@transaction.atomic
def break_glass_open(
    *,
    user: Any,
    org_unit: OrgUnit,
    reason: str,
    minutes: int,
    request: HttpRequest | None = None,
) -> BreakGlassGrant:
    """Open a grant for `minutes` (1..240) on a unit in the user's scope; audited."""
    require_capability(user, "sealed.break_glass")
    if not unit_in_scope(user, org_unit):
        raise PermissionDenied(_("Đơn vị này nằm ngoài phạm vi của bạn."))
    reason = _clean_reason(reason)
    if not 1 <= minutes <= MAX_BREAK_GLASS_MINUTES:
        raise ValidationError(
            _("Thời hạn phải từ 1 đến %(max)d phút (tối đa 4 giờ)."),
            code="duration",
            params={"max": MAX_BREAK_GLASS_MINUTES},
        )
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=user,
        org_unit=org_unit,
        reason=reason,
        starts_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=user,
        obj=grant,
        org_unit=org_unit,
        request=request,
        detail={"break_glass": True, "reason": reason, "minutes": minutes},
    )
    return grant


@transaction.atomic
def break_glass_end(
    *, grant: BreakGlassGrant, user: Any, request: HttpRequest | None = None
) -> BreakGlassGrant:
    """End a grant before it expires (its holder, or a leader over its unit); audited."""
    grant = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if not grant.is_active():
        return grant
    if grant.user_id != user.pk and not can_supervise_break_glass(user, grant.org_unit):
        raise PermissionDenied(_("Bạn không được kết thúc quyền truy cập này."))
    grant.ended_at = timezone.now()
    grant.save(update_fields=["ended_at"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=user,
        obj=grant,
        request=request,
        detail={"break_glass": True, "ended": True},
    )
    return grant


SUPERVISOR_ROLES = frozenset({User.Role.LEADER, User.Role.ADMIN})


def can_supervise_break_glass(user: Any, org_unit: OrgUnit) -> bool:
    """Leaders (and admins) see and end the grants of the units in their scope."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in SUPERVISOR_ROLES
        and unit_in_scope(user, org_unit)
    )


def break_glass_list_for_user(user: Any) -> QuerySet[BreakGlassGrant]:
    """Grants the user may see: their own, plus every grant in scope for a leader or admin."""
    qs = BreakGlassGrant.objects.select_related("user", "org_unit")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.role in SUPERVISOR_ROLES:
        if is_national(user):
            return qs
        return qs.filter(scope_q(user) | Q(user=user))
    return qs.filter(user=user)


def break_glass_get_for_user(*, grant_id: int, user: Any) -> BreakGlassGrant:
    """A grant the user may see (their own, or in a leader's scope), else 404."""
    from django.http import Http404

    grant = break_glass_list_for_user(user).filter(pk=grant_id).first()
    if grant is None:
        raise Http404(_("Không tìm thấy, hoặc bạn không có quyền xem mục này."))
    return grant
