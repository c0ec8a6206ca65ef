"""Write prostitution-related criminal cases (counts only; police).

Owns: case_create(), case_update(), case_delete(), case_columns(), case_template_xlsx(),
case_export_xlsx(), cases_import().
Invariants: dates are not in the future; each stage past detection carries its date, later
stages' dates stay empty, and the dates follow one another (opened ≤ prosecuted ≤ indicted ≤
tried); counts are ≥ 0 and minors never outnumber victims; a linked task belongs to a plan in the
writer's scope. An XLSX import checks every row
with the same rules (_check) first, then writes all rows or none, audited once as IMPORT.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import unit_in_scope
from pcmd.common.text import search_key
from pcmd.enforcement.models import CASE_STAGE_DATES, Case, Offence
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
)
from pcmd.enforcement.services.imports import ImportResult, Progress, import_rows
from pcmd.orgunits.models import OrgUnit
from pcmd.records.xlsx import Column, RowError, xlsx_export, xlsx_template

CAPABILITY = "case.manage"
FIELDS = field_names(Case)
COUNTS = ("suspects", "defendants", "victims", "victims_minor")


def _label(name: str) -> str:
    field: Any = Case._meta.get_field(name)
    return str(field.verbose_name)


def _check(obj: Case, *, user: Any, unit_changed: bool) -> None:
    errors: Errors = {}
    check_not_future(errors, "opened_on", obj.opened_on)
    stages = list(Case.Stage.values)
    reached = stages.index(obj.stage) if obj.stage in stages else 0
    previous, previous_field = obj.opened_on, "opened_on"
    for stage, field in CASE_STAGE_DATES.items():
        value = getattr(obj, field)
        check_not_future(errors, field, value)
        label = Case.Stage(stage).label
        if stages.index(stage) <= reached and value is None:
            add(errors, field, _("Vụ án đã qua giai đoạn %(s)s: hãy ghi ngày.") % {"s": label})
        if stages.index(stage) > reached and value is not None:
            add(
                errors,
                field,
                _("Vụ án chưa tới giai đoạn %(s)s: để trống ngày này.") % {"s": label},
            )
        if value is not None and previous is not None and value < previous:
            add(
                errors,
                field,
                _("Ngày này phải sau %(f)s.") % {"f": _label(previous_field)},
            )
        if value is not None:
            previous, previous_field = value, field
    for name in COUNTS:
        value = getattr(obj, name)
        if value is not None and value < 0:
            add(errors, name, _("Số lượng không được âm."))
    if (obj.victims_minor or 0) > (obj.victims or 0):
        add(
            errors,
            "victims_minor",
            _("Số nạn nhân dưới 18 tuổi không được lớn hơn tổng số nạn nhân."),
        )
    task = obj.task
    if task is not None and user is not None and not unit_in_scope(user, task.plan.org_unit_id):
        add(errors, "task", _("Nhiệm vụ này thuộc kế hoạch ngoài phạm vi của bạn."))
    if unit_changed and obj.opened_on:
        check_unit(
            errors, user=user, org_unit=obj.org_unit if obj.org_unit_id else None, on=obj.opened_on
        )
    raise_if_errors(obj, errors)


@transaction.atomic
def case_create(*, acting_user: Any, **fields: Any) -> Case:
    require_write(acting_user, CAPABILITY, None)
    obj = Case()
    apply_changes(obj, fields, FIELDS)
    _check(obj, user=acting_user, unit_changed=True)
    return save_audited(obj, acting_user=acting_user, expected_version=None, changes=None)  # type: ignore[no-any-return]


@transaction.atomic
def case_update(
    *, case: Case, acting_user: Any, expected_version: int | None, **fields: Any
) -> Case:
    require_write(acting_user, CAPABILITY, case.org_unit)
    changes = apply_changes(case, fields, FIELDS)
    _check(case, user=acting_user, unit_changed="org_unit" in changes)
    return save_audited(  # type: ignore[no-any-return]
        case, acting_user=acting_user, expected_version=expected_version, changes=changes
    )


@transaction.atomic
def case_delete(*, case: Case, acting_user: Any) -> None:
    require_write(acting_user, CAPABILITY, case.org_unit)
    delete_audited(case, acting_user=acting_user, in_use="")


# --- XLSX ---------------------------------------------------------------------------------


def case_columns(*, offence_choices: bool = False) -> list[Column]:
    """The columns of the cases file. The offence is read as text (article number, name, code
    or "Điều N. name") and matched against the catalogue; the template offers the catalogue as
    a drop-down (`offence_choices`)."""
    offence = (
        Column(
            "offence",
            "Tội danh",
            kind="choice",
            required=True,
            choices=[(o.code, str(o)) for o in Offence.objects.all()],
            help="Số điều (ví dụ 327) hoặc tên tội danh trong danh mục.",
        )
        if offence_choices
        else Column(
            "offence",
            "Tội danh",
            required=True,
            max_length=255,
            help="Số điều (ví dụ 327) hoặc tên tội danh trong danh mục.",
        )
    )
    return [
        Column("opened_on", "Ngày phát hiện, thụ lý", kind="date", required=True),
        Column("reference", "Số hiệu, tên vụ án", max_length=120),
        offence,
        Column("stage", "Giai đoạn", kind="choice", choices=Case.Stage.choices,
               help="Để trống: Phát hiện."),
        Column("prosecuted_on", "Ngày khởi tố", kind="date",
               help="Ghi khi vụ án đã tới giai đoạn khởi tố; để trống nếu chưa."),
        Column("indicted_on", "Ngày truy tố", kind="date",
               help="Ghi khi vụ án đã tới giai đoạn truy tố; để trống nếu chưa."),
        Column("tried_on", "Ngày xét xử", kind="date",
               help="Ghi khi vụ án đã tới giai đoạn xét xử; để trống nếu chưa."),
        Column("suspects", "Số đối tượng", kind="int"),
        Column("defendants", "Số bị can, bị cáo", kind="int"),
        Column("victims", "Số nạn nhân", kind="int"),
        Column("victims_minor", "Trong đó dưới 18 tuổi", kind="int",
               help="Không lớn hơn số nạn nhân."),
        Column("note", "Ghi chú", max_length=2000),
    ]  # fmt: skip


def case_template_xlsx() -> bytes:
    return xlsx_template(
        columns=case_columns(offence_choices=True),
        sheet_title="Vụ án",
        instructions=[
            _("Mẫu nhập vụ án liên quan đến mại dâm: mỗi dòng một vụ án (chỉ ghi số lượng)."),
            _("Giữ nguyên dòng tiêu đề. Không gộp ô, không dùng công thức."),
            _("Ngày ghi dạng dd/mm/yyyy, không ở tương lai. Mỗi giai đoạn đã qua phải có ngày, "
              "các ngày theo thứ tự: phát hiện ≤ khởi tố ≤ truy tố ≤ xét xử."),
            _("Tệp được kiểm tra toàn bộ trước khi ghi: có lỗi ở dòng nào thì không dòng nào "
              "được ghi."),
        ],
    )  # fmt: skip


def case_export_xlsx(*, cases: Iterable[Case]) -> bytes:
    columns = [Column("unit", "Đơn vị"), *case_columns()]
    return xlsx_export(
        columns=columns,
        rows=(
            {
                "unit": c.org_unit.name,
                "opened_on": c.opened_on,
                "reference": c.reference,
                "offence": str(c.offence),
                "stage": c.stage,
                "prosecuted_on": c.prosecuted_on,
                "indicted_on": c.indicted_on,
                "tried_on": c.tried_on,
                "suspects": c.suspects,
                "defendants": c.defendants,
                "victims": c.victims,
                "victims_minor": c.victims_minor,
                "note": c.note,
            }
            for c in cases
        ),
    )


def _offence_index() -> dict[str, Offence | None]:
    """Offences by search key of their article ("327", "Điều 327"), name, code and full label;
    a key shared by two offences maps to None (ambiguous)."""
    index: dict[str, Offence | None] = {}
    for offence in Offence.objects.all():
        keys = {
            str(offence.article),
            search_key(f"Điều {offence.article}"),
            search_key(offence.name),
            search_key(offence.code),
            search_key(str(offence)),
        }
        for key in keys:
            index[key] = None if key in index and index[key] != offence else offence
    return index


def cases_import(
    *,
    unit: OrgUnit,
    data: bytes,
    acting_user: Any,
    filename: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row of the file against the cases' rules, then write all rows in one
    transaction, or none. `unit` is the unit the cases are filed under."""
    columns = case_columns()
    labels = {c.key: c.label for c in columns}
    labels["org_unit"] = labels["opened_on"]
    offences = _offence_index()
    choices = "; ".join(str(o) for o in Offence.objects.all())

    def build(row: dict[str, Any]) -> tuple[Case, list[RowError]]:
        text = row["offence"]
        offence = offences.get(search_key(text)) or offences.get(text)
        problems = []
        if offence is None:
            problems.append(
                RowError(
                    row["_row"],
                    labels["offence"],
                    _("“%(v)s” không có trong danh mục tội danh; dùng một trong: %(c)s.")
                    % {"v": text, "c": choices},
                )
            )
        obj = Case(
            org_unit=unit,
            opened_on=row["opened_on"],
            reference=row["reference"],
            offence=offence,
            stage=row["stage"] or Case.Stage.DETECTED,
            prosecuted_on=row["prosecuted_on"],
            indicted_on=row["indicted_on"],
            tried_on=row["tried_on"],
            suspects=row["suspects"] or 0,
            defendants=row["defendants"] or 0,
            victims=row["victims"] or 0,
            victims_minor=row["victims_minor"] or 0,
            note=row["note"],
            created_by=acting_user,
        )
        return obj, problems

    return import_rows(
        model=Case,
        capability=CAPABILITY,
        unit=unit,
        data=data,
        columns=columns,
        build=build,
        check=lambda obj: _check(obj, user=acting_user, unit_changed=True),
        labels=labels,
        acting_user=acting_user,
        what="cases",
        filename=filename,
        progress=progress,
    )
