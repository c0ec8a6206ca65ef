"""Read pilot models, scoped to the user; count the models built.

Owns: pilotmodel_list_for_user(), pilotmodel_get_for_user(), pilotmodels_built().
Invariants: lists and details go through accounts.permissions (404 outside the scope, nothing
without "pilotmodel.view"); a unit's count covers its whole scope (its subtree and predecessors).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from pcmd.accounts.permissions import get_in_scope_or_404, has_capability, scope_filter
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
from pcmd.support.models import PilotModel


def _in_unit(unit: OrgUnit | int | None) -> Q:
    if unit is None:
        return Q()
    unit_id = unit.pk if isinstance(unit, OrgUnit) else unit
    return Q(org_unit__in=OrgUnitScope.objects.filter(holder_id=unit_id).values("unit_id"))


def pilotmodel_list_for_user(
    *,
    user: Any,
    unit: OrgUnit | int | None = None,
    start: date | None = None,
    end: date | None = None,
    kind: str = "",
    status: str = "",
) -> QuerySet[PilotModel]:
    qs = PilotModel.objects.select_related("org_unit", "task")
    if not has_capability(user, "pilotmodel.view"):
        return qs.none()
    qs = scope_filter(qs, user).filter(_in_unit(unit))
    if end is not None:
        qs = qs.filter(start_date__lte=end)
    if start is not None:
        qs = qs.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-start_date", "-id")


def pilotmodel_get_for_user(*, model_id: int, user: Any) -> PilotModel:
    return get_in_scope_or_404(pilotmodel_list_for_user(user=user), user, pk=model_id)


def pilotmodels_built(*, unit: OrgUnit, on: date, kind: str = "") -> int:
    """Models started by `on` in `unit`'s scope, closed or not ("Đến năm 2020: 03 mô hình");
    those still only planned are not built yet."""
    qs = PilotModel.objects.filter(_in_unit(unit), start_date__lte=on).exclude(
        status=PilotModel.Status.PLANNED
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.count()
