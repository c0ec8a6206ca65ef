"""Save a parsed plan document as a Plan with everything it commits to, in one transaction.

Owns: plan_import(), plan_reference_register().
Entry points: the upload page (after the preview), `pcmd import_plan`, the API, the demo.
Invariants: all or nothing — the checks run first (plan_preview), the writes share one
transaction, and a failure leaves no row behind (agencies the user asked to create included).
Agencies are never created silently: only the names listed in `create_agencies`. Generic
phrases stay text with agency NULL. The import is audited (IMPORT) with what was saved.
Not here: reading documents (parsing/), the preview checks (preview.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.common.text import nfc, search_key
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.orgunits.services import agency_create
from pcmd.plans.models import (
    BudgetLine,
    Milestone,
    Plan,
    PlanBasis,
    ReportingDuty,
    Responsibility,
    ResponsibilityAgency,
    Section,
    Target,
    Task,
    TaskAssignment,
)
from pcmd.plans.parsing.bodies import split_bodies
from pcmd.plans.services.common import PlanImportError, require_plan_create, require_plan_edit
from pcmd.plans.services.matching import (
    AgencyMatch,
    agency_kind_guess,
    clean_name,
    is_requested_phrase,
)
from pcmd.plans.services.preview import (
    ROLES,
    PlanPreview,
    _date,
    agency_day,
    plan_dates,
    plan_preview,
)


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _cut(value: Any, length: int) -> str:
    text = nfc(str(value or ""))
    return text if len(text) <= length else text[: length - 1] + "…"


def _choices_checked(
    choices: dict[str, int | None] | None, org_unit: OrgUnit
) -> dict[str, int | None]:
    if not choices:
        return {}
    ids = {v for v in choices.values() if v is not None}
    found = set(Agency.objects.filter(org_unit=org_unit, pk__in=ids).values_list("pk", flat=True))
    wrong = [name for name, v in choices.items() if v is not None and v not in found]
    if wrong:
        raise PlanImportError(
            [
                _("Cơ quan được chọn cho “%(name)s” không thuộc %(unit)s.")
                % {"name": name, "unit": org_unit.name}
                for name in wrong
            ]
        )
    return dict(choices)


def _create_agencies(
    names: list[str], *, org_unit: OrgUnit, on: date, acting_user: Any
) -> dict[str, int | None]:
    """Create the agencies the user asked for (audited), once per distinct name."""
    created: dict[str, int | None] = {}
    for written in names:
        name = clean_name(written)
        if not name or search_key(name) in {search_key(k) for k in created}:
            continue
        existing = Agency.objects.filter(org_unit=org_unit, key=search_key(name)).first()
        if existing is None:
            valid_to = org_unit.valid_to if org_unit.valid_to and org_unit.valid_to >= on else None
            existing = agency_create(
                org_unit=org_unit,
                kind=agency_kind_guess(name),
                name=name,
                is_requested=is_requested_phrase(written),
                valid_to=valid_to,
                note=_("Tạo khi nhập kế hoạch."),
                acting_user=acting_user,
            )
        created[written] = existing.pk
    return created


def _section_index(plan: Plan, nodes: list[dict[str, Any]]) -> dict[str, Section]:
    index: dict[str, Section] = {}
    counter = 0

    def walk(items: list[dict[str, Any]], parent: Section | None) -> None:
        nonlocal counter
        for node in items:
            if not isinstance(node, dict):
                continue
            counter += 1
            section = Section.objects.create(
                plan=plan,
                parent=parent,
                order=counter,
                number=_cut(node.get("number"), 40),
                title=nfc(str(node.get("title") or "")),
                text=_paragraphs(node.get("text")),
            )
            if section.number:
                index.setdefault(section.number, section)
            walk(node.get("children") or [], section)

    walk(nodes, None)
    return index


def _paragraphs(value: Any) -> str:
    """Section text as the parser gives it (a list of paragraphs, or one string)."""
    if isinstance(value, list):
        return "\n".join(nfc(str(v)) for v in value if str(v).strip())
    return str(value or "").strip()


def _section_for(number: Any, index: dict[str, Section]) -> Section | None:
    """The section numbered `number`, else its nearest numbered ancestor ("II.3.1.a" → "II.3.1")."""
    text = str(number or "").strip()
    while text:
        if text in index:
            return index[text]
        if "." not in text:
            return None
        text = text.rsplit(".", 1)[0]
    return None


def _budget_lines(parsed: dict[str, Any], plan: Plan) -> None:
    raw = parsed.get("budget")
    rows: list[dict[str, Any]] = []
    text = ""
    if isinstance(raw, dict):
        text = str(raw.get("text") or "")
        for source in raw.get("sources") or raw.get("lines") or []:
            rows.append(source if isinstance(source, dict) else {"source": source})
    elif isinstance(raw, list):
        rows = [r if isinstance(r, dict) else {"text": r} for r in raw]
    elif isinstance(raw, str):
        text = raw
    if not text and not rows:
        text = _budget_section_text(parsed.get("sections") or [])
        sources = _budget_section_sources(parsed.get("sections") or [])
        rows = [{"source": source} for source in sources or []]
    plan.budget_text = text.strip()
    if not rows and text:
        key = search_key(text)
        if "ngan sach" in key:
            rows.append({"source": BudgetLine.Source.STATE})
        if any(w in key for w in ("hop phap khac", "huy dong", "tai tro", "xa hoi hoa")):
            rows.append({"source": BudgetLine.Source.OTHER})
    for row in rows:
        source = str(row.get("source") or row.get("kind") or "")
        if source not in BudgetLine.Source.values:
            key = search_key(f"{source} {row.get('text') or ''}")
            state = "ngan sach" in key or source.startswith("state")
            source = BudgetLine.Source.STATE if state else BudgetLine.Source.OTHER
        BudgetLine.objects.create(
            plan=plan,
            source=source,
            text=str(row.get("text") or ""),
            year=row.get("year") if isinstance(row.get("year"), int) else None,
            allocated=_dec(row.get("allocated") or row.get("amount")),
        )


def _budget_section_text(nodes: list[dict[str, Any]]) -> str:
    for node in nodes:
        if not isinstance(node, dict):
            continue
        title = search_key(str(node.get("title") or ""))
        if node.get("budget_sources") is not None or "kinh phi" in title:
            return _paragraphs(node.get("text"))
        found = _budget_section_text(node.get("children") or [])
        if found:
            return found
    return ""


def _budget_section_sources(nodes: list[dict[str, Any]]) -> list[str] | None:
    for node in nodes:
        if not isinstance(node, dict):
            continue
        if node.get("budget_sources") is not None:
            return [str(s) for s in node["budget_sources"]]
        found = _budget_section_sources(node.get("children") or [])
        if found is not None:
            return found
    return None


def _agency_of(match: AgencyMatch | None) -> int | None:
    return match.agency_id if match is not None and not match.uncertain else None


def _parent_of(plan: Plan, preview: PlanPreview) -> None:
    if preview.parent is not None:
        if preview.parent.plan_id:
            plan.parent_id = preview.parent.plan_id
        else:
            plan.parent_reference = _cut(preview.parent.text, 500)


def _link_responsibilities(plan: Plan) -> None:
    """A responsibility whose bodies lead tasks is linked to those tasks ("my tasks" uses it)."""
    leads: dict[int, set[int]] = {}
    lead_texts: dict[str, set[int]] = {}
    for assignment in TaskAssignment.objects.filter(task__plan=plan, role="lead"):
        if assignment.agency_id:
            leads.setdefault(assignment.agency_id, set()).add(assignment.task_id)
        lead_texts.setdefault(search_key(clean_name(assignment.text)), set()).add(
            assignment.task_id
        )
    for responsibility in plan.responsibilities.prefetch_related("agencies"):
        task_ids: set[int] = set()
        for body in responsibility.agencies.all():
            if body.agency_id:
                task_ids |= leads.get(body.agency_id, set())
            task_ids |= lead_texts.get(search_key(clean_name(body.text)), set())
        if task_ids:
            responsibility.tasks.add(*task_ids)


@transaction.atomic
def plan_import(
    *,
    parsed: dict[str, Any],
    org_unit: OrgUnit,
    acting_user: Any,
    source_name: str = "",
    source_text: str = "",
    agency_choices: dict[str, int | None] | None = None,
    create_agencies: list[str] | None = None,
    accept_warnings: bool = False,
    status: str = Plan.Status.DRAFT,
) -> Plan:
    """Save a parsed plan for `org_unit`; raise PlanImportError (nothing saved) when it is not a
    plan, tracks nothing, or has uncertain fields the caller did not accept."""
    require_plan_create(acting_user, org_unit)
    if status not in (Plan.Status.DRAFT, Plan.Status.ISSUED):
        raise PlanImportError([_("Kế hoạch mới nhập chỉ có thể là dự thảo hoặc đã ban hành.")])
    first = plan_preview(parsed=parsed, org_unit=org_unit, agency_choices=agency_choices)
    if first.problems:
        raise PlanImportError(first.problems)
    choices = _choices_checked(agency_choices, org_unit)
    on = agency_day(parsed)
    if create_agencies:
        choices.update(
            _create_agencies(create_agencies, org_unit=org_unit, on=on, acting_user=acting_user)
        )
    preview = plan_preview(parsed=parsed, org_unit=org_unit, agency_choices=choices)
    warnings = preview.warnings()
    if warnings and not accept_warnings:
        raise PlanImportError(
            [_("Văn bản còn %(n)s điểm chưa chắc chắn; hãy kiểm tra lại:") % {"n": len(warnings)}]
            + warnings
        )
    issued_on, start, end = plan_dates(parsed)
    assert start is not None and end is not None  # plan_preview reports a missing period
    signer = parsed.get("signer") or {}
    kind = Plan.Kind.DECISION if parsed.get("kind") == "decision" else Plan.Kind.PLAN
    title = nfc(str(parsed.get("plan_title") or parsed.get("title") or "")) or _("Kế hoạch")
    plan = Plan(
        org_unit=org_unit,
        kind=kind,
        status=status,
        number=_cut(parsed.get("number"), 60),
        issued_on=issued_on,
        place=_cut(parsed.get("place"), 120),
        issuer=_cut(parsed.get("issuer"), 255),
        title=title,
        decision_title=nfc(str(parsed.get("title") or ""))
        if kind == Plan.Kind.DECISION and parsed.get("plan_title")
        else "",
        period_start=start,
        period_end=end,
        signer_name=_cut(signer.get("name") if isinstance(signer, dict) else "", 120),
        signer_title=_cut(signer.get("title") if isinstance(signer, dict) else "", 120),
        recipients=[nfc(str(r)) for r in parsed.get("recipients") or []],
        source_name=_cut(source_name, 255),
        source_text=source_text,
        warnings=[str(w) for w in parsed.get("warnings") or []],
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    _parent_of(plan, preview)
    plan.save()
    _write_basis_rows(plan, parsed, preview)
    index = _section_index(plan, parsed.get("sections") or [])
    skipped: list[str] = []
    saved_targets = _write_targets(plan, parsed, preview, index, skipped)
    saved_tasks = _write_tasks(plan, parsed, preview, index, skipped)
    _write_responsibilities(plan, parsed, preview)
    for raw in parsed.get("reporting") or []:
        ReportingDuty.objects.create(
            plan=plan,
            text=nfc(str(raw.get("text") or "")),
            frequency=list(raw.get("frequency") or []),
        )
    _budget_lines(parsed, plan)
    accepted = warnings if accept_warnings else []
    plan.warnings = [*plan.warnings, *accepted, *skipped]
    plan.save(update_fields=["budget_text", "warnings", "updated_at"])
    _link_responsibilities(plan)
    audit_record(
        action=AuditEvent.Action.IMPORT,
        user=acting_user,
        obj=plan,
        detail={
            "source_name": source_name,
            "targets": saved_targets,
            "tasks": saved_tasks,
            "responsibilities": plan.responsibilities.count(),
            "accepted_warnings": accepted,
            "created_agencies": list(create_agencies or []),
            "parent": plan.parent_id,
        },
    )
    return plan


def _write_basis_rows(plan: Plan, parsed: dict[str, Any], preview: PlanPreview) -> None:
    linked: dict[int, int | None] = {b.basis_index: b.plan_id for b in preview.basis}
    for order, raw in enumerate(parsed.get("basis") or []):
        PlanBasis.objects.create(
            plan=plan,
            order=order,
            text=nfc(str(raw.get("text") or "")),
            number=_cut(raw.get("number"), 60),
            issued_on=_date(raw.get("issued_on")),
            issuer=_cut(raw.get("issuer"), 255),
            linked_plan_id=linked.get(order),
        )


def _write_targets(
    plan: Plan,
    parsed: dict[str, Any],
    preview: PlanPreview,
    index: dict[str, Section],
    skipped: list[str],
) -> int:
    saved = 0
    for order, raw in enumerate(parsed.get("targets") or []):
        value = _dec(raw.get("value"))
        comparator = raw.get("comparator")
        unit = raw.get("unit")
        section = _section_for(raw.get("section"), index)
        text = nfc(str(raw.get("text") or ""))
        if value is None or comparator not in Target.Comparator.values:
            # Accepted with warnings but unusable as a target: keep the sentence as section text.
            skipped.append(_("Không lưu thành chỉ tiêu (thiếu giá trị): %(t)s") % {"t": text})
            if section is not None and text:
                section.text = f"{section.text}\n{text}".strip()
                section.save(update_fields=["text"])
            continue
        if unit not in Target.Unit.values:
            unit = Target.Unit.PERCENT if "%" in text else Target.Unit.COUNT
        kind = raw.get("kind")
        if kind not in Target.Kind.values:
            kind = Target.Kind.LEVEL if unit == Target.Unit.PERCENT else Target.Kind.COUNT
        review = preview.targets[order] if order < len(preview.targets) else None
        target = Target.objects.create(
            plan=plan,
            section=section,
            order=order,
            text=text,
            kind=kind,
            comparator=comparator,
            value=value,
            value_max=_dec(raw.get("value_max")),
            unit=unit,
            per=raw.get("per") if raw.get("per") in Target.Per.values else "",
            population=_cut(raw.get("population"), 255),
            baseline_year=raw.get("baseline_year") or None,
            start_year=raw.get("start_year") or None,
            confidence=review.confidence if review and review.confidence is not None else 1.0,
        )
        years: set[int] = set()
        for milestone in raw.get("milestones") or []:
            year, mvalue = milestone.get("year"), _dec(milestone.get("value"))
            if isinstance(year, int) and mvalue is not None and year not in years:
                years.add(year)
                Milestone.objects.create(target=target, year=year, value=mvalue)
        saved += 1
    return saved


def _write_tasks(
    plan: Plan,
    parsed: dict[str, Any],
    preview: PlanPreview,
    index: dict[str, Section],
    skipped: list[str],
) -> int:
    saved = 0
    for order, raw in enumerate(parsed.get("tasks") or []):
        title = nfc(str(raw.get("title") or ""))
        if not title:
            skipped.append(_("Không lưu nhiệm vụ %(n)s (thiếu tên).") % {"n": order + 1})
            continue
        timeframe = raw.get("timeframe") if isinstance(raw.get("timeframe"), dict) else {}
        assert isinstance(timeframe, dict)
        kind = timeframe.get("kind") if timeframe.get("kind") in Task.TimeframeKind.values else ""
        review = preview.tasks[order] if order < len(preview.tasks) else None
        task = Task.objects.create(
            plan=plan,
            section=_section_for(raw.get("section"), index),
            order=order,
            number=_cut(raw.get("section"), 40),
            title=title,
            activities=[nfc(str(a)) for a in raw.get("activities") or []],
            timeframe_text=_cut(timeframe.get("text"), 255),
            timeframe_kind=kind or "",
            start=_date(timeframe.get("start")),
            end=_date(timeframe.get("end")),
            confidence=review.confidence if review and review.confidence is not None else 1.0,
        )
        for role in ROLES:
            matches = review.agencies.get(role, []) if review else []
            names = [str(n) for n in raw.get(role) or [] if str(n).strip()]
            for position, name in enumerate(names):
                match = matches[position] if position < len(matches) else None
                TaskAssignment.objects.create(
                    task=task,
                    role=role,
                    text=_cut(name, 500),
                    agency_id=_agency_of(match),
                    order=position,
                )
            # Generic phrases ("Các ngành, đoàn thể có liên quan") are no agency, but the plan
            # says them: keep them as text-only assignments.
            for offset, phrase in enumerate(_generic_phrases(raw, role, names)):
                TaskAssignment.objects.create(
                    task=task,
                    role=role,
                    text=_cut(phrase, 500),
                    agency_id=None,
                    order=len(names) + offset,
                )
        saved += 1
    return saved


def _generic_phrases(raw: dict[str, Any], role: str, names: list[str]) -> list[str]:
    """The group phrases of an assignment line that names no single body (or names bodies and
    groups side by side); [] when the line is a sentence rather than a list."""
    roles_text = raw.get("roles_text") if isinstance(raw.get("roles_text"), dict) else {}
    assert isinstance(roles_text, dict)
    line = nfc(str(roles_text.get(role) or "")).strip().rstrip(".;").strip()
    if not line:
        return []
    if not names:
        return [line]
    bodies, generic = split_bodies(line)
    return generic if bodies == names else []


def _last_part(number: Any) -> str:
    """ "V.14" → "14" (the paragraph's own number)."""
    return str(number or "").rsplit(".", 1)[-1]


def _write_responsibilities(plan: Plan, parsed: dict[str, Any], preview: PlanPreview) -> None:
    for order, raw in enumerate(parsed.get("responsibilities") or []):
        text = nfc(str(raw.get("text") or ""))
        responsibility = Responsibility.objects.create(
            plan=plan,
            order=order,
            number=_cut(raw.get("number") or _last_part(raw.get("section")), 20),
            text=text or ", ".join(str(a) for a in raw.get("agencies") or []),
        )
        review = preview.responsibilities[order] if order < len(preview.responsibilities) else None
        matches = review.agencies.get("bodies", []) if review else []
        names = [n for n in raw.get("agencies") or [] if n]
        requested_paragraph = bool(raw.get("requested")) or is_requested_phrase(text)
        for position, name in enumerate(names):
            match = matches[position] if position < len(matches) else None
            ResponsibilityAgency.objects.create(
                responsibility=responsibility,
                text=_cut(name, 500),
                agency_id=_agency_of(match),
                is_requested=bool(requested_paragraph or (match and match.requested)),
                order=position,
            )


@transaction.atomic
def plan_reference_register(
    *, plan: Plan, basis: PlanBasis, org_unit: OrgUnit, acting_user: Any, title: str = ""
) -> Plan:
    """Register the plan a basis entry cites (not in PCMD yet) as an issued reference plan of
    `org_unit`, and make it `plan`'s parent. Returns the reference plan."""
    require_plan_edit(acting_user, plan)
    if basis.plan_id != plan.pk:
        raise PlanImportError([_("Căn cứ này không thuộc kế hoạch đang sửa.")])
    if basis.linked_plan_id:
        return basis.linked_plan  # type: ignore[return-value]
    if not basis.number:
        raise PlanImportError([_("Căn cứ không có số hiệu văn bản: không thể đăng ký.")])
    year = basis.issued_on.year if basis.issued_on else plan.period_start
    reference = Plan.objects.create(
        org_unit=org_unit,
        kind=Plan.Kind.PLAN,
        status=Plan.Status.ISSUED,
        number=basis.number,
        issued_on=basis.issued_on,
        issuer=basis.issuer,
        title=title or _reference_title(basis.text),
        period_start=min(year, plan.period_start),
        period_end=max(year, plan.period_end),
        warnings=[_("Kế hoạch tham chiếu: chỉ đăng ký số hiệu, chưa nhập nội dung.")],
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=acting_user,
        obj=reference,
        detail={"reference_for": plan.pk, "basis": basis.pk},
    )
    basis.linked_plan = reference
    basis.save(update_fields=["linked_plan"])
    old_parent = plan.parent_id
    plan.parent = reference
    plan.parent_reference = ""
    plan.save(update_fields=["parent", "parent_reference", "updated_at"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=acting_user,
        obj=plan,
        detail={"changes": {"parent": [old_parent, reference.pk]}},
    )
    return reference


def _reference_title(text: str) -> str:
    """“… của UBND huyện Hoàng Hóa về phòng, chống mại dâm …, UBND xã …” → “Về phòng, …”."""
    cleaned = nfc(text)
    lowered = cleaned.lower()
    start = lowered.find(" về ")
    if start >= 0:
        rest = cleaned[start + 1 :]
        rest = rest.split(", UBND")[0].split(", Ủy ban")[0].rstrip(" ;,.")
        return rest[:1].upper() + rest[1:]
    return cleaned[:300]
