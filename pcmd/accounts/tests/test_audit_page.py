"""The audit search page: who may open it, what it lists, and that it is not an N+1."""

from __future__ import annotations

import pytest
from django.test import Client

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOA, HOANG_HOP, OLD_AN_GIANG, make_user, unit

pytestmark = pytest.mark.django_db

URL = "/accounts/audit/"


def _events(n: int, code: str = HOANG_HOP, user: User | None = None) -> None:
    org_unit = unit(code)
    for i in range(n):
        audit_record(
            action=AuditEvent.Action.CREATE, user=user, username=f"u{i}", org_unit=org_unit
        )


def test_coordinator_is_forbidden(client: Client) -> None:
    client.force_login(make_user(username="dieuphoi"))
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_admin_sees_events_with_vietnamese_labels(client: Client) -> None:
    client.force_login(make_user(username="quantri", role=User.Role.ADMIN))
    _events(2)
    html = client.get(URL).content.decode()
    assert "Nhật ký hệ thống" in html and "Tạo mới" in html and "Xã Hoằng Hợp" in html
    assert "Hành động" in html and "Từ ngày" in html


def test_leader_does_not_see_other_provinces(client: Client) -> None:
    client.force_login(make_user(username="lanhdao", role=User.Role.LEADER, unit_code=HOANG_HOA))
    _events(1, code=OLD_AN_GIANG)
    _events(1, code=HOANG_HOP)
    html = client.get(URL).content.decode()
    assert "Xã Hoằng Hợp" in html and "Tỉnh An Giang" not in html


def test_pages_hold_fifty_events_and_keep_filters(client: Client) -> None:
    client.force_login(make_user(username="quantri", role=User.Role.ADMIN))
    _events(60)
    first = client.get(URL, {"action": "create"})
    assert len(first.context["page_obj"].object_list) == 50
    assert "action=create&amp;page=2" in first.content.decode()
    second = client.get(URL, {"action": "create", "page": 2})
    assert len(second.context["page_obj"].object_list) == 10


def test_invalid_date_range_is_explained(client: Client) -> None:
    client.force_login(make_user(username="quantri", role=User.Role.ADMIN))
    html = client.get(URL, {"date_from": "2025-02-01", "date_to": "2025-01-01"}).content.decode()
    assert "phải trước hoặc bằng" in html


@pytest.mark.parametrize("n", [3, 60])
def test_query_count_does_not_grow_with_events(
    client: Client, django_assert_num_queries, n: int
) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(username="quantri", role=User.Role.ADMIN)
    client.force_login(admin)
    _events(n, user=admin)
    # session, user (its unit joined in), count, page of events (users and units joined in),
    # and the session's expiry pushed forward, as on the first request of each minute
    # (savepoint, update, release).
    with django_assert_num_queries(8):  # 7 + the notification bell of the top bar
        assert client.get(URL).status_code == 200
