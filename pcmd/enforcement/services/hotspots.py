"""Write hot spots (places known for prostitution).

Owns: hotspot_create(), hotspot_update(), hotspot_delete().
Invariants: detected and cleared dates are not in the future and clearing follows detection; a
hot spot at an establishment names one in the writer's scope; the unit existed when it was
detected.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import unit_in_scope
from pcmd.enforcement.models import HotSpot
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

CAPABILITY = "inspection.manage"
FIELDS = field_names(HotSpot)


def _check(obj: HotSpot, *, user: Any, unit_changed: bool) -> None:
    errors: Errors = {}
    check_not_future(errors, "detected_on", obj.detected_on)
    check_not_future(errors, "cleared_on", obj.cleared_on)
    if obj.detected_on and obj.cleared_on and obj.cleared_on < obj.detected_on:
        add(errors, "cleared_on", _("Ngày xóa bỏ phải sau ngày phát hiện."))
    if obj.place_kind == HotSpot.PlaceKind.ESTABLISHMENT and obj.establishment_id is None:
        add(errors, "establishment", _("Hãy chọn cơ sở kinh doanh."))
    est = obj.establishment
    if est is not None and user is not None and not unit_in_scope(user, est.org_unit_id):
        add(errors, "establishment", _("Cơ sở này nằm ngoài phạm vi của bạn."))
    if unit_changed and obj.detected_on:
        check_unit(
            errors,
            user=user,
            org_unit=obj.org_unit if obj.org_unit_id else None,
            on=obj.detected_on,
        )
    raise_if_errors(obj, errors)


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
