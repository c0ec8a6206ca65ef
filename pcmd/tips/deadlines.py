"""The legal deadline clock of a tip, computed from the rules kept as data.

Owns: Clock, ClockFacts, rules_all(), rule_for(), tip_clock(), clock_compute(), add_months(),
NEAR.
Invariants: the rule is the one valid on the day the tip was received, for its legal nature (an
unclassified tip runs on the crime-denunciation clock, the strictest, until it is classified);
the deadline is received_at + the rule's period (the complex-case period when the tip is marked
complex) + the extension granted + every pause; while a pause is open the clock stands still
(the deadline moves with the current time). A commune-level unit's criminal tip also carries the
pass-on deadline (24 h, or 48 h in remote areas); a tip settled by transfer is judged against it
when it applies. "In time" is True / False for a settled tip, False for an open tip past its
deadline, and None for an open tip still within it.
Not here: writes (services.py), alerts (alerts.py).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.orgunits.models import OrgUnit
from pcmd.tips.models import CRIMINAL_NATURES, DeadlineRule, LegalNature, Tip

# An open tip is "near" its deadline this long before it.
NEAR = timedelta(days=3)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day when it has fewer days)."""
    if months == 0:
        return moment
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    if not timezone.is_aware(moment):
        return moment.date()
    return moment.astimezone(tz or timezone.get_current_timezone()).date()


def rules_all() -> list[DeadlineRule]:
    """Every rule (a handful of rows), to compute many clocks with one query."""
    return list(DeadlineRule.objects.order_by("applies_to", "-valid_from"))


def rule_for(
    applies_to: str,
    received_at: datetime,
    *,
    rules: Sequence[DeadlineRule] | None = None,
    on: date | None = None,
) -> DeadlineRule | None:
    """The rule for `applies_to` valid on the day of `received_at` (the latest valid_from);
    `on`: that day, when the caller has it already."""
    if on is None:
        on = _local_day(received_at)
    candidates: Iterable[DeadlineRule] = (
        rules
        if rules is not None
        else DeadlineRule.objects.filter(applies_to=applies_to, valid_from__lte=on).order_by(
            "-valid_from"
        )
    )
    for rule in candidates:
        if rule.applies_to == applies_to and rule.is_valid_on(on):
            return rule
    return None


@dataclass(frozen=True)
class Clock:
    """Where a tip stands against its deadline at `now`."""

    rule: DeadlineRule | None
    due: datetime | None
    pass_on_due: datetime | None
    paused: bool
    settled_at: datetime | None
    in_time: bool | None
    now: datetime

    @property
    def overdue(self) -> bool:
        return self.settled_at is None and self.in_time is False

    @property
    def near(self) -> bool:
        """Open, not paused, within NEAR of the deadline and not past it."""
        return (
            self.settled_at is None
            and not self.paused
            and self.due is not None
            and self.now <= self.due <= self.now + NEAR
        )

    @property
    def label(self) -> str:
        if self.in_time is True:
            return _("Đúng hạn")
        if self.in_time is False:
            return _("Quá hạn")
        if self.paused:
            return _("Đang tạm dừng tính thời hạn")
        if self.due is None:
            return _("Không có quy tắc thời hạn")
        if self.near:
            return _("Sắp đến hạn")
        return _("Trong hạn")


def _paused_for(
    pauses: Iterable[tuple[datetime, datetime | None]], now: datetime
) -> tuple[timedelta, bool]:
    total, open_pause = timedelta(0), False
    for started_at, ended_at in pauses:
        end = ended_at
        if end is None:
            open_pause, end = True, now
        if end > started_at:
            total += end - started_at
    return total, open_pause


def _extension_months(tip: Tip) -> int:
    try:
        return tip.extension.months
    except Tip.extension.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        return 0


@dataclass(frozen=True)
class ClockFacts:
    """What a tip's clock is computed from, as plain values (read in bulk by the indicator
    rebuild without building Tip instances; tip_clock() fills it from a tip)."""

    legal_nature: str
    received_at: datetime
    handled: bool  # status is "handled"
    handled_at: datetime | None
    is_complex: bool
    remote_area: bool
    outcome: str
    commune: bool  # the receiving unit is a commune
    extension_months: int
    pauses: Sequence[tuple[datetime, datetime | None]]  # (started_at, ended_at)


def tip_clock(
    tip: Tip, *, now: datetime | None = None, rules: Sequence[DeadlineRule] | None = None
) -> Clock:
    """The deadline clock of `tip` at `now` (default: the current time). Pauses, the unit and
    the extension are read from the tip (prefetch `pauses`, `extension`, `org_unit` for lists,
    and pass `rules=rules_all()`)."""
    facts = ClockFacts(
        legal_nature=tip.legal_nature,
        received_at=tip.received_at,
        handled=tip.status == Tip.Status.HANDLED,
        handled_at=tip.handled_at,
        is_complex=tip.is_complex,
        remote_area=tip.remote_area,
        outcome=tip.outcome,
        commune=tip.org_unit.level == OrgUnit.Level.COMMUNE,
        extension_months=_extension_months(tip),
        pauses=[(p.started_at, p.ended_at) for p in tip.pauses.all()],
    )
    return clock_compute(facts, now=now, rules=rules)


def clock_compute(
    tip: ClockFacts,
    *,
    now: datetime | None = None,
    rules: Sequence[DeadlineRule] | None = None,
    tz: tzinfo | None = None,
) -> Clock:
    """The deadline clock of a tip given as plain values (see tip_clock()); `tz`: the current
    time zone, for many clocks at once (looking it up is most of a clock's time)."""
    now = now or timezone.now()
    nature = tip.legal_nature or LegalNature.CRIME_DENUNCIATION
    on = _local_day(tip.received_at, tz)
    rule = rule_for(nature, tip.received_at, rules=rules, on=on)
    settled_at = tip.handled_at if tip.handled else None
    paused_for, paused = _paused_for(tip.pauses, settled_at or now)
    if settled_at is not None:
        paused = False
    due = None
    if rule is not None:
        if tip.is_complex and rule.complex_months:
            base = add_months(tip.received_at, rule.complex_months)
        else:
            base = tip.received_at + timedelta(days=rule.days, hours=rule.hours)
        due = add_months(base, tip.extension_months) + paused_for
    pass_on_due = None
    if nature in CRIMINAL_NATURES and tip.commune:
        pass_rule = rule_for(
            DeadlineRule.AppliesTo.COMMUNE_PASS_ON, tip.received_at, rules=rules, on=on
        )
        if pass_rule is not None:
            hours = pass_rule.remote_hours if tip.remote_area and pass_rule.remote_hours else 0
            pass_on_due = tip.received_at + timedelta(
                days=pass_rule.days, hours=hours or pass_rule.hours
            )
    judged_by = due
    if tip.outcome == Tip.Outcome.TRANSFERRED and pass_on_due is not None:
        judged_by = pass_on_due
    in_time: bool | None
    if judged_by is None:
        in_time = None
    elif settled_at is not None:
        in_time = settled_at <= judged_by
    else:
        in_time = False if (not paused and now > judged_by) else None
    return Clock(rule, due, pass_on_due, paused, settled_at, in_time, now)
