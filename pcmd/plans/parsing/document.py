"""Put the parts together: text -> ParsedDocument.

Owns: parse_text(), parse_file().
Invariants: document text is data, never instructions (portal lines are stripped by cleaning);
a decision that issues a plan gives the decision's header, basis and signer and the attached
plan's sections, targets, tasks and responsibilities; every line is either turned into data,
kept as the text of its section, or reported in `warnings` with its text.
Not here: saving anything (plans.services), the command's output (management command).
"""

from __future__ import annotations

import re

from pcmd.plans.parsing.basis import basis_relation, read_basis
from pcmd.plans.parsing.cleaning import clean_text
from pcmd.plans.parsing.header import (
    Footer,
    find_attached_plan,
    find_period,
    issuer_from_text,
    read_header,
    take_footer,
)
from pcmd.plans.parsing.model import ParsedDocument, Section, Signer
from pcmd.plans.parsing.numbers import find_doc_number, parse_date
from pcmd.plans.parsing.reading import read_document
from pcmd.plans.parsing.responsibilities import (
    budget_sources,
    read_reporting,
    read_responsibilities,
)
from pcmd.plans.parsing.structure import Node, Outline, build_outline
from pcmd.plans.parsing.targets import has_quantity, read_targets
from pcmd.plans.parsing.tasks import link_leads, read_tasks

_ATTACHED = re.compile(r"^\(?\s*Ban hành kèm theo", re.IGNORECASE)
_INTRO = re.compile(
    r"(với (những|các) nội dung (sau|như sau|chủ yếu)|ban hành kế hoạch|xây dựng kế hoạch|"
    r"như sau\s*:?\s*$)",
    re.IGNORECASE,
)
_DECISION_LINES = re.compile(r"^(QUYẾT ĐỊNH|QUYẾT NGHỊ)\s*:?$|^(CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN)\b")


def parse_file(data: bytes, filename: str) -> ParsedDocument:
    """Parse an uploaded .txt/.docx; raises DocumentUnreadable when it cannot be read at all."""
    return parse_text(read_document(data, filename))


def parse_text(text: str) -> ParsedDocument:
    """Parse the text of a plan, decision, report or letter into its structure."""
    cleaned = clean_text(text)
    doc = ParsedDocument(portal=dict(cleaned.portal), warnings=list(cleaned.warnings))
    lines = cleaned.lines
    header = read_header(lines)
    doc.kind, doc.number, doc.issued_on = header.kind, header.number, header.issued_on
    doc.place, doc.issuer, doc.title = header.place, header.issuer, header.title
    for index in range(header.body_start):
        if lines[index] and index not in header.used:
            doc.warnings.append(f"Dòng ở phần đầu văn bản chưa xếp được: {lines[index]!r}")

    decision_lines: list[str] = []
    plan_lines = lines[header.body_start :]
    plan_at = find_attached_plan(lines, header.body_start) if header.kind == "decision" else None
    if plan_at is not None:
        decision_lines = lines[header.body_start : plan_at]
        plan_lines = _attached_plan(doc, lines[plan_at + 1 :])

    footers = [take_footer(part) for part in (decision_lines, plan_lines)]
    decision_lines = _without(decision_lines, footers[0])
    plan_lines = _without(plan_lines, footers[1])
    _apply_footers(doc, footers)

    outlines = [build_outline(decision_lines), build_outline(plan_lines)]
    for outline in outlines:
        _read_preamble(doc, outline.preamble)
    if doc.issuer is None:
        doc.warnings.append("Không xác định được cơ quan ban hành.")

    doc.period = find_period(doc.plan_title, doc.title) or _scope_period(outlines[1])
    if doc.period is None and doc.issued_on:
        doc.period = (doc.issued_on.year, doc.issued_on.year)
        doc.warnings.append("Không thấy thời kỳ của kế hoạch; tạm lấy năm ban hành.")
    elif doc.period is None:
        doc.warnings.append("Không xác định được thời kỳ (năm hoặc giai đoạn) của kế hoạch.")

    _read_body(doc, outlines[1])
    _read_reporting(doc, outlines)
    link_leads(doc.tasks, doc.responsibilities)
    sections = [_section(node) for outline in outlines for node in outline.nodes]
    doc.sections = [section for section in sections if section is not None]
    _cross_check(doc)
    return doc


def _attached_plan(doc: ParsedDocument, rest: list[str]) -> list[str]:
    """Read the attached plan's title and "Ban hành kèm theo …" line; return its body lines."""
    title: list[str] = []
    index = 0
    while index < len(rest) and len(title) < 5:
        line = rest[index]
        index += 1
        if not line:
            continue
        if _ATTACHED.match(line):
            found = find_doc_number(line)
            attached_on = parse_date(line)
            if found and doc.number and found[1] != doc.number:
                doc.warnings.append(
                    f"Kế hoạch ghi ban hành kèm theo {found[1]}, khác số của quyết định "
                    f"{doc.number}."
                )
            if found and doc.number is None:
                doc.number = found[1]
            if attached_on and doc.issued_on and attached_on != doc.issued_on:
                doc.warnings.append("Ngày trong dòng 'Ban hành kèm theo' khác ngày của quyết định.")
            break
        if basis_relation(line) or re.match(r"^[IVX]+\.\s", line):
            index -= 1
            break
        title.append(line)
    doc.plan_title = " ".join(title) or None
    return rest[index:]


def _without(lines: list[str], footer: Footer) -> list[str]:
    return ["" if index in footer.used else line for index, line in enumerate(lines)]


def _apply_footers(doc: ParsedDocument, footers: list[Footer]) -> None:
    for footer in footers:
        if doc.signer is None and (footer.signer_name or footer.signer_title):
            doc.signer = Signer(name=footer.signer_name, title=footer.signer_title)
        doc.recipients.extend(footer.recipients)


def _read_preamble(doc: ParsedDocument, preamble: list[str]) -> None:
    for line in preamble:
        ref = read_basis(line)
        if ref is not None:
            if not any(_same_ref(ref.number, ref.text, other) for other in doc.basis):
                doc.basis.append(ref)
            if doc.issuer is None:
                doc.issuer = issuer_from_text(line.split(",", 1)[-1]) if "," in line else None
            continue
        if doc.issuer is None and issuer_from_text(line):
            doc.issuer = issuer_from_text(line)
        if _INTRO.search(line) or _DECISION_LINES.match(line) or line.isupper():
            continue
        doc.warnings.append(f"Đoạn trước phần I chưa xếp được vào mục nào: {_short(line)!r}")


def _same_ref(number: str | None, text: str, other: object) -> bool:
    other_number = getattr(other, "number", None)
    if number and other_number:
        return bool(number == other_number)
    return text == getattr(other, "text", None)


def _scope_period(outline: Outline) -> tuple[int, int] | None:
    for node in outline.walk():
        if node.zone == "scope" and "thời gian" in node.title.lower():
            period = find_period(" ".join(item.text for item in node.items))
            if period:
                return period
    return None


def _read_body(doc: ParsedDocument, outline: Outline) -> None:
    for node in outline.walk():
        if node.consumed:
            continue
        if node.zone in ("targets", "objective"):
            _read_target_node(doc, node)
        elif node.zone == "tasks":
            harvest = read_tasks(node, doc.period)
            doc.tasks.extend(harvest.tasks)
            doc.targets.extend(harvest.targets)
            doc.warnings.extend(harvest.warnings)
        elif node.zone == "organisation" and node.heading_kind == "organisation":
            doc.responsibilities.extend(read_responsibilities(node))
        elif node.zone == "budget" and node.heading_kind == "budget":
            text = " ".join(item.text for item in node.items)
            node.budget = budget_sources(text)


def _read_target_node(doc: ParsedDocument, node: Node) -> None:
    if node.level == "letter" and node.heading_kind is None:
        node.consumed = True
        text = " ".join([node.title] + [item.text for item in node.items])
        found = read_targets(text, node.number)
        doc.targets.extend(found)
        if not found and node.zone == "targets":
            doc.warnings.append(f"Mục {node.number}: chỉ tiêu không có số liệu: {_short(text)!r}")
        return
    for item in node.items:
        if item.kind == "closing" or item.used:
            continue
        if has_quantity(item.text):
            found = read_targets(item.text, node.number)
            if found:
                item.used = True
                doc.targets.extend(found)
                continue
        if node.zone == "targets" and not item.text.rstrip().endswith(":"):
            doc.warnings.append(
                f"Mục {node.number}: chỉ tiêu không có số liệu, giữ làm nội dung: "
                f"{_short(item.text)!r}"
            )


def _read_reporting(doc: ParsedDocument, outlines: list[Outline]) -> None:
    agencies_of = {r.section: r.agencies for r in doc.responsibilities if r.section}
    seen: set[str] = set()
    for outline in outlines:
        for node in outline.walk():
            texts = [node.title] + [item.text for item in node.items]
            for text in texts:
                for duty in read_reporting(text, agencies_of.get(node.number)):
                    if duty.text not in seen:
                        seen.add(duty.text)
                        doc.reporting.append(duty)


def _section(node: Node) -> Section | None:
    if node.consumed:
        return None
    section = Section(
        number=node.number,
        title=node.title,
        kind="article" if node.level == "article" else node.heading_kind or node.zone,
        text=[item.line for item in node.items if not item.used],
    )
    section.budget_sources = node.budget
    for child in node.children:
        converted = _section(child)
        if converted is not None:
            section.children.append(converted)
    return section


def _cross_check(doc: ParsedDocument) -> None:
    portal = doc.portal
    if doc.kind in ("plan", "decision", "report", "letter"):
        if doc.number is None:
            doc.warnings.append("Văn bản không ghi số hiệu (số/ký hiệu).")
        if doc.issued_on is None:
            doc.warnings.append("Văn bản không ghi ngày ban hành.")
    number = portal.get("Số hiệu")
    if number and doc.number and number.replace(" ", "") != doc.number:
        doc.warnings.append(
            f"Số hiệu trên trang web ({number}) khác số trong văn bản ({doc.number})."
        )
    elif number and doc.number is None:
        doc.warnings.append(f"Số hiệu {number} chỉ có trong phần thông tin của trang web.")
    issued = parse_date(portal.get("Ngày ban hành", ""))
    if issued and doc.issued_on and issued != doc.issued_on:
        doc.warnings.append(
            f"Ngày ban hành trên trang web ({issued:%d/%m/%Y}) khác ngày trong văn bản "
            f"({doc.issued_on:%d/%m/%Y})."
        )
    signer = portal.get("Người ký")
    if signer and doc.signer and doc.signer.name and signer != doc.signer.name:
        doc.warnings.append(f"Người ký trên trang web ({signer}) khác người ký trong văn bản.")
    if doc.kind == "other" and (doc.targets or doc.tasks):
        doc.warnings.append("Không thấy tên loại văn bản (KẾ HOẠCH, QUYẾT ĐỊNH ...).")


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
