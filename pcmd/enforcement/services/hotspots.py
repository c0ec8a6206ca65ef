"""Write hot spots (places known for prostitution).

Owns: hotspot_create(), hotspot_update(), hotspot_delete(), hotspot_columns(),
hotspot_template_xlsx(), hotspot_export_xlsx(), hotspots_import().
Invariants: detected and cleared dates are not in the future and clearing follows detection; a
hot spot at an establishment names one in the writer's scope; the unit existed when it was
detected. An XLSX import checks every row with the same rules (_check) first, then writes all
rows or none, audited once as IMPORT; the establishment is named by its licence number or its
name in the register of the unit the file is filed under.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import scope_filter
from pcmd.common.text import search_key
from pcmd.enforcement.models import Establishment, HotSpot
from pcmd.enforcement.selectors import in_unit_q
from pcmd.enforcement.services.common import (
    Errors,
    Lookups,
    add,
    apply_changes,
    check_not_future,
    check_unit,
    delete_audited,
    field_names,
    in_scope_of,
    raise_if_errors,
    require_write,
    save_audited,
)
from pcmd.enforcement.services.imports import ImportResult, Progress, import_rows
from pcmd.orgunits.models import OrgUnit
from pcmd.records.xlsx import Column, RowError, xlsx_export, xlsx_template

CAPABILITY = "inspection.manage"
FIELDS = field_names(HotSpot)


def _check(obj: HotSpot, *, user: Any, unit_changed: bool, lookups: Lookups | None = None) -> None:
    errors: Errors = {}
    check_not_future(errors, "detected_on", obj.detected_on)
    check_not_future(errors, "cleared_on", obj.cleared_on)
    if obj.detected_on and obj.cleared_on and obj.cleared_on < obj.detected_on:
        add(errors, "cleared_on", _("Ngày xóa bỏ phải sau ngày phát hiện."))
    if obj.place_kind == HotSpot.PlaceKind.ESTABLISHMENT and obj.establishment_id is None:
        add(errors, "establishment", _("Hãy chọn cơ sở kinh doanh."))
    est = obj.establishment
    if est is not None and user is not None and not in_scope_of(user, lookups)(est.org_unit_id):
        add(errors, "establishment", _("Cơ sở này nằm ngoài phạm vi của bạn."))
    if unit_changed and obj.detected_on:
        check_unit(
            errors,
            user=user,
            org_unit=obj.org_unit if obj.org_unit_id else None,
            on=obj.detected_on,
            lookups=lookups,
        )
    raise_if_errors(obj, errors, lookups=lookups)


@transaction.atomic
def hotspot_create(*, acting_user: Any, **fields: Any) -> HotSpot:
    require_write(acting_user, CAPABILITY, None)
    obj = HotSpot()
    apply_changes(obj, fields, FIELDS)
    _check(obj, user=acting_user, unit_changed=True)
    return save_audited(obj, acting_user=acting_user, expected_version=None, changes=None)  # type: ignore[no-any-return]


@transaction.atomic
def hotspot_update(
    *, hotspot: HotSpot, acting_user: Any, expected_version: int | None, **fields: Any
) -> HotSpot:
    require_write(acting_user, CAPABILITY, hotspot.org_unit)
    changes = apply_changes(hotspot, fields, FIELDS)
    _check(hotspot, user=acting_user, unit_changed="org_unit" in changes)
    return save_audited(  # type: ignore[no-any-return]
        hotspot, acting_user=acting_user, expected_version=expected_version, changes=changes
    )


@transaction.atomic
def hotspot_delete(*, hotspot: HotSpot, acting_user: Any) -> None:
    require_write(acting_user, CAPABILITY, hotspot.org_unit)
    delete_audited(hotspot, acting_user=acting_user, in_use="")


# --- XLSX ---------------------------------------------------------------------------------


def hotspot_columns() -> list[Column]:
    return [
        Column("name", "Tên, mô tả tụ điểm", required=True, max_length=255),
        Column("place_kind", "Loại địa điểm", kind="choice", required=True,
               choices=HotSpot.PlaceKind.choices),
        Column("establishment", "Cơ sở kinh doanh", max_length=255,
               help="Khi tụ điểm ở cơ sở kinh doanh: số giấy phép hoặc tên cơ sở trong sổ theo "
                    "dõi."),
        Column("address", "Địa điểm", max_length=255),
        Column("detected_on", "Ngày phát hiện", kind="date", required=True),
        Column("detected_by", "Phát hiện qua", kind="choice", required=True,
               choices=HotSpot.DetectedBy.choices),
        Column("cleared_on", "Ngày xóa bỏ", kind="date",
               help="Để trống nếu tụ điểm chưa được xóa bỏ."),
        Column("note", "Ghi chú", max_length=2000),
    ]  # fmt: skip


def hotspot_template_xlsx() -> bytes:
    return xlsx_template(
        columns=hotspot_columns(),
        sheet_title="Tụ điểm",
        instructions=[
            _("Mẫu nhập tụ điểm, điểm phức tạp về tệ nạn mại dâm: mỗi dòng một tụ điểm."),
            _("Giữ nguyên dòng tiêu đề. Không gộp ô, không dùng công thức."),
            _("Ngày ghi dạng dd/mm/yyyy, không ở tương lai; ngày xóa bỏ sau ngày phát hiện."),
            _("Tụ điểm tại cơ sở kinh doanh: ghi số giấy phép hoặc tên cơ sở có trong sổ theo "
              "dõi của đơn vị."),
            _("Tệp được kiểm tra toàn bộ trước khi ghi: có lỗi ở dòng nào thì không dòng nào "
              "được ghi."),
        ],
    )  # fmt: skip


def hotspot_export_xlsx(*, hotspots: Iterable[HotSpot]) -> bytes:
    columns = [Column("unit", "Đơn vị"), *hotspot_columns()]
    return xlsx_export(
        columns=columns,
        rows=(
            {
                "unit": h.org_unit.name,
                "name": h.name,
                "place_kind": h.place_kind,
                "establishment": h.establishment.name if h.establishment else "",
                "address": h.address,
                "detected_on": h.detected_on,
                "detected_by": h.detected_by,
                "cleared_on": h.cleared_on,
                "note": h.note,
            }
            for h in hotspots
        ),
    )


def hotspots_import(
    *,
    unit: OrgUnit,
    data: bytes,
    acting_user: Any,
    filename: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row of the file against the hot spots' rules, then write all rows in one
    transaction, or none. `unit` is the unit the hot spots are filed under."""
    columns = hotspot_columns()
    labels = {c.key: c.label for c in columns}
    labels["org_unit"] = labels["detected_on"]
    lookups = Lookups(acting_user)
    qs = Establishment.objects.filter(in_unit_q(unit))
    if acting_user is not None:
        qs = scope_filter(qs, acting_user)
    establishments: dict[str, list[Establishment]] = {}
    for e in qs:
        for key in {search_key(e.licence_number), search_key(e.name)} - {""}:
            establishments.setdefault(key, []).append(e)

    def build(row: dict[str, Any]) -> tuple[HotSpot, list[RowError]]:
        problems: list[RowError] = []
        est: Establishment | None = None
        if row["establishment"]:
            found = establishments.get(search_key(row["establishment"]), [])
            if len(found) == 1:
                est = found[0]
            else:
                message = (
                    _("“%(v)s” không có trong sổ theo dõi cơ sở của %(u)s.")
                    if not found
                    else _("Có nhiều cơ sở cùng tên “%(v)s”: hãy ghi số giấy phép của cơ sở.")
                ) % {"v": row["establishment"], "u": unit.name}
                problems.append(RowError(row["_row"], labels["establishment"], message))
        obj = HotSpot(
            org_unit=unit,
            name=row["name"],
            place_kind=row["place_kind"],
            establishment=est,
            address=row["address"],
            detected_on=row["detected_on"],
            detected_by=row["detected_by"],
            cleared_on=row["cleared_on"],
            note=row["note"],
            created_by=acting_user,
        )
        return obj, problems

    return import_rows(
        model=HotSpot,
        capability=CAPABILITY,
        unit=unit,
        data=data,
        columns=columns,
        build=build,
        check=lambda obj: _check(obj, user=acting_user, unit_changed=True, lookups=lookups),
        labels=labels,
        acting_user=acting_user,
        what="hotspots",
        filename=filename,
        progress=progress,
    )
