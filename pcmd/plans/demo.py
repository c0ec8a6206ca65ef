"""Demo plans: the two seed documents imported with the real parser, issued, with some tasks
under way and some done.

Owns: demo_load(), SEEDS, DemoPlansResult.
Entry points: `pcmd demo` (pcmd.demo), after pcmd.orgunits.demo.demo_load (the agencies the
plans name, the demo accounts).
Invariants: idempotent — a plan already imported from a seed (same unit, same source file) is
left alone with everything under it, so a second run creates nothing and changes nothing;
every write goes through services (acting user: the system), so it is audited like a person's.
The commune plan's parent, 39/KH-UBND of UBND huyện Hoằng Hóa, is registered as a reference
plan (its number and date only). Progress notes are ILLUSTRATIVE, not real reports.
Not here: villages, agencies, accounts (pcmd.orgunits.demo).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from django.db import transaction

from pcmd.common.text import search_key
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_get_by_code
from pcmd.plans import parsing, services
from pcmd.plans.models import Plan, Task
from pcmd.plans.parsing.reading import read_document

SEED_DIR = Path(__file__).resolve().parent / "fixtures" / "seeds"


@dataclass(frozen=True)
class _Progress:
    """An illustrative progress update of the task whose title contains `title_words`."""

    title_words: str
    on: date
    status: str
    note: str


@dataclass(frozen=True)
class _Seed:
    file: str
    unit_code: str
    level: str
    on: date
    progress: tuple[_Progress, ...]
    parent_unit_code: str = ""  # where the cited parent plan is registered as a reference
    parent_level: str = ""


SEEDS: tuple[_Seed, ...] = (
    _Seed(
        file="hoang_hop_2025.txt",
        unit_code="15919",
        level="commune",
        on=date(2025, 1, 1),
        parent_unit_code="399",
        parent_level="district",
        progress=(
            _Progress("Kiện toàn Đoàn kiểm tra", date(2025, 3, 20), Task.Status.DONE,
                      "UBND xã đã ban hành quyết định kiện toàn Đoàn kiểm tra."),
            _Progress("Tăng cường tuyên truyền phòng ngừa", date(2025, 4, 15),
                      Task.Status.IN_PROGRESS,
                      "Phát 12 buổi trên loa truyền thanh xã; treo 4 khẩu hiệu tại các thôn."),
            _Progress("Kiểm tra, quản lý chặt chẽ", date(2025, 5, 30), Task.Status.IN_PROGRESS,
                      "Rà soát 6 cơ sở kinh doanh dịch vụ; kiểm tra 2 cơ sở."),
        ),
    ),
    _Seed(
        file="an_giang_1994_qd_ubnd_2016.txt",
        unit_code="89",
        level="province",
        on=date(2016, 7, 15),
        progress=(
            _Progress("Tăng cường công tác truyền thông", date(2016, 12, 20),
                      Task.Status.IN_PROGRESS,
                      "Xây dựng bộ tài liệu tuyên truyền; tập huấn cho báo cáo viên cấp huyện."),
            _Progress("rà soát, đánh giá về nhóm người có nguy cơ cao", date(2017, 6, 30),
                      Task.Status.DONE, "Hoàn thành rà soát tại 11 huyện, thị, thành phố."),
            _Progress("Xây dựng tài liệu, tổ chức các khóa tập huấn", date(2018, 9, 15),
                      Task.Status.IN_PROGRESS,
                      "Tổ chức 2 lớp tập huấn cho Đội kiểm tra liên ngành."),
        ),
    ),
)  # fmt: skip


@dataclass
class DemoPlansResult:
    """What demo_load created (labels by category) and how many it found already there."""

    created: dict[str, list[str]] = field(default_factory=dict)
    existing: int = 0

    def add(self, category: str, label: str) -> None:
        self.created.setdefault(category, []).append(label)

    @property
    def created_count(self) -> int:
        return sum(len(v) for v in self.created.values())


def _find_task(plan: Plan, words: str) -> Task | None:
    key = search_key(words)
    for task in plan.tasks.order_by("order"):
        if key in search_key(task.title):
            return task
    return None


@transaction.atomic
def demo_load(*, stdout: TextIO | None = None) -> DemoPlansResult:
    """Import the seed plans (once) with their reference parent and progress updates."""
    result = DemoPlansResult()

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")

    for seed in SEEDS:
        unit = orgunit_get_by_code(seed.unit_code, on=seed.on, level=seed.level)
        if Plan.objects.filter(org_unit=unit, source_name=seed.file).exists():
            result.existing += 1
            continue
        _load_seed(seed, unit, result, say)
    return result


def _load_seed(
    seed: _Seed, unit: OrgUnit, result: DemoPlansResult, say: Callable[[str], None]
) -> None:
    data = (SEED_DIR / seed.file).read_bytes()
    document = parsing.parse_file(data, seed.file)
    plan = services.plan_import(
        parsed=document.to_dict(),
        org_unit=unit,
        acting_user=None,
        source_name=seed.file,
        source_text=read_document(data, seed.file),
        accept_warnings=True,
        status=Plan.Status.ISSUED,
    )
    result.add("plans", f"{plan} ({unit.name})")
    say(
        f"+ kế hoạch: {plan} — {unit.name}: {plan.targets.count()} chỉ tiêu, "
        f"{plan.tasks.count()} nhiệm vụ"
    )
    if seed.parent_unit_code and plan.parent is None:
        basis = plan.basis.exclude(number="").filter(linked_plan__isnull=True).first()
        if basis is not None:
            parent_unit = orgunit_get_by_code(
                seed.parent_unit_code, on=seed.on, level=seed.parent_level
            )
            reference = services.plan_reference_register(
                plan=plan, basis=basis, org_unit=parent_unit, acting_user=None
            )
            result.add("reference_plans", f"{reference} ({parent_unit.name})")
            say(f"+ kế hoạch tham chiếu: {reference} — {parent_unit.name}")
    for step in seed.progress:
        task = _find_task(plan, step.title_words)
        if task is None:
            say(f"! không tìm thấy nhiệm vụ “{step.title_words}” để ghi tiến độ mẫu")
            continue
        services.task_progress_add(
            task=task, on=step.on, status=step.status, note=step.note, files=[], acting_user=None
        )
        result.add("progress_updates", f"{task.title[:60]} ({step.on:%d/%m/%Y})")
        say(f"+ tiến độ: {task.title[:60]} — {Task.Status(step.status).label}")
