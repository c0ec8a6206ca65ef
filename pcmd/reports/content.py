"""What a periodic report shows, as plain data: built from the records, frozen on submission,
rendered to the page, DOCX and XLSX.

Owns: ReportContent and its parts (FigureGroup, Figure, TargetRow, TaskRow, ChildRow),
Narrative, ReportDocument (everything a renderer needs), content_to_json(), content_from_json().
Invariants: every figure carries both its true numbers (numerator, denominator) and the text
shown after small-cell suppression (`shown`); renderers print `shown` only, consolidation adds
the true numbers. A ReportContent round-trips through JSON unchanged (what a submitted report
stores). Labels are stored in the language the content was built in (Vietnamese for an
official report).
Not here: building the content from records (builder.py), the report's workflow (services.py),
the documents (rendering/).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

SCHEMA_VERSION = 1


@dataclass
class Figure:
    """One number of the report: a count, a sum or a share, with the same period last year."""

    key: str  # stable across builds: an indicator code or "<domain>.<name>[.<breakdown>]"
    label: str  # as printed: "Số buổi tuyên truyền"
    unit: str  # "buổi", "lượt người", "%", "đồng"
    numerator: Decimal | None = None
    denominator: Decimal | None = None  # None for counts and sums
    value: Decimal | None = None  # what is shown before suppression (a percentage for shares)
    last_year: Decimal | None = None  # the value of the same period last year, if compared
    people: bool = False  # counts people: small-cell suppression applies
    shown: str = ""  # value as printed, after suppression ("12", "45,5%", "<5", "—")
    last_year_shown: str = ""


@dataclass
class FigureGroup:
    """A numbered part of sections I or II ("2. Công tác truyền thông, tuyên truyền")."""

    key: str  # "situation.establishments", "results.outreach", ...
    number: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    text: str = ""  # a sentence written from the figures, for the document body


@dataclass
class TargetRow:
    """A line of the target table in the national layout (QĐ 29/QĐ-BLĐTBXH Phụ lục 1)."""

    target_id: int | None
    number: str  # "1", "2" ... as printed in the TT column
    text: str  # the target as the plan words it
    indicator: str  # indicator name ("" when the target is not mapped)
    unit: str
    this_period: str  # value in the period, shown
    year_target: str  # the year's goal (milestone), shown
    cumulative: str  # since the programme start, shown
    programme_target: str  # goal of the whole plan period, shown
    status: str  # indicators.evaluation.Status value
    status_label: str
    explanation: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass
class TaskRow:
    """A task of the plan with its status at the end of the period."""

    task_id: int | None
    number: str
    title: str
    lead: str  # the lead agency as written
    status: str  # plans Task.Status value
    status_label: str
    deadline: date | None = None
    overdue: bool = False


@dataclass
class ChildRow:
    """One child unit's figures in a consolidated report (a row of the XLSX annex)."""

    unit_id: int
    unit_code: str
    unit_name: str
    report_id: int | None  # the child's report whose frozen figures were added, if any
    report_status: str  # "not_started", "draft", "submitted", "approved", "returned"
    figures: dict[str, Figure] = field(default_factory=dict)  # by Figure.key
    narrative: dict[str, str] = field(default_factory=dict)  # by Narrative field name


@dataclass
class Narrative:
    """Sections III-V, written by the officer (autosaved on the page)."""

    strengths: str = ""  # Ưu điểm
    shortcomings: str = ""  # Tồn tại, hạn chế
    causes: str = ""  # Nguyên nhân
    lessons: str = ""  # Bài học kinh nghiệm
    next_tasks: str = ""  # Phương hướng, nhiệm vụ kỳ tới
    recommendations: str = ""  # Đề xuất, kiến nghị


@dataclass
class ReportContent:
    """Everything the figures of one report say, for one unit and one period."""

    unit_id: int
    unit_code: str
    unit_name: str  # "Xã Hoằng Hợp"
    unit_level: str  # OrgUnit.Level value
    period: str  # period id: "2025S1", "2025", "2016-2020"
    period_label: str  # "6 tháng đầu năm 2025"
    kind: str  # Report.Kind value: "half", "year", "quarter", "midterm", "final"
    built_at: datetime
    plan_id: int | None = None
    plan_number: str = ""
    plan_title: str = ""
    plan_issued_on: date | None = None
    situation: list[FigureGroup] = field(default_factory=list)  # I.
    results: list[FigureGroup] = field(default_factory=list)  # II.
    targets: list[TargetRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
    children: list[ChildRow] = field(default_factory=list)  # consolidated reports only
    schema: int = SCHEMA_VERSION

    def figures(self) -> dict[str, Figure]:
        """Every figure of sections I and II by key."""
        return {f.key: f for group in [*self.situation, *self.results] for f in group.figures}


@dataclass
class ReportDocument:
    """What the DOCX and XLSX renderers take: the figures, the narrative and the particulars
    of the document the office issues (Decree 30/2020 layout)."""

    content: ReportContent
    narrative: Narrative
    title: str  # trích yếu: "Kết quả công tác phòng, chống mại dâm 6 tháng đầu năm 2025 ..."
    issuer_parent: str = ""  # cơ quan chủ quản line, uppercase when printed ("" when none)
    issuer: str = ""  # "ỦY BAN NHÂN DÂN XÃ HOẰNG HỢP" (split over two lines when printed)
    number: str = ""  # "25/BC-UBND"; "" prints "Số:      /BC-UBND" for the clerk to fill in
    place: str = ""  # "Hoằng Hợp"
    issued_on: date | None = None  # None prints "ngày      tháng      năm 20.."
    preamble: str = ""  # "Thực hiện Kế hoạch số ... UBND xã ... báo cáo như sau:"
    signing_mode: str = "TM."  # "TM." (on behalf of the committee) or "KT." (deputy signs)
    signer_title: str = "CHỦ TỊCH"  # "CHỦ TỊCH" or "PHÓ CHỦ TỊCH"
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)  # "UBND huyện (b/c)", "Lưu: VT"
    consolidated: bool = False  # a parent's report over its children (adds the annex rows)
    draft: bool = False  # not yet approved: the document is marked as a draft


# --- JSON ---------------------------------------------------------------------------------

_DECIMALS = {"numerator", "denominator", "value", "last_year"}
_DATES = {"plan_issued_on", "deadline"}


def _encode(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: _encode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_encode(v) for v in obj]
    return obj


def content_to_json(content: ReportContent) -> dict[str, Any]:
    """A JSON-serialisable dict (decimals as strings, dates in ISO form)."""
    return _encode(dataclasses.asdict(content))


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _figure(data: dict[str, Any]) -> Figure:
    data = dict(data)
    for name in _DECIMALS:
        data[name] = _dec(data.get(name))
    return Figure(**data)


def _group(data: dict[str, Any]) -> FigureGroup:
    return FigureGroup(**{**data, "figures": [_figure(f) for f in data.get("figures", [])]})


def _target(data: dict[str, Any]) -> TargetRow:
    return TargetRow(
        **{
            **data,
            "numerator": _dec(data.get("numerator")),
            "denominator": _dec(data.get("denominator")),
        }  # fmt: skip
    )


def _task(data: dict[str, Any]) -> TaskRow:
    deadline = data.get("deadline")
    return TaskRow(**{**data, "deadline": date.fromisoformat(deadline) if deadline else None})


def _child(data: dict[str, Any]) -> ChildRow:
    figures = {k: _figure(v) for k, v in data.get("figures", {}).items()}
    return ChildRow(**{**data, "figures": figures})


def content_from_json(data: dict[str, Any]) -> ReportContent:
    """The inverse of content_to_json()."""
    issued = data.get("plan_issued_on")
    return ReportContent(
        **{
            **data,
            "built_at": datetime.fromisoformat(data["built_at"]),
            "plan_issued_on": date.fromisoformat(issued) if issued else None,
            "situation": [_group(g) for g in data.get("situation", [])],
            "results": [_group(g) for g in data.get("results", [])],
            "targets": [_target(t) for t in data.get("targets", [])],
            "tasks": [_task(t) for t in data.get("tasks", [])],
            "children": [_child(c) for c in data.get("children", [])],
        }
    )
