"""The parser's result: plain dataclasses and their JSON form (the `parse_plan --json` contract).

Owns: ParsedDocument and its parts; ParsedDocument.to_dict(), the stable contract of issue 3.
Invariants: to_dict() always carries every contract key at the top level (null where unknown,
dates as ISO strings); extra keys appear only inside items (confidence, agencies, text ...).
Not here: how the values are found (the sibling modules).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

Number = int | float


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class BasisRef:
    """A document the plan rests on or implements ("Căn cứ ...", "Thực hiện Kế hoạch số ...")."""

    text: str
    number: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    relation: str = "basis"  # basis | implements | proposal

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "number": self.number,
            "issued_on": _iso(self.issued_on),
            "issuer": self.issuer,
            "relation": self.relation,
        }


@dataclass
class Section:
    """A numbered heading of the plan ("II.3.1") with the text that is not a target or a task."""

    number: str
    title: str
    kind: str = "other"
    text: list[str] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    budget_sources: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "number": self.number,
            "title": self.title,
            "kind": self.kind,
            "text": list(self.text),
            "children": [child.to_dict() for child in self.children],
        }
        if self.budget_sources is not None:
            data["budget_sources"] = list(self.budget_sources)
        return data


@dataclass
class Milestone:
    year: int
    value: Number

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "value": self.value}


@dataclass
class Target:
    """A measurable commitment ("Ít nhất 80% số thôn ...")."""

    section: str
    text: str
    kind: str = "level"  # level | change | count | frequency
    comparator: str = ">="  # >= | > | = | <= | < | between
    value: Number | None = None
    value_max: Number | None = None
    unit: str | None = None  # % | count | times
    per: str | None = None  # month | quarter | year
    population: str | None = None
    baseline_year: int | None = None
    start_year: int | None = None
    milestones: list[Milestone] = field(default_factory=list)
    confidence: float = 0.9
    fraction: tuple[int, int] | None = None
    direction: str | None = None  # increase | decrease, for kind change

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "section": self.section,
            "text": self.text,
            "kind": self.kind,
            "comparator": self.comparator,
            "value": self.value,
            "value_max": self.value_max,
            "unit": self.unit,
            "per": self.per,
            "population": self.population,
            "baseline_year": self.baseline_year,
            "start_year": self.start_year,
            "milestones": [m.to_dict() for m in self.milestones],
            "confidence": round(self.confidence, 2),
        }
        if self.fraction is not None:
            data["fraction"] = {"numerator": self.fraction[0], "denominator": self.fraction[1]}
        if self.direction is not None:
            data["direction"] = self.direction
        return data


@dataclass
class Timeframe:
    """When a task runs ("Thường xuyên", "Quý I/2025", "trước ngày 30/6/2025" ...)."""

    text: str
    kind: str | None  # ongoing | year | quarter | half | range | deadline | None (not understood)
    start: date | None = None
    end: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "start": _iso(self.start),
            "end": _iso(self.end),
        }


ROLES = ("lead", "support", "advisor", "decider")


@dataclass
class Task:
    """A task ("Nhiệm vụ") with its activities, assigned bodies and timeframe."""

    section: str
    title: str
    activities: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    advisor: list[str] = field(default_factory=list)
    decider: list[str] = field(default_factory=list)
    timeframe: Timeframe | None = None
    confidence: float = 0.9
    roles_text: dict[str, str] = field(default_factory=dict)
    lead_source: str | None = None  # assignment | responsibility | subject

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "title": self.title,
            "activities": list(self.activities),
            "lead": list(self.lead),
            "support": list(self.support),
            "advisor": list(self.advisor),
            "decider": list(self.decider),
            "timeframe": self.timeframe.to_dict() if self.timeframe else None,
            "confidence": round(self.confidence, 2),
            "roles_text": dict(self.roles_text),
            "lead_source": self.lead_source,
        }


@dataclass
class Responsibility:
    """One paragraph of "Tổ chức thực hiện" and the bodies it names."""

    agencies: list[str]
    text: str
    requested: bool = False  # "Đề nghị ...": a body the issuer cannot order
    section: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "agencies": list(self.agencies),
            "text": self.text,
            "requested": self.requested,
            "section": self.section,
        }


@dataclass
class Reporting:
    """A reporting duty ("Định kỳ 6 tháng, hàng năm tổng hợp báo cáo ...")."""

    text: str
    frequency: list[str] = field(
        default_factory=list
    )  # month | quarter | half_year | year | ad_hoc
    agencies: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "frequency": list(self.frequency), "agencies": self.agencies}


@dataclass
class Signer:
    name: str | None
    title: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title}


@dataclass
class ParsedDocument:
    """Everything the parser found in one document, and what it could not place (warnings)."""

    kind: str = "other"  # plan | decision | report | letter | other
    number: str | None = None
    issued_on: date | None = None
    place: str | None = None
    issuer: str | None = None
    title: str | None = None
    period: tuple[int, int] | None = None
    basis: list[BasisRef] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    responsibilities: list[Responsibility] = field(default_factory=list)
    reporting: list[Reporting] = field(default_factory=list)
    signer: Signer | None = None
    recipients: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Not in the JSON contract: the portal's metadata block, kept for cross-checks and previews.
    portal: dict[str, str] = field(default_factory=dict)
    plan_title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "number": self.number,
            "issued_on": _iso(self.issued_on),
            "place": self.place,
            "issuer": self.issuer,
            "title": self.title,
            # Extension of the contract: the attached plan's own title when the document is a
            # decision that issues a plan (null otherwise); every contract key is unchanged.
            "plan_title": self.plan_title if self.kind == "decision" else None,
            "period": ({"start": self.period[0], "end": self.period[1]} if self.period else None),
            "basis": [b.to_dict() for b in self.basis],
            "sections": [s.to_dict() for s in self.sections],
            "targets": [t.to_dict() for t in self.targets],
            "tasks": [t.to_dict() for t in self.tasks],
            "responsibilities": [r.to_dict() for r in self.responsibilities],
            "reporting": [r.to_dict() for r in self.reporting],
            "signer": self.signer.to_dict() if self.signer else None,
            "recipients": list(self.recipients),
            "warnings": list(self.warnings),
        }
