"""Read reports: scoped lists and objects, the children's status table, the content a report shows
(frozen or live), and the document a renderer takes.

Owns: report_list_for_user(), report_get_for_user(), children_status() (ChildStatus),
children_overdue(), report_content(), report_narrative(), report_document(), document_title(),
STATUS_NOT_STARTED.
Invariants: every list and object goes through accounts.permissions (report.view and the unit in
scope; 404 outside it); a submitted or approved report shows its frozen content, never a rebuilt
one; which children a unit has is decided by the hierarchy on the period's last day; a draft's
live content says when it was built and is rebuilt once LIVE_CONTENT_SECONDS old, by one
request at a time (the others show the older figures meanwhile).
Not here: writes (services.py), building figures (builder.py), rendering (rendering/).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import caches
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import get_in_scope_or_404, require_capability, scope_filter
from pcmd.common.periods import Period, period_parse
from pcmd.orgunits.models import OrgUnit
from pcmd.plans.models import Plan
from pcmd.reports.builder import report_children, report_children_ids, report_content_build
from pcmd.reports.content import (
    Narrative,
    ReportContent,
    ReportDocument,
    content_from_json,
    content_to_json,
)
from pcmd.reports.models import NARRATIVE_FIELDS, Report

VIEW = "report.view"
STATUS_NOT_STARTED = "not_started"
UBND = "ỦY BAN NHÂN DÂN"
# A draft's live figures are rebuilt once they are this old: a province's take seconds to
# build (Hà Nội: 5.8 s, 2.4 s of it CPU), and a rebuild every minute of every province viewed
# kept the server's workers from the pages under load (docs/decisions.md). The page says when
# they were built and offers "Tính lại ngay"; submitting always builds anew.
LIVE_CONTENT_SECONDS = 300
# Older figures are still shown while one request rebuilds them (the others do not wait, nor
# build the same report at once); after this long unread they are dropped.
LIVE_CONTENT_KEEP_SECONDS = 3600
# How long a build may hold the report's lock, and how long a first reader waits for a build
# already running before building itself.
BUILD_LOCK_SECONDS = 120
BUILD_WAIT_SECONDS = 30.0


def report_list_for_user(*, user: Any, unit: OrgUnit | None = None) -> QuerySet[Report]:
    require_capability(user, VIEW)
    qs = scope_filter(Report.objects.select_related("org_unit", "plan"), user)
    if unit is not None:
        qs = qs.filter(org_unit=unit)
    return qs.order_by("-period", "org_unit__name", "kind")


def report_get_for_user(*, report_id: int, user: Any) -> Report:
    require_capability(user, VIEW)
    qs = Report.objects.select_related("org_unit", "plan", "created_by")
    return get_in_scope_or_404(qs, user, pk=report_id)


@dataclass(frozen=True)
class ChildStatus:
    unit: OrgUnit
    report: Report | None
    status: str  # Report.Status value or "not_started"
    status_label: str
    due_on: date | None
    late: bool  # not submitted and past the due date, or submitted after it
    days_late: int


def children_status(*, unit: OrgUnit, period: Period | str, today: date) -> list[ChildStatus]:
    """Each child (on the period's last day) with the status of its report for `period`."""
    if isinstance(period, str):
        period = period_parse(period)
    children = report_children(unit, period)
    reports = {
        r.org_unit_id: r
        for r in Report.objects.filter(org_unit__in=children, period=period.id).order_by("pk")
    }
    rows = []
    for child in children:
        report = reports.get(child.pk)
        due = _due_on(report, period)
        if report is None:
            status, label = STATUS_NOT_STARTED, _("Chưa lập")
            finished = None
        else:
            status, label = report.status, str(report.get_status_display())
            finished = (
                report.submitted_at.date() if report.submitted_at and report.is_frozen else None
            )
        reference = finished or today
        days = (reference - due).days
        rows.append(ChildStatus(child, report, status, label, due, days > 0, max(days, 0)))
    return rows


def _due_on(report: Report | None, period: Period) -> date:
    from pcmd.reports.services import default_due_on

    return report.due_on if report is not None and report.due_on else default_due_on(period)


def children_overdue(*, unit: OrgUnit, period: Period, today: date) -> tuple[int, int]:
    """(children whose report for `period` is not sent and past its due date, children): what
    children_status() says of them, counted without building a row, or a unit, for each."""
    children = report_children_ids(unit, period)
    reports = {
        r.org_unit_id: r
        for r in Report.objects.filter(org_unit_id__in=children, period=period.id)
        .only("org_unit_id", "status", "due_on")
        .order_by("pk")
    }
    overdue = 0
    for child in children:
        report = reports.get(child)
        if report is not None and report.is_frozen:
            continue
        overdue += (today - _due_on(report, period)).days > 0
    return overdue, len(children)


def _live_key(report: Report, today: date) -> str:
    """The cache key of a draft's live content: the report, its version and plan, the day."""
    return f"pcmd:report-live:{report.pk}:{report.version}:{report.plan_id}:{today.isoformat()}"


def report_content(
    report: Report, *, today: date | None = None, fresh: bool = False
) -> ReportContent:
    """What the report shows: its frozen figures once submitted, else built live — rebuilt
    once LIVE_CONTENT_SECONDS old (the page says when, content.built_at); `fresh` builds it
    anew (the page's "tính lại ngay"). Submitting always builds anew (services.report_submit)."""
    if report.is_frozen and report.content:
        return content_from_json(report.content)
    cache = caches["pages"]
    key = _live_key(report, today or timezone.localdate())
    lock = f"{key}:building"
    if not fresh:
        kept = _kept_content(cache, key, lock)
        if kept is not None:
            return kept
    try:
        content = report_content_build(
            unit=report.org_unit, period=report.period, plan=report.plan, today=today
        )
        cache.set(key, content_to_json(content), LIVE_CONTENT_KEEP_SECONDS)
    finally:
        cache.delete(lock)
    return content


def _kept_content(cache: Any, key: str, lock: str) -> ReportContent | None:
    """The kept content if it is fresh, or if it is old and another request is rebuilding it;
    None when this request is to build (it then holds the lock). A first reader finding a
    build under way waits for it (BUILD_WAIT_SECONDS at most) instead of building too."""
    hit = cache.get(key)
    if hit is not None:
        content = content_from_json(hit)
        age = (timezone.now() - content.built_at).total_seconds()
        if age < LIVE_CONTENT_SECONDS or not cache.add(lock, 1, BUILD_LOCK_SECONDS):
            return content
        return None
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    while not cache.add(lock, 1, BUILD_LOCK_SECONDS):
        if time.monotonic() > deadline:
            return None  # the other build is stuck or very slow: build anyway
        time.sleep(0.25)
        if (hit := cache.get(key)) is not None:
            return content_from_json(hit)
    return None


def report_narrative(report: Report) -> Narrative:
    return Narrative(**{name: getattr(report, name) for name in NARRATIVE_FIELDS})


def plan_reference(plan: Plan) -> str:
    """How a report cites the plan it reports on: "Kế hoạch số 39/KH-UBND", or for a plan
    issued by a decision "Kế hoạch ban hành kèm theo Quyết định số 1994/QĐ-UBND"."""
    if plan.kind == Plan.Kind.DECISION:
        return _("Kế hoạch ban hành kèm theo Quyết định số %(n)s") % {"n": plan.number}
    return _("Kế hoạch số %(n)s") % {"n": plan.number}


def document_title(report: Report) -> str:
    """The trích yếu of the report, by kind (DOMAIN.md §5.2)."""
    period = report.period_obj
    year = period.end.year
    topic = _("công tác phòng, chống mại dâm")
    if report.kind == Report.Kind.HALF:
        if period.id.endswith("S1"):
            return _(
                "Kết quả %(t)s 6 tháng đầu năm %(y)d và phương hướng, nhiệm vụ 6 tháng cuối năm"
            ) % {"t": topic, "y": year}
        return _("Kết quả %(t)s 6 tháng cuối năm %(y)d") % {"t": topic, "y": year}
    if report.kind == Report.Kind.YEAR:
        return _("Kết quả %(t)s năm %(y)d, phương hướng, nhiệm vụ năm %(n)d") % {
            "t": topic, "y": year, "n": year + 1,
        }  # fmt: skip
    if report.kind == Report.Kind.QUARTER:
        return _("Kết quả %(t)s %(p)s") % {"t": topic, "p": period.label.lower()}
    years = period.end.year - period.start.year + 1
    plan = report.plan
    what = (
        plan_reference(plan) + _(" về phòng, chống mại dâm")
        if plan is not None and plan.number
        else _("Chương trình phòng, chống mại dâm")
    )
    shown = {"k": years, "w": what, "p": period.id}
    if report.kind == Report.Kind.MIDTERM:
        return _("Sơ kết %(k)02d năm thực hiện %(w)s giai đoạn %(p)s") % shown
    return _("Tổng kết %(k)02d năm thực hiện %(w)s giai đoạn %(p)s") % shown


def _upper_unit(report: Report) -> OrgUnit | None:
    from pcmd.reports.services import report_parent

    return report_parent(report)


def _short(unit: OrgUnit) -> str:
    """ "UBND huyện Hoằng Hóa" from "Huyện Hoằng Hóa" (a recipient line)."""
    name = unit.name
    return f"UBND {name[:1].lower()}{name[1:]}" if name else "UBND"


def report_document(report: Report, *, today: date | None = None) -> ReportDocument:
    """The figures, the narrative and the particulars of the document the office issues."""
    from pcmd.common.docx import issuer_lines, place_from_unit

    content = report_content(report, today=today)
    unit = report.org_unit
    lines = issuer_lines("", unit.name)
    issuer = " ".join(lines) if lines else f"{UBND} {unit.name.upper()}"
    recipients = list(report.recipients or [])
    if not recipients:
        parent = _upper_unit(report)
        if parent is not None:
            recipients.append(f"{_short(parent)} (b/c)")
        recipients.append(_("Lưu: VT"))
    preamble = report.preamble
    if not preamble:
        who = f"UBND {unit.name[:1].lower()}{unit.name[1:]}"
        basis = (
            _("Thực hiện %(plan)s, ") % {"plan": plan_reference(report.plan)}
            if report.plan is not None and report.plan.number
            else ""
        )
        preamble = _("%(basis)s%(who)s báo cáo kết quả như sau:") % {"basis": basis, "who": who}
        preamble = preamble[:1].upper() + preamble[1:]
    kt = report.signing_mode == Report.SigningMode.KT
    return ReportDocument(
        content=content,
        narrative=report_narrative(report),
        title=document_title(report),
        issuer=issuer,
        number=report.number,
        place=report.place or place_from_unit(unit.name),
        issued_on=report.issued_on,
        preamble=preamble,
        signing_mode=report.signing_mode,
        signer_title=report.signer_title or ("PHÓ CHỦ TỊCH" if kt else "CHỦ TỊCH"),
        signer_name=report.signer_name,
        recipients=recipients,
        consolidated=bool(content.children),
        draft=report.status != Report.Status.APPROVED,
    )
