"""Selectors of accounts: the audit trail a user may see, the home overview, demo users."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from pcmd.accounts import selectors
from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import (
    HOANG_GIANG,
    HOANG_HOA,
    HOANG_HOP,
    OLD_AN_GIANG,
    make_user,
    unit,
)

pytestmark = pytest.mark.django_db


def _event(code: str, username: str = "x", action: str = AuditEvent.Action.CREATE) -> AuditEvent:
    return audit_record(action=action, username=username, org_unit=unit(code))


def test_admin_sees_every_event() -> None:
    admin = make_user(username="quantri", role=User.Role.ADMIN)
    _event(HOANG_HOP)
    _event(OLD_AN_GIANG)
    assert selectors.audit_event_list_for_user(user=admin).count() == 2


def test_leader_sees_only_events_of_units_in_scope() -> None:
    leader = make_user(username="lanhdao", role=User.Role.LEADER, unit_code=HOANG_HOA)
    inside = _event(HOANG_HOP)
    _event(OLD_AN_GIANG)
    assert list(selectors.audit_event_list_for_user(user=leader)) == [inside]


def test_leader_of_a_new_commune_sees_its_predecessors_events() -> None:
    leader = make_user(username="lanhdao", role=User.Role.LEADER, unit_code=HOANG_GIANG)
    old = _event(HOANG_HOP)
    assert list(selectors.audit_event_list_for_user(user=leader)) == [old]


def test_role_without_audit_view_sees_nothing() -> None:
    coordinator = make_user(username="dieuphoi")
    _event(HOANG_HOP)
    assert selectors.audit_event_list_for_user(user=coordinator).count() == 0


def test_filters_combine() -> None:
    admin = make_user(username="quantri", role=User.Role.ADMIN)
    wanted = _event(HOANG_HOP, username="lan", action=AuditEvent.Action.EXPORT)
    _event(HOANG_HOP, username="lan", action=AuditEvent.Action.CREATE)
    _event(OLD_AN_GIANG, username="lan", action=AuditEvent.Action.EXPORT)
    _event(HOANG_HOP, username="minh", action=AuditEvent.Action.EXPORT)
    found = selectors.audit_event_list_for_user(
        user=admin, username="LA", action="export", unit_code=HOANG_HOP
    )
    assert list(found) == [wanted]


def test_date_range_is_inclusive_in_local_time() -> None:
    admin = make_user(username="quantri", role=User.Role.ADMIN)
    today = timezone.localdate()
    old = _event(HOANG_HOP)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=10))
    recent = _event(HOANG_HOP)
    assert list(selectors.audit_event_list_for_user(user=admin, date_from=today)) == [recent]
    assert list(
        selectors.audit_event_list_for_user(user=admin, date_to=today - timedelta(days=5))
    ) == [old]


def test_overview_of_an_old_commune() -> None:
    user = make_user(username="dieuphoi", unit_code=HOANG_HOP)
    overview = selectors.home_overview(user=user, on=date(2026, 1, 1))
    assert [u.code for u in overview.ancestors] == [HOANG_HOA, "38", "VN"]
    assert overview.successor is not None and overview.successor.code == HOANG_GIANG


def test_overview_of_a_current_commune() -> None:
    user = make_user(username="dieuphoi", unit_code=HOANG_GIANG)
    overview = selectors.home_overview(user=user, on=date(2026, 1, 1))
    assert [u.code for u in overview.ancestors] == ["38", "VN"]
    assert overview.successor is None
    assert HOANG_HOP in [u.code for u in overview.predecessors]


def test_overview_of_a_province_names_a_dozen_children_and_counts_them_all() -> None:
    from pcmd.orgunits.selectors import orgunit_children

    user = make_user(username="tinh", unit_code="38")
    on = date(2026, 1, 1)
    overview = selectors.home_overview(user=user, on=on)
    communes = list(orgunit_children(unit("38"), on=on))
    assert len(communes) > selectors.CHILDREN_SHOWN
    assert overview.children_count == len(communes)
    assert [c.pk for c in overview.children] == [c.pk for c in communes][: selectors.CHILDREN_SHOWN]
    assert overview.children[0].name == communes[0].name


@override_settings(DEMO_MODE=True)
def test_demo_users_come_in_demo_order_and_only_if_flagged(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "_demo_usernames", lambda: ["b", "a", "c"])
    make_user(username="a", is_demo=True)
    make_user(username="b", is_demo=True)
    make_user(username="c", is_demo=False)
    assert [u.username for u in selectors.demo_users_list()] == ["b", "a"]
