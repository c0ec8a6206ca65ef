"""The break-glass page: open a grant, see it listed for the unit's leader, end it early."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOP, OLD_AN_GIANG, make_user, unit
from pcmd.sealing.models import BreakGlassGrant

pytestmark = pytest.mark.django_db

URL = "/sealing/break-glass/"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_police_open_a_grant_and_it_is_audited() -> None:
    police = make_user(role=User.Role.POLICE)
    response = _client(police).post(
        URL,
        {"org_unit": unit(HOANG_HOP).pk, "reason": "Giải cứu nạn nhân bị mua bán", "minutes": 60},
    )
    assert response.status_code == 302
    grant = BreakGlassGrant.objects.get()
    assert grant.user == police and grant.org_unit == unit(HOANG_HOP)
    assert grant.expires_at - grant.starts_at == timedelta(minutes=60)
    assert AuditEvent.objects.filter(object_type="sealing.breakglassgrant").count() == 1
    page = _client(police).get(URL).content.decode()
    assert "Giải cứu nạn nhân bị mua bán" in page
    assert "Đang hiệu lực" in page


def test_more_than_four_hours_or_a_short_reason_is_refused() -> None:
    police = make_user(role=User.Role.POLICE)
    client = _client(police)
    too_long = client.post(URL, {"org_unit": unit(HOANG_HOP).pk, "reason": "Giải cứu khẩn cấp",
                                 "minutes": 300})  # fmt: skip
    short = client.post(URL, {"org_unit": unit(HOANG_HOP).pk, "reason": "gấp", "minutes": 60})
    assert too_long.status_code == short.status_code == 422
    assert not BreakGlassGrant.objects.exists()


def test_a_unit_outside_the_scope_cannot_be_chosen() -> None:
    police = make_user(role=User.Role.POLICE)
    response = _client(police).post(
        URL, {"org_unit": unit(OLD_AN_GIANG).pk, "reason": "Giải cứu khẩn cấp", "minutes": 60}
    )
    assert response.status_code == 422
    assert not BreakGlassGrant.objects.exists()


def test_leader_sees_the_units_grants_and_ends_one() -> None:
    police = make_user(role=User.Role.POLICE)
    leader = make_user(username="lanhdao", role=User.Role.LEADER)
    grant = BreakGlassGrant.objects.create(
        user=police, org_unit=unit(HOANG_HOP), reason="Xác minh danh tính gấp",
        expires_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    client = _client(leader)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Xác minh danh tính gấp" in page.content.decode()
    assert "Mở quyền truy cập" not in page.content.decode()  # a leader has no break-glass
    response = client.post(reverse("sealing:break-glass-end", kwargs={"pk": grant.pk}))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.ended_at is not None


def test_another_provinces_grant_is_neither_listed_nor_ended() -> None:
    outsider = make_user(username="ag", role=User.Role.POLICE, unit_code=OLD_AN_GIANG)
    grant = BreakGlassGrant.objects.create(
        user=outsider, org_unit=unit(OLD_AN_GIANG), reason="Giải cứu khẩn cấp ở An Giang",
        expires_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    leader = make_user(username="lanhdao", role=User.Role.LEADER)
    client = _client(leader)
    assert "An Giang" not in client.get(URL).content.decode()
    response = client.post(reverse("sealing:break-glass-end", kwargs={"pk": grant.pk}))
    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.ended_at is None


def test_roles_without_break_glass_or_supervision_are_refused() -> None:
    coordinator = make_user(role=User.Role.COORDINATOR)
    assert _client(coordinator).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302
