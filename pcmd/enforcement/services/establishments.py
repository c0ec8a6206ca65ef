"""Write the register of at-risk businesses.

Owns: establishment_create(), establishment_update(), establishment_delete(),
establishment_columns(), establishment_template_xlsx(), establishment_export_xlsx(),
establishments_import(), EstablishmentImportResult.
Invariants: the unit is a commune (or above) in the writer's scope that existed when the business
opened (or today); the village lies under that commune; opening and closing dates are not in the
future and closing follows opening; the risk level defaults to the business type's. An
establishment with inspections or hot spots is closed (closed_on), not deleted. An XLSX import
checks every row with the same rules (_check) first, then writes all rows or none, audited once
as IMPORT.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import unit_in_scope
from pcmd.common.text import search_key
from pcmd.enforcement.models import BusinessType, Establishment, RiskLevel
from pcmd.enforcement.services.common import (
    Errors,
    add,
    apply_changes,
    check_not_future,
    check_unit,
    delete_audited,
    field_names,
    raise_if_errors,
    require_write,
    save_audited,
    today,
)
from pcmd.indicators.store import records_bulk_written
from pcmd.orgunits import selectors as orgunit_selectors
from pcmd.orgunits.models import OrgUnit, OrgUnitLink
from pcmd.records.xlsx import Column, RowError, xlsx_export, xlsx_read_rows, xlsx_template

CAPABILITY = "establishment.manage"
FIELDS = field_names(Establishment)


def _check(obj: Establishment, *, user: Any, unit_changed: bool) -> None:
    errors: Errors = {}
    check_not_future(errors, "opened_on", obj.opened_on)
    check_not_future(errors, "closed_on", obj.closed_on)
    if obj.opened_on and obj.closed_on and obj.closed_on < obj.opened_on:
        add(errors, "closed_on", _("Ngày ngừng hoạt động phải sau ngày bắt đầu hoạt động."))
    if unit_changed:
        check_unit(
            errors,
            user=user,
            org_unit=obj.org_unit if obj.org_unit_id else None,
            on=obj.opened_on or today(),
        )
    village = obj.village
    if village is not None and obj.org_unit_id is not None:
        if village.level != OrgUnit.Level.VILLAGE:
            add(errors, "village", _("Hãy chọn một thôn, tổ dân phố."))
        elif not OrgUnitLink.objects.filter(child=village, parent_id=obj.org_unit_id).exists():
            add(
                errors,
                "village",
                _("%(v)s không thuộc %(u)s.") % {"v": village.name, "u": obj.org_unit.name},
            )
    raise_if_errors(obj, errors)


@transaction.atomic
def establishment_create(*, acting_user: Any, **fields: Any) -> Establishment:
    """Add a business to the register of `fields["org_unit"]`."""
    require_write(acting_user, CAPABILITY, None)
    obj = Establishment()
    apply_changes(obj, fields, FIELDS)
    if "risk_level" not in fields and obj.business_type_id is not None:
        obj.risk_level = obj.business_type.default_risk
    _check(obj, user=acting_user, unit_changed=True)
    return save_audited(obj, acting_user=acting_user, expected_version=None, changes=None)  # type: ignore[no-any-return]


@transaction.atomic
def establishment_update(
    *, establishment: Establishment, acting_user: Any, expected_version: int | None, **fields: Any
) -> Establishment:
    """Edit a business; refused (StaleRecord) if someone saved it after `expected_version`."""
    require_write(acting_user, CAPABILITY, establishment.org_unit)
    changes = apply_changes(establishment, fields, FIELDS)
    _check(establishment, user=acting_user, unit_changed="org_unit" in changes)
    return save_audited(  # type: ignore[no-any-return]
        establishment, acting_user=acting_user, expected_version=expected_version, changes=changes
    )


@transaction.atomic
def establishment_delete(*, establishment: Establishment, acting_user: Any) -> None:
    require_write(acting_user, CAPABILITY, establishment.org_unit)
    delete_audited(
        establishment,
        acting_user=acting_user,
        in_use=_(
            "Không xóa được: cơ sở đã có lượt kiểm tra hoặc tụ điểm ghi nhận. Nếu cơ sở đã "
            "ngừng hoạt động, hãy ghi ngày ngừng hoạt động."
        ),
    )


# --- XLSX ---------------------------------------------------------------------------------

IMPORT_BATCH = 2000
Progress = Callable[[int, int, str], None]


def establishment_columns() -> list[Column]:
    """The columns of the register file; business types are the catalogue's (name or code)."""
    types = [(t.code, t.name) for t in BusinessType.objects.filter(is_active=True)]
    return [
        Column("name", "Tên cơ sở", required=True, max_length=255),
        Column(
            "business_type", "Loại hình", kind="choice", choices=types, required=True,
            help="Tên hoặc mã loại hình trong danh mục.",
        ),
        Column("address", "Địa chỉ", max_length=255),
        Column(
            "village", "Thôn, tổ dân phố", max_length=200,
            help="Tên thôn, tổ dân phố thuộc xã đã chọn khi nhập; để trống nếu không rõ.",
        ),
        Column("owner_name", "Chủ cơ sở", max_length=200),
        Column("licence_number", "Số giấy phép, đăng ký kinh doanh", max_length=80),
        Column("security_certificate_number", "Số giấy chứng nhận đủ điều kiện về ANTT",
               max_length=80),
        Column("employees", "Số lao động", kind="int"),
        Column(
            "risk_level", "Mức nguy cơ", kind="choice", choices=RiskLevel.choices,
            help="Để trống: lấy mức mặc định của loại hình.",
        ),
        Column("opened_on", "Ngày bắt đầu hoạt động", kind="date"),
        Column("closed_on", "Ngày ngừng hoạt động", kind="date",
               help="Để trống nếu cơ sở còn hoạt động."),
        Column("note", "Ghi chú", max_length=2000),
    ]  # fmt: skip


def establishment_template_xlsx() -> bytes:
    return xlsx_template(
        columns=establishment_columns(),
        sheet_title="Cơ sở kinh doanh",
        instructions=[
            _("Mẫu nhập sổ theo dõi cơ sở kinh doanh dịch vụ dễ bị lợi dụng hoạt động mại dâm: "
              "mỗi dòng một cơ sở."),
            _("Giữ nguyên dòng tiêu đề. Không gộp ô, không dùng công thức."),
            _("Ngày ghi dạng dd/mm/yyyy, không ở tương lai; ngày ngừng hoạt động sau ngày bắt "
              "đầu hoạt động."),
            _("Tệp được kiểm tra toàn bộ trước khi ghi: có lỗi ở dòng nào thì không dòng nào "
              "được ghi."),
        ],
    )  # fmt: skip


def establishment_export_xlsx(*, establishments: Iterable[Establishment]) -> bytes:
    columns = [Column("unit", "Đơn vị"), *establishment_columns()]
    return xlsx_export(
        columns=columns,
        rows=(
            {
                "unit": e.org_unit.name,
                "name": e.name,
                "business_type": e.business_type.code,
                "address": e.address,
                "village": e.village.name if e.village else "",
                "owner_name": e.owner_name,
                "licence_number": e.licence_number,
                "security_certificate_number": e.security_certificate_number,
                "employees": e.employees,
                "risk_level": e.risk_level,
                "opened_on": e.opened_on,
                "closed_on": e.closed_on,
                "note": e.note,
            }
            for e in establishments
        ),
    )


@dataclass
class EstablishmentImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def establishments_import(
    *,
    commune: OrgUnit,
    data: bytes,
    acting_user: Any,
    filename: str = "",
    progress: Progress | None = None,
) -> EstablishmentImportResult:
    """Check every row of the file against the register's rules, then write all rows in one
    transaction, or none. `commune` is the unit the businesses are filed under."""
    require_write(acting_user, CAPABILITY, None)
    if commune.level == OrgUnit.Level.VILLAGE or (
        acting_user is not None and not unit_in_scope(acting_user, commune)
    ):
        return EstablishmentImportResult(
            errors=[RowError(0, "", _("Chỉ nhập được cho một xã (hoặc cấp trên) trong phạm vi "
                                      "của bạn."))]
        )  # fmt: skip
    columns = establishment_columns()
    rows, errors = xlsx_read_rows(data=data, columns=columns)
    if errors:
        return EstablishmentImportResult(errors=errors)
    total = len(rows)
    if progress:
        progress(0, total, _("Đang kiểm tra %(n)d dòng") % {"n": total})
    types = {t.code: t for t in BusinessType.objects.all()}
    villages: dict[str, OrgUnit] = {}
    for known in orgunit_selectors.village_list(commune):
        villages.setdefault(search_key(known.name), known)
    label = {c.key: c.label for c in columns}
    label["org_unit"] = label["opened_on"]
    objects: list[Establishment] = []
    for row in rows:
        number = row["_row"]
        village: OrgUnit | None = None
        if row["village"]:
            village = villages.get(search_key(row["village"]))
            if village is None:
                errors.append(
                    RowError(
                        number,
                        label["village"],
                        _("“%(v)s” không phải là thôn, tổ dân phố của %(c)s.")
                        % {"v": row["village"], "c": commune.name},
                    )
                )
        business_type = types[row["business_type"]]
        obj = Establishment(
            org_unit=commune,
            name=row["name"],
            business_type=business_type,
            address=row["address"],
            village=village,
            owner_name=row["owner_name"],
            licence_number=row["licence_number"],
            security_certificate_number=row["security_certificate_number"],
            employees=row["employees"],
            risk_level=row["risk_level"] or business_type.default_risk,
            opened_on=row["opened_on"],
            closed_on=row["closed_on"],
            note=row["note"],
            created_by=acting_user,
        )
        try:
            _check(obj, user=acting_user, unit_changed=True)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(RowError(number, label.get(name, ""), message))
        objects.append(obj)
    if errors:
        return EstablishmentImportResult(errors=errors)
    with transaction.atomic():
        for start in range(0, total, IMPORT_BATCH):
            Establishment.objects.bulk_create(objects[start : start + IMPORT_BATCH])
            records_bulk_written(objects[start : start + IMPORT_BATCH])
            if progress:
                done = min(total, start + IMPORT_BATCH)
                progress(done, total, _("Đã ghi %(n)d/%(t)d dòng") % {"n": done, "t": total})
        audit_record(
            action=AuditEvent.Action.IMPORT,
            user=acting_user,
            obj=commune,
            detail={"filename": filename[:200], "establishments": total},
        )
    return EstablishmentImportResult(created=total)
