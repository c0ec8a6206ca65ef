"""Data-subject requests on a support case file: export everything held on the person, erase
the file on request, and purge closed files whose retention period has run out.

Owns: beneficiary_export(), beneficiary_export_json(), beneficiary_export_xlsx(),
beneficiary_erase(), purge_candidates(), support_purge(), ErasureRefused, PurgeItem,
can_handle_request().
Invariants: an export or erasure is made only by a social worker ("beneficiary.manage") or the
supervisor ("support.supervise") of the unit, with a reason of at least 10 characters; an export
reads the identity through pcmd.sealing.access.reveal (one VIEW_SENSITIVE event) and is itself
an EXPORT event; an erasure deletes the file and everything recorded on it in one transaction
and leaves one DELETE event naming only the code and the reason; a file under legal hold is
never erased or purged (ErasureRefused); purging is a dry run unless for_real.
Not here: the retention periods themselves (RetentionRule rows, seeded by migration).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, unit_in_scope
from pcmd.records.xlsx import Column, xlsx_export
from pcmd.sealing.access import reveal
from pcmd.support.casefiles.models import Beneficiary, RetentionRule
from pcmd.support.casefiles.services import IDENTITY_FIELDS

MIN_REASON = 10


class ErasureRefused(ValidationError):
    """The file is under legal hold: it may not be erased."""


def can_handle_request(user: Any, beneficiary: Beneficiary) -> bool:
    return (
        has_capability(user, "beneficiary.manage") or has_capability(user, "support.supervise")
    ) and unit_in_scope(user, beneficiary.org_unit)


def _require_request(user: Any, beneficiary: Beneficiary, reason: str) -> str:
    if not can_handle_request(user, beneficiary):
        raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": _("Hãy ghi rõ lý do (ít nhất 10 ký tự).")})
    return reason


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _user(user: Any) -> str:
    return user.get_username() if user is not None else ""


@transaction.atomic
def beneficiary_export(
    *, beneficiary: Beneficiary, acting_user: Any, reason: str, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Everything held on the person, as one dict (identity included: it is theirs)."""
    b = beneficiary
    reason = _require_request(acting_user, b, reason)
    identity = reveal(
        user=acting_user, obj=b, fields=IDENTITY_FIELDS, reason=reason, request=request
    )
    data: dict[str, Any] = {
        "code": b.code,
        "unit": b.org_unit.name,
        "registered_on": _day(b.registered_on),
        "group": b.get_group_display(),
        "sex": b.get_sex_display(),
        "age_band": b.get_age_band_display(),
        "identity": {k: (_day(v) if isinstance(v, date) else v) for k, v in identity.items()},
        "status": b.get_status_display(),
        "closed_on": _day(b.closed_on),
        "closure_reason": b.closure_reason,
        "legal_hold": b.legal_hold,
        "case_plan": b.case_plan,
        "case_plan_review_on": _day(b.case_plan_review_on),
        "pilot_models": [m.name for m in b.pilot_models.all()],
        "referred_from": {
            "inspection": _day(b.origin_inspection.inspected_on) if b.origin_inspection else None,
            "case": str(b.origin_case) if b.origin_case else None,
        },
        "consents": [
            {
                "given_on": _day(c.given_on),
                "scope": c.scope_labels(),
                "withdrawn_on": _day(c.withdrawn_on),
                "note": c.note,
            }
            for c in b.consents.order_by("given_on", "id")
        ],
        "assessments": [
            {
                "assessed_on": _day(a.assessed_on),
                "needs": a.need_labels(),
                "eligible": a.eligible,
                "note": a.note,
            }
            for a in b.assessments.order_by("assessed_on", "id")
        ],
        "services": [
            {
                "provided_on": _day(s.provided_on),
                "kind": s.get_kind_display(),
                "provider": s.provider,
                "outcome": s.get_outcome_display(),
                "note": s.note,
            }
            for s in b.services.select_related("provider_agency").order_by("provided_on", "id")
        ],
        "referrals": [
            {
                "referred_on": _day(r.referred_on),
                "service_kind": r.get_service_kind_display(),
                "to": r.recipient,
                "status": r.get_status_display(),
                "follow_up_on": _day(r.follow_up_on),
                "note": r.outcome_note,
            }
            for r in b.referrals.select_related("to_agency").order_by("referred_on", "id")
        ],
        # Who read or changed the file: the person has a right to know.
        "access_log": [
            {"at": e.at.isoformat(), "user": e.username, "action": e.get_action_display()}
            for e in AuditEvent.objects.filter(
                object_type=b._meta.label_lower, object_id=str(b.pk)
            ).order_by("at", "id")
        ],
        "exported_at": timezone.now().isoformat(),
    }
    audit_record(
        action=AuditEvent.Action.EXPORT,
        user=acting_user,
        obj=b,
        request=request,
        detail={"what": "data_subject_export", "reason": reason},
    )
    return data


def beneficiary_export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode("utf-8")


_SECTION_LABELS = {
    "identity": "Thông tin nhận dạng",
    "consents": "Đồng ý",
    "assessments": "Đánh giá nhu cầu",
    "services": "Dịch vụ đã cung cấp",
    "referrals": "Chuyển gửi",
    "access_log": "Nhật ký truy cập",
    "pilot_models": "Mô hình, nhóm đồng đẳng",
}


def beneficiary_export_xlsx(data: dict[str, Any]) -> bytes:
    """The same content as the JSON, one line per value: section, item, field, value."""
    columns = [
        Column("section", "Mục"),
        Column("item", "Số thứ tự"),
        Column("field", "Trường"),
        Column("value", "Giá trị"),
    ]
    rows: list[dict[str, Any]] = []
    for key, value in data.items():
        section = _SECTION_LABELS.get(key, "Hồ sơ")
        if isinstance(value, dict):
            for field, v in value.items():
                rows.append({"section": section, "item": "", "field": field, "value": _cell(v)})
        elif isinstance(value, list):
            for i, item in enumerate(value, 1):
                if isinstance(item, dict):
                    for field, v in item.items():
                        rows.append(
                            {"section": section, "item": str(i), "field": field, "value": _cell(v)}
                        )
                else:
                    rows.append({"section": section, "item": str(i), "field": "", "value": item})
        else:
            rows.append({"section": section, "item": "", "field": key, "value": _cell(value)})
    return xlsx_export(columns=columns, rows=rows)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _erase(beneficiary: Beneficiary, *, user: Any, why: str, detail: dict[str, Any]) -> None:
    b = beneficiary
    if b.legal_hold:
        raise ErasureRefused(
            _(
                "Không xóa được hồ sơ %(code)s: hồ sơ đang bị giữ theo yêu cầu pháp lý "
                "(%(reason)s). Không có gì bị xóa."
            )
            % {"code": b.code, "reason": b.legal_hold_reason},
            code="legal_hold",
        )
    # Referrals hold their consent with PROTECT; delete them first, then the file cascades.
    b.services.all().delete()
    b.referrals.all().delete()
    unit = b.org_unit
    audit_record(
        action=AuditEvent.Action.DELETE,
        user=user,
        obj=b,
        org_unit=unit,
        detail={"code": b.code, "why": why, **detail},
    )
    b.delete()


@transaction.atomic
def beneficiary_erase(
    *, beneficiary: Beneficiary, acting_user: Any, reason: str, request: HttpRequest | None = None
) -> str:
    """Erase the file and all it holds at the person's request; returns the erased code.
    Refused (ErasureRefused, nothing deleted) under legal hold."""
    reason = _require_request(acting_user, beneficiary, reason)
    code = beneficiary.code
    _erase(beneficiary, user=acting_user, why="data_subject_request", detail={"reason": reason})
    return code


@dataclass(frozen=True)
class PurgeItem:
    code: str
    group: str
    closed_on: date
    keep_until: date
    held: bool


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def purge_candidates(*, today: date | None = None) -> list[PurgeItem]:
    """Closed files whose retention period (by group) ended before `today`; held ones are
    listed (held=True) but never purged."""
    today = today or timezone.localdate()
    rules = {r.group: r.years_after_closure for r in RetentionRule.objects.all()}
    items = []
    closed = Beneficiary.objects.filter(
        status=Beneficiary.Status.CLOSED, closed_on__isnull=False
    ).order_by("closed_on", "code")
    for b in closed:
        years = rules.get(b.group)
        if years is None or b.closed_on is None:
            continue  # no rule: kept until a rule is written
        keep_until = _add_years(b.closed_on, years)
        if keep_until < today:
            items.append(PurgeItem(b.code, b.group, b.closed_on, keep_until, b.legal_hold))
    return items


@transaction.atomic
def support_purge(*, for_real: bool, today: date | None = None) -> tuple[list[PurgeItem], int]:
    """The files past retention, and how many were erased (0 on a dry run)."""
    items = purge_candidates(today=today)
    erased = 0
    if for_real:
        for item in items:
            if item.held:
                continue
            b = Beneficiary.objects.get(code=item.code)
            _erase(b, user=None, why="retention",
                   detail={"keep_until": item.keep_until.isoformat()})  # fmt: skip
            erased += 1
    return items, erased
