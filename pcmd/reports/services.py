"""The workflow of a periodic report: create, write (autosave), submit, return, approve, reopen.

Owns: report_create(), report_save_narrative(), report_submit(), report_return(),
report_approve(), report_reopen(), default_due_on(), report_parent(), can_write(), can_review().
Invariants: every change of state is one transaction that writes the report, a ReportEvent and
an audit row, or nothing; the coordinator (or the admin) of the report's own unit writes and
submits it (report.write); a leader of the unit that was the report's unit's parent on the
period's last day reviews it (report.review) — any other leader is refused with a message
naming the right level, and nothing changes; submitting freezes
content_to_json(report_content_build(...)) and refuses while a required narrative section is
empty; a submitted or approved report is never edited, only returned or reopened (with a
comment or a reason, both kept in the history); saves are optimistic (version), a save based on
an older version is refused (StaleRecord) and writes nothing.
Not here: building the figures (builder.py), pages (views.py), reminders (alerts.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.permissions import has_capability, require_capability, unit_in_scope
from pcmd.common.periods import Period, PeriodError, period_parse
from pcmd.common.records import record_save_versioned
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_parent
from pcmd.plans.models import Plan
from pcmd.reports.builder import report_content_build
from pcmd.reports.content import content_to_json
from pcmd.reports.models import NARRATIVE_FIELDS, REQUIRED_NARRATIVE, Report, ReportEvent
from pcmd.reports.models import kind_for_period as _kind_for_period

# Fields the writer may save while the report is a draft (narrative and particulars).
EDITABLE_FIELDS = (
    *NARRATIVE_FIELDS, "number", "place", "issued_on", "signing_mode", "signer_name",
    "signer_title", "recipients", "preamble",
)  # fmt: skip
DUE_AFTER_DAYS = 15  # a report is due 15 days after its period ends (see docs/decisions.md)


def default_due_on(period: Period) -> date:
    return period.end + timedelta(days=DUE_AFTER_DAYS)


def _last_day(report: Report) -> date:
    period = report.period_obj
    unit = report.org_unit
    if unit.valid_to is not None and unit.valid_to < period.end:
        return unit.valid_to
    return period.end


def report_parent(report: Report) -> OrgUnit | None:
    """The unit the report goes up to: its unit's parent on the period's last day."""
    return orgunit_parent(report.org_unit, on=_last_day(report))


def can_write(user: Any, report_or_unit: Report | OrgUnit) -> bool:
    unit = report_or_unit.org_unit if isinstance(report_or_unit, Report) else report_or_unit
    if not has_capability(user, "report.write"):
        return False
    if user.org_unit_id == unit.pk:
        return True
    return bool(user.role == User.Role.ADMIN and unit_in_scope(user, unit))


def can_review(user: Any, report: Report) -> bool:
    if not has_capability(user, "report.review"):
        return False
    parent = report_parent(report)
    return parent is not None and parent.pk == user.org_unit_id


def _require_writer(user: Any, unit: OrgUnit) -> None:
    require_capability(user, "report.write")
    if not can_write(user, unit):
        raise PermissionDenied(_("Chỉ cán bộ của %(unit)s mới soạn và gửi báo cáo của đơn vị.")
                               % {"unit": unit.name})  # fmt: skip


def _require_reviewer(user: Any, report: Report) -> None:
    require_capability(user, "report.review")
    if not can_review(user, report):
        parent = report_parent(report)
        if parent is None:
            raise ValidationError(_("Báo cáo của %(unit)s không có cấp trên để duyệt.")
                                  % {"unit": report.org_unit.name})  # fmt: skip
        raise ValidationError(
            _(
                "Chỉ lãnh đạo %(parent)s (cấp trên trực tiếp của %(unit)s trong kỳ %(period)s) "
                "mới được duyệt, trả lại hoặc mở lại báo cáo này."
            )
            % {"parent": parent.name, "unit": report.org_unit.name, "period": report.period}
        )


def _record(
    report: Report, kind: str, user: Any, *, comment: str = "", detail: dict[str, Any] | None = None
) -> None:
    actor = user if getattr(user, "is_authenticated", False) else None
    ReportEvent.objects.create(report=report, kind=kind, user=actor, comment=comment)
    created = kind == ReportEvent.Kind.CREATED
    audit_record(
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        user=actor,
        obj=report,
        detail={"event": kind, "status": report.status, **({"comment": comment} if comment else {}),
                **(detail or {})},
    )  # fmt: skip


def _period(text: str) -> Period:
    try:
        return period_parse(text)
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from exc


def _place(unit: OrgUnit) -> str:
    from pcmd.common.docx import place_from_unit

    return place_from_unit(unit.name)


@transaction.atomic
def report_create(
    *,
    acting_user: Any,
    unit: OrgUnit,
    period: str,
    plan: Plan | None = None,
    review: str = "",
    due_on: date | None = None,
) -> Report:
    """A new draft report of `unit` for `period` (the kind follows the period)."""
    if acting_user is not None:
        _require_writer(acting_user, unit)
    parsed = _period(period)
    kind = _kind_for_period(parsed, review=review)
    if plan is not None and plan.org_unit_id != unit.pk:
        raise ValidationError({"plan": _("Kế hoạch này không phải của %(u)s.") % {"u": unit.name}})
    report = Report(
        org_unit=unit, period=parsed.id, kind=kind, plan=plan,
        due_on=due_on or default_due_on(parsed), place=_place(unit),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )  # fmt: skip
    report.clean()
    if Report.objects.filter(org_unit=unit, period=parsed.id, kind=kind).exists():
        raise ValidationError(
            {"period": _("%(unit)s đã có báo cáo %(kind)s kỳ %(period)s.")
             % {"unit": unit.name, "kind": report.get_kind_display(), "period": parsed.id}}
        )  # fmt: skip
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # created by someone else a moment ago
        raise ValidationError({"period": _("Báo cáo của kỳ này vừa được tạo.")}) from exc
    _record(report, ReportEvent.Kind.CREATED, acting_user)
    return report


def _require_editable(report: Report) -> None:
    if not report.is_editable:
        raise ValidationError(
            _("Báo cáo đã gửi (%(status)s): số liệu và nội dung không sửa được nữa.")
            % {"status": report.get_status_display()}
        )


@transaction.atomic
def report_save_narrative(
    *, acting_user: Any, report: Report, data: dict[str, Any], expected_version: int | None
) -> Report:
    """Save the narrative and the particulars (autosave); refused if someone saved since
    `expected_version` (StaleRecord) or once the report has been submitted."""
    _require_writer(acting_user, report.org_unit)
    _require_editable(report)
    changed = []
    for name in EDITABLE_FIELDS:
        if name in data and getattr(report, name) != data[name]:
            setattr(report, name, data[name])
            changed.append(name)
    if not changed:
        if expected_version is not None and expected_version != report.version:
            record_save_versioned(report, expected_version=expected_version)  # raises
        return report
    record_save_versioned(report, expected_version=expected_version)
    last = report.events.order_by("-at", "-pk").first()
    if last is None or last.kind != ReportEvent.Kind.SAVED or last.user_id != acting_user.pk:
        _record(report, ReportEvent.Kind.SAVED, acting_user, detail={"fields": changed})
    else:  # autosave every few seconds: one history line per stretch of writing, audited all
        audit_record(
            action=AuditEvent.Action.UPDATE, user=acting_user, obj=report,
            detail={"event": "saved", "fields": changed},
        )  # fmt: skip
    return report


def missing_sections(report: Report) -> list[str]:
    """Labels of the required narrative sections still empty."""
    return [
        str(getattr(Report._meta.get_field(name), "verbose_name", name))
        for name in REQUIRED_NARRATIVE
        if not (getattr(report, name) or "").strip()
    ]


@transaction.atomic
def report_submit(*, acting_user: Any, report: Report, today: date | None = None) -> Report:
    """Send the report up: refused while a required section is empty; freezes the figures."""
    _require_writer(acting_user, report.org_unit)
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("org_unit", "plan")
        .get(pk=report.pk)
    )
    _require_editable(report)
    missing = missing_sections(report)
    if missing:
        raise ValidationError(
            _("Chưa gửi được: hãy viết các phần còn trống — %(sections)s.")
            % {"sections": "; ".join(missing)}
        )
    content = report_content_build(
        unit=report.org_unit, period=report.period, plan=report.plan, today=today
    )
    report.content = content_to_json(content)
    report.status = Report.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.version += 1
    report.save()
    _record(report, ReportEvent.Kind.SUBMITTED, acting_user)
    return report


def _reviewed(acting_user: Any, report: Report, allowed: tuple[str, ...]) -> Report:
    report = (
        Report.objects.select_for_update(of=("self",)).select_related("org_unit").get(pk=report.pk)
    )
    _require_reviewer(acting_user, report)
    if report.status not in allowed:
        raise ValidationError(
            _("Không thực hiện được: báo cáo đang ở trạng thái “%(status)s”.")
            % {"status": report.get_status_display()}
        )
    return report


@transaction.atomic
def report_return(*, acting_user: Any, report: Report, comment: str) -> Report:
    """Return a submitted report to its writers with the comment saying what to correct."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Hãy ghi ý kiến: cần sửa, bổ sung những gì.")})
    report = _reviewed(acting_user, report, (Report.Status.SUBMITTED,))
    report.status = Report.Status.RETURNED
    report.version += 1
    report.save()
    _record(report, ReportEvent.Kind.RETURNED, acting_user, comment=comment.strip())
    from pcmd.reports.alerts import notify_returned

    notify_returned(report)
    return report


@transaction.atomic
def report_approve(*, acting_user: Any, report: Report) -> Report:
    report = _reviewed(acting_user, report, (Report.Status.SUBMITTED,))
    report.status = Report.Status.APPROVED
    report.approved_at = timezone.now()
    report.version += 1
    report.save()
    _record(report, ReportEvent.Kind.APPROVED, acting_user)
    return report


@transaction.atomic
def report_reopen(*, acting_user: Any, report: Report, reason: str) -> Report:
    """Open a submitted or approved report again for writing (the figures are rebuilt when it
    is submitted again); the reason is required and kept in the history and the audit."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại báo cáo.")})
    report = _reviewed(acting_user, report, (Report.Status.SUBMITTED, Report.Status.APPROVED))
    was = report.status
    report.status = Report.Status.DRAFT
    report.approved_at = None
    report.version += 1
    report.save()
    _record(report, ReportEvent.Kind.REOPENED, acting_user, comment=reason.strip(),
            detail={"was": was})  # fmt: skip
    return report
