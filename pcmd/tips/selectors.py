"""Read tips, scoped to the user; the "handled in time" measure; the suppressed aggregates; the
links from enforcement records back to the tips that led to them; the user's notifications.

Owns: tip_list_for_user(), tip_get_for_user(), tip_rows() (TipRow: a tip and its clock),
handled_in_time() (InTime), tip_stats() (suppressed cells), tips_for_case(),
tips_for_inspection(), notification_list(), unread_count(), handling_officers(), transfer_units().
Invariants: every list and object for a user goes through accounts.permissions (tip.view and
the unit in scope; 404 outside it); a unit filter covers the unit's subtree and its predecessors;
a tip is counted in the period in which it was received. Aggregates are shown only through
pcmd.sealing.suppression (counts of 1..4 read "<5").
Not here: writes (services.py), the clock itself (deadlines.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from pcmd.accounts.models import User
from pcmd.accounts.permissions import get_in_scope_or_404, has_capability, scope_filter
from pcmd.enforcement.selectors import in_unit_q, period_range
from pcmd.orgunits.models import OrgUnit
from pcmd.sealing.suppression import suppress_cells, suppress_count, suppress_percent
from pcmd.tips.deadlines import Clock, ClockFacts, clock_compute, rules_all, tip_clock
from pcmd.tips.models import Notification, Subject, Tip, TipPause

VIEW = "tip.view"


def _base() -> QuerySet[Tip]:
    return Tip.objects.select_related(
        "org_unit", "handling_officer", "extension", "transferred_to_unit"
    ).prefetch_related("pauses")


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end, time.max), tz),
    )


def _in_period(qs: QuerySet[Tip], period: str) -> QuerySet[Tip]:
    if not period:
        return qs
    lo, hi = _bounds(*period_range(period))
    return qs.filter(received_at__gte=lo, received_at__lte=hi)


def tip_list_for_user(
    *,
    user: Any,
    unit: OrgUnit | None = None,
    period: str = "",
    status: str = "",
    subject: str = "",
) -> QuerySet[Tip]:
    if not has_capability(user, VIEW):
        return Tip.objects.none()
    qs = scope_filter(_base(), user)
    if unit is not None:
        qs = qs.filter(in_unit_q(unit))
    qs = _in_period(qs, period)
    if status:
        qs = qs.filter(status=status)
    if subject:
        qs = qs.filter(subject=subject)
    return qs.order_by("-received_at", "-id")


def tip_get_for_user(*, pk: int, user: Any) -> Tip:
    qs = _base() if has_capability(user, VIEW) else Tip.objects.none()
    return get_in_scope_or_404(qs, user, pk=pk)


@dataclass(frozen=True)
class TipRow:
    tip: Tip
    clock: Clock


def tip_rows(tips: Any, *, now: datetime | None = None) -> list[TipRow]:
    now, rules = now or timezone.now(), rules_all()
    return [TipRow(t, tip_clock(t, now=now, rules=rules)) for t in tips]


@dataclass(frozen=True)
class InTime:
    """Tips received in a period and how many were handled in time (true values)."""

    received: int
    settled: int
    in_time: int
    late: int
    open_overdue: int

    @property
    def share_shown(self) -> str:
        """The share handled in time of those whose outcome is known, suppressed for display."""
        known = self.in_time + self.late + self.open_overdue
        return suppress_percent(self.in_time, known)


def _measure(tips: Iterable[Tip], now: datetime) -> InTime:
    received = settled = in_time = late = open_overdue = 0
    rules = rules_all()
    for tip in tips:
        received += 1
        clock = tip_clock(tip, now=now, rules=rules)
        if clock.settled_at is not None:
            settled += 1
        if clock.in_time is True:
            in_time += 1
        elif clock.in_time is False:
            if clock.settled_at is not None:
                late += 1
            else:
                open_overdue += 1
    return InTime(received, settled, in_time, late, open_overdue)


def measure_handled_in_time(qs: QuerySet[Tip], start: date, end: date) -> tuple[int, int]:
    """(handled in time, tips whose timeliness is known — settled, or open past the deadline)
    among `qs`, as of now — the measure behind "100% of tips handled in time" for
    pcmd.indicators (which gives the tips received in the period in a unit's area)."""
    tips = list(qs.select_related("org_unit", "extension").prefetch_related("pauses"))
    # A tip forwarded to a unit of the same area is one report: only its copy is measured.
    forwarded = {t.transferred_from_id for t in tips if t.transferred_from_id}
    measured = _measure([t for t in tips if t.pk not in forwarded], timezone.now())
    return measured.in_time, measured.in_time + measured.late + measured.open_overdue


def measure_handled_in_time_by_unit(
    qs: QuerySet[Tip], start: date, end: date, *, unit_field: str
) -> tuple[dict[int, tuple[int, int]], list[tuple[int, int, int, int]]]:
    """measure_handled_in_time() per unit, for a whole period at once: {unit: (in time,
    known)}, and for each forwarded tip whose copy is also among `qs`, (its unit, the copy's
    unit, its own in time, known) — to take away where one area holds both units."""
    return measure_handled_in_time_by_windows(qs, [(start, end)], unit_field=unit_field)[0]


def measure_handled_in_time_by_windows(
    qs: QuerySet[Tip], windows: list[tuple[date, date]], *, unit_field: str
) -> list[tuple[dict[int, tuple[int, int]], list[tuple[int, int, int, int]]]]:
    """measure_handled_in_time_by_unit() of each window (first day, last day) of the days
    the tips of `qs` were received on: each tip's clock is computed once, however many
    windows hold it (a year and its halves: half the clocks, see docs/performance.md)."""
    now, rules = timezone.now(), rules_all()
    per_unit: list[dict[int, list[int]]] = [{} for _w in windows]
    own: list[dict[int, tuple[int, int, int]]] = [{} for _w in windows]  # tip -> unit, n, d
    parents: list[list[tuple[int, int]]] = [[] for _w in windows]  # (forwarded tip, copy's unit)
    # Plain values, not Tip instances: a national year is 100,000 tips (see docs/performance.md).
    pauses: dict[int, list[tuple[datetime, datetime | None]]] = {}
    pause_rows = TipPause.objects.filter(tip__in=qs.order_by().values("pk")).values_list(
        "tip_id", "started_at", "ended_at"
    )
    for tip_id, started_at, ended_at in pause_rows:
        pauses.setdefault(tip_id, []).append((started_at, ended_at))
    fields = (
        "pk", unit_field, "legal_nature", "received_at", "status", "handled_at", "is_complex",
        "remote_area", "outcome", "org_unit__level", "extension__months", "transferred_from_id",
    )  # fmt: skip
    handled, commune = Tip.Status.HANDLED, OrgUnit.Level.COMMUNE
    tz = timezone.get_current_timezone()
    for row in qs.order_by().values_list(*fields):
        pk, unit, nature, received_at, status, handled_at, is_complex, remote = row[:8]
        outcome, level, extension, transferred_from = row[8:]
        day = timezone.localtime(received_at, tz).date()
        held = [i for i, (first, last) in enumerate(windows) if first <= day <= last]
        if not held:
            continue
        facts = ClockFacts(
            legal_nature=nature,
            received_at=received_at,
            handled=status == handled,
            handled_at=handled_at,
            is_complex=is_complex,
            remote_area=remote,
            outcome=outcome,
            commune=level == commune,
            extension_months=extension or 0,
            pauses=pauses.get(pk, ()),
        )
        in_time = clock_compute(facts, now=now, rules=rules, tz=tz).in_time
        n, d = int(in_time is True), int(in_time is not None)
        for i in held:
            own[i][pk] = (unit, n, d)
            figures = per_unit[i].setdefault(unit, [0, 0])
            figures[0] += n
            figures[1] += d
            if transferred_from:
                parents[i].append((transferred_from, unit))
    out = []
    for units, tips, forwarded in zip(per_unit, own, parents, strict=True):
        overlaps = [
            (tips[parent][0], unit, tips[parent][1], tips[parent][2])
            for parent, unit in forwarded
            if parent in tips
        ]
        out.append(({u: (f[0], f[1]) for u, f in units.items()}, overlaps))
    return out


def handled_in_time(
    *, unit: OrgUnit, period: str, user: Any = None, now: datetime | None = None
) -> InTime:
    """For the target "100% of tips handled in time": tips received in `period` under `unit`
    (subtree and predecessors). With a user, only what the user's scope allows."""
    qs = _base().filter(in_unit_q(unit))
    if user is not None:
        qs = scope_filter(qs, user)
    return _measure(_in_period(qs, period), now or timezone.now())


@dataclass(frozen=True)
class Stats:
    by_subject: dict[str, str]
    by_status: dict[str, str]
    total: str
    in_time: InTime
    in_time_shown: str


def tip_stats(*, user: Any, unit: OrgUnit | None = None, period: str = "") -> Stats:
    """Suppressed aggregates for tip.stats: counts by subject and status, the in-time share."""
    qs = scope_filter(Tip.objects.all(), user)
    if unit is not None:
        qs = qs.filter(in_unit_q(unit))
    qs = _in_period(qs, period)
    total = qs.count()
    subject_counts = dict(qs.values_list("subject").annotate(n=Count("id")).order_by())
    by_subject_raw = {str(label): subject_counts.get(value, 0) for value, label in Subject.choices}
    by_subject_raw[str(_unclassified_label())] = subject_counts.get("", 0)
    status_counts = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    by_status_raw = {str(label): status_counts.get(value, 0) for value, label in Tip.Status.choices}
    measure = _measure(
        qs.select_related("org_unit", "extension").prefetch_related("pauses"), timezone.now()
    )
    return Stats(
        by_subject=suppress_cells(by_subject_raw, total=total),
        by_status=suppress_cells(by_status_raw, total=total),
        total=suppress_count(total),
        in_time=measure,
        in_time_shown=measure.share_shown,
    )


def _unclassified_label() -> str:
    return gettext("Chưa phân loại")


def tips_for_case(case: Any, *, user: Any) -> QuerySet[Tip]:
    """The tips that led to `case`, as the user may see them (for the case pages)."""
    return tip_list_for_user(user=user).filter(case=case)


def tips_for_inspection(inspection: Any, *, user: Any) -> QuerySet[Tip]:
    """The tips that led to `inspection` (directly or through one of its violations)."""
    return tip_list_for_user(user=user).filter(inspection=inspection)


def handling_officers(unit: OrgUnit) -> QuerySet[User]:
    """Police users who may handle a tip of `unit`: those of the unit itself."""
    return User.objects.filter(org_unit=unit, role=User.Role.POLICE, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def transfer_units(*, on: date) -> QuerySet[OrgUnit]:
    """Units a tip may be transferred to: any province or commune existing on `on`."""
    return (
        OrgUnit.objects.filter(level__in=[OrgUnit.Level.PROVINCE, OrgUnit.Level.COMMUNE])
        .exclude(valid_to__lt=on)
        .exclude(valid_from__gt=on)
        .order_by("level", "key")
    )


def notification_list(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
