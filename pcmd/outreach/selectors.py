"""Read awareness activities: scoped lists and details, and who carried out activities.

Owns: outreach_event_list_for_user(), outreach_event_get_for_user(), OutreachFilters,
outreach_filters_parse(), units_with_activity(), agencies_with_activity(), Coverage.
Invariants: every list and detail goes through accounts.permissions (404 outside the scope);
coverage counts a child unit (village) or an agency once, however many events it has.
Not here: writing (services.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import get_in_scope_or_404, scope_filter
from pcmd.common.params import parse_id
from pcmd.common.periods import Period
from pcmd.orgunits import selectors as orgunit_selectors
from pcmd.orgunits.models import Agency, OrgUnit, OrgUnitScope
from pcmd.outreach.models import OutreachEvent
from pcmd.records.filters import RecordFilters, record_filters_apply, record_filters_parse

SORTS = {
    "date": ("date", "id"),
    "-date": ("-date", "-id"),
    "form": ("form", "-date", "-id"),
    "unit": ("org_unit__key", "-date", "-id"),
    "participants": ("participants", "-date", "-id"),
    "-participants": ("-participants", "-date", "-id"),
}


@dataclass
class OutreachFilters(RecordFilters):
    form: str = ""
    agency: Agency | None = None
    sort: str = "-date"
    extra_errors: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(super().active or self.form or self.agency)


def outreach_filters_parse(*, data: Mapping[str, Any], user: Any) -> OutreachFilters:
    base = record_filters_parse(data=data, user=user)
    filters = OutreachFilters(period=base.period, unit=base.unit, q=base.q, errors=base.errors)
    form = str(data.get("form") or "")
    if form in OutreachEvent.Form.values:
        filters.form = form
    agency_text = str(data.get("agency") or "").strip()
    if parse_id(agency_text) is not None:
        filters.agency = scope_filter(Agency.objects.all(), user).filter(pk=agency_text).first()
        if filters.agency is None:
            filters.errors["agency"] = _("Không tìm thấy cơ quan này trong phạm vi của bạn.")
    sort = str(data.get("sort") or "-date")
    filters.sort = sort if sort in SORTS else "-date"
    return filters


def outreach_event_list_for_user(
    *, user: Any, filters: OutreachFilters | None = None
) -> QuerySet[OutreachEvent]:
    qs = scope_filter(OutreachEvent.objects.all(), user).select_related("org_unit", "agency")
    if filters is None:
        return qs
    qs = record_filters_apply(qs, filters, text_fields=("topic", "note"))
    if filters.form:
        qs = qs.filter(form=filters.form)
    if filters.agency is not None:
        qs = qs.filter(agency=filters.agency)
    return qs.order_by(*SORTS[filters.sort])


def outreach_event_get_for_user(*, event_id: int, user: Any) -> OutreachEvent:
    qs = OutreachEvent.objects.select_related(
        "org_unit", "agency", "task", "task__plan", "created_by"
    ).prefetch_related("attachments")
    return get_in_scope_or_404(qs, user, pk=event_id)


def _events_in(unit: OrgUnit, period: Period) -> QuerySet[OutreachEvent]:
    return OutreachEvent.objects.filter(
        date__gte=period.start,
        date__lte=period.end,
        org_unit__in=OrgUnitScope.objects.filter(holder_id=unit.pk).values("unit_id"),
    )


@dataclass(frozen=True)
class Coverage:
    """`done` of `total` children (villages, agencies) had at least one activity."""

    total: int
    done: int
    done_ids: frozenset[int]

    @property
    def share(self) -> float | None:
        return None if self.total == 0 else self.done / self.total


def units_with_activity(*, unit: OrgUnit, period: Period) -> Coverage:
    """The child units of `unit` (as the tree stood at the period's end) with at least one
    activity in the period, in the child itself or below it."""
    children = list(
        orgunit_selectors.orgunit_children(unit, on=period.end).values_list("pk", flat=True)
    )
    if not children:
        return Coverage(0, 0, frozenset())
    event_units = _events_in(unit, period).values("org_unit_id")
    done = set(
        OrgUnitScope.objects.filter(holder_id__in=children, unit_id__in=event_units).values_list(
            "holder_id", flat=True
        )
    )
    return Coverage(len(children), len(done), frozenset(done))


def agencies_with_activity(*, unit: OrgUnit, period: Period) -> Coverage:
    """The agencies of `unit` active during the period that organised at least one activity."""
    agencies = set(
        Agency.objects.filter(org_unit=unit)
        .exclude(valid_to__lt=period.start)
        .exclude(valid_from__gt=period.end)
        .values_list("pk", flat=True)
    )
    if not agencies:
        return Coverage(0, 0, frozenset())
    done = set(
        _events_in(unit, period)
        .filter(agency_id__in=agencies)
        .values_list("agency_id", flat=True)
        .distinct()
    )
    return Coverage(len(agencies), len(done), frozenset(done))
