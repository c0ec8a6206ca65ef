"""A unit's live figures for a period, from the records, read through the indicators app.

Owns: UnitFigures, unit_figures(), breakdowns(), as_of().
Invariants: catalogue indicators come from indicators.store.values_read for a single unit
(stored where fresh), and from the roll-up the store is built with (rollup.values_for_period
over an Area of just the units asked) for many units at once, so the children of a province
cost one pass per indicator; breakdowns by type are grouped by unit in one query each and added
up over the same areas (the hierarchy on the period's last day, successions included); the
support app's selectors are asked only for units whose area holds such records.
Not here: what the figures are (figures.py), consolidation (consolidation.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from pcmd.common.periods import Period
from pcmd.enforcement.models import BusinessType
from pcmd.indicators.compute import part_records_everywhere, unit_area
from pcmd.indicators.models import Indicator
from pcmd.indicators.rollup import Area, Tree, area_for_period, values_for_period
from pcmd.indicators.sources import source_get
from pcmd.indicators.store import values_read, values_stored
from pcmd.orgunits.models import OrgUnit
from pcmd.plans.models import BudgetLine
from pcmd.reports.builder.figures import FIGURES, SPECS, ZERO, Numbers
from pcmd.support.casefiles.models import Beneficiary, Referral, ServiceKind
from pcmd.support.casefiles.selectors import support_counts
from pcmd.support.selectors import pilotmodels_built

# --- Breakdowns from the records ----------------------------------------------------------


def as_of(unit: OrgUnit, period: Period) -> date:
    """The day a unit's area is read on: the period's last day, or the unit's, if sooner."""
    return unit.valid_to if unit.valid_to is not None and unit.valid_to < period.end else period.end


def _grouped(
    part: dict[str, Any], area: Area, start: date, end: date, by: str = "", total: str = ""
) -> dict[int, dict[Any, Decimal]]:
    """holder -> {breakdown value: count (or sum of `total`)} of the records a definition part
    counts, grouped by unit in one query and added up over each holder's area (as rollup.py
    does for the catalogue's indicators)."""
    source = source_get(part["source"])
    path = source.unit_field
    fields = [path, by] if by else [path]
    measure = Sum(total) if total else Count("pk")
    qs = part_records_everywhere(part, start, end).order_by()
    if len(area.holders_of) < 5000:  # a commune or a district: read only its area's records
        qs = qs.filter(**{f"{path}__in": sorted(area.holders_of)})
    rows = qs.values_list(*fields)
    out: dict[int, dict[Any, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows.annotate(n=measure).values_list(*fields, "n"):
        unit_id, key, n = row[0], (row[1] if by else ""), row[-1]
        for holder in area.holders_of.get(unit_id, ()):
            out[holder][key] += Decimal(n or 0)
    return out


def _budget(area: Area, first: int, last: int) -> dict[int, dict[str, Decimal]]:
    """holder -> allocated and spent of the budget lines of the plans of its area, for the
    years of the period."""
    lines = BudgetLine.objects.filter(year__gte=first, year__lte=last).order_by()
    if len(area.holders_of) < 5000:
        lines = lines.filter(plan__org_unit_id__in=sorted(area.holders_of))
    rows = lines.values_list("plan__org_unit_id").annotate(a=Sum("allocated"), s=Sum("spent"))
    out: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for unit_id, allocated, spent in rows.values_list("plan__org_unit_id", "a", "s"):
        for holder in area.holders_of.get(unit_id, ()):
            out[holder]["allocated"] += Decimal(allocated or 0)
            out[holder]["spent"] += Decimal(spent or 0)
    return out


def breakdowns(
    units: list[OrgUnit], period: Period, tree: Tree, *, compared_only: bool = False
) -> tuple[dict[int, dict[str, Numbers]], dict[str, str]]:
    """Figures that no catalogue indicator holds (counts by type, tips, trainings, budget), for
    each unit: {unit id: {key: numbers}}, and the labels of the keys made from the records."""
    start, end = period.start, period.end
    area = area_for_period(tree, period, {u.pk: as_of(u, period) for u in units})
    labels: dict[str, str] = {}
    types = dict(BusinessType.objects.values_list("code", "name"))
    estab = _grouped({"source": "enforcement.establishments"}, area, start, end,
                     "business_type__code")  # fmt: skip
    hotspots = _grouped({"source": "enforcement.hotspots"}, area, start, end)
    received = _grouped({"source": "tips.tips"}, area, start, end)
    handled = _grouped({"source": "tips.tips", "date": "handled_at__date"}, area, start, end)
    courses = _grouped({"source": "training.courses"}, area, start, end)
    outside = _grouped({"source": "training.courses"}, area, start, end,
                       total="outside_participants")  # fmt: skip
    staff = _grouped({"source": "training.participations"}, area, start, end)
    ever = date(1900, 1, 1)
    budget = _budget(area, start.year, end.year)
    people_in = _grouped({"source": "support.beneficiaries"}, area, ever, end)
    models_in = _grouped({"source": "support.pilot_models"}, area, ever, end)
    out: dict[int, dict[str, Numbers]] = {}
    for unit in units:
        figs: dict[str, Numbers] = {}
        by_type = estab.get(unit.pk, {})
        for code, n in sorted(by_type.items(), key=lambda kv: types.get(kv[0], kv[0])):
            figs[f"establishments.type.{code}"] = (n, None)
            labels[f"establishments.type.{code}"] = types.get(code, code)
        figs["establishments.total"] = (sum(by_type.values(), ZERO), None)
        figs["hotspots.active"] = (hotspots.get(unit.pk, {}).get("", ZERO), None)
        figs["tips.received"] = (received.get(unit.pk, {}).get("", ZERO), None)
        figs["tips.handled"] = (handled.get(unit.pk, {}).get("", ZERO), None)
        figs["training.courses"] = (courses.get(unit.pk, {}).get("", ZERO), None)
        trainees = staff.get(unit.pk, {}).get("", ZERO) + outside.get(unit.pk, {}).get("", ZERO)
        figs["training.trainees"] = (trainees, None)
        if compared_only:
            out[unit.pk] = figs
            continue
        # The selectors of the support app, asked only where the area holds such records.
        built = pilotmodels_built(unit=unit, on=end) if unit.pk in models_in else 0
        figs["models.active"] = (Decimal(built), None)
        counts: dict[str, dict[str, int]] = {"by_group": {}, "by_service": {}}
        if unit.pk in people_in:
            counts = support_counts(start=start, end=end, unit=unit)
        people = ZERO
        for value, label in Beneficiary.Group.choices:
            n = Decimal(counts["by_group"].get(value, 0))
            figs[f"people.group.{value}"] = (n, None)
            labels[f"people.group.{value}"] = str(label)
            people += n
        figs["people.total"] = (people, None)
        for value, label in ServiceKind.choices:
            figs[f"support.service.{value}"] = (Decimal(counts["by_service"].get(value, 0)), None)
            labels[f"support.service.{value}"] = str(label)
        referrals = 0
        if unit.pk in people_in:
            referrals = Referral.objects.filter(
                unit_area(unit, "beneficiary__org_unit_id"),
                referred_on__gte=start,
                referred_on__lte=end,
            ).count()
        figs["support.referrals"] = (Decimal(referrals), None)
        figs["budget.allocated"] = (budget.get(unit.pk, {}).get("allocated", ZERO), None)
        figs["budget.spent"] = (budget.get(unit.pk, {}).get("spent", ZERO), None)
        out[unit.pk] = figs
    return out, labels


# --- Live figures -------------------------------------------------------------------------


@dataclass
class UnitFigures:
    """A unit's numbers for a period and the same period last year (live, from the records)."""

    now: dict[str, Numbers]
    last_year: dict[str, Numbers]
    labels: dict[str, str]


def _anchors() -> dict[str, Indicator]:
    codes = [s.indicator for s in FIGURES if s.indicator]
    return {i.code: i for i in Indicator.objects.filter(code__in=codes)}


def _catalogue(
    units: list[OrgUnit], period: Period, indicators: list[Indicator], tree: Tree | None
) -> dict[tuple[int, int], Numbers]:
    """(indicator, unit) -> numbers: values_read() for one unit (stored where fresh); for many
    (the children of a consolidated report) the stored values that are fresh, and for the
    units lacking one the set-wise roll-up the store itself is built with, one pass per
    indicator instead of one computation per unit."""
    if not indicators:
        return {}
    if tree is None or len(units) == 1:
        values = values_read(indicators, units, period)
        return {k: (v.numerator, v.denominator) for k, v in values.items()}
    out: dict[tuple[int, int], Numbers] = dict(values_stored(indicators, units, period))
    # Units with a value not stored (a commune made after the period, compared with last year)
    # or not fresh: rolled up together, for the indicators they lack.
    missing = [u for u in units if any((i.pk, u.pk) not in out for i in indicators)]
    rolled = [i for i in indicators if any((i.pk, u.pk) not in out for u in missing)]
    if rolled:
        area = area_for_period(tree, period, {u.pk: as_of(u, period) for u in missing})
        for indicator in rolled:
            figures = values_for_period(indicator, area)
            for unit in missing:
                out[indicator.pk, unit.pk] = figures.get(unit.pk, (ZERO, None))
    return out


def unit_figures(
    units: list[OrgUnit], period: Period, *, tree: Tree | None = None
) -> dict[int, UnitFigures]:
    """Live figures of each unit for `period` and, where compared, the same period last year."""
    tree = tree or Tree.load()
    anchors = _anchors()
    compare = period.kind != "range"
    wanted = [anchors[s.indicator] for s in FIGURES if s.indicator in anchors]
    now = _catalogue(units, period, wanted, tree)
    compared = [anchors[s.indicator] for s in FIGURES if s.compare and s.indicator in anchors]
    last = period.last_year()
    before = _catalogue(units, last, compared, tree) if compare else {}
    extra, labels = breakdowns(units, period, tree)
    extra_before = breakdowns(units, last, tree, compared_only=True)[0] if compare else {}
    out: dict[int, UnitFigures] = {}
    for unit in units:
        figs: dict[str, Numbers] = {}
        prev: dict[str, Numbers] = {}
        for spec in FIGURES:
            indicator = anchors.get(spec.indicator) if spec.indicator else None
            if indicator is None:
                continue
            figs[spec.key] = now[indicator.pk, unit.pk]
            if (indicator.pk, unit.pk) in before:
                prev[spec.key] = before[indicator.pk, unit.pk]
        figs.update(extra[unit.pk])
        for key in extra[unit.pk]:
            part = SPECS.get(key)
            if compare and part is not None and part.compare:
                prev[key] = extra_before[unit.pk][key]
        out[unit.pk] = UnitFigures(figs, prev, labels)
    return out
