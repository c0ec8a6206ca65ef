"""The enforcement pages: lists, forms with defaults, stale edits, deletes, roles, scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pcmd.accounts.models import AuditEvent, User
from pcmd.enforcement import services
from pcmd.enforcement.models import Establishment, InspectionTeam, Violation
from pcmd.enforcement.tests.factories import (
    HOANG_HOP,
    OLD_AN_GIANG,
    business_type,
    legal_basis,
    make_case,
    make_establishment,
    make_hotspot,
    make_inspection,
    make_team,
    make_user,
    unit,
)
from pcmd.orgunits.models import Agency

pytestmark = pytest.mark.django_db


def login(client: Client, role: str = User.Role.COORDINATOR, unit_code: str = HOANG_HOP) -> User:
    user = make_user(username=f"u-{role}-{unit_code}", role=role, unit_code=unit_code)
    client.force_login(user)
    return user


def test_list_pages_render_for_a_reader(client: Client, django_assert_max_num_queries: Any) -> None:
    est = make_establishment()
    make_inspection(est)
    make_team()
    make_hotspot()
    make_case()
    login(client, User.Role.LEADER)
    for name in ("index", "establishment-list", "inspection-list", "team-list", "hotspot-list",
                 "case-list", "sample"):  # fmt: skip
        with django_assert_max_num_queries(20):
            response = client.get(reverse(f"enforcement:{name}"), {"period": "2025"})
        assert response.status_code == 200, name
    page = client.get(reverse("enforcement:establishment-detail", args=[est.pk]))
    assert "Karaoke Hoa Hồng" in page.content.decode() and "10/03/2025" in page.content.decode()


def test_a_bad_period_is_explained_not_failed(client: Client) -> None:
    login(client, User.Role.LEADER)
    response = client.get(reverse("enforcement:case-list"), {"period": "2025H7"})
    html = response.content.decode()
    assert response.status_code == 200 and "“2025H7” không phải là kỳ hợp lệ" in html


def test_create_form_defaults_to_the_users_unit_and_saves(client: Client) -> None:
    user = login(client)
    url = reverse("enforcement:establishment-create")
    form = client.get(url).context["form"]
    assert form.initial["org_unit"] == user.org_unit_id
    data = {"name": "Nhà nghỉ Sao Mai", "business_type": business_type("LUU_TRU_NN").pk,
            "org_unit": user.org_unit_id, "risk_level": "high",
            "opened_on": "2024-02-01"}  # fmt: skip
    response = client.post(url, data)
    est = Establishment.objects.get(name="Nhà nghỉ Sao Mai")
    assert response.status_code == 302 and response["Location"].endswith(f"/{est.pk}/")
    assert est.created_by == user
    data.update(name="Spa Hương", business_type=business_type("MASSAGE").pk, risk_level="")
    assert client.post(url, data).status_code == 302
    assert Establishment.objects.get(name="Spa Hương").risk_level == "high"


def test_a_failed_form_keeps_what_was_typed(client: Client) -> None:
    user = login(client)
    tomorrow = timezone.localdate().toordinal() + 1
    data = {"name": "Spa Lan", "business_type": business_type("MASSAGE").pk,
            "org_unit": user.org_unit_id, "risk_level": "high",
            "opened_on": date.fromordinal(tomorrow).isoformat()}  # fmt: skip
    response = client.post(reverse("enforcement:establishment-create"), data)
    assert response.status_code == 422
    assert "chưa tới" in response.content.decode() and "Spa Lan" in response.content.decode()


def test_a_stale_edit_is_refused_with_the_other_version_shown(client: Client) -> None:
    est = make_establishment()
    login(client)
    url = reverse("enforcement:establishment-edit", args=[est.pk])
    opened = client.get(url).context["form"].initial
    assert opened["version"] == 1
    services.establishment_update(
        establishment=est, acting_user=None, expected_version=1, name="Karaoke Mới"
    )
    data = {k: v for k, v in opened.items() if v is not None and k != "id"}
    data["name"] = "Karaoke Của Tôi"
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 422
    assert "người khác sửa" in body and "Karaoke Mới" in body and "Karaoke Của Tôi" in body
    est.refresh_from_db()
    assert est.name == "Karaoke Mới"


def test_delete_asks_first_then_deletes_and_audits(client: Client) -> None:
    hotspot = make_hotspot()
    login(client, User.Role.INSPECTOR)
    url = reverse("enforcement:hotspot-delete", args=[hotspot.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert AuditEvent.objects.filter(action="delete", object_id=str(hotspot.pk)).exists()


def test_a_coordinator_cannot_open_the_case_form_and_police_can(client: Client) -> None:
    login(client, User.Role.COORDINATOR)
    assert client.get(reverse("enforcement:case-create")).status_code == 403
    login(client, User.Role.POLICE)
    assert client.get(reverse("enforcement:case-create")).status_code == 200


def test_an_giang_user_gets_404_on_hoang_hop_pages(client: Client) -> None:
    est = make_establishment()
    login(client, User.Role.ADMIN, OLD_AN_GIANG)
    for name in ("establishment-detail", "establishment-edit", "establishment-delete"):
        assert client.get(reverse(f"enforcement:{name}", args=[est.pk])).status_code == 404


def test_a_fine_under_decree_144_after_it_ended_is_refused_on_the_page(client: Client) -> None:
    est = make_establishment(org_unit=unit("15880"))
    inspection = make_inspection(est, inspected_on=date(2025, 12, 20))
    login(client, User.Role.INSPECTOR, "15880")
    url = reverse("enforcement:violation-create", args=[inspection.pk])
    data = {"legal_basis": legal_basis("ND-144-2021").pk, "article": "25", "sanction": "fine",
            "fine_amount": "2000000"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 422 and "không có hiệu lực" in response.content.decode()
    data["legal_basis"] = legal_basis("ND-282-2025").pk
    assert client.post(url, data).status_code == 302
    assert Violation.objects.get().legal_basis.number == "282/2025/NĐ-CP"


def test_every_form_page_opens_for_an_admin(client: Client) -> None:
    est = make_establishment()
    inspection = make_inspection(est)
    objects = {"establishment": est, "inspection": inspection, "team": make_team(),
               "hotspot": make_hotspot(), "case": make_case()}  # fmt: skip
    login(client, User.Role.ADMIN)
    for name, obj in objects.items():
        assert client.get(reverse(f"enforcement:{name}-create")).status_code == 200, name
        assert client.get(reverse(f"enforcement:{name}-edit", args=[obj.pk])).status_code == 200
    page = client.get(reverse("enforcement:inspection-detail", args=[inspection.pk]))
    assert page.status_code == 200 and "Ghi thêm vi phạm" in page.content.decode()


def test_a_team_is_saved_from_the_page_with_its_members(client: Client) -> None:
    police = Agency.objects.create(org_unit=unit(HOANG_HOP), kind="police", name="Công an xã")
    health = Agency.objects.create(
        org_unit=unit(HOANG_HOP), kind="health_station", name="Trạm y tế"
    )
    user = login(client, User.Role.POLICE)
    data = {"name": "Đội 178", "kind": "pcmd_178", "org_unit": user.org_unit_id,
            "decision_number": "3/QĐ-UBND", "decision_date": "2025-01-05",
            "decision_issuer": "UBND xã", "valid_from": "2025-01-05", "head": police.pk,
            "member_agencies": [health.pk]}  # fmt: skip
    assert client.post(reverse("enforcement:team-create"), data).status_code == 302
    team = InspectionTeam.objects.get()
    assert sorted((m.agency.name, m.role) for m in team.memberships.all()) == [
        ("Công an xã", "head"), ("Trạm y tế", "member"),
    ]  # fmt: skip


def test_the_unit_filter_offers_the_unit_and_its_units_of_today_and_keeps_a_picked_one(
    client: Client,
) -> None:
    from pcmd.orgunits.selectors import orgunit_children

    login(client, unit_code="38")  # Tỉnh Thanh Hóa: its communes today, its old districts before
    province = unit("38")
    old_district = unit("399")  # Huyện Hoằng Hóa, ended on 30/06/2025
    url = reverse("enforcement:inspection-list")

    def offered(**params: object) -> list[str]:
        page = client.get(url, params).content.decode()
        select = page.split('id="f-unit"')[1].split("</select>")[0]
        return [part.split('"')[0] for part in select.split('<option value="')[2:]]

    today = [str(u.pk) for u in orgunit_children(province, on=timezone.localdate())]
    assert offered() == [str(province.pk), *today]
    assert str(old_district.pk) not in offered()
    # A unit of the scope picked by hand (an old district) is offered too, and filters.
    picked = offered(unit=old_district.pk)
    assert picked[-1] == str(old_district.pk) and len(picked) == len(today) + 2
    # One outside the scope is ignored as before: neither offered nor applied.
    assert str(unit(OLD_AN_GIANG).pk) not in offered(unit=unit(OLD_AN_GIANG).pk)
