"""Read enforcement records, scoped to the user; the inspection sample; shares and counts that
targets are measured by.

Owns: period_range(), *_list_for_user(), *_get_for_user(), record_history() (HistoryEntry),
inspection_sample() (SampleProposal, SampleItem), establishments_inspected_share() (Share),
cases_count(), cases_compared().
Invariants: every list and object for a user goes through accounts.permissions (scope_filter /
get_in_scope_or_404; 404 outside the scope); a unit filter covers the unit's subtree and its
predecessors (OrgUnitScope), so the records of Xã Hoằng Hợp count for Xã Hoằng Giang after the
merger. An establishment is active in a period if it opened before the period ended and had not
closed before it began.
The history of a record is its audit rows: only shown for a record the user may see.
Not here: writes (services/).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, Max, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import get_in_scope_or_404, has_capability, scope_filter
from pcmd.common.periods import PeriodError, period_parse
from pcmd.enforcement.models import (
    RISK_ORDER,
    Case,
    Establishment,
    HotSpot,
    Inspection,
    InspectionTeam,
    InspectionTeamMember,
    Violation,
)
from pcmd.orgunits.models import OrgUnit, OrgUnitScope

VIEW = "enforcement.view"

# --- Periods ----------------------------------------------------------------------------------


def period_range(code: str) -> tuple[date, date]:
    """First and last day of a period id (pcmd.common.periods); ValidationError when unknown."""
    try:
        period = period_parse(code)
    except PeriodError as exc:
        raise ValidationError(str(exc)) from exc
    return period.start, period.end


def _year_earlier(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def in_unit_q(unit: OrgUnit, field_name: str = "org_unit") -> Q:
    """Records of `unit`, the units below it and those it succeeded."""
    return Q(**{f"{field_name}__in": OrgUnitScope.objects.filter(holder=unit).values("unit_id")})


def active_q(start: date, end: date) -> Q:
    return (Q(opened_on__isnull=True) | Q(opened_on__lte=end)) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    )


# --- Scoped lists -----------------------------------------------------------------------------


def _scoped(qs: QuerySet[Any], user: Any, field_name: str = "org_unit") -> QuerySet[Any]:
    if not has_capability(user, VIEW):
        return qs.none()
    return scope_filter(qs, user, field_name)


def establishment_list_for_user(
    *,
    user: Any,
    unit: OrgUnit | None = None,
    period: str = "",
    business_type: int | None = None,
    risk_level: str = "",
    search: str = "",
) -> QuerySet[Establishment]:
    qs = _scoped(Establishment.objects.select_related("org_unit", "business_type", "village"), user)
    if unit is not None:
        qs = qs.filter(in_unit_q(unit))
    if period:
        qs = qs.filter(active_q(*period_range(period)))
    if business_type:
        qs = qs.filter(business_type_id=business_type)
    if risk_level:
        qs = qs.filter(risk_level=risk_level)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(address__icontains=search))
    # A subquery per row shown, not a join grouped by establishment (see _violations_count).
    last = (
        Inspection.objects.filter(establishment_id=OuterRef("pk"))
        .order_by("-inspected_on")
        .values("inspected_on")[:1]
    )
    return qs.annotate(last_inspected_on=Subquery(last)).order_by("name", "id")


def establishment_get_for_user(*, pk: int, user: Any) -> Establishment:
    qs = Establishment.objects.select_related("org_unit", "business_type", "village")
    return get_in_scope_or_404(_scoped(qs, user), user, pk=pk)


def _dated(qs: QuerySet[Any], date_field: str, period: str) -> QuerySet[Any]:
    if not period:
        return qs
    start, end = period_range(period)
    return qs.filter(**{f"{date_field}__gte": start, f"{date_field}__lte": end})


def _violations_count() -> Coalesce:
    """Each inspection's violations, counted per row shown: a join grouped by inspection made
    PostgreSQL group a province's inspections before the page's LIMIT (2.2 s at province scale
    for the first 50 rows; the subquery runs for the rows of the page only)."""
    per_inspection = (
        Violation.objects.filter(inspection_id=OuterRef("pk"))
        .order_by()
        .values("inspection_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_inspection, output_field=IntegerField()), 0)


def inspection_list_for_user(
    *,
    user: Any,
    unit: OrgUnit | None = None,
    period: str = "",
    business_type: int | None = None,
    mode: str = "",
    establishment: int | None = None,
) -> QuerySet[Inspection]:
    qs = _scoped(
        Inspection.objects.select_related(
            "org_unit", "establishment", "establishment__business_type", "team"
        ).annotate(n_violations=_violations_count()),
        user,
    )
    if unit is not None:
        qs = qs.filter(in_unit_q(unit))
    if business_type:
        qs = qs.filter(establishment__business_type_id=business_type)
    if mode:
        qs = qs.filter(mode=mode)
    if establishment:
        qs = qs.filter(establishment_id=establishment)
    return _dated(qs, "inspected_on", period).order_by("-inspected_on", "-id")


def inspection_get_for_user(*, pk: int, user: Any) -> Inspection:
    qs = Inspection.objects.select_related("org_unit", "establishment", "team", "task")
    return get_in_scope_or_404(_scoped(qs, user), user, pk=pk)


def violation_list_for_user(
    *, user: Any, unit: OrgUnit | None = None, period: str = ""
) -> QuerySet[Violation]:
    qs = _scoped(
        Violation.objects.select_related("inspection", "inspection__org_unit", "legal_basis"),
        user,
        "inspection__org_unit",
    )
    if unit is not None:
        qs = qs.filter(in_unit_q(unit, "inspection__org_unit"))
    return _dated(qs, "inspection__inspected_on", period).order_by(
        "-inspection__inspected_on", "id"
    )


def violation_get_for_user(*, pk: int, user: Any) -> Violation:
    return get_in_scope_or_404(
        violation_list_for_user(user=user), user, "inspection__org_unit", pk=pk
    )


def team_list_for_user(
    *, user: Any, unit: OrgUnit | None = None, period: str = "", with_counts: bool = False
) -> QuerySet[InspectionTeam]:
    """Teams in the user's scope (in force during `period`); `with_counts` annotates
    n_inspections, the inspections each team made."""
    qs = _scoped(InspectionTeam.objects.select_related("org_unit"), user)
    if unit is not None:
        qs = qs.filter(in_unit_q(unit))
    if period:
        start, end = period_range(period)
        qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start), valid_from__lte=end)
    if with_counts:
        qs = qs.annotate(n_inspections=Count("inspections"))
    return qs.prefetch_related("memberships__agency").order_by("-valid_from", "id")


def team_get_for_user(*, pk: int, user: Any) -> InspectionTeam:
    return get_in_scope_or_404(team_list_for_user(user=user), user, pk=pk)


def hotspot_list_for_user(
    *, user: Any, unit: OrgUnit | None = None, period: str = "", open_only: bool = False
) -> QuerySet[HotSpot]:
    qs = _scoped(HotSpot.objects.select_related("org_unit", "establishment"), user)
    if unit is not None:
        qs = qs.filter(in_unit_q(unit))
    if open_only:
        qs = qs.filter(cleared_on__isnull=True)
    return _dated(qs, "detected_on", period).order_by("-detected_on", "-id")


def hotspot_get_for_user(*, pk: int, user: Any) -> HotSpot:
    return get_in_scope_or_404(hotspot_list_for_user(user=user), user, pk=pk)


def case_list_for_user(
    *, user: Any, unit: OrgUnit | None = None, period: str = "", stage: str = ""
) -> QuerySet[Case]:
    qs = _scoped(Case.objects.select_related("org_unit", "offence"), user)
    if unit is not None:
        qs = qs.filter(in_unit_q(unit))
    if stage:
        qs = qs.filter(stage=stage)
    return _dated(qs, "opened_on", period).order_by("-opened_on", "-id")


def case_get_for_user(*, pk: int, user: Any) -> Case:
    return get_in_scope_or_404(case_list_for_user(user=user).select_related("task"), user, pk=pk)


# --- History ----------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    """One audit row of a record: who did what when, and each field changed (label, old, new)."""

    event: AuditEvent
    changes: list[tuple[str, Any, Any]]


def _ids(value: Any) -> list[int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, list):
        return [i for item in value for i in _ids(item)]
    return []


def _shown(field: Any, value: Any, related: dict[tuple[Any, Any], str]) -> Any:
    if value is None or value == "" or value == []:
        return None
    if field is None:
        return value
    if field.many_to_many and isinstance(value, list):
        # Team members as the service records them: [[agency id, role], ...]
        roles = dict(InspectionTeamMember.Role.choices)
        return "; ".join(
            f"{related.get((field.related_model, m[0]), m[0])} ({roles.get(m[1], m[1])})"
            if isinstance(m, list) and len(m) == 2
            else str(related.get((field.related_model, m), m))
            for m in value
        )
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and field.related_model is not None:
        return related.get((field.related_model, value), value)
    if getattr(field, "get_internal_type", lambda: "")() == "DateField":
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return value
    return value


def record_history(*, obj: Model, limit: int = 50) -> list[HistoryEntry]:
    """The audit rows of `obj`, newest first, with the changed fields labelled and foreign keys
    and choices shown by name. Callers pass an object they fetched through *_get_for_user."""
    events = list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("user")
        .order_by("-at", "-id")[:limit]
    )
    fields: dict[str, Any] = {}
    wanted: dict[Any, set[Any]] = {}
    for event in events:
        for name, pair in (event.detail or {}).get("changes", {}).items():
            try:
                field: Any = obj._meta.get_field(name)
            except Exception:  # a change that is not a model field ("members")
                field = None
            fields[name] = field
            if field is not None and field.is_relation and field.related_model is not None:
                for value in pair if isinstance(pair, list) else []:
                    wanted.setdefault(field.related_model, set()).update(_ids(value))
    related = {
        (model, o.pk): str(o)
        for model, pks in wanted.items()
        for o in model._default_manager.filter(pk__in=pks)
    }
    entries = []
    for event in events:
        changes = []
        for name, pair in (event.detail or {}).get("changes", {}).items():
            field = fields.get(name)
            label = str(field.verbose_name).capitalize() if field is not None else name
            old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            changes.append((label, _shown(field, old, related), _shown(field, new, related)))
        entries.append(HistoryEntry(event, changes))
    return entries


# --- Measures ---------------------------------------------------------------------------------


@dataclass
class SampleItem:
    establishment: Establishment
    last_inspected_on: date | None

    @property
    def reason(self) -> str:
        if self.last_inspected_on is None:
            return _("Chưa kiểm tra lần nào")
        return _("Kiểm tra gần nhất %(d)s") % {"d": self.last_inspected_on.strftime("%d/%m/%Y")}


@dataclass
class SampleProposal:
    """Which establishments to inspect in `year` so that `share` of the active ones are."""

    year: int
    share: Decimal
    active: int
    inspected: int
    needed: int
    items: list[SampleItem] = field(default_factory=list)

    @property
    def target_count(self) -> int:
        return self.inspected + self.needed


def inspection_sample(*, unit: OrgUnit, year: int, share: Decimal) -> SampleProposal:
    """Propose the establishments still to inspect in `year`: never inspected first, then the
    highest risk, then those inspected longest ago (then by name, so the list is stable)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    active = Establishment.objects.filter(in_unit_q(unit)).filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=end),
        Q(closed_on__isnull=True) | Q(closed_on__gt=end),
    )
    inspected_ids = set(
        Inspection.objects.filter(
            establishment__in=active, inspected_on__gte=start, inspected_on__lte=end
        ).values_list("establishment_id", flat=True)
    )
    total = active.count()
    target = math.ceil(Decimal(total) * share / 100) if total else 0
    needed = max(0, target - len(inspected_ids))
    candidates = list(
        active.exclude(pk__in=inspected_ids)
        .select_related("business_type", "village", "org_unit")
        .annotate(last=Max("inspections__inspected_on"))
    )
    candidates.sort(
        key=lambda e: (
            e.last is not None,  # type: ignore[attr-defined]
            RISK_ORDER.get(e.risk_level, 9),  # type: ignore[call-overload]
            e.last or date.min,  # type: ignore[attr-defined]
            e.name,
            e.pk,
        )
    )
    items = [SampleItem(e, e.last) for e in candidates[:needed]]  # type: ignore[attr-defined]
    return SampleProposal(
        year=year,
        share=share,
        active=total,
        inspected=len(inspected_ids),
        needed=needed,
        items=items,
    )


@dataclass(frozen=True)
class Share:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(100) * self.numerator / self.denominator).quantize(Decimal("0.1"))


def establishments_inspected_share(*, unit: OrgUnit, period: str) -> Share:
    """Active establishments of `unit` in `period`, and how many were inspected in it."""
    start, end = period_range(period)
    active = Establishment.objects.filter(in_unit_q(unit)).filter(active_q(start, end))
    inspected = (
        active.filter(inspections__inspected_on__gte=start, inspections__inspected_on__lte=end)
        .distinct()
        .count()
    )
    return Share(inspected, active.count())


def cases_count(*, unit: OrgUnit, start: date, end: date) -> int:
    return Case.objects.filter(in_unit_q(unit), opened_on__gte=start, opened_on__lte=end).count()


def cases_compared(*, unit: OrgUnit, period: str) -> tuple[int, int]:
    """Cases opened in `period` and in the same period a year earlier (for "+3-5% vs 2024")."""
    start, end = period_range(period)
    return (
        cases_count(unit=unit, start=start, end=end),
        cases_count(unit=unit, start=_year_earlier(start), end=_year_earlier(end)),
    )
