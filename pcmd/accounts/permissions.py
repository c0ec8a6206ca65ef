"""The permission rules of PCMD, in one place: what each role may do, and where.

Owns: CAPABILITIES (role -> capabilities), has_capability(), require_capability(),
scope_q(), scope_filter(), unit_in_scope(), get_in_scope_or_404().
Invariants: every page, export and API query filters through scope_filter() or
get_in_scope_or_404(); a user sees the subtree of their own org unit at any date, including the
records of the units their unit succeeded, and nothing else. Objects outside the scope are
answered with 404 (not 403) so that their existence does not leak.
Not here: authentication, 2FA (services.py, views.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from pcmd.orgunits.models import OrgUnit, OrgUnitScope

if TYPE_CHECKING:
    from pcmd.accounts.models import User

M = TypeVar("M", bound=Model)

# Capabilities are "<area>.<verb>". Later apps add their areas here, never elsewhere.
_READ_UNITS = {"orgunit.view", "agency.view", "job.view"}
CAPABILITIES: dict[str, frozenset[str]] = {
    "admin": frozenset(
        _READ_UNITS
        | {"orgunit.manage", "village.manage", "agency.manage", "audit.view", "user.manage",
           "job.run_system"}
    ),
    "coordinator": frozenset(_READ_UNITS | {"village.manage", "agency.manage"}),
    "police": frozenset(_READ_UNITS),
    "inspector": frozenset(_READ_UNITS),
    "social_worker": frozenset(_READ_UNITS),
    "leader": frozenset(_READ_UNITS | {"audit.view"}),
    "data_entry": frozenset(_READ_UNITS | {"village.manage"}),
}

# Roles that can read sealed identities must log in with a second factor.
ROLES_REQUIRING_2FA = frozenset({"admin", "police", "social_worker"})


def has_capability(user: Any, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())


def require_capability(user: Any, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))


def is_national(user: User) -> bool:
    return user.org_unit is not None and user.org_unit.level == OrgUnit.Level.NATIONAL


def scope_unit_ids(user: User) -> QuerySet[OrgUnitScope, Any]:
    """A subquery of the ids of the units whose records `user` may see."""
    return OrgUnitScope.objects.filter(holder_id=user.org_unit_id).values("unit_id")


def scope_q(user: Any, field: str = "org_unit") -> Q:
    """Q restricting a queryset on `field` (a FK to OrgUnit) to the user's scope."""
    if not getattr(user, "is_authenticated", False) or user.org_unit_id is None:
        return Q(pk__in=[])
    if is_national(user):
        return Q()
    return Q(**{f"{field}__in": scope_unit_ids(user)})


def scope_filter(qs: QuerySet[M, Any], user: Any, field: str = "org_unit") -> QuerySet[M, Any]:
    return qs.filter(scope_q(user, field))


def unit_in_scope(user: Any, unit: OrgUnit | int | None) -> bool:
    if unit is None or not getattr(user, "is_authenticated", False) or user.org_unit_id is None:
        return False
    unit_id = unit.pk if isinstance(unit, OrgUnit) else unit
    if is_national(user):
        return True
    return OrgUnitScope.objects.filter(holder_id=user.org_unit_id, unit_id=unit_id).exists()


def get_in_scope_or_404(
    qs: QuerySet[M, Any], user: Any, field: str = "org_unit", **lookup: Any
) -> M:
    """The object matching `lookup` inside the user's scope, else 404 (never another unit's)."""
    obj = scope_filter(qs, user, field).filter(**lookup).first()
    if obj is None:
        raise Http404(_("Không tìm thấy, hoặc bạn không có quyền xem mục này."))
    return obj
