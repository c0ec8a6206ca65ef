"""The dashboard pages: scope (404 outside), the picker's refusals in Vietnamese, the lazy
children part with and without htmx, and what each role sees about tips."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import HOANG_HOP, OLD_AN_GIANG, THANH_HOA, make_user, unit
from pcmd.outreach.tests.factories import make_event
from pcmd.tips.tests.factories import make_tip

pytestmark = pytest.mark.django_db


def logged_in(client: Client, **kw: object) -> User:
    user = make_user(**kw)  # type: ignore[arg-type]
    client.force_login(user)
    return user


def test_home_shows_the_dashboard_of_the_users_unit_for_its_last_half(client: Client) -> None:
    logged_in(client)
    make_event(org_unit=unit(HOANG_HOP), date=date(2025, 2, 10))
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Trang chủ · Xã Hoằng Hợp · 6 tháng đầu năm 2025" in html
    assert "Diễn biến theo tháng" in html and 'class="dash-chart"' in html
    assert "Các chỉ số của đơn vị" in html  # no issued plan: the built-in indicators
    assert 'hx-get="/dashboard/children/?unit=' in html  # the heavy part loads after paint
    assert "Tài khoản của bạn" in html  # the account overview stays on the home page
    assert "<script>" not in html and " style=" not in html


def test_a_unit_outside_the_scope_is_404(client: Client) -> None:
    logged_in(client)
    other = unit(OLD_AN_GIANG)
    assert client.get(f"/?unit={other.pk}").status_code == 404
    assert client.get(f"/dashboard/children/?unit={other.pk}").status_code == 404
    parent = unit("399")  # the district above: not in a commune officer's scope either
    assert client.get(f"/?unit={parent.pk}").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=2025X9", "không phải là kỳ hợp lệ"),
        ("period=2025Q1", "Bảng điều khiển xem theo 6 tháng hoặc cả năm"),
        ("period=2099S1", "chưa bắt đầu"),
        ("unit=abc", "Đơn vị không hợp lệ"),
        ("indicator=khong-co", "Không có chỉ số “khong-co”"),
    ],
)
def test_bad_picker_input_is_refused_with_a_vietnamese_message(
    client: Client, query: str, message: str
) -> None:
    logged_in(client)
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    children = client.get(f"/dashboard/children/?{query}")
    assert children.status_code == 400 and message in children.content.decode()


def test_a_period_outside_the_units_life_is_refused(client: Client) -> None:
    logged_in(client)  # Xã Hoằng Hợp ended on 30/6/2025
    response = client.get("/?period=2025S2")
    assert response.status_code == 400
    assert "Xã Hoằng Hợp không còn từ sau ngày 30/06/2025" in response.content.decode()


def test_a_province_picks_a_child_and_sees_its_dashboard(client: Client) -> None:
    logged_in(client, username="tinh", unit_code=THANH_HOA)
    province = unit(THANH_HOA)
    commune = unit("15880")  # Xã Hoằng Giang, a commune of the province since 1/7/2025
    response = client.get(f"/?unit={commune.pk}&period=2025S2")
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Xã Hoằng Giang</h1>" in html
    assert f'<option value="{province.pk}"' in html  # back to the user's own unit
    assert "Về đơn vị của tôi" in html


def test_a_provinces_home_links_to_its_unit_page_for_the_rest_of_its_communes(
    client: Client,
) -> None:
    from django.urls import reverse

    from pcmd.accounts.selectors import CHILDREN_SHOWN, home_overview

    user = logged_in(client, username="tinh", unit_code=THANH_HOA)
    overview = home_overview(user=user)
    html = client.get("/").content.decode()
    section = html.split('id="children-title"')[1].split("</section>")[0]
    assert section.count('<li><a href="/orgunits/') == CHILDREN_SHOWN
    detail = reverse("orgunits:detail", kwargs={"pk": unit(THANH_HOA).pk})
    assert f'<a href="{detail}">Xem cả {overview.children_count} đơn vị trực thuộc</a>' in section


def test_children_part_is_a_fragment_for_htmx_and_a_page_without_it(client: Client) -> None:
    logged_in(client, username="tinh", unit_code=THANH_HOA)
    province = unit(THANH_HOA)
    url = f"/dashboard/children/?unit={province.pk}&period=2025S2&indicator=inspections"
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'class="dash-map"' in fragment
    assert "Xếp hạng: Số lượt kiểm tra cơ sở kinh doanh dịch vụ" in fragment
    page = client.get(url).content.decode()
    assert "<html" in page and f'href="/?unit={province.pk}&amp;period=2025S2"' in page
    assert 'class="dash-league"' in page


def test_tip_alerts_only_for_roles_that_see_tips(client: Client) -> None:
    make_tip(unit_code=HOANG_HOP)  # received 1/3/2025, never handled: long past its deadline
    logged_in(client, username="congan", role=User.Role.POLICE)
    police_html = client.get("/").content.decode()
    client.logout()
    logged_in(client, username="dieuphoi")
    coordinator_html = client.get("/").content.decode()
    assert "Tin báo" in police_html and "quá hạn xử lý" in police_html
    assert "quá hạn xử lý" not in coordinator_html


def test_home_requires_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
