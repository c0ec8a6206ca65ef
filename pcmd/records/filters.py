"""List filters every records page and export shares: period, unit (a descendant in the user's
scope) and free text, read from a query string.

Owns: RecordFilters, record_filters_parse(), record_filters_apply(), unit_filter_choices().
Invariants: a unit outside the user's scope is refused like an unknown one (the filter is
dropped with a message, never widened); a bad period gives a message and no period filter;
the unit filter covers the unit's subtree at any date and its predecessors (OrgUnitScope).
Not here: app-specific filters (form, agency ...), which each app's selectors add.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import unit_in_scope
from pcmd.common.params import parse_id
from pcmd.common.periods import Period, PeriodError, period_parse
from pcmd.common.text import nfc
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
from pcmd.orgunits.selectors import orgunit_children

M = TypeVar("M", bound=Model)


@dataclass
class RecordFilters:
    """What the user asked for; `errors` says (per parameter) what was ignored and why."""

    period: Period | None = None
    unit: OrgUnit | None = None
    q: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.period or self.unit or self.q)


def record_filters_parse(*, data: Mapping[str, Any], user: Any) -> RecordFilters:
    """Read `period`, `unit` (an id) and `q` from `data` (request.GET)."""
    filters = RecordFilters()
    period_text = str(data.get("period") or "").strip()
    if period_text:
        try:
            filters.period = period_parse(period_text)
        except PeriodError as exc:
            filters.errors["period"] = str(exc)
    unit_text = str(data.get("unit") or "").strip()
    if unit_text:
        unit_id = parse_id(unit_text)
        unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id is not None else None
        if unit is None or not unit_in_scope(user, unit):
            filters.errors["unit"] = _("Không tìm thấy đơn vị này trong phạm vi của bạn.")
        else:
            filters.unit = unit
    filters.q = nfc(str(data.get("q") or ""))[:100]
    return filters


def record_filters_apply(
    qs: QuerySet[M, Any],
    filters: RecordFilters,
    *,
    date_field: str = "date",
    unit_field: str = "org_unit",
    text_fields: Iterable[str] = (),
) -> QuerySet[M, Any]:
    if filters.period is not None:
        qs = qs.filter(
            **{f"{date_field}__gte": filters.period.start, f"{date_field}__lte": filters.period.end}
        )
    if filters.unit is not None:
        qs = qs.filter(
            **{
                f"{unit_field}__in": OrgUnitScope.objects.filter(holder_id=filters.unit.pk).values(
                    "unit_id"
                )
            }
        )
    if filters.q:
        q = Q()
        for name in text_fields:
            q |= Q(**{f"{name}__icontains": filters.q})
        qs = qs.filter(q)
    return qs


def unit_filter_choices(
    user: Any, *, selected: OrgUnit | None = None, villages: bool = True, limit: int = 500
) -> list[OrgUnit]:
    """The unit filter's choices: the user's unit, its units one level down today (villages
    aside unless `villages`) and the unit already picked. Not the whole scope: Hà Nội's holds
    700 units with the old districts and communes, read and written out on every page; a unit
    of today covers its predecessors' records (OrgUnitScope), and any unit in scope can still
    be asked for."""
    own = getattr(user, "org_unit", None)
    if own is None:
        return [selected] if selected is not None else []
    children = orgunit_children(own, on=timezone.localdate())
    if not villages:
        children = children.exclude(level=OrgUnit.Level.VILLAGE)
    out = [own, *children.only("pk", "name")[:limit]]
    if selected is not None and selected.pk not in {u.pk for u in out}:
        out.append(selected)
    return out
