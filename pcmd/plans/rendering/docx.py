"""Write a plan as a DOCX in the official layout of Decree 30/2020/NĐ-CP, Phụ lục I.

Owns: plan_docx().
Input: a plan in the parser's JSON contract (issue 3): what parsing.parse_file(...).to_dict()
returns, or selectors.plan_as_parsed(plan) for a saved plan, so a seed and a saved plan export
alike.
Invariants: the layout follows DOMAIN.md §5.1 — A4 portrait; margins top/bottom 20 mm, left
30 mm, right 15 mm; Times New Roman (13-14 pt body); a borderless two-column header table
(issuing body and number left, national motto and place/date right); the type name and the
trích yếu centred and bold; a numbered body; a borderless "Nơi nhận" / signature table; page
numbers centred in the top margin from page 2 on. The text is what the parser reads back:
exporting a parsed document and parsing the export gives the same targets and tasks
(tests/rendering/test_docx.py), so every target is written as its own sentence under its
section and every task keeps its activities and its "- Chủ trì: …" lines. The page set-up,
header, title block and closing table are pcmd.common.docx's, shared with the reports.
Not here: reading documents (parsing/), reports (reports.rendering), the decree's building
blocks (common.docx).
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.text.paragraph import Paragraph

from pcmd.common.docx import (
    FONT,
    closing_table,
    dated_line,
    document_new,
    header_table,
    issuer_lines,
    paragraph,
    place_from_unit,
    title_block,
    vn_date,
)
from pcmd.common.text import search_key

ROLE_LINES = (
    ("lead", "Chủ trì"),
    ("support", "Phối hợp"),
    ("advisor", "Tham mưu"),
    ("decider", "Cơ quan ban hành quyết định"),
)

_ROMAN = re.compile(r"^[IVXLC]+$")
_LETTER = re.compile(r"^[a-zđ]$")
_PAREN = re.compile(r"^\(\d+\)$")


def plan_docx(
    parsed: dict[str, Any],
    *,
    org_unit_name: str | None = None,
    parent_body: str | None = None,
) -> bytes:
    """The plan as a .docx file.

    `org_unit_name` ("Xã Hoằng Hợp") fills the issuing body and the place when the document
    names none; `parent_body` is the cơ quan chủ quản written above the issuing body, where
    there is one (a People's Committee has none).
    """
    writer = _PlanWriter(parsed, org_unit_name=org_unit_name, parent_body=parent_body)
    return writer.render()


# --- small helpers --------------------------------------------------------------------------


def _roman(n: int) -> str:
    out = []
    for value, numeral in (
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _from_roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(text):
        v = values.get(ch, 0)
        if i + 1 < len(text) and values.get(text[i + 1], 0) > v:
            total -= v
        else:
            total += v
    return total


def _parts(number: str | None) -> list[str]:
    return [p.strip() for p in (number or "").split(".") if p.strip()]


def section_label(number: str | None) -> str:
    """How a section number of the contract is written in the document.

    "II" -> "II.", "II.1" -> "1.", "II.1.2" -> "1.2.", "II.1.2.a" -> "a)", "II.3.3.b.(1)" -> "(1)".
    """
    parts = _parts(number)
    if not parts:
        return ""
    last = parts[-1]
    if len(parts) == 1 and _ROMAN.match(last):
        return f"{last}."
    if _PAREN.match(last):
        return last
    if _LETTER.match(last.lower()):
        return f"{last})"
    run: list[str] = []
    for part in reversed(parts):
        if not part.isdigit():
            break
        run.insert(0, part)
    return ".".join(run) + "." if run else f"{last}."


def _join_names(names: Iterable[Any]) -> str:
    return ", ".join(str(n).strip() for n in names if str(n or "").strip())


def _sentence(text: str) -> str:
    """End a line with a full stop unless it already ends with punctuation."""
    text = text.strip()
    if text and text[-1] not in ".;:!?…":
        text += "."
    return text


def _lines(text: str | list[str] | None) -> list[str]:
    """Non-empty lines of a text, or of a list of paragraphs (the parser gives lists)."""
    if isinstance(text, (list, tuple)):
        text = "\n".join(str(t) for t in text)
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _number_text(value: Any) -> str:
    return str(value or "").strip()


# --- the writer -----------------------------------------------------------------------------


class _PlanWriter:
    def __init__(
        self, parsed: dict[str, Any], *, org_unit_name: str | None, parent_body: str | None
    ) -> None:
        self.p = parsed
        self.org_unit_name = org_unit_name
        self.parent_body = parent_body
        self.doc: Any = document_new()
        self.sections: list[dict[str, Any]] = list(parsed.get("sections") or [])
        self.section_numbers: set[str] = set()
        self._collect_numbers(self.sections)
        self.targets_by_section: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.tasks_by_section: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._place_items()
        self.written_text: list[str] = []
        self.responsibility_bodies = {
            search_key(str(name))
            for item in parsed.get("responsibilities") or []
            for name in item.get("agencies") or []
        }

    # --- set-up -------------------------------------------------------------------------

    def _collect_numbers(self, sections: list[dict[str, Any]]) -> None:
        for s in sections:
            if s.get("number"):
                self.section_numbers.add(str(s["number"]))
            self._collect_numbers(list(s.get("children") or []))

    def _home(self, number: str | None) -> str:
        """The nearest written section a target or task belongs to ("" = none)."""
        parts = _parts(number)
        while parts:
            candidate = ".".join(parts)
            if candidate in self.section_numbers:
                return candidate
            parts = parts[:-1]
        return ""

    def _place_items(self) -> None:
        for target in self.p.get("targets") or []:
            self.targets_by_section[self._home(target.get("section"))].append(target)
        for task in self.p.get("tasks") or []:
            self.tasks_by_section[self._home(task.get("section"))].append(task)

    # --- paragraphs ----------------------------------------------------------------------

    def _para(self, text: str = "", **options: Any) -> Paragraph:
        """A body paragraph (common.docx.paragraph), remembered for the duplicate checks."""
        self.written_text.append(search_key(text))
        return paragraph(self.doc, text, **options)

    # --- document parts -------------------------------------------------------------------

    @property
    def is_decision(self) -> bool:
        return self.p.get("kind") == "decision"

    def _titles(self) -> tuple[str, str]:
        """(decision title, plan title) of a decision that issues a plan."""
        title = (self.p.get("title") or "").strip()
        if self.p.get("decision_title"):  # plan_as_parsed: title is the plan's
            return str(self.p["decision_title"]).strip(), title
        if self.p.get("plan_title"):
            return title, str(self.p["plan_title"]).strip()
        match = re.match(r"^\s*ban hành\s+(kế hoạch\s+)?", title, flags=re.IGNORECASE)
        return title, (title[match.end() :] if match else title)

    @staticmethod
    def _is_article(section: dict[str, Any]) -> bool:
        return search_key(str(section.get("number") or "")).startswith("dieu")

    def render(self) -> bytes:
        self._header()
        if self.is_decision:
            # The decision (its basis, Điều 1-3 and signature), then the plan it issues on a
            # new page, under "(Ban hành kèm theo Quyết định số …)", without a signature.
            self._decision()
            self._closing()
            self.doc.add_page_break()
            self._title()
        else:
            self._title()
            self._basis()
        self._body()
        if not self.is_decision:
            self._closing()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def _header(self) -> None:
        number = _number_text(self.p.get("number"))
        if not number:
            symbol = "QĐ-UBND" if self.p.get("kind") == "decision" else "KH-UBND"
            number = f"       /{symbol}"
        place = (self.p.get("place") or "").strip() or place_from_unit(self.org_unit_name)
        period = self.p.get("period") or {}
        header_table(
            self.doc,
            parent_body=self.parent_body or "",
            issuer=issuer_lines(self.p.get("issuer"), self.org_unit_name),
            number=number,
            dated=dated_line(place, self.p.get("issued_on"), year=str(period.get("start") or "")),
        )

    def _decision(self) -> None:
        center = WD_ALIGN_PARAGRAPH.CENTER
        decision_title, _plan_title = self._titles()
        self._title_block("QUYẾT ĐỊNH", _lines(decision_title))
        authority = issuer_lines(self.p.get("issuer"), self.org_unit_name)
        self._para("CHỦ TỊCH " + " ".join(authority), align=center, bold=True, indent=False)
        for item in self.p.get("basis") or []:
            text = item.get("text") if isinstance(item, dict) else str(item)
            for line in _lines(text):
                self._para(line, italic=True)
        self._para("QUYẾT ĐỊNH:", align=center, bold=True, indent=False)
        for section in self.sections:
            if not self._is_article(section):
                continue
            number = str(section.get("number") or "").strip()
            title = (section.get("title") or "").strip()
            par = self._para("")
            head = par.add_run(f"{number}. ")
            head.bold = True
            head.font.name = FONT
            body = par.add_run(title)
            body.font.name = FONT
            self.written_text.append(search_key(f"{number}. {title}"))
            for line in _lines(section.get("text")):
                self._para(line)

    def _title_block(self, kind: str, lines: list[str], note: str = "") -> None:
        self.written_text.extend(search_key(t) for t in (kind, *lines, note))
        title_block(self.doc, kind, lines, note=note)

    def _title(self) -> None:
        title = self._titles()[1] if self.is_decision else (self.p.get("title") or "").strip()
        note = ""
        if self.p.get("kind") == "decision" and self.p.get("number"):
            day, month, year = vn_date(self.p.get("issued_on"))
            when = f" ngày {day} tháng {month} năm {year}" if year else ""
            issuer = (self.p.get("issuer") or "").strip()
            by = f" của {issuer}" if issuer else ""
            note = f"(Ban hành kèm theo Quyết định số {self.p['number']}{when}{by})"
        self._title_block("KẾ HOẠCH", _lines(title), note)

    def _basis(self) -> None:
        for item in self.p.get("basis") or []:
            text = item.get("text") if isinstance(item, dict) else str(item)
            for line in _lines(text):
                self._para(line)

    # --- body -----------------------------------------------------------------------------

    def _is_implementation(self, section: dict[str, Any]) -> bool:
        return "to chuc thuc hien" in search_key(section.get("title") or "")

    def _is_budget(self, section: dict[str, Any]) -> bool:
        return "kinh phi" in search_key(section.get("title") or "")

    def _body(self) -> None:
        wrote_responsibilities = wrote_budget = False
        top_numbers = []
        for section in self.sections:
            if self._is_article(section):
                continue
            parts = _parts(section.get("number"))
            if parts and _ROMAN.match(parts[0]):
                top_numbers.append(_from_roman(parts[0]))
            if self._is_implementation(section):
                self._implementation(section)
                wrote_responsibilities = True
                continue
            if self._is_budget(section) and not (section.get("text") or section.get("children")):
                self._heading(section, depth=1)
                self._budget_text()
                wrote_budget = True
                continue
            wrote_budget = wrote_budget or self._is_budget(section)
            self._section(section, depth=1)
        next_number = (max(top_numbers) if top_numbers else 0) + 1

        # Whatever has no written section still goes into the document, never silently lost.
        orphans_targets = self.targets_by_section.get("", [])
        orphans_tasks = self.tasks_by_section.get("", [])
        if orphans_targets or orphans_tasks:
            self._para(f"{_roman(next_number)}. CHỈ TIÊU, NHIỆM VỤ", bold=True, keep_with_next=True)
            next_number += 1
            if orphans_targets:
                self._para("1. Chỉ tiêu", bold=True, keep_with_next=True)
                self._targets(orphans_targets)
            if orphans_tasks:
                self._para(
                    f"{2 if orphans_targets else 1}. Nhiệm vụ và giải pháp",
                    bold=True,
                    keep_with_next=True,
                )
                self._tasks(orphans_tasks, lettered=True)
        if not wrote_budget and self._budget_items():
            self._para(f"{_roman(next_number)}. KINH PHÍ THỰC HIỆN", bold=True)
            next_number += 1
            self._budget_text()
        if not wrote_responsibilities and (
            self.p.get("responsibilities") or self.p.get("reporting")
        ):
            self._implementation({"number": _roman(next_number), "title": "TỔ CHỨC THỰC HIỆN"})

    def _heading(self, section: dict[str, Any], *, depth: int) -> None:
        label = section_label(section.get("number"))
        title = (section.get("title") or "").strip()
        text = f"{label} {title}".strip()
        if not text:
            return
        self._para(
            text,
            bold=depth <= 3,
            italic=depth >= 3,
            keep_with_next=True,
        )

    def _section(self, section: dict[str, Any], *, depth: int) -> None:
        self._heading(section, depth=depth)
        for line in _lines(section.get("text")):
            self._para(line)
        number = str(section.get("number") or "")
        if number:
            self._targets(self.targets_by_section.get(number, []))
            self._tasks(self.tasks_by_section.get(number, []), section_number=number)
        for child in section.get("children") or []:
            self._section(child, depth=depth + 1)

    def _targets(self, targets: list[dict[str, Any]]) -> None:
        for target in targets:
            text = (target.get("text") or "").strip()
            if not text:
                continue
            if text[0] not in "-+":
                text = f"- {text}"
            self._para(_sentence(text))

    def _task_letter(self, task: dict[str, Any], section_number: str) -> str:
        """The task's own letter ("a") when its number goes one step below its section."""
        parts = _parts(task.get("section"))
        home = _parts(section_number)
        if len(parts) == len(home) + 1 and _LETTER.match(parts[-1].lower()):
            return parts[-1]
        return ""

    def _tasks(
        self, tasks: list[dict[str, Any]], *, section_number: str = "", lettered: bool = False
    ) -> None:
        letters = "abcdeghiklmnopqrstuvxy"
        # Plans that list tasks as bullets ("b. Nhiệm vụ: - …", "III. Giải pháp …") keep them as
        # bullets with "+" activities; their leads come from "Tổ chức thực hiện", so a lead
        # that a responsibility paragraph names is not written again under the bullet.
        bullets = sum(1 for t in tasks if not self._task_letter(t, section_number)) > 1
        for index, task in enumerate(tasks):
            letter = self._task_letter(task, section_number)
            if not letter and lettered:
                letter = letters[index % len(letters)]
            title = (task.get("title") or "").strip()
            activities = [str(a).strip() for a in task.get("activities") or [] if str(a).strip()]
            if letter:
                self._para(f"{letter}) {title}")
            elif bullets:
                self._para(title if title[:1] in "-+" else f"- {title}")
            else:
                self._para(title)
            if activities and bullets and not letter:
                for activity in activities:
                    self._para(activity if activity[:1] in "-+" else f"+ {activity}")
            elif activities:
                self._para("Nội dung hoạt động:", keep_with_next=True)
                for number, activity in enumerate(activities, start=1):
                    if re.match(r"^\(\d+\)", activity):
                        self._para(activity)
                    else:
                        self._para(f"({number}) {activity}")
            for role, label in ROLE_LINES:
                names = [str(n).strip() for n in task.get(role) or [] if str(n or "").strip()]
                if (
                    bullets
                    and not letter
                    and all(search_key(n) in self.responsibility_bodies for n in names)
                ):
                    continue
                # The line as the plan wrote it, group phrases included, where it is known.
                line = str((task.get("roles_text") or {}).get(role) or "").strip()
                if names or line:
                    self._para(_sentence(f"- {label}: {line or ', '.join(names)}"))
            timeframe = (task.get("timeframe") or {}).get("text")
            if timeframe:
                self._para(_sentence(f"- Thời gian thực hiện: {str(timeframe).strip()}"))

    def _budget_items(self) -> list[str]:
        budget = self.p.get("budget")
        if not budget:
            return []
        if isinstance(budget, str):
            return _lines(budget)
        if isinstance(budget, dict):  # plan_as_parsed: {"text": ..., "lines": [...]}
            if budget.get("text"):
                return _lines(budget["text"])
            budget = budget.get("lines") or []
        items: list[str] = []
        for entry in budget:
            text = entry.get("text") if isinstance(entry, dict) else str(entry)
            items.extend(_lines(text))
        return items

    def _budget_text(self) -> None:
        for line in self._budget_items():
            self._para(line)

    def _implementation(self, section: dict[str, Any]) -> None:
        self._heading(section, depth=1)
        responsibilities = list(self.p.get("responsibilities") or [])
        if not responsibilities:
            # Nothing structured to write: keep the section as it was read.
            for line in _lines(section.get("text")):
                self._para(line)
            for child in section.get("children") or []:
                self._section(child, depth=2)
        for index, item in enumerate(responsibilities, start=1):
            number = str(item.get("number") or index).rstrip(".")
            text = (item.get("text") or "").strip()
            agencies = _join_names(item.get("agencies") or [])
            lines = _lines(text)
            first_key = search_key(lines[0]) if lines else ""
            named = agencies and first_key.startswith(search_key(agencies.split(",")[0]))
            if lines and (named or not agencies or "de nghi" in first_key[:12]):
                self._para(f"{number}. {lines[0]}")
                rest = lines[1:]
            else:
                self._para(f"{number}. {agencies}", keep_with_next=True)
                rest = lines
            for line in rest:
                self._para(line)
        for duty in self.p.get("reporting") or []:
            text = (duty.get("text") if isinstance(duty, dict) else str(duty)) or ""
            key = search_key(text)
            if key and not any(key in written for written in self.written_text):
                for line in _lines(text):
                    self._para(line)

    # --- recipients and signature ---------------------------------------------------------

    def _closing(self) -> None:
        signer = self.p.get("signer") or {}
        title = str(signer.get("title") or "").strip()
        closing_table(
            self.doc,
            recipients=[str(r) for r in self.p.get("recipients") or []],
            signer_lines=re.split(r"\s*[/\n]\s*", title) if title else [],
            signer_name=str(signer.get("name") or "").strip(),
        )
