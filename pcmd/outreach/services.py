"""Record awareness activities: one at a time (page, API) or a whole XLSX file.

Owns: outreach_event_create(), outreach_event_update(), outreach_event_delete(),
outreach_events_import(), OutreachImportResult, OUTREACH_COLUMNS, outreach_template_xlsx(),
outreach_export_xlsx(), attachment checks (attachment_check).
Invariants: only a role with "outreach.manage" writes, and only in units of its scope; an event
is in a village or a commune valid on its date, never in the future; its agency belongs to the
unit or a unit above it; its task belongs to a plan whose unit covers the event's unit; an
update is refused (StaleRecord, nothing written) if someone saved the record since the form was
opened; an import writes all rows or none; every write is audited.
Not here: reading and scoping (selectors.py), XLSX mechanics (pcmd.records.xlsx).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import require_capability, unit_in_scope
from pcmd.common.records import record_save_versioned
from pcmd.common.text import search_key
from pcmd.indicators.store import records_bulk_written
from pcmd.orgunits import selectors as orgunit_selectors
from pcmd.orgunits.models import Agency, OrgUnit, OrgUnitScope
from pcmd.outreach.models import OutreachAttachment, OutreachEvent
from pcmd.plans.models import Task
from pcmd.plans.services.progress import evidence_check
from pcmd.records.xlsx import Column, RowError, xlsx_export, xlsx_read_rows, xlsx_template

ATTACHMENT_MAX_FILES = 5
IMPORT_BATCH = 2000
Progress = Callable[[int, int, str], None]

_EDITABLE = (
    "date", "form", "topic", "agency", "audiences", "participants", "combined_with", "task",
    "note",
)  # fmt: skip


def _covers(holder: OrgUnit | int, unit: OrgUnit | int) -> bool:
    """True if `holder` is `unit`, above it, or its successor (the scope table says so)."""
    holder_id = holder.pk if isinstance(holder, OrgUnit) else holder
    unit_id = unit.pk if isinstance(unit, OrgUnit) else unit
    return OrgUnitScope.objects.filter(holder_id=holder_id, unit_id=unit_id).exists()


# What a province or district does itself: its media ("thông tin ... được đăng tải trên các
# phương tiện thông tin đại chúng của tỉnh và huyện ... ít nhất một tháng một lần") and its
# conferences. Community activities belong to the commune or village where they happened.
WIDE_FORMS = frozenset(
    {
        OutreachEvent.Form.WEBSITE,
        OutreachEvent.Form.SOCIAL_MEDIA,
        OutreachEvent.Form.PRESS,
        OutreachEvent.Form.BROADCAST,
        OutreachEvent.Form.CONFERENCE,
    }
)


def _check(
    *, user: Any, org_unit: OrgUnit, commune: OrgUnit | None, values: dict[str, Any]
) -> None:
    """Every rule of an event; all problems at once, each beside its field."""
    errors: dict[str, str] = {}
    on: date | None = values.get("date")
    today = timezone.localdate()
    if on is None:
        errors["date"] = _("Hãy nhập ngày.")
    elif on > today:
        errors["date"] = _("Ngày không được ở tương lai.")
    local = org_unit.level in (OrgUnit.Level.VILLAGE, OrgUnit.Level.COMMUNE)
    wide = org_unit.level in (OrgUnit.Level.PROVINCE, OrgUnit.Level.DISTRICT)
    if not local and not (wide and values.get("form") in WIDE_FORMS):
        errors["org_unit"] = _(
            "Hoạt động tại cộng đồng phải thuộc một xã hoặc một thôn, tổ dân phố; ở cấp tỉnh, "
            "huyện chỉ ghi tin, bài trên phương tiện thông tin đại chúng và hội nghị."
        )
    elif not unit_in_scope(user, org_unit):
        errors["org_unit"] = _("Đơn vị này không thuộc phạm vi của bạn.")
    elif on is not None and not org_unit.is_valid_on(on):
        errors["org_unit"] = _("%(unit)s không còn hiệu lực vào ngày %(d)s.") % {
            "unit": org_unit.name,
            "d": on.strftime("%d/%m/%Y"),
        }
    elif commune is not None and commune.pk != org_unit.pk:
        parent = orgunit_selectors.orgunit_parent(org_unit, on=on or today)
        if parent is None or parent.pk != commune.pk:
            errors["org_unit"] = _("%(village)s không thuộc %(commune)s.") % {
                "village": org_unit.name,
                "commune": commune.name,
            }
    if values.get("form") not in OutreachEvent.Form.values:
        errors["form"] = _("Hình thức không hợp lệ.")
    if not str(values.get("topic") or "").strip():
        errors["topic"] = _("Hãy ghi chủ đề, nội dung tuyên truyền.")
    participants = values.get("participants")
    if participants is not None and participants < 0:
        errors["participants"] = _("Số người tham dự không được là số âm.")
    if any(a not in OutreachEvent.Audience.values for a in values.get("audiences") or []):
        errors["audiences"] = _("Đối tượng không hợp lệ.")
    if any(c not in OutreachEvent.Programme.values for c in values.get("combined_with") or []):
        errors["combined_with"] = _("Chương trình lồng ghép không hợp lệ.")
    agency: Agency | None = values.get("agency")
    if agency is not None and "org_unit" not in errors:
        if not _covers(agency.org_unit_id, org_unit):
            errors["agency"] = _("%(agency)s không phải là cơ quan của %(unit)s.") % {
                "agency": agency.name,
                "unit": org_unit.name,
            }
        elif on is not None and not agency.is_valid_on(on):
            errors["agency"] = _("%(agency)s không còn hoạt động vào ngày này.") % {
                "agency": agency.name
            }
    task: Task | None = values.get("task")
    if (
        task is not None
        and "org_unit" not in errors
        and not _covers(task.plan.org_unit_id, org_unit)
    ):
        errors["task"] = _("Nhiệm vụ này thuộc kế hoạch của một đơn vị khác.")
    if errors:
        raise ValidationError(errors)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: values[k] for k in _EDITABLE if k in values}
    out["topic"] = str(out.get("topic") or "").strip()
    out["note"] = str(out.get("note") or "").strip()
    out["audiences"] = list(dict.fromkeys(out.get("audiences") or []))
    out["combined_with"] = list(dict.fromkeys(out.get("combined_with") or []))
    return out


def attachment_check(files: list[Any]) -> None:
    if len(files) > ATTACHMENT_MAX_FILES:
        raise ValidationError(
            {"attachments": _("Tối đa %(n)d tệp đính kèm mỗi lần.") % {"n": ATTACHMENT_MAX_FILES}}
        )
    for upload in files:
        try:
            evidence_check(upload)
        except ValidationError as exc:
            raise ValidationError({"attachments": exc.messages}) from exc


def _attach(event: OutreachEvent, files: list[Any]) -> list[OutreachAttachment]:
    stored = []
    for upload in files:
        _ext, content_type = evidence_check(upload)
        attachment = OutreachAttachment(
            event=event,
            original_name=PurePath(str(upload.name)).name[:255],
            content_type=content_type,
            size=int(upload.size),
        )
        attachment.file.save(PurePath(str(upload.name)).name, File(upload), save=True)
        stored.append(attachment)
    return stored


@transaction.atomic
def outreach_event_create(
    *,
    org_unit: OrgUnit,
    acting_user: Any,
    commune: OrgUnit | None = None,
    files: list[Any] | None = None,
    **values: Any,
) -> OutreachEvent:
    """Record an awareness activity in `org_unit` (a village of `commune`, or the commune)."""
    require_capability(acting_user, "outreach.manage")
    data = _clean(values)
    _check(user=acting_user, org_unit=org_unit, commune=commune, values=data)
    attachment_check(files or [])
    event = OutreachEvent(org_unit=org_unit, created_by=acting_user, **data)
    record_save_versioned(event, expected_version=None)
    _attach(event, files or [])
    audit_record(action=AuditEvent.Action.CREATE, user=acting_user, obj=event)
    return event


@transaction.atomic
def outreach_event_update(
    *,
    event: OutreachEvent,
    expected_version: int | None,
    acting_user: Any,
    org_unit: OrgUnit | None = None,
    commune: OrgUnit | None = None,
    files: list[Any] | None = None,
    **values: Any,
) -> OutreachEvent:
    """Change an event, unless someone saved it since `expected_version` (StaleRecord)."""
    require_capability(acting_user, "outreach.manage")
    if not unit_in_scope(acting_user, event.org_unit_id):
        raise ValidationError(_("Hoạt động này không thuộc phạm vi của bạn."))
    current = {k: getattr(event, k) for k in _EDITABLE}
    data = _clean({**current, **values})
    unit = org_unit or event.org_unit
    _check(user=acting_user, org_unit=unit, commune=commune, values=data)
    attachment_check(files or [])
    changed = sorted(k for k in data if data[k] != current[k])
    if unit.pk != event.org_unit_id:
        changed.append("org_unit")
    event.org_unit = unit
    for name, value in data.items():
        setattr(event, name, value)
    record_save_versioned(event, expected_version=expected_version)
    _attach(event, files or [])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=acting_user,
        obj=event,
        detail={"fields": changed, "version": event.version},
    )
    return event


@transaction.atomic
def outreach_event_delete(*, event: OutreachEvent, acting_user: Any) -> None:
    require_capability(acting_user, "outreach.manage")
    if not unit_in_scope(acting_user, event.org_unit_id):
        raise ValidationError(_("Hoạt động này không thuộc phạm vi của bạn."))
    files = [a.file for a in event.attachments.all()]
    audit_record(
        action=AuditEvent.Action.DELETE,
        user=acting_user,
        obj=event,
        detail={"date": event.date.isoformat(), "form": event.form, "topic": event.topic[:200]},
    )
    event.delete()
    for stored in files:
        transaction.on_commit(partial(stored.delete, save=False))


# --- XLSX ---------------------------------------------------------------------------------

OUTREACH_COLUMNS: list[Column] = [
    Column("date", "Ngày", kind="date", required=True),
    Column(
        "unit", "Thôn, tổ dân phố", max_length=200,
        help="Để trống nếu hoạt động ở cấp xã; ghi tên thôn như trong hệ thống (ví dụ “Thôn 1”).",
    ),
    Column("form", "Hình thức", kind="choice", choices=OutreachEvent.Form.choices, required=True),
    Column("topic", "Chủ đề, nội dung", required=True, max_length=500),
    Column("agency", "Cơ quan tổ chức", max_length=255, help="Tên cơ quan của xã."),
    Column(
        "audiences", "Đối tượng", kind="choice", choices=OutreachEvent.Audience.choices,
        multiple=True,
    ),
    Column(
        "participants", "Số người tham dự", kind="int",
        help="Để trống khi không đếm được (phát loa, băng rôn, bài đăng).",
    ),
    Column(
        "combined_with", "Lồng ghép với", kind="choice",
        choices=OutreachEvent.Programme.choices, multiple=True,
    ),
    Column("note", "Ghi chú", max_length=2000),
]  # fmt: skip


def outreach_template_xlsx() -> bytes:
    return xlsx_template(
        columns=OUTREACH_COLUMNS,
        sheet_title="Tuyên truyền",
        instructions=[
            _("Mẫu nhập các hoạt động tuyên truyền phòng, chống mại dâm: mỗi dòng một hoạt động."),
            _("Giữ nguyên dòng tiêu đề. Không gộp ô, không dùng công thức."),
            _("Ngày ghi dạng dd/mm/yyyy, không ở tương lai."),
            _("Nhiều đối tượng hoặc chương trình lồng ghép: cách nhau bởi dấu chấm phẩy (;)."),
            _("Tệp được kiểm tra toàn bộ trước khi ghi: có lỗi ở dòng nào thì không dòng nào "
              "được ghi."),
        ],
    )  # fmt: skip


def outreach_export_xlsx(*, events: Any) -> bytes:
    columns = [Column("commune", "Đơn vị"), *OUTREACH_COLUMNS]
    return xlsx_export(
        columns=columns,
        rows=(
            {
                "date": e.date,
                "commune": e.org_unit.name,
                "unit": e.org_unit.name if e.org_unit.level == OrgUnit.Level.VILLAGE else "",
                "form": e.form,
                "topic": e.topic,
                "agency": e.agency.name if e.agency else "",
                "audiences": e.audiences,
                "participants": e.participants,
                "combined_with": e.combined_with,
                "note": e.note,
            }
            for e in events
        ),
    )


@dataclass
class OutreachImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _by_name(items: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in items:
        found.setdefault(search_key(item.name), item)
        short = getattr(item, "short_name", "")
        if short:
            found.setdefault(search_key(short), item)
        code = getattr(item, "code", "")
        if code:
            found.setdefault(search_key(code), item)
    return found


def outreach_events_import(
    *,
    data: bytes,
    commune: OrgUnit,
    acting_user: Any,
    filename: str = "",
    progress: Progress | None = None,
) -> OutreachImportResult:
    """Check every row of the file, then write all of them in one transaction, or none."""
    require_capability(acting_user, "outreach.manage")
    if commune.level != OrgUnit.Level.COMMUNE or not unit_in_scope(acting_user, commune):
        return OutreachImportResult(
            errors=[RowError(0, "", _("Chỉ nhập được cho một xã trong phạm vi của bạn."))]
        )
    rows, errors = xlsx_read_rows(data=data, columns=OUTREACH_COLUMNS)
    if errors:
        return OutreachImportResult(errors=errors)
    total = len(rows)
    if progress:
        progress(0, total, _("Đang kiểm tra %(n)d dòng") % {"n": total})
    villages = _by_name(orgunit_selectors.village_list(commune))
    agencies = _by_name(orgunit_selectors.agency_list(commune))
    label = {c.key: c.label for c in OUTREACH_COLUMNS}
    today = timezone.localdate()
    events: list[OutreachEvent] = []
    for row in rows:
        number, on = row["_row"], row["date"]
        unit = commune
        if on > today:
            errors.append(RowError(number, label["date"], _("ngày ở tương lai.")))
        if row["unit"]:
            found = villages.get(search_key(row["unit"]))
            if found is None:
                errors.append(
                    RowError(
                        number,
                        label["unit"],
                        _("“%(v)s” không phải là thôn, tổ dân phố của %(c)s.")
                        % {"v": row["unit"], "c": commune.name},
                    )
                )
            else:
                unit = found
        if not unit.is_valid_on(on):
            errors.append(
                RowError(
                    number,
                    label["unit"] if unit is not commune else label["date"],
                    _("%(u)s không còn hiệu lực vào ngày %(d)s.")
                    % {"u": unit.name, "d": on.strftime("%d/%m/%Y")},
                )
            )
        agency = None
        if row["agency"]:
            agency = agencies.get(search_key(row["agency"]))
            if agency is None:
                errors.append(
                    RowError(
                        number,
                        label["agency"],
                        _("không tìm thấy cơ quan “%(v)s” của %(c)s.")
                        % {"v": row["agency"], "c": commune.name},
                    )
                )
            elif not agency.is_valid_on(on):
                errors.append(
                    RowError(
                        number, label["agency"], _("cơ quan không còn hoạt động vào ngày này.")
                    )
                )
        events.append(
            OutreachEvent(
                org_unit=unit,
                created_by=acting_user,
                date=on,
                form=row["form"],
                topic=row["topic"],
                agency=agency,
                audiences=row["audiences"],
                participants=row["participants"],
                combined_with=row["combined_with"],
                note=row["note"],
            )
        )
    if errors:
        return OutreachImportResult(errors=errors)
    with transaction.atomic():
        for start in range(0, total, IMPORT_BATCH):
            OutreachEvent.objects.bulk_create(events[start : start + IMPORT_BATCH])
            records_bulk_written(events[start : start + IMPORT_BATCH])
            if progress:
                done = min(total, start + IMPORT_BATCH)
                progress(done, total, _("Đã ghi %(n)d/%(t)d dòng") % {"n": done, "t": total})
        audit_record(
            action=AuditEvent.Action.IMPORT,
            user=acting_user,
            obj=commune,
            detail={"filename": filename[:200], "outreach_events": total},
        )
    return OutreachImportResult(created=total)
