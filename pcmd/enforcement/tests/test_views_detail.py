"""Detail pages of teams, hot spots and cases (with their history), the violation edit page
(optimistic locking, audit) and the links to them from the lists."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pcmd.accounts.models import AuditEvent, User
from pcmd.common.records import StaleRecord
from pcmd.enforcement import services
from pcmd.enforcement.models import Case, Violation
from pcmd.enforcement.tests.factories import (
    HOANG_HOP,
    OLD_AN_GIANG,
    legal_basis,
    make_case,
    make_establishment,
    make_hotspot,
    make_inspection,
    make_team,
    make_user,
    make_violation,
    unit,
)
from pcmd.orgunits.models import Agency
from pcmd.plans.tests.factories import make_plan, make_task

pytestmark = pytest.mark.django_db


def login(client: Client, role: str = User.Role.POLICE, unit_code: str = HOANG_HOP) -> User:
    user = make_user(username=f"d-{role}-{unit_code}", role=role, unit_code=unit_code)
    client.force_login(user)
    return user


def body(response: Any) -> str:
    return str(response.content.decode())


# --- Teams ------------------------------------------------------------------------------------


def test_team_detail_shows_decision_members_period_inspections_and_history(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    police = Agency.objects.create(
        org_unit=unit(HOANG_HOP), kind=Agency.Kind.POLICE, name="Công an xã Hoằng Hợp"
    )
    team = make_team(members=[(police, "head")], valid_to=date(2025, 12, 31))
    mine = make_inspection(make_establishment(name="Nhà nghỉ Sen"), team=team)
    make_inspection(make_establishment(name="Karaoke Không Đội"))
    user = login(client)
    services.team_update(
        team=team, acting_user=user, expected_version=1, decision_issuer="Chủ tịch UBND xã"
    )
    with django_assert_max_num_queries(20):
        response = client.get(reverse("enforcement:team-detail", args=[team.pk]))
    html = body(response)
    assert response.status_code == 200
    assert "12/QĐ-UBND" in html and "15/01/2025" in html and "31/12/2025" in html
    assert "Công an xã Hoằng Hợp" in html and "Đội trưởng" in html
    assert reverse("enforcement:inspection-detail", args=[mine.pk]) in html
    assert "Nhà nghỉ Sen" in html and "Karaoke Không Đội" not in html
    assert "Lịch sử thay đổi" in html and "Cơ quan ban hành quyết định" in html
    assert "UBND xã" in html and "Chủ tịch UBND xã" in html
    listing = body(client.get(reverse("enforcement:team-list")))
    assert reverse("enforcement:team-detail", args=[team.pk]) in listing


def test_a_saved_team_edit_returns_to_its_detail_page(client: Client) -> None:
    team = make_team()
    login(client)
    url = reverse("enforcement:team-edit", args=[team.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update({"name": "Đội 178 xã", "member_agencies": []})
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("enforcement:team-detail", args=[team.pk])


# --- Hot spots --------------------------------------------------------------------------------


def test_hotspot_detail_shows_detection_clearing_and_history(client: Client) -> None:
    est = make_establishment(name="Quán Hồng Nhung")
    hotspot = make_hotspot(place_kind="establishment", establishment=est)
    user = login(client, User.Role.INSPECTOR)
    url = reverse("enforcement:hotspot-detail", args=[hotspot.pk])
    assert "Chưa xóa bỏ" in body(client.get(url))
    services.hotspot_update(
        hotspot=hotspot, acting_user=user, expected_version=1, cleared_on=date(2025, 5, 2)
    )
    html = body(client.get(url))
    assert "10/03/2025" in html and "Qua tuần tra" in html
    assert "Đã xóa bỏ 02/05/2025" in html and "Quán Hồng Nhung" in html
    assert "Ngày xóa bỏ" in html and "Cập nhật" in html and "Tạo mới" in html
    listing = body(client.get(reverse("enforcement:hotspot-list")))
    assert reverse("enforcement:hotspot-detail", args=[hotspot.pk]) in listing


# --- Cases ------------------------------------------------------------------------------------


def test_case_detail_shows_stages_with_dates_counts_task_and_history(client: Client) -> None:
    task = make_task(plan=make_plan(), title="Đấu tranh, xử lý tội phạm mại dâm")
    case = make_case(
        reference="VA-07", stage=Case.Stage.INDICTED, prosecuted_on=date(2025, 3, 20),
        indicted_on=date(2025, 4, 2), defendants=2, victims=3, victims_minor=1, task=task,
    )  # fmt: skip
    user = login(client)
    services.case_update(case=case, acting_user=user, expected_version=1, suspects=4)
    response = client.get(reverse("enforcement:case-detail", args=[case.pk]))
    html = body(response)
    assert response.status_code == 200
    stages = response.context["stages"]
    assert [(str(label), day, reached) for label, day, reached in stages] == [
        ("Phát hiện", date(2025, 3, 10), True),
        ("Khởi tố", date(2025, 3, 20), True),
        ("Truy tố", date(2025, 4, 2), True),
        ("Xét xử", None, False),
    ]
    assert "20/03/2025" in html and "02/04/2025" in html
    assert "Đấu tranh, xử lý tội phạm mại dâm" in html
    assert "3 (trong đó 1 dưới 18 tuổi)" in html
    assert "Số đối tượng" in html and "Lịch sử thay đổi" in html
    listing = body(client.get(reverse("enforcement:case-list")))
    assert reverse("enforcement:case-detail", args=[case.pk]) in listing


def test_a_case_cannot_be_linked_to_a_task_of_a_plan_out_of_scope() -> None:
    user = make_user(username="d-police-task", role=User.Role.POLICE, unit_code=HOANG_HOP)
    foreign = make_task(plan=make_plan(org_unit=unit(OLD_AN_GIANG)))
    with pytest.raises(Exception) as caught:
        services.case_create(
            acting_user=user, opened_on=date(2025, 3, 1), offence=make_case().offence,
            org_unit=unit(HOANG_HOP), task=foreign,
        )  # fmt: skip
    assert "ngoài phạm vi" in str(caught.value)
    assert Case.objects.count() == 1


def test_detail_pages_of_another_province_are_not_found(client: Client) -> None:
    team = make_team()
    hotspot = make_hotspot()
    case = make_case()
    login(client, User.Role.POLICE, OLD_AN_GIANG)
    for name, pk in (("team-detail", team.pk), ("hotspot-detail", hotspot.pk),
                     ("case-detail", case.pk)):  # fmt: skip
        assert client.get(reverse(f"enforcement:{name}", args=[pk])).status_code == 404, name


# --- Violations -------------------------------------------------------------------------------


def _form_data(client: Client, url: str) -> dict[str, Any]:
    initial = client.get(url).context["form"].initial
    return {k: v for k, v in initial.items() if v is not None and k != "id"}


def test_a_violation_is_edited_audited_and_shown_with_its_history(client: Client) -> None:
    violation = make_violation()
    login(client)
    detail = body(client.get(reverse("enforcement:inspection-detail",
                                     args=[violation.inspection_id])))  # fmt: skip
    url = reverse("enforcement:violation-edit", args=[violation.pk])
    assert url in detail
    data = _form_data(client, url)
    assert data["version"] == 1
    data.update({"fine_amount": 15_000_000, "clause": "2b"})
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "enforcement:inspection-detail", args=[violation.inspection_id]
    )
    violation.refresh_from_db()
    assert (violation.fine_amount, violation.clause, violation.version) == (15_000_000, "2b", 2)
    update = AuditEvent.objects.get(action="update", object_type="enforcement.violation")
    assert update.detail["changes"]["fine_amount"] == [10_000_000, 15_000_000]
    assert update.org_unit == violation.inspection.org_unit
    page = body(client.get(url))
    assert "Lịch sử thay đổi" in page and "15000000" in page


def test_a_stale_violation_edit_is_refused_with_the_other_version_shown(client: Client) -> None:
    violation = make_violation(description="Không đăng ký lưu trú")
    login(client)
    url = reverse("enforcement:violation-edit", args=[violation.pk])
    data = _form_data(client, url)
    services.violation_update(
        violation=violation, acting_user=None, expected_version=1, description="Chứa mại dâm"
    )
    data["description"] = "Mô tả của tôi"
    response = client.post(url, data)
    html = body(response)
    assert response.status_code == 422
    assert "người khác sửa" in html and "Chứa mại dâm" in html and "Mô tả của tôi" in html
    violation.refresh_from_db()
    assert violation.description == "Chứa mại dâm" and violation.version == 2
    # Saving again now, having seen the other version, is a knowing overwrite.
    again = client.post(url, response.context["form"].data)
    assert again.status_code == 302
    violation.refresh_from_db()
    assert violation.description == "Mô tả của tôi" and violation.version == 3


def test_a_violation_edit_to_a_basis_not_in_force_or_a_fine_without_amount_is_refused(
    client: Client,
) -> None:
    violation = make_violation()
    login(client)
    url = reverse("enforcement:violation-edit", args=[violation.pk])
    data = _form_data(client, url)
    data["legal_basis"] = legal_basis("ND-282-2025").pk
    response = client.post(url, data)
    assert response.status_code == 422
    assert "không có hiệu lực vào ngày kiểm tra 10/03/2025" in body(response)
    data = _form_data(client, url)
    data.pop("fine_amount")
    response = client.post(url, data)
    assert response.status_code == 422 and "hãy ghi số tiền phạt" in body(response)
    violation.refresh_from_db()
    assert violation.legal_basis.code == "ND-144-2021" and violation.fine_amount == 10_000_000
    assert violation.version == 1


def test_the_service_refuses_an_outdated_violation_version() -> None:
    violation = make_violation()
    services.violation_update(violation=violation, acting_user=None, expected_version=1,
                              article="26")  # fmt: skip
    stale = Violation.objects.get(pk=violation.pk)
    stale.version = 1
    with pytest.raises(StaleRecord) as caught:
        services.violation_update(violation=stale, acting_user=None, expected_version=1,
                                  article="27")  # fmt: skip
    assert caught.value.current.article == "26"
    assert Violation.objects.get(pk=violation.pk).article == "26"


def test_the_api_answers_409_to_an_outdated_violation_version() -> None:
    violation = make_violation()
    client = APIClient()
    client.force_authenticate(make_user(username="d-api", role=User.Role.POLICE,
                                        unit_code=HOANG_HOP))  # fmt: skip
    url = f"/api/violations/{violation.pk}/"
    ok = client.patch(url, {"article": "26", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    late = client.patch(url, {"article": "27", "version": 1}, format="json")
    assert late.status_code == 409 and late.json()["current"]["article"] == "26"


def test_violation_edit_needs_the_role_and_the_scope(client: Client) -> None:
    violation = make_violation()
    url = reverse("enforcement:violation-edit", args=[violation.pk])
    login(client, User.Role.COORDINATOR)
    assert client.get(url).status_code == 403
    assert (
        "violations/"
        not in body(
            client.get(reverse("enforcement:inspection-detail", args=[violation.inspection_id]))
        )
        .split("Vi phạm hành chính", 1)[1]
        .split("Lịch sử", 1)[0]
    )
    login(client, User.Role.POLICE, OLD_AN_GIANG)
    assert client.get(url).status_code == 404
