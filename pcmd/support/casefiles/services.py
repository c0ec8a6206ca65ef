"""Write support case files: open a file under a pseudonymous code, record consents, needs,
services and referrals, keep the case plan, request and approve closure, set a legal hold.

Owns: beneficiary_create(), beneficiary_update(), consent_create(), consent_withdraw(),
assessment_create(), service_create(), referral_create(), referral_update(),
closure_request(), closure_decide(), legal_hold_set(), BENEFICIARY_FIELDS, IDENTITY_FIELDS,
ReferralRefused.
Invariants: a person writes only with "beneficiary.manage" (closure decisions and legal holds:
"support.supervise") and only in units of their scope; acting_user=None is the system. The code
is "<unit code>-<year>-<sequence>" and never derived from the person. Identifying values go only
into sealed fields and their blind indexes; audit rows name the fields changed, never the
values. A referral is written only if a consent in force on its date covers referral — else
ReferralRefused and nothing is written. A closed file takes no new records. Every write is
audited in its transaction; a stale update is refused (StaleRecord).
Not here: reads (selectors), reveal of identities (pcmd.sealing.access), export / erasure /
purge (dsr).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, unit_in_scope
from pcmd.common.records import record_save_versioned
from pcmd.orgunits.models import Agency, OrgUnit, OrgUnitScope
from pcmd.sealing.blind import blind_index
from pcmd.support.casefiles.models import (
    Beneficiary,
    Consent,
    Need,
    NeedsAssessment,
    Referral,
    ServiceKind,
    ServiceProvision,
)
from pcmd.support.models import PilotModel

IDENTITY_FIELDS = ("full_name", "birth_date", "id_number", "phone", "address")
BENEFICIARY_FIELDS = (
    "registered_on",
    "group",
    "sex",
    "age_band",
    "case_plan",
    "case_plan_review_on",
)
EARLIEST = date(2000, 1, 1)


class ReferralRefused(ValidationError):
    """No consent in force covers referral: nothing may be shared, nothing is written."""


def _require(user: Any, capability: str, unit: OrgUnit) -> None:
    if user is None:
        return
    if not has_capability(user, capability):
        raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))
    if not unit_in_scope(user, unit):
        raise PermissionDenied(_("Đơn vị này nằm ngoài phạm vi của bạn."))


def _check_day(errors: dict[str, str], name: str, value: date | None, *, not_before: date | None
               = None, allow_future: bool = False) -> None:  # fmt: skip
    if value is None:
        return
    if not allow_future and value > timezone.localdate():
        errors[name] = _("Ngày không được ở tương lai.")
    elif value < (not_before or EARLIEST):
        errors[name] = _("Ngày không được trước ngày %(d)s.") % {
            "d": (not_before or EARLIEST).strftime("%d/%m/%Y")
        }


def _require_open(beneficiary: Beneficiary) -> None:
    if beneficiary.status == Beneficiary.Status.CLOSED:
        raise ValidationError(_("Hồ sơ %(code)s đã đóng: không ghi thêm được.") % {
            "code": beneficiary.code
        })  # fmt: skip


def _set_identity(beneficiary: Beneficiary, values: dict[str, Any]) -> list[str]:
    """Put identifying values into the sealed fields and refresh the blind indexes; returns
    the names of the fields that were given."""
    changed = []
    for name in IDENTITY_FIELDS:
        if name not in values:
            continue
        value = values[name] or None if name == "birth_date" else (values[name] or "").strip()
        setattr(beneficiary, name, value)
        changed.append(name)
    beneficiary.name_index = blind_index(beneficiary.full_name or "", purpose="name")
    beneficiary.id_number_index = blind_index(beneficiary.id_number or "", purpose="id_number")
    return changed


def _validate_beneficiary(b: Beneficiary) -> None:
    errors: dict[str, str] = {}
    if b.group not in Beneficiary.Group.values:
        errors["group"] = _("Nhóm đối tượng không hợp lệ.")
    if b.sex not in Beneficiary.Sex.values:
        errors["sex"] = _("Giới tính không hợp lệ.")
    if b.age_band not in Beneficiary.AgeBand.values:
        errors["age_band"] = _("Nhóm tuổi không hợp lệ.")
    if not (b.full_name or "").strip():
        errors["full_name"] = _("Hãy nhập họ và tên (được niêm phong, chỉ người có quyền xem).")
    elif len(b.full_name) > 200:
        errors["full_name"] = _("Họ và tên dài quá 200 ký tự.")
    if b.id_number and not (b.id_number.isdigit() and len(b.id_number) in (9, 12)):
        errors["id_number"] = _("Số định danh, CCCD gồm 9 hoặc 12 chữ số.")
    if b.phone:
        digits = b.phone.replace(" ", "").replace(".", "").lstrip("+")
        if not (digits.isdigit() and 9 <= len(digits) <= 12):
            errors["phone"] = _("Số điện thoại gồm 9 đến 12 chữ số.")
    _check_day(errors, "registered_on", b.registered_on)
    if b.birth_date is not None:
        if b.birth_date > timezone.localdate():
            errors["birth_date"] = _("Ngày sinh không được ở tương lai.")
        elif b.birth_date < date(1920, 1, 1):
            errors["birth_date"] = _("Ngày sinh không hợp lệ.")
    if b.registered_on and not b.org_unit.is_valid_on(b.registered_on):
        errors["org_unit"] = _("Đơn vị %(unit)s không tồn tại vào ngày %(d)s.") % {
            "unit": b.org_unit.name,
            "d": b.registered_on.strftime("%d/%m/%Y"),
        }
    _check_day(errors, "case_plan_review_on", b.case_plan_review_on, allow_future=True,
               not_before=b.registered_on)  # fmt: skip
    if errors:
        raise ValidationError(errors)


def _next_code(unit: OrgUnit, year: int) -> tuple[int, str]:
    prefix = unit.code or f"DV{unit.pk}"
    last = Beneficiary.objects.filter(org_unit=unit, year=year).aggregate(m=Max("sequence"))["m"]
    sequence = (last or 0) + 1
    while True:
        code = f"{prefix}-{year}-{sequence:04d}"
        # Official codes can be reused by a later unit: never hand out a code already taken.
        if not Beneficiary.objects.filter(code=code).exists():
            return sequence, code
        sequence += 1


def _pilot_models(beneficiary: Beneficiary, models: Iterable[PilotModel] | None) -> None:
    if models is None:
        return
    chosen = list(models)
    for m in chosen:
        if not unit_in_scope_of(beneficiary.org_unit, m.org_unit):
            raise ValidationError(
                {"pilot_models": _("Mô hình %(m)s không thuộc địa bàn của hồ sơ.") % {"m": m}}
            )
    beneficiary.pilot_models.set(chosen)


def unit_in_scope_of(unit: OrgUnit, other: OrgUnit) -> bool:
    """True if `other` is `unit`, in its subtree, or above it (a peer group of the district
    reaches people of its communes)."""
    if unit.pk == other.pk:
        return True
    return OrgUnitScope.objects.filter(
        Q(holder_id=unit.pk, unit_id=other.pk) | Q(holder_id=other.pk, unit_id=unit.pk)
    ).exists()


@transaction.atomic
def beneficiary_create(
    *,
    acting_user: Any,
    org_unit: OrgUnit,
    registered_on: date,
    group: str,
    sex: str,
    age_band: str,
    full_name: str,
    birth_date: date | None = None,
    id_number: str = "",
    phone: str = "",
    address: str = "",
    case_plan: str = "",
    case_plan_review_on: date | None = None,
    pilot_models: Iterable[PilotModel] | None = None,
) -> Beneficiary:
    """Open a case file under a new pseudonymous code; identifying values are sealed."""
    _require(acting_user, "beneficiary.manage", org_unit)
    b = Beneficiary(
        org_unit=org_unit,
        registered_on=registered_on,
        group=group,
        sex=sex,
        age_band=age_band,
        case_plan=case_plan,
        case_plan_review_on=case_plan_review_on,
        created_by=acting_user,
    )
    _set_identity(
        b,
        {"full_name": full_name, "birth_date": birth_date, "id_number": id_number,
         "phone": phone, "address": address},
    )  # fmt: skip
    _validate_beneficiary(b)
    b.year = registered_on.year
    b.sequence, b.code = _next_code(org_unit, b.year)
    record_save_versioned(b, expected_version=None)
    _pilot_models(b, pilot_models)
    audit_record(action=AuditEvent.Action.CREATE, user=acting_user, obj=b, detail={"code": b.code})
    return b


@transaction.atomic
def beneficiary_update(
    *,
    beneficiary: Beneficiary,
    acting_user: Any,
    expected_version: int | None,
    identity: dict[str, Any] | None = None,
    pilot_models: Iterable[PilotModel] | None = None,
    **fields: Any,
) -> Beneficiary:
    """Change the pseudonymous fields and case plan; `identity` replaces only the identifying
    fields it names (a correction). Refused (StaleRecord) if someone saved the file since."""
    b = beneficiary
    _require(acting_user, "beneficiary.manage", b.org_unit)
    _require_open(b)
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in BENEFICIARY_FIELDS:
            raise TypeError(f"unknown field {name}")
        old = getattr(b, name)
        if old != value:
            changes[name] = [str(old), str(value)]
        setattr(b, name, value)
    sealed_changed = _set_identity(b, identity or {})
    _validate_beneficiary(b)
    record_save_versioned(b, expected_version=expected_version)
    _pilot_models(b, pilot_models)
    detail: dict[str, Any] = {"changes": changes}
    if sealed_changed:
        # Which sealed fields were corrected — never their values.
        detail["sealed_fields"] = sealed_changed
    audit_record(action=AuditEvent.Action.UPDATE, user=acting_user, obj=b, detail=detail)
    return b


@transaction.atomic
def consent_create(
    *,
    beneficiary: Beneficiary,
    acting_user: Any,
    given_on: date,
    covers_processing: bool = True,
    covers_referral: bool = False,
    covers_health: bool = False,
    note: str = "",
) -> Consent:
    _require(acting_user, "beneficiary.manage", beneficiary.org_unit)
    _require_open(beneficiary)
    errors: dict[str, str] = {}
    _check_day(errors, "given_on", given_on)
    if not (covers_processing or covers_referral or covers_health):
        errors["covers_processing"] = _("Hãy chọn ít nhất một nội dung được đồng ý.")
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        beneficiary=beneficiary,
        given_on=given_on,
        covers_processing=covers_processing,
        covers_referral=covers_referral,
        covers_health=covers_health,
        note=note,
        recorded_by=acting_user,
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=acting_user,
        obj=consent,
        org_unit=beneficiary.org_unit,
        detail={"beneficiary": beneficiary.code, "scope": consent_scope_codes(consent)},
    )
    return consent


def consent_scope_codes(consent: Consent) -> list[str]:
    return [
        code
        for code, on in (
            ("processing", consent.covers_processing),
            ("referral", consent.covers_referral),
            ("health", consent.covers_health),
        )
        if on
    ]


@transaction.atomic
def consent_withdraw(*, consent: Consent, acting_user: Any, withdrawn_on: date) -> Consent:
    """The person withdraws a consent from `withdrawn_on`; what was shared before stays lawful,
    nothing new is shared under it."""
    beneficiary = consent.beneficiary
    _require(acting_user, "beneficiary.manage", beneficiary.org_unit)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("Đồng ý này đã được rút lại."))
    errors: dict[str, str] = {}
    _check_day(errors, "withdrawn_on", withdrawn_on, not_before=consent.given_on)
    if errors:
        raise ValidationError(errors)
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=acting_user,
        obj=consent,
        org_unit=beneficiary.org_unit,
        detail={"beneficiary": beneficiary.code, "withdrawn_on": withdrawn_on.isoformat()},
    )
    return consent


@transaction.atomic
def assessment_create(
    *,
    beneficiary: Beneficiary,
    acting_user: Any,
    assessed_on: date,
    needs: Iterable[str],
    eligible: bool,
    note: str = "",
) -> NeedsAssessment:
    _require(acting_user, "beneficiary.manage", beneficiary.org_unit)
    _require_open(beneficiary)
    chosen = sorted(set(needs))
    errors: dict[str, str] = {}
    _check_day(errors, "assessed_on", assessed_on, not_before=beneficiary.registered_on)
    unknown = [n for n in chosen if n not in Need.values]
    if unknown:
        errors["needs"] = _("Nhu cầu không hợp lệ: %(v)s.") % {"v": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    assessment = NeedsAssessment.objects.create(
        beneficiary=beneficiary,
        assessed_on=assessed_on,
        needs=chosen,
        eligible=eligible,
        note=note,
        assessed_by=acting_user,
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=acting_user,
        obj=assessment,
        org_unit=beneficiary.org_unit,
        detail={"beneficiary": beneficiary.code},
    )
    return assessment


def _provider_errors(
    errors: dict[str, str], field: str, agency: Agency | None, name: str, on: date | None
) -> None:
    if agency is None and not name.strip():
        errors[field] = _("Hãy chọn cơ quan hoặc ghi tên tổ chức.")
    elif agency is not None and name.strip():
        errors[field] = _("Chọn cơ quan hoặc ghi tên tổ chức ngoài danh sách, không cả hai.")


@transaction.atomic
def service_create(
    *,
    beneficiary: Beneficiary,
    acting_user: Any,
    kind: str,
    provided_on: date,
    provider_agency: Agency | None = None,
    provider_name: str = "",
    outcome: str = ServiceProvision.Outcome.COMPLETED,
    note: str = "",
    referral: Referral | None = None,
) -> ServiceProvision:
    _require(acting_user, "beneficiary.manage", beneficiary.org_unit)
    _require_open(beneficiary)
    errors: dict[str, str] = {}
    if kind not in ServiceKind.values:
        errors["kind"] = _("Loại dịch vụ không hợp lệ.")
    if outcome not in ServiceProvision.Outcome.values:
        errors["outcome"] = _("Kết quả không hợp lệ.")
    _check_day(errors, "provided_on", provided_on, not_before=beneficiary.registered_on)
    _provider_errors(errors, "provider_agency", provider_agency, provider_name, provided_on)
    if referral is not None and referral.beneficiary_id != beneficiary.pk:
        errors["referral"] = _("Chuyển gửi này thuộc hồ sơ khác.")
    if errors:
        raise ValidationError(errors)
    service = ServiceProvision.objects.create(
        beneficiary=beneficiary,
        kind=kind,
        provided_on=provided_on,
        provider_agency=provider_agency,
        provider_name=provider_name.strip(),
        outcome=outcome,
        note=note,
        referral=referral,
        recorded_by=acting_user,
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=acting_user,
        obj=service,
        org_unit=beneficiary.org_unit,
        detail={"beneficiary": beneficiary.code, "kind": kind},
    )
    return service


def referral_consent(beneficiary: Beneficiary, on: date) -> Consent | None:
    """The most recent consent in force on `on` that covers referral, if any."""
    return (
        beneficiary.consents.filter(Consent.valid_on_q(on), covers_referral=True)
        .order_by("-given_on", "-id")
        .first()
    )


@transaction.atomic
def referral_create(
    *,
    beneficiary: Beneficiary,
    acting_user: Any,
    referred_on: date,
    service_kind: str,
    to_agency: Agency | None = None,
    to_name: str = "",
    follow_up_on: date | None = None,
    outcome_note: str = "",
) -> Referral:
    """Refer the person to another agency or organisation — only under a consent in force on
    `referred_on` that covers referral (ReferralRefused otherwise: nothing shared or written)."""
    _require(acting_user, "beneficiary.manage", beneficiary.org_unit)
    _require_open(beneficiary)
    errors: dict[str, str] = {}
    if service_kind not in ServiceKind.values:
        errors["service_kind"] = _("Loại dịch vụ không hợp lệ.")
    _check_day(errors, "referred_on", referred_on, not_before=beneficiary.registered_on)
    _provider_errors(errors, "to_agency", to_agency, to_name, referred_on)
    _check_day(errors, "follow_up_on", follow_up_on, not_before=referred_on, allow_future=True)
    if errors:
        raise ValidationError(errors)
    consent = referral_consent(beneficiary, referred_on)
    if consent is None:
        raise ReferralRefused(
            _(
                "Không chuyển gửi được: hồ sơ %(code)s chưa có đồng ý còn hiệu lực vào ngày "
                "%(d)s cho phép chuyển gửi, chia sẻ thông tin. Hãy ghi đồng ý của người được hỗ "
                "trợ trước; chưa có thông tin nào được chia sẻ."
            )
            % {"code": beneficiary.code, "d": referred_on.strftime("%d/%m/%Y")},
            code="no_consent",
        )
    referral = Referral.objects.create(
        beneficiary=beneficiary,
        referred_on=referred_on,
        service_kind=service_kind,
        to_agency=to_agency,
        to_name=to_name.strip(),
        consent=consent,
        follow_up_on=follow_up_on,
        outcome_note=outcome_note,
        referred_by=acting_user,
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=acting_user,
        obj=referral,
        org_unit=beneficiary.org_unit,
        detail={"beneficiary": beneficiary.code, "consent": consent.pk},
    )
    return referral


@transaction.atomic
def referral_update(
    *,
    referral: Referral,
    acting_user: Any,
    status: str,
    follow_up_on: date | None,
    outcome_note: str = "",
) -> Referral:
    """Record the receiving side's answer (accepted / declined / completed) or a new follow-up
    date."""
    beneficiary = referral.beneficiary
    _require(acting_user, "beneficiary.manage", beneficiary.org_unit)
    errors: dict[str, str] = {}
    if status not in Referral.Status.values:
        errors["status"] = _("Trạng thái không hợp lệ.")
    _check_day(errors, "follow_up_on", follow_up_on, not_before=referral.referred_on,
               allow_future=True)  # fmt: skip
    if errors:
        raise ValidationError(errors)
    old = referral.status
    referral.status = status
    referral.follow_up_on = follow_up_on
    if outcome_note:
        referral.outcome_note = outcome_note
    referral.save()
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=acting_user,
        obj=referral,
        org_unit=beneficiary.org_unit,
        detail={"beneficiary": beneficiary.code, "status": [old, status]},
    )
    return referral


@transaction.atomic
def closure_request(
    *, beneficiary: Beneficiary, acting_user: Any, closed_on: date, reason: str
) -> Beneficiary:
    """A social worker asks the supervisor to close the file."""
    b = beneficiary
    _require(acting_user, "beneficiary.manage", b.org_unit)
    if b.status != Beneficiary.Status.OPEN:
        raise ValidationError(_("Chỉ hồ sơ đang hỗ trợ mới đề nghị đóng được."))
    errors: dict[str, str] = {}
    _check_day(errors, "closed_on", closed_on, not_before=b.registered_on)
    if len(reason.strip()) < 10:
        errors["reason"] = _("Hãy ghi lý do đóng hồ sơ (ít nhất 10 ký tự).")
    if errors:
        raise ValidationError(errors)
    b.status = Beneficiary.Status.CLOSURE_REQUESTED
    b.closed_on = closed_on
    b.closure_reason = reason.strip()
    b.closure_requested_by = acting_user
    record_save_versioned(b, expected_version=b.version)
    audit_record(action=AuditEvent.Action.UPDATE, user=acting_user, obj=b,
                 detail={"status": b.status})  # fmt: skip
    return b


@transaction.atomic
def closure_decide(
    *, beneficiary: Beneficiary, acting_user: Any, approve: bool, note: str = ""
) -> Beneficiary:
    """The supervisor (a leader of the unit) approves the closure or returns the file open."""
    b = beneficiary
    _require(acting_user, "support.supervise", b.org_unit)
    if b.status != Beneficiary.Status.CLOSURE_REQUESTED:
        raise ValidationError(_("Hồ sơ này không có đề nghị đóng đang chờ phê duyệt."))
    if approve:
        b.status = Beneficiary.Status.CLOSED
        b.closure_approved_by = acting_user
    else:
        if len(note.strip()) < 10:
            raise ValidationError({"note": _("Hãy ghi lý do trả lại (ít nhất 10 ký tự).")})
        b.status = Beneficiary.Status.OPEN
        b.closed_on = None
        b.closure_reason = ""
    record_save_versioned(b, expected_version=b.version)
    audit_record(action=AuditEvent.Action.UPDATE, user=acting_user, obj=b,
                 detail={"status": b.status, "note": note.strip()[:500]})  # fmt: skip
    return b


@transaction.atomic
def legal_hold_set(
    *, beneficiary: Beneficiary, acting_user: Any, hold: bool, reason: str
) -> Beneficiary:
    """Put a file under legal hold (it is then never erased or purged) or lift the hold."""
    b = beneficiary
    _require(acting_user, "support.supervise", b.org_unit)
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": _("Hãy ghi lý do (ít nhất 10 ký tự).")})
    b.legal_hold = hold
    b.legal_hold_reason = reason.strip() if hold else ""
    record_save_versioned(b, expected_version=b.version)
    audit_record(action=AuditEvent.Action.UPDATE, user=acting_user, obj=b,
                 detail={"legal_hold": hold, "reason": reason.strip()[:500]})  # fmt: skip
    return b


@transaction.atomic
def beneficiary_origin_set(
    *,
    beneficiary: Beneficiary,
    acting_user: Any,
    inspection: Any = None,
    case: Any = None,
) -> Beneficiary:
    """Record where the person was referred from: an inspection (administrative sanction) or a
    criminal case of the same area, which the user may see. None clears the link."""
    from pcmd.accounts.permissions import unit_in_scope

    b = beneficiary
    _require(acting_user, "beneficiary.manage", b.org_unit)
    errors: dict[str, str] = {}
    for name, record in (("inspection", inspection), ("case", case)):
        if record is not None and not unit_in_scope(acting_user, record.org_unit):
            errors[name] = _("Mục này không thuộc phạm vi của bạn.")
    if errors:
        raise ValidationError(errors)
    before = [b.origin_inspection_id, b.origin_case_id]
    b.origin_inspection = inspection
    b.origin_case = case
    record_save_versioned(b, expected_version=b.version)
    audit_record(
        action=AuditEvent.Action.UPDATE, user=acting_user, obj=b,
        detail={"origin": {"before": before, "after": [b.origin_inspection_id, b.origin_case_id]}},
    )  # fmt: skip
    return b
