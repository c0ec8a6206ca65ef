"""Write tips: intake by an officer or from the public page, the handling workflow, pauses, the
extension, transfers, messages with the reporter, the reveal of the reporter, notifications.

Owns: tip_receive(), tip_public_submit(), tip_assign_officer(), tip_verify(), tip_classify(),
tip_handle(), tip_transfer(), tip_pause(), tip_resume(), tip_extend(), tip_message_officer(),
tip_message_reporter(), tip_reveal_reporter(), can_manage(), can_reveal(), can_supervise(),
receipt_hash(), tip_by_receipt(), notify(), notification_mark_read().
Invariants: acting_user=None means the system or the public page; a person needs the capability
(tip.manage, tip.supervise for the extension) and the tip's unit in scope, else PermissionDenied
in Vietnamese. The workflow runs received → verifying → classified → handled, a transfer may
settle a tip at any open step; every step writes a TipEvent (dated, attributed) and an
AuditEvent in the same transaction, and nothing is written when a check fails. Audit rows and
events never carry the content or the reporter's details. A receipt code is shown once and only
its SHA-256 is stored; the public page stores no IP address, user agent or cookie.
Not here: deadline computation (deadlines.py), alerts (alerts.py), reads (selectors.py).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.permissions import has_capability, unit_in_scope
from pcmd.common.records import StaleRecord
from pcmd.orgunits.models import OrgUnit
from pcmd.sealing.access import reveal
from pcmd.sealing.blind import blind_index
from pcmd.tips import cleaning
from pcmd.tips.deadlines import rule_for, tip_clock
from pcmd.tips.models import (
    Channel,
    LegalNature,
    Notification,
    Subject,
    Tip,
    TipAttachment,
    TipEvent,
    TipExtension,
    TipMessage,
    TipPause,
)

REPORTER_FIELDS = ("reporter_name", "reporter_phone", "reporter_email", "reporter_address")
RECEIPT_GROUPS = 6  # six groups of four digits: 24 digits, about 80 bits


def _now() -> datetime:
    return timezone.now()


def _fmt(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


# --- Who may -------------------------------------------------------------------------------


def can_manage(user: Any, tip: Tip) -> bool:
    return has_capability(user, "tip.manage") and unit_in_scope(user, tip.org_unit_id)


def can_supervise(user: Any, tip: Tip) -> bool:
    return has_capability(user, "tip.supervise") and unit_in_scope(user, tip.org_unit_id)


def can_reveal(user: Any, tip: Tip) -> bool:
    """The handling officer, or police of the tip's unit (tip.manage), may reveal the reporter."""
    if not has_capability(user, "tip.manage"):
        return False
    return tip.handling_officer_id == user.pk or unit_in_scope(user, tip.org_unit_id)


def _require_manage(user: Any, tip: Tip | None, unit: OrgUnit | None = None) -> None:
    if user is None:
        return
    if not has_capability(user, "tip.manage"):
        raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))
    target = unit if unit is not None else (tip.org_unit if tip is not None else None)
    if target is not None and not unit_in_scope(user, target):
        raise PermissionDenied(_("Đơn vị của tin báo nằm ngoài phạm vi của bạn."))


def _require_open(tip: Tip) -> None:
    if tip.status == Tip.Status.HANDLED:
        raise ValidationError(_("Tin báo đã xử lý xong: không thể thay đổi nữa."))


def _event(tip: Tip, kind: str, *, actor: Any, note: str = "", at: datetime | None = None) -> None:
    TipEvent.objects.create(
        tip=tip, kind=kind, actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=at or _now(), note=note,
    )  # fmt: skip


def _step_at(tip: Tip, at: datetime | None) -> datetime:
    """When a step happened: now, or a moment given after the fact — never before the tip was
    received nor in the future."""
    if at is None:
        return _now()
    if at < tip.received_at or at > _now() + timedelta(minutes=5):
        raise ValidationError(_("Thời điểm phải sau khi tiếp nhận và không ở tương lai."))
    return at


def _audit(tip: Tip, action: str, user: Any, **detail: Any) -> None:
    audit_record(action=action, user=user, obj=tip, org_unit=tip.org_unit, detail=detail)


def _save(tip: Tip, *fields: str) -> None:
    """Save `fields` only if nobody changed the tip since it was read (StaleRecord otherwise)."""
    updated = Tip.objects.filter(pk=tip.pk, version=tip.version).update(version=F("version") + 1)
    if not updated:
        raise StaleRecord(Tip.objects.get(pk=tip.pk))
    tip.version += 1
    tip.save(update_fields=[*fields, "updated_at"])


# --- Notifications -------------------------------------------------------------------------


def notify(*, users: Iterable[User], key: str, text: str, link: str = "") -> int:
    """Create the notification `key` for each user who does not have it yet; the count made."""
    made = 0
    for user in users:
        _obj, created = Notification.objects.get_or_create(
            user=user, key=key[:120], defaults={"text": text[:500], "link": link[:300]}
        )
        made += int(created)
    return made


def notification_mark_read(*, user: Any, ids: Sequence[int] | None = None) -> int:
    """Mark the user's notifications read (all unread when `ids` is None)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=_now())


def unit_police(unit: OrgUnit) -> list[User]:
    return list(User.objects.filter(org_unit=unit, role=User.Role.POLICE, is_active=True))


def unit_leaders(unit: OrgUnit) -> list[User]:
    return list(User.objects.filter(org_unit=unit, role=User.Role.LEADER, is_active=True))


def tip_link(tip: Tip) -> str:
    return reverse("tips:detail", args=[tip.pk])


def _notify_arrival(tip: Tip, text: str) -> None:
    notify(
        users=[*unit_police(tip.org_unit), *unit_leaders(tip.org_unit)],
        key=f"tip:{tip.pk}:arrived",
        text=text,
        link=tip_link(tip),
    )


# --- Intake --------------------------------------------------------------------------------


def _reference(unit: OrgUnit, year: int) -> str:
    prefix = f"TB-{unit.code or unit.pk}-{year}-"
    last = (
        Tip.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def receipt_new() -> str:
    """A fresh receipt code: 24 random digits in groups of four."""
    digits = "".join(str(secrets.randbelow(10)) for _ in range(RECEIPT_GROUPS * 4))
    return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def receipt_normalise(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def receipt_hash(code: str) -> str:
    return hashlib.sha256(f"pcmd-receipt:{receipt_normalise(code)}".encode()).hexdigest()


def _check_intake(
    *, org_unit: OrgUnit | None, received_at: datetime, content: str, channel: str, user: Any
) -> None:
    errors: dict[str, list[str]] = {}
    if not content.strip():
        errors["content"] = [_("Hãy ghi nội dung tin báo.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Nguồn tiếp nhận không hợp lệ.")]
    if received_at > _now() + timedelta(minutes=5):
        errors["received_at"] = [_("Thời điểm tiếp nhận không được ở tương lai.")]
    if org_unit is None:
        errors["org_unit"] = [_("Hãy chọn đơn vị.")]
    elif org_unit.level in (OrgUnit.Level.VILLAGE, OrgUnit.Level.NATIONAL):
        errors["org_unit"] = [_("Chọn xã, phường hoặc cấp tỉnh.")]
    elif not org_unit.is_valid_on(timezone.localdate(received_at)):
        errors["org_unit"] = [
            _("Đơn vị %(u)s không tồn tại vào ngày tiếp nhận.") % {"u": org_unit.name}
        ]
    elif user is not None and not unit_in_scope(user, org_unit):
        errors["org_unit"] = [_("Đơn vị %(u)s nằm ngoài phạm vi của bạn.") % {"u": org_unit.name}]
    if errors:
        raise ValidationError(errors)


def _officer_check(officer: User | None, unit: OrgUnit) -> None:
    if officer is None:
        return
    if (
        officer.role != User.Role.POLICE
        or not officer.is_active
        or not unit_in_scope(officer, unit)
    ):
        raise ValidationError(
            {"handling_officer": [_("Cán bộ thụ lý phải là công an của đơn vị nhận tin báo.")]}
        )


def _create(
    *,
    acting_user: Any,
    org_unit: OrgUnit,
    received_at: datetime,
    channel: str,
    content: str,
    source_agency: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    reporter_address: str = "",
    subject: str = "",
    remote_area: bool = False,
    handling_officer: User | None = None,
    receipt: str | None = None,
    transferred_from: Tip | None = None,
) -> Tip:
    if subject and subject not in Subject.values:
        raise ValidationError({"subject": [_("Nội dung phản ánh không hợp lệ.")]})
    anonymous = not reporter_name.strip()
    for attempt in range(5):
        tip = Tip(
            org_unit=org_unit, received_at=received_at, channel=channel,
            source_agency=source_agency.strip(), content=content.strip(),
            reporter_anonymous=anonymous, reporter_name=reporter_name.strip(),
            reporter_name_index=blind_index(reporter_name, purpose="name"),
            reporter_phone=reporter_phone.strip(), reporter_email=reporter_email.strip(),
            reporter_address=reporter_address.strip(), subject=subject, remote_area=remote_area,
            handling_officer=handling_officer, transferred_from=transferred_from,
            receipt_hash=receipt_hash(receipt) if receipt else None,
            reference=_reference(org_unit, timezone.localdate(received_at).year),
            created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )  # fmt: skip
        try:
            with transaction.atomic():
                tip.save()
            break
        except IntegrityError:
            if attempt == 4:
                raise
    _event(tip, TipEvent.Kind.RECEIVED, actor=acting_user, at=received_at)
    if handling_officer is not None:
        _event(tip, TipEvent.Kind.OFFICER, actor=acting_user, note=str(handling_officer))
    _audit(tip, AuditEvent.Action.CREATE, acting_user, channel=channel)
    return tip


def _store_files(tip: Tip, files: Sequence[Any], *, public: bool) -> None:
    for upload in files:
        if public:
            clean = cleaning.public_attachment_clean(upload)
            TipAttachment.objects.create(
                tip=tip, file=ContentFile(clean.data, name=clean.name), original_name=clean.name,
                content_type=clean.content_type, size=len(clean.data),
            )  # fmt: skip
        else:
            content_type = cleaning.attachment_check(upload)
            TipAttachment.objects.create(
                tip=tip, file=upload, original_name=str(upload.name)[:255],
                content_type=content_type, size=int(upload.size),
            )  # fmt: skip


def files_check(files: Sequence[Any], *, public: bool) -> None:
    """Check every file before anything is written (ValidationError keyed "attachments")."""
    if len(files) > cleaning.MAX_FILES:
        raise ValidationError({"attachments": [_("Tối đa %(n)d tệp.") % {"n": cleaning.MAX_FILES}]})
    errors = []
    for upload in files:
        try:
            if public:
                cleaning.public_attachment_clean(upload)
            else:
                cleaning.attachment_check(upload)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"attachments": errors})


@transaction.atomic
def tip_receive(
    *,
    acting_user: Any,
    org_unit: OrgUnit | None,
    received_at: datetime,
    channel: str,
    content: str,
    files: Sequence[Any] = (),
    **fields: Any,
) -> Tip:
    """Record a tip received by an officer (any channel but the public page)."""
    _require_manage(acting_user, None, org_unit)
    _check_intake(
        org_unit=org_unit, received_at=received_at, content=content, channel=channel,
        user=acting_user,
    )  # fmt: skip
    assert org_unit is not None
    _officer_check(fields.get("handling_officer"), org_unit)
    files_check(files, public=False)
    tip = _create(
        acting_user=acting_user, org_unit=org_unit, received_at=received_at, channel=channel,
        content=content, **fields,
    )  # fmt: skip
    _store_files(tip, files, public=False)
    return tip


@transaction.atomic
def tip_public_submit(
    *,
    org_unit: OrgUnit | None,
    content: str,
    files: Sequence[Any] = (),
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    reporter_address: str = "",
) -> tuple[Tip, str]:
    """A tip from the anonymous public page: (the tip, the receipt code to show once)."""
    now = _now()
    _check_intake(
        org_unit=org_unit, received_at=now, content=content, channel=Channel.PUBLIC_PAGE, user=None
    )
    assert org_unit is not None
    if len(content) > 10000:
        raise ValidationError({"content": [_("Nội dung dài quá 10.000 ký tự.")]})
    files_check(files, public=True)
    code = receipt_new()
    tip = _create(
        acting_user=None, org_unit=org_unit, received_at=now, channel=Channel.PUBLIC_PAGE,
        content=content, reporter_name=reporter_name, reporter_phone=reporter_phone,
        reporter_email=reporter_email, reporter_address=reporter_address, receipt=code,
    )  # fmt: skip
    _store_files(tip, files, public=True)
    _notify_arrival(
        tip,
        _("Tin báo mới từ trang tố giác trực tuyến: %(r)s.") % {"r": tip.reference},
    )
    return tip, code


def tip_by_receipt(code: str) -> Tip | None:
    """The tip a receipt code leads to, following transfers to the unit handling it now."""
    if len(receipt_normalise(code)) != RECEIPT_GROUPS * 4:
        return None
    tip = Tip.objects.filter(receipt_hash=receipt_hash(code)).first()
    seen = set()
    while tip is not None and tip.pk not in seen:
        seen.add(tip.pk)
        nxt = tip.transfers.order_by("-received_at").first()
        if nxt is None:
            break
        tip = nxt
    return tip


# --- Workflow ------------------------------------------------------------------------------


@transaction.atomic
def tip_assign_officer(*, tip: Tip, officer: User | None, acting_user: Any) -> Tip:
    _require_manage(acting_user, tip)
    _require_open(tip)
    _officer_check(officer, tip.org_unit)
    tip.handling_officer = officer
    _save(tip, "handling_officer")
    _event(tip, TipEvent.Kind.OFFICER, actor=acting_user, note=str(officer or "—"))
    _audit(tip, AuditEvent.Action.UPDATE, acting_user, step="officer",
           officer=officer.pk if officer else None)  # fmt: skip
    if officer is not None:
        notify(
            users=[officer], key=f"tip:{tip.pk}:officer:{officer.pk}",
            text=_("Bạn được giao thụ lý tin báo %(r)s.") % {"r": tip.reference},
            link=tip_link(tip),
        )  # fmt: skip
    return tip


@transaction.atomic
def tip_verify(*, tip: Tip, acting_user: Any, note: str = "", at: datetime | None = None) -> Tip:
    """Start verification (received → verifying); `at` records it after the fact."""
    _require_manage(acting_user, tip)
    if tip.status != Tip.Status.RECEIVED:
        raise ValidationError(_("Chỉ bắt đầu xác minh tin báo vừa tiếp nhận."))
    tip.status = Tip.Status.VERIFYING
    if tip.handling_officer_id is None and getattr(acting_user, "role", "") == User.Role.POLICE:
        tip.handling_officer = acting_user
    _save(tip, "status", "handling_officer")
    _event(tip, TipEvent.Kind.VERIFYING, actor=acting_user, note=note, at=_step_at(tip, at))
    _audit(tip, AuditEvent.Action.UPDATE, acting_user, step="verifying")
    return tip


@transaction.atomic
def tip_classify(
    *,
    tip: Tip,
    acting_user: Any,
    subject: str,
    legal_nature: str,
    is_complex: bool = False,
    remote_area: bool | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Tip:
    """Classify a tip under verification (verifying/classified → classified)."""
    _require_manage(acting_user, tip)
    if tip.status not in (Tip.Status.VERIFYING, Tip.Status.CLASSIFIED):
        raise ValidationError(_("Hãy bắt đầu xác minh trước khi phân loại."))
    errors: dict[str, list[str]] = {}
    if subject not in Subject.values:
        errors["subject"] = [_("Hãy chọn nội dung phản ánh.")]
    if legal_nature not in LegalNature.values:
        errors["legal_nature"] = [_("Hãy chọn tính chất pháp lý.")]
    elif rule_for(legal_nature, tip.received_at) is None:
        errors["legal_nature"] = [
            _("Chưa có quy tắc thời hạn cho loại này vào ngày tiếp nhận; báo quản trị hệ thống.")
        ]
    if errors:
        raise ValidationError(errors)
    tip.subject, tip.legal_nature, tip.is_complex = subject, legal_nature, is_complex
    if remote_area is not None:
        tip.remote_area = remote_area
    tip.status = Tip.Status.CLASSIFIED
    _save(tip, "subject", "legal_nature", "is_complex", "remote_area", "status")
    label = f"{Subject(subject).label} · {LegalNature(legal_nature).label}"
    _event(tip, TipEvent.Kind.CLASSIFIED, actor=acting_user, note=f"{label}. {note}".strip(),
           at=_step_at(tip, at))  # fmt: skip
    _audit(tip, AuditEvent.Action.UPDATE, acting_user, step="classified", subject=subject,
           legal_nature=legal_nature)  # fmt: skip
    return tip


@transaction.atomic
def tip_handle(
    *,
    tip: Tip,
    acting_user: Any,
    outcome: str,
    note: str = "",
    inspection: Any = None,
    violation: Any = None,
    case: Any = None,
    handled_at: datetime | None = None,
) -> Tip:
    """Settle a classified tip with its outcome (transfers go through tip_transfer)."""
    _require_manage(acting_user, tip)
    if tip.status != Tip.Status.CLASSIFIED:
        raise ValidationError(_("Chỉ xử lý tin báo đã phân loại."))
    handled_at = handled_at or _now()
    errors: dict[str, list[str]] = {}
    if outcome not in Tip.Outcome.values or outcome == Tip.Outcome.TRANSFERRED:
        errors["outcome"] = [_("Hãy chọn kết quả xử lý (chuyển đi: dùng thao tác Chuyển).")]
    if handled_at < tip.received_at or handled_at > _now() + timedelta(minutes=5):
        errors["handled_at"] = [_("Thời điểm xử lý phải sau khi tiếp nhận và không ở tương lai.")]
    if violation is not None and inspection is None:
        inspection = violation.inspection
    if outcome == Tip.Outcome.ADMIN_SANCTION and inspection is None:
        errors["inspection"] = [_("Xử phạt hành chính: hãy chọn lượt kiểm tra (hoặc vi phạm).")]
    if outcome == Tip.Outcome.CASE_OPENED and case is None:
        errors["case"] = [_("Khởi tố: hãy chọn vụ án.")]
    for name, obj in (("inspection", inspection), ("case", case)):
        if (
            obj is not None
            and acting_user is not None
            and not unit_in_scope(acting_user, obj.org_unit_id)
        ):
            errors[name] = [_("Bản ghi này nằm ngoài phạm vi của bạn.")]
    if errors:
        raise ValidationError(errors)
    if tip.pauses.filter(ended_at__isnull=True).exists():
        tip.pauses.filter(ended_at__isnull=True).update(ended_at=handled_at)
    tip.status, tip.outcome, tip.outcome_note, tip.handled_at = (
        Tip.Status.HANDLED, outcome, note, handled_at,
    )  # fmt: skip
    tip.inspection = inspection if outcome == Tip.Outcome.ADMIN_SANCTION else None
    tip.violation = violation if outcome == Tip.Outcome.ADMIN_SANCTION else None
    tip.case = case if outcome == Tip.Outcome.CASE_OPENED else None
    _save(tip, "status", "outcome", "outcome_note", "handled_at", "inspection", "violation", "case")
    _event(tip, TipEvent.Kind.HANDLED, actor=acting_user, at=handled_at,
           note=str(Tip.Outcome(outcome).label))  # fmt: skip
    _audit(tip, AuditEvent.Action.UPDATE, acting_user, step="handled", outcome=outcome)
    return tip


@transaction.atomic
def tip_transfer(
    *,
    tip: Tip,
    acting_user: Any,
    to_unit: OrgUnit | None = None,
    to_agency: str = "",
    note: str = "",
    at: datetime | None = None,
) -> Tip | None:
    """Settle `tip` by passing it to the competent unit or agency. A unit in PCMD receives a
    new tip (channel "transferred", same content and reporter, its own clock); returns it."""
    _require_manage(acting_user, tip)
    _require_open(tip)
    at = at or _now()
    if to_unit is None and not to_agency.strip():
        raise ValidationError({"to_unit": [_("Hãy chọn đơn vị hoặc ghi cơ quan nhận.")]})
    if to_unit is not None and (to_unit.pk == tip.org_unit_id or to_unit.level in (
        OrgUnit.Level.VILLAGE, OrgUnit.Level.NATIONAL
    )):  # fmt: skip
        raise ValidationError({"to_unit": [_("Chọn một đơn vị khác, cấp xã hoặc cấp tỉnh.")]})
    if to_unit is not None and not to_unit.is_valid_on(timezone.localdate(at)):
        raise ValidationError({"to_unit": [_("Đơn vị nhận không còn tồn tại.")]})
    tip.pauses.filter(ended_at__isnull=True).update(ended_at=at)
    tip.status, tip.outcome, tip.outcome_note, tip.handled_at = (
        Tip.Status.HANDLED, Tip.Outcome.TRANSFERRED, note, at,
    )  # fmt: skip
    tip.transferred_to_unit, tip.transferred_to_agency = to_unit, to_agency.strip()
    _save(tip, "status", "outcome", "outcome_note", "handled_at", "transferred_to_unit",
          "transferred_to_agency")  # fmt: skip
    where = to_unit.name if to_unit is not None else to_agency.strip()
    _event(tip, TipEvent.Kind.TRANSFERRED, actor=acting_user, at=at, note=where)
    _audit(tip, AuditEvent.Action.UPDATE, acting_user, step="transferred",
           to_unit=to_unit.pk if to_unit else None)  # fmt: skip
    if to_unit is None:
        return None
    arrived = _create(
        acting_user=acting_user, org_unit=to_unit, received_at=at, channel=Channel.TRANSFERRED,
        content=tip.content, source_agency=tip.org_unit.name, reporter_name=tip.reporter_name,
        reporter_phone=tip.reporter_phone, reporter_email=tip.reporter_email,
        reporter_address=tip.reporter_address, subject=tip.subject, remote_area=tip.remote_area,
        transferred_from=tip,
    )  # fmt: skip
    if tip.legal_nature:
        arrived.legal_nature = tip.legal_nature
        arrived.save(update_fields=["legal_nature"])
    _event(arrived, TipEvent.Kind.ARRIVED, actor=acting_user, at=at,
           note=f"{tip.reference} · {tip.org_unit.name}")  # fmt: skip
    _notify_arrival(
        arrived,
        _("Tin báo %(r)s được %(u)s chuyển đến.") % {"r": arrived.reference, "u": tip.org_unit},
    )
    return arrived


@transaction.atomic
def tip_pause(*, tip: Tip, acting_user: Any, reason: str, at: datetime | None = None) -> TipPause:
    _require_manage(acting_user, tip)
    _require_open(tip)
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": [_("Hãy ghi lý do tạm dừng.")]})
    if tip.pauses.filter(ended_at__isnull=True).exists():
        raise ValidationError(_("Thời hạn đang tạm dừng rồi."))
    at = at or _now()
    pause = TipPause.objects.create(
        tip=tip, started_at=at, reason=reason.strip()[:500],
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )  # fmt: skip
    _event(tip, TipEvent.Kind.PAUSED, actor=acting_user, at=at, note=reason.strip())
    _audit(tip, AuditEvent.Action.UPDATE, acting_user, step="paused")
    return pause


@transaction.atomic
def tip_resume(*, tip: Tip, acting_user: Any, at: datetime | None = None) -> TipPause:
    _require_manage(acting_user, tip)
    pause = tip.pauses.filter(ended_at__isnull=True).first()
    if pause is None:
        raise ValidationError(_("Thời hạn không tạm dừng."))
    at = at or _now()
    if at < pause.started_at:
        raise ValidationError(_("Thời điểm tiếp tục phải sau thời điểm tạm dừng."))
    pause.ended_at = at
    pause.save(update_fields=["ended_at"])
    _event(tip, TipEvent.Kind.RESUMED, actor=acting_user, at=at)
    _audit(tip, AuditEvent.Action.UPDATE, acting_user, step="resumed")
    return pause


@transaction.atomic
def tip_extend(*, tip: Tip, acting_user: Any, months: int, reason: str) -> TipExtension:
    """Grant the one extension the rule allows; only a leader of the unit (tip.supervise)."""
    if acting_user is None or not can_supervise(acting_user, tip):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị được phê duyệt gia hạn."))
    _require_open(tip)
    if TipExtension.objects.filter(tip=tip).exists():
        raise ValidationError(_("Tin báo đã được gia hạn một lần: không gia hạn thêm."))
    rule = tip_clock(tip).rule
    limit = rule.max_extension_months if rule is not None else 0
    errors: dict[str, list[str]] = {}
    if limit == 0:
        errors["months"] = [_("Quy tắc thời hạn của loại tin báo này không cho gia hạn.")]
    elif not 1 <= months <= limit:
        errors["months"] = [_("Gia hạn từ 1 đến %(n)d tháng.") % {"n": limit}]
    if len(reason.strip()) < 10:
        errors["reason"] = [_("Hãy ghi lý do gia hạn (ít nhất 10 ký tự).")]
    if errors:
        raise ValidationError(errors)
    extension = TipExtension.objects.create(
        tip=tip, months=months, reason=reason.strip()[:500], approved_by=acting_user,
        approved_at=_now(),
    )  # fmt: skip
    _event(tip, TipEvent.Kind.EXTENDED, actor=acting_user,
           note=_("%(n)d tháng: %(r)s") % {"n": months, "r": reason.strip()})  # fmt: skip
    _audit(tip, AuditEvent.Action.UPDATE, acting_user, step="extended", months=months)
    return extension


# --- Messages and the reporter -------------------------------------------------------------


@transaction.atomic
def tip_message_officer(*, tip: Tip, acting_user: Any, body: str) -> TipMessage:
    """A message from the officer to the reporter (read through the receipt code)."""
    _require_manage(acting_user, tip)
    if tip.receipt_hash is None and not tip.transferred_from_id:
        raise ValidationError(_("Người báo không có mã tra cứu: không gửi được tin nhắn."))
    if not body.strip():
        raise ValidationError({"body": [_("Hãy ghi nội dung tin nhắn.")]})
    message = TipMessage.objects.create(
        tip=tip, at=_now(), from_reporter=False, author=acting_user, body=body.strip()[:5000]
    )
    _event(tip, TipEvent.Kind.MESSAGE, actor=acting_user, note=_("Gửi tin nhắn cho người báo."))
    _audit(tip, AuditEvent.Action.UPDATE, acting_user, step="message")
    return message


@transaction.atomic
def tip_message_reporter(*, tip: Tip, body: str) -> TipMessage:
    """A message from the reporter, through the public status page."""
    if not body.strip():
        raise ValidationError({"body": [_("Hãy ghi nội dung tin nhắn.")]})
    if len(body) > 5000:
        raise ValidationError({"body": [_("Tin nhắn dài quá 5.000 ký tự.")]})
    message = TipMessage.objects.create(tip=tip, at=_now(), from_reporter=True, body=body.strip())
    _event(tip, TipEvent.Kind.MESSAGE, actor=None, note=_("Người báo gửi tin nhắn."))
    recipients = (
        [tip.handling_officer] if tip.handling_officer is not None else unit_police(tip.org_unit)
    )
    notify(
        users=recipients, key=f"tip:{tip.pk}:message:{message.pk}",
        text=_("Người báo gửi tin nhắn về tin báo %(r)s.") % {"r": tip.reference},
        link=tip_link(tip),
    )  # fmt: skip
    return message


def messages_for_reporter(tip: Tip) -> list[TipMessage]:
    """The whole exchange, across the transfers of the tip."""
    chain = [tip.pk]
    current = tip
    while current.transferred_from_id and current.transferred_from_id not in chain:
        chain.append(current.transferred_from_id)
        current = Tip.objects.get(pk=current.transferred_from_id)
    return list(TipMessage.objects.filter(tip_id__in=chain).order_by("at", "id"))


@transaction.atomic
def tip_reveal_reporter(*, tip: Tip, user: Any, reason: str, request: Any = None) -> dict[str, Any]:
    """The reporter's sealed details, for the handling officer or police of the unit, with a
    recorded reason (AuditEvent VIEW_SENSITIVE by pcmd.sealing.access.reveal)."""
    if not can_reveal(user, tip):
        raise PermissionDenied(
            _("Chỉ cán bộ thụ lý hoặc công an của đơn vị được xem thông tin người báo.")
        )
    values = reveal(user=user, obj=tip, fields=list(REPORTER_FIELDS), reason=reason,
                    request=request)  # fmt: skip
    _event(tip, TipEvent.Kind.REVEALED, actor=user, note=reason.strip())
    return values


def open_tips_q() -> Q:
    return ~Q(status=Tip.Status.HANDLED)
