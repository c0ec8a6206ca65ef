"""Read the staff roster and training courses, scoped to the user; the trained-staff share.

Owns: staff_list_for_user(), staff_get_for_user(), course_list_for_user(),
course_get_for_user(), staff_pickable_for_course_unit(), staff_trained_share(), TrainedShare.
Invariants: every list and detail goes through accounts.permissions (404 outside the scope,
nothing without "training.view"); a period is anything with `start` and `end` dates (both
included), such as pcmd.common.periods' periods.
Not here: writes (services.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import Q, QuerySet

from pcmd.accounts.permissions import get_in_scope_or_404, has_capability, scope_filter
from pcmd.common.text import search_key
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
from pcmd.training.models import StaffMember, TrainingCourse


class Span(Protocol):
    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


@dataclass(frozen=True)
class DateSpan:
    """A plain period: `start` to `end`, both included."""

    start: date
    end: date


def _in_unit(unit: OrgUnit | int | None) -> Q:
    if unit is None:
        return Q()
    unit_id = unit.pk if isinstance(unit, OrgUnit) else unit
    return Q(org_unit__in=OrgUnitScope.objects.filter(holder_id=unit_id).values("unit_id"))


def active_in_q(period: Span) -> Q:
    return (Q(active_from__isnull=True) | Q(active_from__lte=period.end)) & (
        Q(active_to__isnull=True) | Q(active_to__gte=period.start)
    )


def staff_list_for_user(
    *,
    user: Any,
    unit: OrgUnit | int | None = None,
    period: Span | None = None,
    agency: int | None = None,
    role: str = "",
    relevant: bool | None = None,
    q: str = "",
) -> QuerySet[StaffMember]:
    qs = StaffMember.objects.select_related("org_unit", "agency")
    if not has_capability(user, "training.view"):
        return qs.none()
    qs = scope_filter(qs, user).filter(_in_unit(unit))
    if period is not None:
        qs = qs.filter(active_in_q(period))
    if agency:
        qs = qs.filter(agency_id=agency)
    if role:
        # JSON containment is not on SQLite; a list of short codes is matched as text.
        qs = qs.filter(roles__icontains=f'"{role}"')
    if relevant is not None:
        qs = qs.filter(pcmd_relevant=relevant)
    if q.strip():
        key = search_key(q)
        words = [w for w in key.split() if w]
        matched = [
            s.pk
            for s in qs.select_related(None).only("pk", "full_name", "position")
            if all(w in search_key(f"{s.full_name} {s.position}") for w in words)
        ]
        qs = qs.filter(pk__in=matched)
    return qs.order_by("full_name", "id")


def staff_get_for_user(*, staff_id: int, user: Any) -> StaffMember:
    return get_in_scope_or_404(staff_list_for_user(user=user), user, pk=staff_id)


def course_list_for_user(
    *,
    user: Any,
    unit: OrgUnit | int | None = None,
    period: Span | None = None,
    topic: str = "",
    organiser: int | None = None,
    q: str = "",
) -> QuerySet[TrainingCourse]:
    qs = TrainingCourse.objects.select_related("org_unit", "organiser", "task")
    if not has_capability(user, "training.view"):
        return qs.none()
    qs = scope_filter(qs, user).filter(_in_unit(unit))
    if period is not None:
        qs = qs.filter(start_date__lte=period.end, end_date__gte=period.start)
    if topic:
        qs = qs.filter(topics__icontains=f'"{topic}"')
    if organiser:
        qs = qs.filter(organiser_id=organiser)
    if q.strip():
        qs = qs.filter(title__icontains=q.strip())
    return qs.order_by("-start_date", "-id")


def course_get_for_user(*, course_id: int, user: Any) -> TrainingCourse:
    return get_in_scope_or_404(course_list_for_user(user=user), user, pk=course_id)


def staff_pickable_for_course_unit(*, unit: OrgUnit) -> QuerySet[StaffMember]:
    """The roster a course of `unit` may draw participants from: staff of units in its scope."""
    return StaffMember.objects.filter(_in_unit(unit)).select_related("org_unit", "agency")


@dataclass(frozen=True)
class TrainedShare:
    trained: int
    relevant: int

    @property
    def percent(self) -> Decimal | None:
        if not self.relevant:
            return None
        return (Decimal(self.trained) * 100 / Decimal(self.relevant)).quantize(Decimal("0.1"))


def staff_trained_share(*, unit: OrgUnit, period: Span) -> TrainedShare:
    """Relevant staff of `unit`'s scope trained at least once in `period`, over relevant staff
    active in `period` ("≥ 15% đội ngũ cán bộ … có liên quan được tập huấn")."""
    relevant = StaffMember.objects.filter(_in_unit(unit), active_in_q(period), pcmd_relevant=True)
    trained = relevant.filter(
        courses__start_date__lte=period.end, courses__end_date__gte=period.start
    ).distinct()
    return TrainedShare(trained=trained.count(), relevant=relevant.count())
