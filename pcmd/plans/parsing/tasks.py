"""Tasks: headings and bullets of the "Nhiệm vụ" parts, with activities, bodies and timeframes.

Owns: read_tasks(node, period) -> TaskHarvest; ROLE_LINE (the assignment lines).
Invariants:
- A lettered item under a tasks heading ("a) Tăng cường tuyên truyền …") is one task; its "(1)",
  "(2)" and "+" lines are its activities, its "- Chủ trì: …" lines its assignments.
- Under a tasks heading without lettered tasks ("b. Nhiệm vụ:", "III. Giải pháp thực hiện",
  "4.2. Nhiệm vụ và giải pháp" with a plain paragraph), each top-level line is a task and deeper
  lines are its activities; an introduction ending in ":" stays as section text.
- Assignment roles: "Chủ trì", "Cơ quan chủ trì", "Đơn vị thực hiện" -> lead; "Phối hợp", "Cơ quan
  phối hợp" -> support; "Tham mưu" -> advisor; "Cơ quan ban hành quyết định" -> decider; the raw
  value of each line is kept in roles_text, so generic phrases survive as text.
- A line "Đến năm 2020: … 03 …" inside a task list is a target, not an activity.
- A task with no assignment line takes as lead the bodies its sentence starts with
  ("Hội đồng nhân dân cấp huyện ban hành …"); link_leads() later fills the others from the
  responsibility that names them.
Not here: "Tổ chức thực hiện" (responsibilities), target wording (targets), dates (timeframes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pcmd.common.text import search_key
from pcmd.plans.parsing.bodies import split_bodies, subject_bodies, subject_of
from pcmd.plans.parsing.model import Responsibility, Target, Task
from pcmd.plans.parsing.structure import Item, Node
from pcmd.plans.parsing.targets import is_dated_commitment, read_targets
from pcmd.plans.parsing.timeframes import read_timeframe

ROLE_LINE = re.compile(
    r"^(?P<role>Cơ quan chủ trì|Đơn vị chủ trì|Chủ trì|Đơn vị thực hiện|Cơ quan thực hiện|"
    r"Cơ quan phối hợp|Đơn vị phối hợp|Phối hợp|Cơ quan tham mưu|Tham mưu|"
    r"Cơ quan ban hành quyết định|Cơ quan quyết định|Thời gian thực hiện|Thời gian hoàn thành|"
    r"Thời hạn hoàn thành|Thời hạn|Thời gian)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_ROLES = {
    "chu tri": "lead",
    "don vi thuc hien": "lead",
    "co quan thuc hien": "lead",
    "phoi hop": "support",
    "tham muu": "advisor",
    "quyet dinh": "decider",
}
_LABEL = re.compile(r"^(nội dung hoạt động|các hoạt động|hoạt động|nội dung|chỉ tiêu)\s*:?$", re.I)
_LEVEL = {"para": 0, "dash": 1, "paren": 2, "plus": 3}


@dataclass
class TaskHarvest:
    tasks: list[Task] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def role_of(label: str) -> str:
    key = search_key(label)
    if key.startswith("thoi"):
        return "timeframe"
    return next((role for needle, role in _ROLES.items() if needle in key), "lead")


def read_tasks(node: Node, period: tuple[int, int] | None) -> TaskHarvest:
    """Tasks (and dated targets) under one node of a tasks zone; marks what it used."""
    harvest = TaskHarvest()
    if node.level == "letter" and node.heading_kind is None:
        task = Task(section=node.number, title=_title(node.title))
        node.consumed = True
        _fill(task, node.items, node.number, period, harvest)
        _finish(task, harvest)
        return harvest
    if _is_task_heading(node):
        task = Task(section=node.number, title=_title(node.title))
        node.consumed = True
        _fill(task, node.items, node.number, period, harvest)
        _finish(task, harvest)
        return harvest
    candidates = [
        item
        for item in node.items
        if item.kind != "closing"
        and not ROLE_LINE.match(item.text)
        and not _LABEL.match(item.text)
        and not is_dated_commitment(item.text)
    ]
    # "Các nhiệm vụ sau:" introduces the list below it; it stays as section text.
    intros = [
        item
        for index, item in enumerate(node.items)
        if item in candidates and _is_intro(item, node.items[index + 1 :])
    ]
    candidates = [item for item in candidates if item not in intros]
    if not candidates:
        _fill(None, [i for i in node.items if i not in intros], node.number, period, harvest)
        return harvest
    top = min(_LEVEL.get(item.kind, 0) for item in candidates)
    groups: list[tuple[Item, list[Item]]] = []
    loose: list[Item] = []
    for item in node.items:
        if item in intros:
            continue
        is_top = item in candidates and _LEVEL.get(item.kind, 0) == top
        if is_top:
            groups.append((item, []))
        elif groups:
            groups[-1][1].append(item)
        else:
            loose.append(item)
    _fill(None, loose, node.number, period, harvest)
    for head, rest in groups:
        head.used = True
        task = Task(section=node.number, title=_title(head.text))
        _fill(task, rest, node.number, period, harvest)
        _finish(task, harvest)
    return harvest


def _is_task_heading(node: Node) -> bool:
    """A numbered item without a heading kind whose own lines are activities and assignments
    (or that has no lines at all: "1. Tổ chức tuyên truyền trên loa truyền thanh.")."""
    if node.heading_kind is not None or node.level not in ("arabic", "letter") or node.children:
        return False
    has_roles = any(ROLE_LINE.match(item.text) for item in node.items)
    plain = [
        item
        for item in node.items
        if item.kind in ("para", "dash") and not ROLE_LINE.match(item.text)
        and not _LABEL.match(item.text)
    ]  # fmt: skip
    return not plain and (has_roles or not node.items or node.level == "arabic")


def _is_intro(item: Item, following: list[Item]) -> bool:
    if item.kind != "para" or not item.text.rstrip().endswith(":"):
        return False
    nxt = next((other for other in following if not ROLE_LINE.match(other.text)), None)
    return nxt is not None and _LEVEL.get(nxt.kind, 0) > 0


def _title(text: str) -> str:
    return text.strip().rstrip(":").strip()


def _fill(
    task: Task | None,
    items: list[Item],
    section: str,
    period: tuple[int, int] | None,
    harvest: TaskHarvest,
) -> None:
    for item in items:
        if item.kind == "closing":
            continue
        role_match = ROLE_LINE.match(item.text)
        if role_match and task is not None:
            item.used = True
            _assign(task, role_match.group("role"), role_match.group("value"), period, harvest)
            continue
        if is_dated_commitment(item.text):
            found = read_targets(item.text, section, in_task=True)
            if found:
                item.used = True
                harvest.targets.extend(found)
                continue
        if _LABEL.match(item.text):
            item.used = True
            continue
        if task is not None:
            item.used = True
            task.activities.append(item.text.strip())


def _assign(
    task: Task, label: str, value: str, period: tuple[int, int] | None, harvest: TaskHarvest
) -> None:
    role = role_of(label)
    value = value.strip()
    if role == "timeframe":
        task.timeframe = read_timeframe(value, period)
        task.roles_text["timeframe"] = value
        if task.timeframe.kind is None:
            harvest.warnings.append(
                f"Mục {task.section}: không hiểu thời gian thực hiện {value!r}; giữ nguyên văn bản."
            )
        return
    task.roles_text[role] = (task.roles_text.get(role, "") + "; " + value).strip("; ")
    subject, _ = subject_of(value)
    bodies, _generic = split_bodies(subject)
    target_list: list[str] = getattr(task, role)
    target_list.extend(body for body in bodies if body not in target_list)
    if role == "lead" and bodies:
        task.lead_source = "assignment"


def _finish(task: Task, harvest: TaskHarvest) -> None:
    if not task.lead and not task.roles_text:
        bodies, _generic, _requested = subject_bodies(task.title)
        if bodies:
            task.lead = bodies
            task.lead_source = "subject"
    task.confidence = 0.9 if task.lead_source == "assignment" else 0.7 if task.lead else 0.6
    harvest.tasks.append(task)


_SECTION_REF = re.compile(
    r"(?:mục|điểm|tiểu mục|khoản|phần|nhiệm vụ)\s+(?:[IVX]+\.)?(\d+(?:\.\d+)*(?:\.[a-z])?)"
)


def link_leads(tasks: list[Task], responsibilities: list[Responsibility]) -> None:
    """Give tasks without assignment lines the bodies of the responsibility that names them.

    A responsibility names a task when it cites the task's section ("các nhiệm vụ tại mục
    3.1.b") or repeats the task's whole sentence (six words or more). Linking by topic alone
    (shared words) was tried on the province seed and picked the wrong body too often, so it is
    left to the person confirming the preview.
    """
    keyed = [(search_key(r.text), r) for r in responsibilities if r.agencies]
    for task in tasks:
        if task.roles_text or task.lead_source == "subject":
            continue
        tail = task.section.split(".", 1)[1] if "." in task.section else task.section
        title_key = search_key(task.title)
        for key, responsibility in keyed:
            cited = {m.group(1) for m in _SECTION_REF.finditer(responsibility.text)}
            named = len(title_key.split()) >= 6 and title_key in key
            if tail in cited or named:
                task.lead = list(responsibility.agencies)
                task.lead_source = "responsibility"
                task.confidence = 0.75
                break
