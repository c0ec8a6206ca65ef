"""Helpers shared by the plan services: permission checks that raise, JSON-able change records.

Owns: require_plan_edit(), require_progress(), jsonable(), PlanImportError.
Invariants: acting_user=None means the system (a command, the demo) and is always allowed; a
person must pass the same rule the pages and the API apply (selectors.can_edit_plan,
selectors.can_record_progress), else PermissionDenied with a Vietnamese message.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import has_capability, unit_in_scope
from pcmd.orgunits.models import OrgUnit
from pcmd.plans import selectors
from pcmd.plans.models import Plan, Task


class PlanImportError(ValidationError):
    """The document cannot be imported as it is; `messages` says why, in Vietnamese."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(list(messages))


def require_plan_edit(user: Any, plan: Plan) -> None:
    if user is None:
        return
    if not selectors.can_edit_plan(user, plan):
        raise PermissionDenied(
            _("Chỉ cán bộ điều phối của %(unit)s (hoặc quản trị) được sửa kế hoạch này.")
            % {"unit": plan.org_unit.name}
        )


def require_plan_create(user: Any, org_unit: OrgUnit) -> None:
    """Importing a plan for `org_unit`: the same rule as editing one of its plans."""
    if user is None:
        return
    if not has_capability(user, "plan.manage"):
        raise PermissionDenied(_("Vai trò của bạn không được nhập kế hoạch."))
    allowed = (
        unit_in_scope(user, org_unit) if user.role == "admin" else user.org_unit_id == org_unit.pk
    )
    if not allowed:
        raise PermissionDenied(
            _("Chỉ cán bộ điều phối của %(unit)s (hoặc quản trị) được nhập kế hoạch của đơn vị.")
            % {"unit": org_unit.name}
        )


def require_progress(user: Any, task: Task) -> None:
    if user is None:
        return
    if not selectors.can_record_progress(user, task):
        raise PermissionDenied(
            _("Bạn không được cập nhật tiến độ nhiệm vụ này (chỉ cơ quan được giao, hoặc cán bộ "
              "điều phối, nhập liệu).")
        )  # fmt: skip


def jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value
