"""Write the register of at-risk businesses.

Owns: establishment_create(), establishment_update(), establishment_delete().
Invariants: the unit is a commune (or above) in the writer's scope that existed when the business
opened (or today); the village lies under that commune; opening and closing dates are not in the
future and closing follows opening; the risk level defaults to the business type's. An
establishment with inspections or hot spots is closed (closed_on), not deleted.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pcmd.enforcement.models import Establishment
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
from pcmd.orgunits.models import OrgUnit, OrgUnitLink

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
