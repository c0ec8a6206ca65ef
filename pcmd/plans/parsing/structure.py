"""Read the numbered outline of a plan: parts, sections, lettered items and their content lines.

Owns: build_outline() -> Outline; Node (a numbered heading: "I.", "1.", "1.1.", "a)", "a.",
"Điều 1.") and Item (a content line: paragraph, "-", "+", "(1)"); classify_heading().
Invariants: a node's number is its full path, the part's Roman numeral first ("II.3.1.a"); every
input line ends up in exactly one place (a node title, a node item, the preamble) so that the
caller can report whatever no other module used; a zone ("targets", "tasks", "organisation" ...)
is inherited from the nearest classified heading.
Not here: deciding which lines are targets or tasks (targets, tasks, responsibilities).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pcmd.common.text import search_key
from pcmd.plans.parsing.numbers import roman

_ROMAN = re.compile(r"^([IVXL]{1,5})\s*[.)]\s*(.*)$")
_ARABIC = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(?:[.)]\s*|\s+)(?=\S)(.*)$")
_LETTER = re.compile(r"^([a-zđ])\s*[.)]\s+(.*)$")
_ARTICLE = re.compile(r"^Điều\s+(\d{1,2})\s*[.:]?\s*(.*)$")
_PAREN = re.compile(r"^\((\d{1,2})\)\s*(.*)$")
_BULLET = re.compile(r"^([-•*+])\s*(.*)$")
_CLOSING = re.compile(r"^(Trên đây là|Nơi nhận)", re.IGNORECASE)
_END_MARK = re.compile(r"\s*\./\.?\s*$")


@dataclass
class Item:
    """A content line under a heading; `used` is set by the module that turns it into data."""

    kind: str  # para | dash | plus | paren | closing
    text: str  # without its marker
    line: str  # as written (marker included)
    label: str = ""  # "1" for "(1)"
    used: bool = False


@dataclass
class Node:
    """A numbered heading and what falls under it."""

    number: str
    label: str
    level: str  # roman | arabic | letter | article
    title: str
    line: str
    heading_kind: str | None = None
    zone: str = "other"
    items: list[Item] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    consumed: bool = False  # turned into a task or a target as a whole
    budget: list[str] | None = None  # budget source codes, for a "Kinh phí" heading

    def walk(self) -> list[Node]:
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes

    @property
    def depth(self) -> int:
        return self.number.count(".") + 1


@dataclass
class Outline:
    preamble: list[str] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)

    def walk(self) -> list[Node]:
        nodes: list[Node] = []
        for node in self.nodes:
            nodes.extend(node.walk())
        return nodes


def classify_heading(title: str) -> str | None:
    """The kind of a heading from its first words ("Chỉ tiêu" -> targets ...), None if plain."""
    key = search_key(title)
    key = re.sub(r"^(cac|mot so|nhung)\s+", "", key)
    tasky = "nhiem vu" in key or "giai phap" in key
    if key.startswith(("chi tieu", "muc tieu")):
        if tasky:
            return "mixed"
        return "targets" if "chi tieu" in key else "objective"
    if key.startswith(
        ("nhiem vu", "giai phap", "noi dung hoat dong", "hoat dong", "cac hoat dong")
    ):
        return "tasks"
    if key.startswith(("to chuc thuc hien", "trach nhiem", "phan cong")):
        return "organisation"
    if key.startswith("kinh phi"):
        return "budget"
    if key.startswith(("muc dich", "yeu cau")):
        return "purpose"
    if key.startswith(("doi tuong", "pham vi", "thoi gian")):
        return "scope"
    if key.startswith(("tinh hinh", "ket qua", "danh gia")):
        return "situation"
    if key.startswith("quan diem"):
        return "principles"
    return None


def split_inline(text: str) -> tuple[str, str]:
    """ "Mục tiêu: Phát hiện ..." -> ("Mục tiêu", "Phát hiện ..."); no colon -> (text, "")."""
    head, sep, rest = text.partition(":")
    if sep and rest.strip() and len(head.split()) <= 8 and not re.search(r"\d$", head):
        return head.strip(), rest.strip()
    if sep and not rest.strip():
        return head.strip(), ""
    return text.strip(), ""


def build_outline(lines: list[str]) -> Outline:
    """The outline of the body lines (blank lines ignored)."""
    outline = Outline()
    stack: list[Node] = []
    part = ""
    for raw in lines:
        line = raw.strip()
        if not line or re.fullmatch(r"[-_=.*~]{3,}", line):
            continue
        line = _END_MARK.sub(".", line)
        node = _heading(line, stack, part)
        if node is not None:
            if node.level == "roman" or node.level == "article":
                part = node.label if node.level == "roman" else ""
                stack = []
            else:
                while stack and not _is_parent(stack[-1], node):
                    stack.pop()
            parent = stack[-1] if stack else None
            node.heading_kind = _heading_kind(node)
            node.zone = node.heading_kind or (parent.zone if parent else "other")
            if node.heading_kind == "mixed" and parent and parent.zone not in ("mixed", "other"):
                node.zone = parent.zone
            (parent.children if parent else outline.nodes).append(node)
            stack.append(node)
            title, inline = (
                split_inline(node.title)
                if node.level != "letter" or node.heading_kind
                else (node.title, "")
            )
            if inline and node.heading_kind:
                node.title = title
                node.items.append(Item(kind="para", text=inline, line=inline))
            elif node.heading_kind and title != node.title:
                node.title = title
            continue
        item = _item(line)
        if item.kind == "closing" and stack:
            stack[0].items.append(item)
        elif stack:
            stack[-1].items.append(item)
        else:
            outline.preamble.append(line)
    return outline


def _heading(line: str, stack: list[Node], part: str) -> Node | None:
    match = _ROMAN.match(line)
    if match and roman(match.group(1)) and match.group(2):
        label = match.group(1)
        return Node(number=label, label=label, level="roman", title=match.group(2), line=line)
    match = _ARTICLE.match(line)
    if match:
        label = f"Điều {match.group(1)}"
        return Node(number=label, label=label, level="article", title=match.group(2), line=line)
    match = _ARABIC.match(line)
    if match and not re.match(r"^\d+(?:[.,]\d+)*\s*%", line) and _plausible_arabic(match):
        label = match.group(1)
        number = f"{part}.{label}" if part else label
        return Node(number=number, label=label, level="arabic", title=match.group(2), line=line)
    match = _LETTER.match(line)
    if match and stack:
        parent = next((n for n in reversed(stack) if n.level != "letter"), None)
        prefix = parent.number if parent else part
        label = match.group(1)
        number = f"{prefix}.{label}" if prefix else label
        return Node(number=number, label=label, level="letter", title=match.group(2), line=line)
    return None


def _plausible_arabic(match: re.Match[str]) -> bool:
    label, rest = match.group(1), match.group(2)
    # "100 vụ án", "2025 ..." are numbers in a sentence, not headings.
    if "." not in label and len(label) > 2:
        return False
    return bool(rest) and not rest[0].isdigit() and rest[0] not in "%/"


def _is_parent(candidate: Node, node: Node) -> bool:
    if candidate.level in ("roman", "article"):
        return True
    if node.level == "letter":
        return candidate.level == "arabic"
    if candidate.level != "arabic":
        return False
    return node.label.startswith(candidate.label + ".")


def _heading_kind(node: Node) -> str | None:
    if node.level == "letter":
        head = split_inline(node.title)[0]
        if len(head.split()) > 8:
            return None
    return classify_heading(node.title)


def _item(line: str) -> Item:
    if _CLOSING.match(line):
        return Item(kind="closing", text=line, line=line)
    match = _PAREN.match(line)
    if match:
        return Item(kind="paren", text=match.group(2), line=line, label=match.group(1))
    match = _BULLET.match(line)
    if match and match.group(2):
        kind = "plus" if match.group(1) == "+" else "dash"
        return Item(kind=kind, text=match.group(2), line=line)
    return Item(kind="para", text=line, line=line)
