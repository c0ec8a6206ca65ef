"""Writing aggregate data entries: figures for a unit that keeps no records in PCMD.

Owns: aggregate_entry_save(), aggregate_entry_delete().
Invariants: only "indicator.aggregate" in the user's scope writes them; the period parses and
has begun; numerator and denominator are not negative; a share's numerator is not above its
denominator, and a monthly frequency counts at most the period's months; one entry per
indicator × unit × period (a second is refused, pointing at the first); every change audited
with the figures before and after.
Not here: using them (compute.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, unit_in_scope
from pcmd.common.periods import PeriodError, period_parse
from pcmd.indicators.models import AggregateEntry, Indicator
from pcmd.orgunits.models import OrgUnit


def _require(user: Any, unit: OrgUnit | None) -> None:
    if not has_capability(user, "indicator.aggregate"):
        raise PermissionDenied(_("Vai trò của bạn không được nhập số liệu tổng hợp."))
    if unit is not None and not unit_in_scope(user, unit):
        raise PermissionDenied(_("Đơn vị này không thuộc phạm vi của bạn."))


def _figures(entry: AggregateEntry) -> dict[str, Any]:
    return {
        "indicator": entry.indicator.code,
        "period": entry.period,
        "numerator": str(entry.numerator),
        "denominator": None if entry.denominator is None else str(entry.denominator),
    }


@transaction.atomic
def aggregate_entry_save(
    *,
    acting_user: Any,
    indicator: Indicator,
    org_unit: OrgUnit,
    period: str,
    numerator: Decimal,
    denominator: Decimal | None,
    note: str = "",
    entry: AggregateEntry | None = None,
) -> AggregateEntry:
    """Create (entry=None) or change an aggregate entry, after checking every figure."""
    _require(acting_user, org_unit)
    if entry is not None:
        _require(acting_user, entry.org_unit)
    errors: dict[str, list[str]] = {}
    try:
        parsed = period_parse(period)
    except PeriodError as exc:
        errors["period"] = [str(exc)]
        parsed = None
    if parsed is not None and parsed.start > timezone.localdate():
        errors["period"] = [_("Kỳ này chưa bắt đầu: chưa nhập số liệu được.")]
    if numerator < 0:
        errors["numerator"] = [_("Số không được âm.")]
    if denominator is not None and denominator < 0:
        errors["denominator"] = [_("Số không được âm.")]
    if indicator.is_percent and denominator is None:
        errors["denominator"] = [_("Chỉ số tỷ lệ cần cả mẫu số (tổng số).")]
    if (
        indicator.is_percent
        and indicator.kind != Indicator.Kind.CHANGE
        and denominator is not None
        and numerator > denominator
    ):
        errors["numerator"] = [_("Số đạt không được lớn hơn tổng số.")]
    months = len(parsed.months()) if parsed is not None else 0
    if indicator.kind == Indicator.Kind.FREQUENCY and denominator and denominator > months > 0:
        errors["denominator"] = [
            _("Kỳ %(p)s chỉ có %(n)d tháng.") % {"p": parsed.label if parsed else "", "n": months}
        ]
    canonical = parsed.id if parsed is not None else period
    clash = AggregateEntry.objects.filter(indicator=indicator, org_unit=org_unit, period=canonical)
    if entry is not None:
        clash = clash.exclude(pk=entry.pk)
    if clash.exists():
        errors.setdefault("period", []).append(
            _("Đã có số liệu của chỉ số này cho đơn vị và kỳ này; hãy sửa số liệu đó.")
        )
    if errors:
        raise ValidationError(errors)
    before = _figures(entry) if entry is not None else None
    if entry is None:
        entry = AggregateEntry(entered_by=acting_user)
    entry.indicator, entry.org_unit, entry.period = indicator, org_unit, canonical
    entry.numerator, entry.denominator, entry.note = numerator, denominator, note.strip()
    entry.entered_by = acting_user
    entry.save()
    audit_record(
        action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
        user=acting_user,
        obj=entry,
        org_unit=org_unit,
        detail={"before": before, "after": _figures(entry)} if before else _figures(entry),
    )
    return entry


@transaction.atomic
def aggregate_entry_delete(*, acting_user: Any, entry: AggregateEntry) -> None:
    _require(acting_user, entry.org_unit)
    audit_record(
        action=AuditEvent.Action.DELETE,
        user=acting_user,
        obj=entry,
        org_unit=entry.org_unit,
        detail=_figures(entry),
    )
    entry.delete()
