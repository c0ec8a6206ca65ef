"""The record populations an indicator may count, and the fields a definition may name.

Owns: Source, SOURCES, source_get(), SourceError.
Invariants: indicators read records, never write them; a definition can only filter on the
fields listed here (equality or a list of values), sum the listed amounts and count distinct
the listed keys — nothing else reaches the ORM, so an admin's definition cannot run arbitrary
queries. A flow (events, inspections, cases) is in a period when its date is; a stock
(establishments, staff, agencies, pilot models) when it was active on some day of it.
Not here: the definitions (catalogue.py), checking them (definitions.py), computing (compute.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


class SourceError(LookupError):
    """A definition names a source or a field that does not exist."""


@dataclass(frozen=True)
class Source:
    key: str
    label: Any
    model: str  # "app_label.ModelName"
    unit_field: str  # the org unit the record belongs to (an id path)
    dates: tuple[str, ...] = ()  # a flow: the date fields a definition may pick, default first
    active: tuple[str, str] | None = None  # a stock: (from, to) fields, NULL = open
    filters: dict[str, Any] = field(default_factory=dict)  # field -> "bool" | "text" | choices
    sums: tuple[str, ...] = ()
    distincts: dict[str, str] = field(default_factory=dict)  # name -> id path
    capability: str = ""  # who may see the records behind a value (the drill-down)
    sealed: bool = False  # counts people: shown with small-cell suppression
    # Named measures a records app computes itself over the records given to it (a deadline
    # clock, a "reached since the last assessment" rule): name -> dotted path of a selector
    # f(queryset, start, end) -> (numerator, denominator). Only these names can be used.
    measures: dict[str, str] = field(default_factory=dict)
    # The same measures per unit for a whole period (the rebuild of stored values):
    # f(queryset, start, end, unit_field=) -> ({unit: (numerator, denominator)}, overlaps).
    measures_by_unit: dict[str, str] = field(default_factory=dict)
    # The same per unit for several windows of days at once, each record measured once.
    measures_by_windows: dict[str, str] = field(default_factory=dict)
    # Values change with the clock alone (a tip becomes overdue): stored ones last a day.
    time_dependent: bool = False

    def model_class(self) -> Any:
        app_label, name = self.model.split(".")
        return apps.get_model(app_label, name)

    def queryset(self) -> QuerySet[Any]:
        return self.model_class()._default_manager.all()

    def in_period(self, start: date, end: date, *, date_field: str | None = None) -> Q:
        """Q for the records of this source that belong to the days start..end."""
        if self.active is not None and not date_field:
            began, ended = self.active
            return (Q(**{f"{began}__isnull": True}) | Q(**{f"{began}__lte": end})) & (
                Q(**{f"{ended}__isnull": True}) | Q(**{f"{ended}__gte": start})
            )
        name = date_field or self.dates[0]
        return Q(**{f"{name}__gte": start, f"{name}__lte": end})


def _choices(model: str, name: str) -> list[str]:
    app_label, model_name = model.split(".")
    return [str(value) for value, _label in apps.get_model(app_label, model_name)._meta.get_field(
        name
    ).choices or []]  # fmt: skip


SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        Source(
            "outreach.events",
            _("Hoạt động tuyên truyền"),
            "outreach.OutreachEvent",
            "org_unit_id",
            dates=("date",),
            filters={"form": "choices", "agency_id": "id"},
            sums=("participants",),
            distincts={"agency": "agency_id", "unit": "org_unit_id"},
            capability="outreach.view",
        ),
        Source(
            "training.courses",
            _("Lớp tập huấn"),
            "training.TrainingCourse",
            "org_unit_id",
            dates=("end_date", "start_date"),
            sums=("outside_participants",),
            distincts={"agency": "organiser_id"},
            capability="training.view",
        ),
        Source(
            "training.participations",
            _("Lượt cán bộ được tập huấn"),
            "training.TrainingCourse_participants",
            "staffmember__org_unit_id",
            dates=("trainingcourse__end_date",),
            filters={"staffmember__pcmd_relevant": "bool"},
            distincts={"staff": "staffmember_id"},
            capability="training.view",
        ),
        Source(
            "training.staff",
            _("Cán bộ trong danh sách"),
            "training.StaffMember",
            "org_unit_id",
            active=("active_from", "active_to"),
            filters={"pcmd_relevant": "bool"},
            distincts={"staff": "id"},
            capability="training.view",
        ),
        Source(
            "enforcement.establishments",
            _("Cơ sở kinh doanh dịch vụ dễ bị lợi dụng"),
            "enforcement.Establishment",
            "org_unit_id",
            active=("opened_on", "closed_on"),
            filters={"risk_level": "choices", "business_type__code": "text"},
            sums=("employees",),
            distincts={"establishment": "id"},
            capability="enforcement.view",
        ),
        Source(
            "enforcement.inspections",
            _("Lượt kiểm tra"),
            "enforcement.Inspection",
            "org_unit_id",
            dates=("inspected_on",),
            filters={"mode": "choices"},
            distincts={
                "establishment": "establishment_id",
                "agency": "team__memberships__agency_id",
            },
            capability="enforcement.view",
        ),
        Source(
            "enforcement.violations",
            _("Vi phạm hành chính"),
            "enforcement.Violation",
            "inspection__org_unit_id",
            dates=("inspection__inspected_on",),
            filters={"sanction": "choices"},
            sums=("fine_amount",),
            capability="enforcement.view",
        ),
        Source(
            "enforcement.hotspots_detected",
            _("Tụ điểm phát hiện"),
            "enforcement.HotSpot",
            "org_unit_id",
            dates=("detected_on", "cleared_on"),
            filters={"place_kind": "choices", "detected_by": "choices"},
            capability="enforcement.view",
        ),
        Source(
            "enforcement.hotspots",
            _("Tụ điểm còn tồn tại"),
            "enforcement.HotSpot",
            "org_unit_id",
            active=("detected_on", "cleared_on"),
            filters={"place_kind": "choices"},
            capability="enforcement.view",
        ),
        Source(
            "enforcement.cases",
            _("Vụ án hình sự"),
            "enforcement.Case",
            "org_unit_id",
            dates=("opened_on", "prosecuted_on", "indicted_on", "tried_on"),
            filters={"stage": "choices", "offence__code": "text"},
            sums=("suspects", "defendants", "victims", "victims_minor"),
            capability="enforcement.view",
        ),
        Source(
            "support.pilot_models",
            _("Mô hình thí điểm"),
            "support.PilotModel",
            "org_unit_id",
            active=("start_date", "closed_on"),
            dates=("start_date",),
            filters={"kind": "choices", "status": "choices"},
            sums=("members", "people_reached"),
            distincts={"unit": "org_unit_id"},
            capability="pilotmodel.view",
        ),
        Source(
            "plans.plans",
            _("Kế hoạch ban hành"),
            "plans.Plan",
            "org_unit_id",
            dates=("issued_on",),
            filters={"status": "choices", "kind": "choices"},
            capability="plan.view",
        ),
        Source(
            "tips.tips",
            _("Tin báo, tố giác"),
            "tips.Tip",
            "org_unit_id",
            dates=("received_at__date", "handled_at__date"),
            filters={"subject": "choices", "legal_nature": "choices", "channel": "choices"},
            capability="tip.view",
            sealed=True,
            measures={"handled_in_time": "pcmd.tips.selectors.measure_handled_in_time"},
            measures_by_unit={
                "handled_in_time": "pcmd.tips.selectors.measure_handled_in_time_by_unit"
            },
            measures_by_windows={
                "handled_in_time": "pcmd.tips.selectors.measure_handled_in_time_by_windows"
            },
            time_dependent=True,
        ),
        Source(
            "support.beneficiaries",
            _("Người được hỗ trợ"),
            "support.Beneficiary",
            "org_unit_id",
            active=("registered_on", "closed_on"),
            filters={"group": "choices"},
            capability="beneficiary.view",
            sealed=True,
            measures={"reached": "pcmd.support.casefiles.selectors.measure_reach"},
            measures_by_unit={"reached": "pcmd.support.casefiles.selectors.measure_reach_by_unit"},
        ),
        Source(
            "orgunits.agencies",
            _("Cơ quan, đơn vị"),
            "orgunits.Agency",
            "org_unit_id",
            active=("valid_from", "valid_to"),
            filters={"kind": "choices"},
            distincts={"agency": "id"},
            capability="agency.view",
        ),
    ]
}


def source_get(key: str) -> Source:
    try:
        return SOURCES[key]
    except KeyError:
        raise SourceError(key) from None


def measure_function(source: Source, name: str) -> Any:
    """The selector behind a named measure of `source` (SourceError for an unknown name)."""
    from django.utils.module_loading import import_string

    try:
        return import_string(source.measures[name])
    except KeyError:
        raise SourceError(f"{source.key}.{name}") from None


def filter_choices(source: Source, name: str) -> list[str] | None:
    """The values a "choices" filter accepts (None for free text, ids and booleans)."""
    if source.filters.get(name) != "choices":
        return None
    return _choices(source.model, name)


def definition_sources(kind: str, definition: dict[str, Any]) -> list[Source]:
    """Every source a definition counts from (for permissions and suppression)."""
    parts: list[Any] = [definition, definition.get("base"), definition.get("denominator")]
    numerator = definition.get("numerator")
    parts += numerator if isinstance(numerator, list) else [numerator]
    return [
        SOURCES[p["source"]] for p in parts if isinstance(p, dict) and p.get("source") in SOURCES
    ]


def definition_is_sealed(kind: str, definition: dict[str, Any]) -> bool:
    """True when the indicator counts people of the sealed records: show it suppressed."""
    return any(source.sealed for source in definition_sources(kind, definition))
