"""Aggregate data entries: checked figures, one per indicator × unit × period, audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOA, HOANG_HOP, OLD_AN_GIANG, make_user, unit
from pcmd.indicators import services
from pcmd.indicators.compute import indicator_value
from pcmd.indicators.models import AggregateEntry, Indicator
from pcmd.outreach.tests.factories import make_event

pytestmark = pytest.mark.django_db


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def save(user: User, **kw: object) -> AggregateEntry:
    fields: dict[str, object] = {
        "indicator": ind("outreach-village-coverage"),
        "org_unit": unit(HOANG_HOP),
        "period": "2025s1",
        "numerator": Decimal(4),
        "denominator": Decimal(6),
    }
    fields.update(kw)
    return services.aggregate_entry_save(acting_user=user, **fields)  # type: ignore[arg-type]


def test_an_entry_is_saved_canonical_and_audited() -> None:
    user = make_user(unit_code=HOANG_HOA)
    entry = save(user)
    assert entry.period == "2025S1" and entry.entered_by == user
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_id=str(entry.pk))
    assert event.detail["numerator"] == "4"
    save(user, entry=entry, numerator=Decimal(5))
    update = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_id=str(entry.pk))
    assert (update.detail["before"]["numerator"], update.detail["after"]["numerator"]) == (
        "4", "5",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"period": "2025X"}, "period", "không phải là kỳ hợp lệ"),
        ({"period": "2099"}, "period", "chưa bắt đầu"),
        ({"numerator": Decimal(7)}, "numerator", "không được lớn hơn tổng số"),
        ({"denominator": None}, "denominator", "cần cả mẫu số"),
        ({"indicator": "web-posts-monthly", "denominator": Decimal(7)}, "denominator",
         "chỉ có 6 tháng"),
    ],
)  # fmt: skip
def test_bad_figures_are_refused_beside_their_field(
    changes: dict[str, object], field: str, message: str
) -> None:
    if isinstance(changes.get("indicator"), str):
        changes["indicator"] = ind(str(changes["indicator"]))
        changes["numerator"] = Decimal(3)
    with pytest.raises(ValidationError) as exc:
        save(make_user(unit_code=HOANG_HOA), **changes)
    assert any(message in m for m in exc.value.message_dict[field]), exc.value.message_dict
    assert not AggregateEntry.objects.exists()


def test_a_second_entry_for_the_same_cell_is_refused() -> None:
    user = make_user(unit_code=HOANG_HOA)
    save(user)
    with pytest.raises(ValidationError) as exc:
        save(user, numerator=Decimal(1))
    assert "Đã có số liệu" in exc.value.message_dict["period"][0]


def test_roles_and_scope_are_checked() -> None:
    with pytest.raises(PermissionDenied):
        save(make_user(unit_code=HOANG_HOA, role=User.Role.POLICE, username="ca"))
    with pytest.raises(PermissionDenied):
        save(make_user(unit_code=HOANG_HOA), org_unit=unit(OLD_AN_GIANG))


def test_pages_add_list_and_delete_an_entry(client: Client) -> None:
    make_event(org_unit=unit(HOANG_HOP), date=date(2025, 3, 1))
    client.force_login(make_user(unit_code=HOANG_HOA))
    events = ind("outreach-events")
    response = client.post(
        reverse("indicators:entry-create"),
        {"indicator": events.pk, "org_unit": unit(HOANG_HOP).pk, "period": "2025S1",
         "numerator": "12", "note": "Báo cáo giấy của xã"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert indicator_value(events, unit(HOANG_HOA), "2025S1").value == 12
    listing = client.get(reverse("indicators:entry-list"), {"period": "2025S1"})
    assert "Báo cáo giấy của xã" in listing.content.decode()
    entry = AggregateEntry.objects.get()
    bad = client.post(
        reverse("indicators:entry-edit", args=[entry.pk]),
        {"indicator": events.pk, "org_unit": unit(HOANG_HOP).pk, "period": "2025S1",
         "numerator": "-1"},
    )  # fmt: skip
    assert bad.status_code == 422
    client.post(reverse("indicators:entry-delete", args=[entry.pk]))
    assert not AggregateEntry.objects.exists()
    assert indicator_value(events, unit(HOANG_HOA), "2025S1").value == 1
