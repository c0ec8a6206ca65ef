"""Write prostitution-related criminal cases (counts only; police).

Owns: case_create(), case_update(), case_delete().
Invariants: dates are not in the future; each stage past detection carries its date, later
stages' dates stay empty, and the dates follow one another (opened ≤ prosecuted ≤ indicted ≤
tried); counts are ≥ 0 and minors never outnumber victims.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pcmd.enforcement.models import CASE_STAGE_DATES, Case
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
