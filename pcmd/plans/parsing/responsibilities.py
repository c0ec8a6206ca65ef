"""Who is responsible for what ("Tổ chức thực hiện"), reporting duties and budget sources.

Owns: read_responsibilities(node) -> list[Responsibility]; read_reporting(text, agencies);
budget_sources(text).
Invariants: one responsibility per numbered paragraph of the "Tổ chức thực hiện" part (its
title and every line under it), or per paragraph when the part is not numbered; its agencies are
every body its subject names, split on commas and "và" without breaking names; generic phrases
("các đơn vị có liên quan") are not agencies; "Đề nghị …" marks a body the issuer can only ask.
A reporting duty is a sentence that says "báo cáo" together with a period ("Định kỳ 6 tháng,
hàng năm …" -> ["half_year", "year"]); "báo cáo viên" is a person, not a duty.
Not here: linking responsibilities to tasks (tasks.link_leads).
"""

from __future__ import annotations

import re

from pcmd.common.text import search_key
from pcmd.plans.parsing.bodies import split_bodies, subject_bodies
from pcmd.plans.parsing.model import Reporting, Responsibility
from pcmd.plans.parsing.structure import Node

_REPORT = re.compile(r"\bbáo cáo\b(?!\s*viên)", re.IGNORECASE)
_FREQUENCIES = (
    (
        "month",
        re.compile(r"\b(hằng|hàng|mỗi)\s+tháng\b|\bđịnh kỳ\s+(hằng\s+|hàng\s+)?tháng\b", re.I),
    ),
    ("quarter", re.compile(r"\b(hằng|hàng|mỗi)\s+quý\b|\bđịnh kỳ\s+(hằng\s+|hàng\s+)?quý\b", re.I)),
    ("half_year", re.compile(r"\b(6|sáu)\s+tháng\b", re.I)),
    ("year", re.compile(r"\b(hằng|hàng|mỗi)\s+năm\b|\bcuối năm\b|\bđịnh kỳ\s+năm\b", re.I)),
    ("ad_hoc", re.compile(r"\bđột xuất\b", re.I)),
)
_PERIODIC = re.compile(r"\b(định kỳ|hằng|hàng|mỗi|đột xuất|6 tháng|sáu tháng|cuối năm)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ])")
_SOURCES = (
    ("ngan sach", "state_budget"),
    ("huy dong", "mobilised"),
    ("tai tro", "sponsorship"),
    ("xa hoi hoa", "socialisation"),
    ("long ghep", "integrated"),
)


def read_responsibilities(node: Node) -> list[Responsibility]:
    """Responsibilities under a "Tổ chức thực hiện" node; marks the lines it used."""
    found: list[Responsibility] = []
    for item in node.items:
        if item.kind == "closing" or item.used:
            continue
        item.used = True
        found.append(_from_paragraph(item.text, node.number))
    for child in node.children:
        child.consumed = True
        lines = [child.title] + [item.text for item in child.items if item.kind != "closing"]
        for item in child.items:
            if item.kind != "closing":
                item.used = True
        text = "\n".join(lines)
        title = child.title.strip().rstrip(":.")
        requested = bool(re.match(r"^đề nghị\b", title, re.IGNORECASE))
        name_part = re.sub(r"^(đề nghị|giao)\s+", "", title, flags=re.IGNORECASE)
        bodies, _generic = split_bodies(name_part)
        if bodies and not _is_sentence(name_part, bodies):
            found.append(
                Responsibility(
                    agencies=bodies, text=text, requested=requested, section=child.number
                )
            )
        else:
            responsibility = _from_paragraph(child.title, child.number)
            responsibility.text = text
            found.append(responsibility)
        found.extend(_from_paragraph(c.title, c.number) for c in child.children)
    return found


def _is_sentence(name_part: str, bodies: list[str]) -> bool:
    # A heading that is a sentence ("Công an xã chủ trì …") is not a plain list of names.
    subject_list, _, _ = subject_bodies(name_part)
    return subject_list != bodies or len(name_part.split()) > 40


def _from_paragraph(text: str, section: str) -> Responsibility:
    bodies, _generic, requested = subject_bodies(text)
    return Responsibility(agencies=bodies, text=text, requested=requested, section=section)


def read_reporting(text: str, agencies: list[str] | None = None) -> list[Reporting]:
    """Reporting duties stated in a paragraph."""
    duties: list[Reporting] = []
    for sentence in _SENTENCE.split(text):
        if not _REPORT.search(sentence) or not _PERIODIC.search(sentence):
            continue
        frequency = [name for name, pattern in _FREQUENCIES if pattern.search(sentence)]
        if "half_year" in frequency and "month" in frequency:
            frequency.remove("month")
        duties.append(
            Reporting(text=sentence.strip(), frequency=frequency, agencies=list(agencies or []))
        )
    return duties


def budget_sources(text: str) -> list[str]:
    """Budget sources named in a "Kinh phí thực hiện" paragraph (codes, in order of the list)."""
    key = search_key(text)
    return [code for needle, code in _SOURCES if needle in key]
