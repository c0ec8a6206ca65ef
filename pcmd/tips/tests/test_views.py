"""Tip pages and API: the permission matrix (every role × own unit / other unit), the workflow
through the pages, the reveal with a reason, the aggregates, and the bell."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOP, OLD_AN_GIANG, make_user
from pcmd.tips.models import Notification, Tip
from pcmd.tips.tests.factories import classified, make_tip

pytestmark = pytest.mark.django_db

NAME = "Lê Văn Hư Cấu"
VIEWERS = {"police", "leader"}


def _login(role: str, unit_code: str = HOANG_HOP) -> tuple[Client, User]:
    user = make_user(username=f"{role}-{unit_code}", role=role, unit_code=unit_code)
    client = Client()
    client.force_login(user)
    return client, user


@pytest.mark.parametrize("role", User.Role.values)
@pytest.mark.parametrize("where", ["own", "other"])
def test_pages_permission_matrix(role: str, where: str) -> None:
    tip = make_tip(reporter_name=NAME)
    client, _user = _login(role, HOANG_HOP if where == "own" else OLD_AN_GIANG)
    allowed = role in VIEWERS and where == "own"
    detail = client.get(f"/tips/{tip.pk}/")
    assert detail.status_code == (200 if allowed else 404)
    listed = client.get("/tips/")
    if role in VIEWERS:
        assert listed.status_code == 200
        assert (tip.reference in listed.content.decode()) == allowed
    else:
        assert listed.status_code == 403
    assert client.get("/tips/stats/").status_code == 200  # everyone sees suppressed aggregates
    reveal = client.post(f"/tips/{tip.pk}/reveal/", {"reason": "Cần liên hệ lại người báo"})
    can_reveal = role == "police" and where == "own"
    assert reveal.status_code == (200 if can_reveal else (403 if allowed else 404))
    assert (NAME in reveal.content.decode()) == can_reveal
    for page in (detail, listed, client.get("/tips/stats/")):
        if page is not reveal:
            assert NAME not in page.content.decode()
    verify = client.post(f"/tips/{tip.pk}/verify/", {})
    assert (Tip.objects.get(pk=tip.pk).status == "verifying") == (
        role == "police" and where == "own"
    )
    if not allowed:
        assert verify.status_code in (403, 404)


@pytest.mark.parametrize("role", User.Role.values)
@pytest.mark.parametrize("where", ["own", "other"])
def test_api_permission_matrix(role: str, where: str) -> None:
    tip = make_tip(reporter_name=NAME)
    user = make_user(username=f"api-{role}", role=role,
                     unit_code=HOANG_HOP if where == "own" else OLD_AN_GIANG)  # fmt: skip
    client = APIClient()
    client.force_authenticate(user)
    allowed = role in VIEWERS and where == "own"
    listed = client.get("/api/tips/")
    if role in VIEWERS:
        assert listed.status_code == 200
        ids = [t["id"] for t in listed.json()["results"]]
        assert (tip.pk in ids) == allowed
        assert all("reporter_name" not in t for t in listed.json()["results"])
    else:
        assert listed.status_code == 403
    detail = client.get(f"/api/tips/{tip.pk}/")
    assert detail.status_code == (200 if allowed else (404 if role in VIEWERS else 403))
    assert NAME not in detail.content.decode()
    reveal = client.post(f"/api/tips/{tip.pk}/reveal/", {"reason": "Cần liên hệ lại người báo"})
    if role == "police" and where == "own":
        assert reveal.status_code == 200 and reveal.json()["reporter_name"] == NAME
    else:
        assert reveal.status_code in (403, 404) and NAME not in reveal.content.decode()


def test_the_workflow_through_the_pages() -> None:
    client, police = _login("police")
    response = client.post("/tips/new/", {
        "org_unit": police.org_unit_id, "received_at": "2025-03-01T10:00", "channel": "phone",
        "content": "Nghi có môi giới mại dâm ở chợ đêm.", "reporter_name": NAME,
    })  # fmt: skip
    tip = Tip.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tips/{tip.pk}/"
    assert client.post(f"/tips/{tip.pk}/verify/", {"note": ""}).status_code == 302
    bad = client.post(f"/tips/{tip.pk}/classify/", {"subject": "brokering"})
    assert bad.status_code == 422 and "Tính chất pháp lý" in bad.content.decode()
    ok = client.post(f"/tips/{tip.pk}/classify/", {"subject": "brokering",
                                                   "legal_nature": "crime_report"})  # fmt: skip
    assert ok.status_code == 302
    assert client.post(f"/tips/{tip.pk}/pause/", {"reason": "Chờ giám định"}).status_code == 302
    assert client.post(f"/tips/{tip.pk}/resume/", {}).status_code == 302
    handled = client.post(f"/tips/{tip.pk}/handle/", {"outcome": "not_substantiated"})
    assert handled.status_code == 302
    page = client.get(f"/tips/{tip.pk}/").content.decode()
    assert "Đã xử lý" in page and "Tạm dừng tính thời hạn" in page
    assert NAME not in page
    assert AuditEvent.objects.filter(action="view_sensitive", object_id=str(tip.pk)).exists()


def test_a_short_reason_reveals_nothing() -> None:
    client, _police = _login("police")
    tip = make_tip(reporter_name=NAME)
    response = client.post(f"/tips/{tip.pk}/reveal/", {"reason": "xem"})
    assert response.status_code == 422 and NAME not in response.content.decode()
    assert not AuditEvent.objects.filter(action="view_sensitive", detail__has_key="reason")


def test_the_bell_counts_unread_notifications() -> None:
    client, police = _login("police")
    tip = classified(make_tip(), police)
    Notification.objects.create(user=police, key="k1", text="Tin báo sắp đến hạn",
                                link=f"/tips/{tip.pk}/")  # fmt: skip
    home = client.get("/tips/notifications/").content.decode()
    assert 'class="bell-count">1<' in home and "Tin báo sắp đến hạn" in home
    client.post("/tips/notifications/read/", {})
    assert 'class="bell-count"' not in client.get("/tips/notifications/").content.decode()


def test_stats_suppress_small_cells() -> None:
    client, police = _login("coordinator")
    for _ in range(3):
        make_tip()
    page = client.get("/tips/stats/", {"period": "2025"}).content.decode()
    assert "&lt;5" in page
    assert ">3<" not in page


def test_the_list_has_a_bounded_number_of_queries(django_assert_max_num_queries: object) -> None:
    client, police = _login("police")
    for _ in range(6):
        make_tip()
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        assert client.get("/tips/").status_code == 200


def test_a_leader_extends_a_deadline_from_the_page() -> None:
    police = make_user(username="ca", role="police")
    tip = classified(make_tip(), police, is_complex=True)
    client, boss = _login("leader")
    page = client.get(f"/tips/{tip.pk}/").content.decode()
    assert "Phê duyệt gia hạn" in page and "Ghi kết quả xử lý" not in page
    refused = client.post(f"/tips/{tip.pk}/extend/", {"months": 2, "reason": "ngắn"})
    assert refused.status_code == 422 and not hasattr(Tip.objects.get(pk=tip.pk), "extension")
    done = client.post(f"/tips/{tip.pk}/extend/", {"months": 2, "reason": "Cần giám định thêm"})
    assert done.status_code == 302
    assert Tip.objects.get(pk=tip.pk).extension.approved_by == boss
