"""Org-unit pages: the tree on a date, search, detail, villages, agencies — inside the scope."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from pcmd.accounts.models import User
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.orgunits.selectors import orgunit_get_by_code

pytestmark = pytest.mark.django_db
BACKEND = "pcmd.accounts.backends.UnitModelBackend"
BEFORE = date(2025, 6, 30)


def unit(code: str, on: date | None = None) -> OrgUnit:
    if on is None:
        on = BEFORE if code in {"15919", "399", "89"} else date.today()
    return orgunit_get_by_code(code, on=on)


def login(
    role: str = User.Role.COORDINATOR, code: str = "15919", username: str = "canbo"
) -> Client:
    user = User.objects.create(username=username, role=role, org_unit=unit(code))
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


# --- browse and search ----------------------------------------------------------------------


def test_browse_starts_at_the_users_unit_on_the_chosen_date() -> None:
    client = login(code="399")
    body = client.get(reverse("orgunits:browse"), {"on": "2025-06-30"}).content.decode()
    assert "Huyện Hoằng Hóa" in body and "Xã Hoằng Hợp" in body
    assert "30/06/2025" in body
    assert 'hx-trigger="input changed delay:300ms"' in body


def test_browse_today_says_an_abolished_unit_is_no_longer_valid() -> None:
    body = login(code="15919").get(reverse("orgunits:browse")).content.decode()
    assert "không có hiệu lực" in body
    assert "?on=2025-06-30" in body


def test_national_user_starts_at_viet_nam() -> None:
    body = login(role=User.Role.ADMIN, code="VN").get(reverse("orgunits:browse")).content.decode()
    assert "Việt Nam" in body and "Tỉnh Thanh Hóa" in body


def test_search_without_diacritics_finds_hoang_hop() -> None:
    client = login(code="15919")
    response = client.get(
        reverse("orgunits:search"),
        {"q": "hoang hop", "on": "2025-06-30"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Xã Hoằng Hợp" in body and "15919" in body
    assert "Huyện Hoằng Hóa" in body and "Tỉnh Thanh Hóa" in body  # the parent chain
    assert "đến 30/06/2025" in body


def test_search_on_a_date_without_match_offers_units_of_other_dates() -> None:
    body = (
        login(code="15919")
        .get(reverse("orgunits:search"), {"q": "Hoằng Hợp"}, headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "Xã Hoằng Hợp" in body and "ở thời điểm khác" in body
    assert "?on=2025-06-30" in body  # opens on its last day


def test_search_stays_inside_the_scope() -> None:
    body = (
        login(code="15919")
        .get(
            reverse("orgunits:search"),
            {"q": "an giang", "all": "1"},
            headers={"HX-Request": "true"},
        )
        .content.decode()
    )
    assert "Tỉnh An Giang" not in body and "Không tìm thấy" in body


def test_search_caps_results_and_asks_for_more_precise_text() -> None:
    body = (
        login(role=User.Role.ADMIN, code="VN")
        .get(reverse("orgunits:search"), {"q": "an"}, headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "hãy gõ cụ thể hơn" in body
    assert body.count('class="result-meta"') == 50


def test_search_page_works_without_javascript() -> None:
    body = (
        login(code="15919")
        .get(reverse("orgunits:search"), {"q": "hoang hop", "all": "1"})
        .content.decode()
    )
    assert "<html" in body and "Xã Hoằng Hợp" in body


# --- detail and tree partial ----------------------------------------------------------------


def test_detail_shows_dates_parents_and_unknown_start() -> None:
    hoang_hop = unit("15919")
    body = (
        login(code="15919")
        .get(reverse("orgunits:detail", args=[hoang_hop.pk]), {"on": "2025-06-30"})
        .content.decode()
    )
    assert "<title>Xã Hoằng Hợp — ngày 30/06/2025" in body
    assert "không rõ (trước 2025)" in body and "ảnh chụp giữa năm 2025" in body
    assert "Huyện Hoằng Hóa" in body and "30/06/2025" in body
    assert "Sáp nhập vào" in body  # its successor after the reform


def test_detail_of_a_unit_that_spans_the_reform_shows_both_parents() -> None:
    hoang_giang = unit("15880")
    body = login(code="38").get(reverse("orgunits:detail", args=[hoang_giang.pk])).content.decode()
    assert "Huyện Hoằng Hóa" in body and "Tỉnh Thanh Hóa" in body
    assert "từ 01/07/2025" in body


def test_units_outside_the_scope_are_404() -> None:
    client = login(code="15919")
    an_giang = unit("89")
    assert client.get(reverse("orgunits:detail", args=[an_giang.pk])).status_code == 404
    assert client.get(reverse("orgunits:children", args=[an_giang.pk])).status_code == 404
    assert client.get(reverse("orgunits:agency-list", args=[an_giang.pk])).status_code == 404


def test_children_partial_pages_a_province(django_assert_max_num_queries: Any) -> None:
    client = login(code="38")
    thanh_hoa = unit("38")
    url = reverse("orgunits:children", args=[thanh_hoa.pk])
    with django_assert_max_num_queries(10):
        body = client.get(url, {"on": date.today().isoformat()}).content.decode()
    assert body.count('class="tree-node"') == 50
    assert "Xem thêm" in body and "page=2" in body


def test_browse_and_detail_query_counts(django_assert_max_num_queries: Any) -> None:
    client = login(role=User.Role.ADMIN, code="VN")
    # Each page: its own queries + 1 for the notification bell of the top bar.
    thanh_hoa = unit("38")
    with django_assert_max_num_queries(11):
        assert client.get(reverse("orgunits:browse")).status_code == 200
    with django_assert_max_num_queries(17):
        assert client.get(reverse("orgunits:detail", args=[thanh_hoa.pk])).status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(reverse("orgunits:agency-list", args=[thanh_hoa.pk])).status_code == 200


# --- villages -------------------------------------------------------------------------------


def test_village_add_page_creates_a_village_and_keeps_input_on_error() -> None:
    hoang_giang = unit("15880")
    client = login(code="15880")
    url = reverse("orgunits:village-create", args=[hoang_giang.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "", "kind": "village", "code": "T-07"})
    assert response.status_code == 422
    assert 'value="T-07"' in response.content.decode()
    response = client.post(url, {"name": "Thôn Đông", "kind": "village", "code": "T-07"})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Thôn Đông" in detail and "Đã thêm" in detail


def test_village_import_writes_all_rows_or_reports_every_error() -> None:
    hoang_giang = unit("15880")
    client = login(code="15880")
    url = reverse("orgunits:village-import", args=[hoang_giang.pk])
    bad = "Tên,Loại,Mã\nThôn 1,Thôn,\n,Thôn,\nThôn 3,Lâu đài,\n".encode()
    response = client.post(url, {"file": io.BytesIO(bad) | _named("thon.csv")})
    body = response.content.decode()
    assert response.status_code == 422
    assert "chưa có dòng nào được ghi" in body
    assert body.count('data-label="Dòng"') >= 2
    assert not OrgUnit.objects.filter(level="village", name__startswith="Thôn 1").exists()
    good = "Tên,Loại,Mã\nThôn 1,Thôn,\nThôn 2,Thôn,\n".encode()
    response = client.post(url, {"file": io.BytesIO(good) | _named("thon.csv")})
    assert response.status_code == 302
    assert OrgUnit.objects.filter(level="village", name__in=["Thôn 1", "Thôn 2"]).count() == 2


class _named:
    """`io.BytesIO(data) | _named("x.csv")`: an upload with a file name for the test client."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __ror__(self, buffer: io.BytesIO) -> io.BytesIO:
        buffer.name = self.name
        return buffer


def test_village_template_is_an_xlsx_with_the_import_headers() -> None:
    response = login(code="15880").get(reverse("orgunits:village-template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["Tên", "Loại", "Mã"]


def test_police_cannot_add_villages_or_agencies() -> None:
    hoang_giang = unit("15880")
    client = login(role=User.Role.POLICE, code="15880")
    assert client.get(reverse("orgunits:village-create", args=[hoang_giang.pk])).status_code == 403
    response = client.post(
        reverse("orgunits:agency-create", args=[hoang_giang.pk]),
        {"kind": "police", "name": "Công an xã Hoằng Giang"},
    )
    assert response.status_code == 403
    assert not Agency.objects.filter(org_unit=hoang_giang).exists()


# --- agencies -------------------------------------------------------------------------------


def test_agency_create_edit_and_standing_assignment() -> None:
    hoang_giang = unit("15880")
    client = login(code="15880")
    response = client.post(
        reverse("orgunits:agency-create", args=[hoang_giang.pk]),
        {"kind": "police", "name": "Công an xã Hoằng Giang", "valid_from": "2025-07-01"},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(org_unit=hoang_giang)
    response = client.post(
        reverse("orgunits:agency-edit", args=[agency.pk]),
        {
            "kind": "police",
            "name": "Công an xã Hoằng Giang",
            "valid_from": "2025-07-01",
            "valid_to": "2025-01-01",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực." in body
    assert 'value="2025-01-01"' in body and 'value="Công an xã Hoằng Giang"' in body
    response = client.post(
        reverse("orgunits:standing-assign", args=[hoang_giang.pk]),
        {"agency": agency.pk, "valid_from": "2025-07-01"},
    )
    assert response.status_code == 302
    body = client.get(reverse("orgunits:agency-list", args=[hoang_giang.pk])).content.decode()
    assert "Cơ quan thường trực PCMD" in body and "Công an xã Hoằng Giang" in body
    detail = client.get(reverse("orgunits:detail", args=[hoang_giang.pk])).content.decode()
    assert "Cơ quan thường trực PCMD" in detail


def test_agency_edit_outside_the_scope_is_404() -> None:
    an_giang = unit("91")
    agency = Agency.objects.create(org_unit=an_giang, kind="police", name="Công an tỉnh An Giang")
    client = login(code="15880")
    assert client.get(reverse("orgunits:agency-edit", args=[agency.pk])).status_code == 404


# --- every page: no other host, a title that says where you are -----------------------------

_EXTERNAL = re.compile(r"""(?:src|href|action|hx-get|hx-post)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_pages_reference_no_other_host() -> None:
    hoang_giang = unit("15880")
    client = login(role=User.Role.ADMIN, code="VN")
    urls = [
        reverse("home"),
        reverse("orgunits:browse"),
        reverse("orgunits:search") + "?q=hoang",
        reverse("orgunits:detail", args=[hoang_giang.pk]),
        reverse("orgunits:agency-list", args=[hoang_giang.pk]),
        reverse("orgunits:agency-create", args=[hoang_giang.pk]),
        reverse("orgunits:village-create", args=[hoang_giang.pk]),
        reverse("orgunits:village-import", args=[hoang_giang.pk]),
        reverse("jobs:list"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not _EXTERNAL.search(body), url
        assert "<style" not in body and " style=" not in body, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), url


# --- languages ------------------------------------------------------------------------------


def test_pages_speak_english_or_vietnamese() -> None:
    client = login(code="15919")
    client.cookies["django_language"] = "en"
    body = client.get(reverse("orgunits:browse")).content.decode()
    assert "Administrative units" in body and 'lang="en"' in body
    client.cookies["django_language"] = "vi"
    body = client.get(reverse("orgunits:browse")).content.decode()
    assert "Đơn vị hành chính" in body and "Administrative units" not in body
