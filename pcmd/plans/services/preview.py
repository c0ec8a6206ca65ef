"""The preview of a parsed plan before it is saved: what is uncertain, and why.

Owns: PlanPreview (JSON-serialisable: to_dict()/from_dict()), ItemReview, AgencyMatch (from
matching.py), ParentMatch, plan_preview(), plan_dates(), LOW_CONFIDENCE.
Entry points: plan_preview(parsed=, org_unit=) — the upload page, the API and plan_import call it.
Invariants: reads only; a field is uncertain when the parser's confidence is below
LOW_CONFIDENCE, a value the model needs is missing, or a body named is neither an agency of the
unit (unambiguously) nor a generic phrase. Document-level problems (not a plan, nothing to
track) are `problems` and block the import whatever the user accepts.
Not here: saving (importing.py), reading documents (parsing/).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from pcmd.common.text import search_key
from pcmd.orgunits.models import OrgUnit
from pcmd.plans.models import Plan, Target, Task
from pcmd.plans.services.matching import AgencyMatch, AgencyMatcher, clean_name

LOW_CONFIDENCE = 0.7
"""Below this confidence the parser's reading of a target or task is shown as uncertain."""

ROLES = ("lead", "support", "advisor", "decider")
_KIND_LABELS = {
    "report": "báo cáo",
    "letter": "công văn",
    "other": "văn bản không phải kế hoạch",
}


@dataclass
class ItemReview:
    """A target, task or responsibility of the parsed dict (by `index`) and its doubts."""

    index: int
    uncertain: bool = False
    reason: str = ""
    reasons: list[str] = field(default_factory=list)
    confidence: float | None = None
    # Tasks: role -> one match per name; responsibilities: "bodies" -> one per body.
    agencies: dict[str, list[AgencyMatch]] = field(default_factory=dict)

    def add(self, reason: str) -> None:
        self.reasons.append(reason)
        self.uncertain = True
        self.reason = "; ".join(self.reasons)


@dataclass
class ParentMatch:
    """A basis entry ("Thực hiện Kế hoạch số …") and the plan in PCMD it names, if any."""

    basis_index: int
    text: str
    number: str
    plan_id: int | None = None
    plan_label: str = ""


@dataclass
class PlanPreview:
    """The parsed dict plus everything the preview page and plan_import need to decide."""

    parsed: dict[str, Any]
    org_unit_id: int
    on: str  # ISO date the agencies were matched at
    problems: list[str] = field(default_factory=list)
    document: list[str] = field(default_factory=list)  # uncertain document-level fields
    targets: list[ItemReview] = field(default_factory=list)
    tasks: list[ItemReview] = field(default_factory=list)
    responsibilities: list[ItemReview] = field(default_factory=list)
    basis: list[ParentMatch] = field(default_factory=list)
    parent: ParentMatch | None = None
    unmatched_agencies: list[str] = field(default_factory=list)

    @property
    def uncertain(self) -> bool:
        return bool(self.document) or any(
            item.uncertain for item in (*self.targets, *self.tasks, *self.responsibilities)
        )

    @property
    def can_import(self) -> bool:
        return not self.problems

    def warnings(self) -> list[str]:
        """Every uncertain field, one Vietnamese sentence each (what import_plan prints)."""
        out = list(self.document)
        targets = self.parsed.get("targets") or []
        tasks = self.parsed.get("tasks") or []
        for item in self.targets:
            if item.uncertain:
                where = _where(targets[item.index], _("Chỉ tiêu"), item.index)
                out.append(f"{where}: {item.reason}")
        for item in self.tasks:
            if item.uncertain:
                where = _where(tasks[item.index], _("Nhiệm vụ"), item.index)
                out.append(f"{where}: {item.reason}")
        for item in self.responsibilities:
            if item.uncertain:
                out.append(
                    _("Tổ chức thực hiện, đoạn %(n)s: %(reason)s")
                    % {"n": item.index + 1, "reason": item.reason}
                )
        return out

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["uncertain"] = self.uncertain
        data["can_import"] = self.can_import
        data["warnings"] = self.warnings()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanPreview:
        def item(raw: dict[str, Any]) -> ItemReview:
            return ItemReview(
                index=raw["index"],
                uncertain=raw.get("uncertain", False),
                reason=raw.get("reason", ""),
                reasons=list(raw.get("reasons", [])),
                confidence=raw.get("confidence"),
                agencies={
                    role: [AgencyMatch(**m) for m in matches]
                    for role, matches in (raw.get("agencies") or {}).items()
                },
            )

        parent = data.get("parent")
        return cls(
            parsed=data["parsed"],
            org_unit_id=data["org_unit_id"],
            on=data["on"],
            problems=list(data.get("problems", [])),
            document=list(data.get("document", [])),
            targets=[item(r) for r in data.get("targets", [])],
            tasks=[item(r) for r in data.get("tasks", [])],
            responsibilities=[item(r) for r in data.get("responsibilities", [])],
            basis=[ParentMatch(**b) for b in data.get("basis", [])],
            parent=ParentMatch(**parent) if parent else None,
            unmatched_agencies=list(data.get("unmatched_agencies", [])),
        )


def _where(raw: dict[str, Any], label: str, index: int) -> str:
    section = raw.get("section") or ""
    text = str(raw.get("text") or raw.get("title") or "")
    short = text if len(text) <= 60 else text[:57] + "…"
    return f"{label} {section or index + 1} “{short}”"


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return parse_date(value)
        except ValueError:
            return None
    return None


def plan_dates(parsed: dict[str, Any]) -> tuple[date | None, int | None, int | None]:
    """(issued_on, period start year, period end year) of a parsed document, None if unknown."""
    issued_on = _date(parsed.get("issued_on"))
    period = parsed.get("period") or {}
    start = period.get("start") if isinstance(period, dict) else None
    end = period.get("end") if isinstance(period, dict) else None
    if start is None and issued_on is not None:
        start = issued_on.year
    if end is None:
        end = start
    return issued_on, start, end


def plan_reference_day(parsed: dict[str, Any]) -> date | None:
    """The date a plan's unit is resolved at: its issue date, else 1 July of its first year."""
    issued_on, start, _end = plan_dates(parsed)
    if issued_on is not None:
        return issued_on
    return date(start, 7, 1) if start else None


def agency_day(parsed: dict[str, Any]) -> date:
    """The date agencies are matched at: the plan's start (issue date, else 1 January)."""
    issued_on, start, _end = plan_dates(parsed)
    if issued_on is not None:
        return issued_on
    return date(start, 1, 1) if start else date.today()


def _confidence(raw: dict[str, Any]) -> float | None:
    value = raw.get("confidence")
    if isinstance(value, dict):  # per-field confidences: the weakest one counts
        numbers = [v for v in value.values() if isinstance(v, (int, float))]
        return min(numbers) if numbers else None
    return float(value) if isinstance(value, (int, float)) else None


def _low(item: ItemReview, confidence: float | None) -> None:
    item.confidence = confidence
    if confidence is not None and confidence < LOW_CONFIDENCE:
        item.add(
            _("độ tin cậy khi đọc thấp (%(c)s)") % {"c": f"{confidence:.2f}".replace(".", ",")}
        )


def _review_target(index: int, raw: dict[str, Any]) -> ItemReview:
    item = ItemReview(index=index)
    _low(item, _confidence(raw))
    if not str(raw.get("text") or "").strip():
        item.add(_("thiếu nội dung chỉ tiêu"))
    if raw.get("value") is None:
        item.add(_("thiếu giá trị chỉ tiêu"))
    if raw.get("comparator") not in Target.Comparator.values:
        item.add(_("chưa rõ phép so sánh (ít nhất, trên, bằng …)"))
    if raw.get("unit") not in Target.Unit.values:
        item.add(_("chưa rõ đơn vị tính (%, số lượng, lần)"))
    if raw.get("comparator") == "between" and raw.get("value_max") is None:
        item.add(_("thiếu giá trị trên của khoảng"))
    return item


def _review_task(
    index: int, raw: dict[str, Any], matcher: AgencyMatcher, chosen: dict[str, int | None] | None
) -> ItemReview:
    item = ItemReview(index=index)
    _low(item, _confidence(raw))
    if not str(raw.get("title") or "").strip():
        item.add(_("thiếu tên nhiệm vụ"))
    timeframe = raw.get("timeframe") or {}
    if isinstance(timeframe, dict):
        kind = timeframe.get("kind")
        if kind and kind not in Task.TimeframeKind.values:
            item.add(_("chưa rõ thời gian thực hiện “%(t)s”") % {"t": timeframe.get("text", "")})
    for role in ROLES:
        names = [n for n in (raw.get(role) or []) if str(n).strip()]
        if not names:
            continue
        matches = [matcher.match(str(n), chosen=chosen) for n in names]
        item.agencies[role] = matches
        for match in matches:
            if match.uncertain:
                item.add(match.reason)
    return item


def _review_responsibility(
    index: int, raw: dict[str, Any], matcher: AgencyMatcher, chosen: dict[str, int | None] | None
) -> ItemReview:
    item = ItemReview(index=index)
    _low(item, _confidence(raw))
    matches = [matcher.match(str(n), chosen=chosen) for n in (raw.get("agencies") or []) if n]
    item.agencies["bodies"] = matches
    for match in matches:
        if match.uncertain:
            item.add(match.reason)
    return item


def _number_key(number: str) -> str:
    return search_key(number).replace(" ", "")


def _issuer_fits(written: str, plan: Plan) -> bool:
    """“UBND huyện Hoàng Hóa” fits a plan of Huyện Hoằng Hóa or issued by that name."""
    key = search_key(written)
    if not key:
        return True
    unit_key = search_key(plan.org_unit.short_name or plan.org_unit.name)
    issuer_key = search_key(plan.issuer)
    return bool(
        (unit_key and unit_key in key) or (issuer_key and (issuer_key in key or key in issuer_key))
    )


def find_cited_plan(*, number: str, issued_on: date | None, issuer: str) -> Plan | None:
    """The plan in PCMD a basis entry cites: same number, same date and issuer where given."""
    if not number:
        return None
    key = _number_key(number)
    candidates = [
        p
        for p in Plan.objects.filter(number__iexact=number.strip()).select_related("org_unit")
        if _number_key(p.number) == key
    ] or [
        p
        for p in Plan.objects.exclude(number="").select_related("org_unit")
        if _number_key(p.number) == key
    ]
    fits = [
        p
        for p in candidates
        if (issued_on is None or p.issued_on is None or p.issued_on == issued_on)
        and _issuer_fits(issuer, p)
    ]
    return fits[0] if len(fits) == 1 else None


def _is_implementing(text: str) -> bool:
    key = search_key(text)
    return key.startswith("thuc hien ke hoach") or key.startswith("thuc hien chuong trinh")


def _review_basis(preview: PlanPreview, parsed: dict[str, Any]) -> None:
    for index, raw in enumerate(parsed.get("basis") or []):
        number = str(raw.get("number") or "")
        plan = find_cited_plan(
            number=number,
            issued_on=_date(raw.get("issued_on")),
            issuer=str(raw.get("issuer") or ""),
        )
        match = ParentMatch(
            basis_index=index,
            text=str(raw.get("text") or ""),
            number=number,
            plan_id=plan.pk if plan else None,
            plan_label=str(plan) if plan else "",
        )
        preview.basis.append(match)
    relations = [str(raw.get("relation") or "") for raw in parsed.get("basis") or []]
    implementing = [
        b
        for b in preview.basis
        if relations[b.basis_index] == "implements" or _is_implementing(b.text)
    ]
    linked = [b for b in implementing if b.plan_id] or [b for b in preview.basis if b.plan_id]
    if linked:
        preview.parent = linked[0]
    elif implementing:
        preview.parent = implementing[0]


def document_problems(parsed: dict[str, Any]) -> list[str]:
    """What makes a document impossible to import whatever the unit: not a plan, or nothing in
    it to track."""
    problems = []
    kind = parsed.get("kind") or "other"
    if kind not in ("plan", "decision"):
        problems.append(
            _("Văn bản này là %(kind)s, không phải kế hoạch: không thể nhập.")
            % {"kind": _KIND_LABELS.get(kind, kind)}
        )
    if not parsed.get("targets") and not parsed.get("tasks"):
        problems.append(
            _("Không tìm thấy chỉ tiêu hay nhiệm vụ nào trong văn bản: không có gì để theo dõi.")
        )
    return problems


def plan_preview(
    *,
    parsed: dict[str, Any],
    org_unit: OrgUnit,
    agency_choices: dict[str, int | None] | None = None,
) -> PlanPreview:
    """Check a parsed document against the unit it is imported for; nothing is written."""
    on = agency_day(parsed)
    preview = PlanPreview(parsed=parsed, org_unit_id=org_unit.pk, on=on.isoformat())
    preview.problems.extend(document_problems(parsed))
    _issued_on, start, end = plan_dates(parsed)
    if start is None:
        preview.problems.append(
            _("Không xác định được năm thực hiện kế hoạch (không có ngày ban hành hay thời kỳ).")
        )
    elif end is not None and end < start:
        preview.problems.append(
            _("Thời kỳ kế hoạch không hợp lệ: %(a)s-%(b)s.") % {"a": start, "b": end}
        )
    if not str(parsed.get("title") or "").strip():
        preview.document.append(_("Thiếu trích yếu (tên) của kế hoạch."))
    matcher = AgencyMatcher(org_unit, on=on)
    preview.targets = [_review_target(i, t) for i, t in enumerate(parsed.get("targets") or [])]
    preview.tasks = [
        _review_task(i, t, matcher, agency_choices) for i, t in enumerate(parsed.get("tasks") or [])
    ]
    preview.responsibilities = [
        _review_responsibility(i, r, matcher, agency_choices)
        for i, r in enumerate(parsed.get("responsibilities") or [])
    ]
    _review_basis(preview, parsed)
    seen: dict[str, str] = {}
    for item in (*preview.tasks, *preview.responsibilities):
        for matches in item.agencies.values():
            for match in matches:
                if match.uncertain and not match.ambiguous:
                    name = clean_name(match.text)
                    seen.setdefault(search_key(name), name)
    preview.unmatched_agencies = list(seen.values())
    return preview
