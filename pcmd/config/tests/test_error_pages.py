"""Error pages speak Vietnamese and never show another unit's data."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from pcmd.accounts.models import User
from pcmd.orgunits.selectors import orgunit_get_by_code

pytestmark = pytest.mark.django_db


def test_out_of_scope_unit_is_a_vietnamese_404_without_its_name() -> None:
    commune = orgunit_get_by_code("15919", on=date(2025, 1, 1))
    # Code 30307 was Phường Mỹ Hòa until 30/6/2025 and is Phường Long Xuyên since.
    an_giang_ward = orgunit_get_by_code("30307", on=date(2026, 1, 1))
    user = User.objects.create(username="canbo", role=User.Role.COORDINATOR, org_unit=commune)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("orgunits:detail", kwargs={"pk": an_giang_ward.pk}))
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy" in html
    assert "Long Xuyên" not in html


def test_unknown_page_is_a_vietnamese_404() -> None:
    response = Client().get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()
