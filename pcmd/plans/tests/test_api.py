"""The plans API: scoping like the pages, writes with the services' rules, Vietnamese errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from pcmd.accounts.models import AuditEvent, User
from pcmd.orgunits.models import Agency
from pcmd.plans.models import Plan, TaskProgress
from pcmd.plans.tests.factories import (
    commune_parsed,
    import_commune_plan,
    import_province_plan,
    make_agencies,
    make_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("pcmd.plans.tests.api_urls")]
NOT_FOUND = "Không tìm thấy, hoặc bạn không có quyền xem mục này."


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_anonymous_requests_are_refused() -> None:
    assert APIClient().get("/api/plans/").status_code in (401, 403)


def test_a_hoang_hop_user_sees_its_plans_and_gets_404_on_an_giang() -> None:
    commune = import_commune_plan()
    province = import_province_plan()
    client = client_for(make_user(role=User.Role.POLICE))
    listed = client.get("/api/plans/").json()["results"]
    assert [p["id"] for p in listed] == [commune.pk]
    for url in (
        f"/api/plans/{province.pk}/",
        f"/api/targets/{province.targets.first().pk}/",  # type: ignore[union-attr]
        f"/api/tasks/{province.tasks.first().pk}/",  # type: ignore[union-attr]
    ):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["detail"] == NOT_FOUND
    targets = client.get("/api/targets/", {"plan": province.pk}).json()["results"]
    assert targets == []


def test_targets_carry_milestones_and_tasks_carry_assignments() -> None:
    province = import_province_plan()
    client = client_for(make_user(unit_code="89"))
    target = client.get("/api/targets/", {"plan": province.pk}).json()["results"][0]
    assert target["milestones"] == [
        {"year": 2017, "value": "75.00"},
        {"year": 2020, "value": "100.00"},
    ]
    commune = import_commune_plan()
    client = client_for(make_user(username="hh"))
    tasks = client.get("/api/tasks/", {"plan": commune.pk}).json()["results"]
    lead = tasks[2]["assignments"][0]
    assert (lead["role"], lead["agency_name"]) == ("lead", "Công an xã Hoằng Hợp")
    sections = client.get("/api/plan-sections/", {"plan": commune.pk}).json()["results"]
    assert sections[0]["number"] == "II"


def test_only_the_issuing_units_coordinator_edits() -> None:
    plan = import_commune_plan()
    police = client_for(make_user(username="ca", role=User.Role.POLICE))
    response = police.patch(f"/api/plans/{plan.pk}/", {"title": "X"}, format="json")
    assert response.status_code == 403 and "điều phối" in response.json()["detail"]
    coordinator = client_for(make_user())
    response = coordinator.patch(f"/api/plans/{plan.pk}/", {"number": "5/KH-UBND"}, format="json")
    assert response.status_code == 200 and response.json()["number"] == "5/KH-UBND"
    response = coordinator.patch(
        f"/api/targets/{plan.targets.first().pk}/",  # type: ignore[union-attr]
        {"value": "85", "milestones": [{"year": 2025, "value": "85"}]},
        format="json",
    )
    assert response.status_code == 200 and response.json()["milestones"] == [
        {"year": 2025, "value": "85.00"}
    ]


def test_status_rules_give_400_in_vietnamese() -> None:
    plan = import_commune_plan()
    client = client_for(make_user())
    assert client.post(f"/api/plans/{plan.pk}/status/", {"status": "issued"}).status_code == 200
    response = client.post(f"/api/plans/{plan.pk}/status/", {"status": "draft"})
    assert response.status_code == 400
    assert "Không thể chuyển" in str(response.json())


def test_import_a_parsed_dict_and_refuse_uncertain_fields() -> None:
    make_agencies()
    client = client_for(make_user())
    parsed = commune_parsed()
    parsed["tasks"][0]["support"] = ["Hội Nông dân xã"]
    preview = client.post("/api/plans/preview/", {"parsed": parsed}, format="json").json()
    assert preview["uncertain"] and preview["unmatched_agencies"] == ["Hội Nông dân xã"]
    response = client.post("/api/plans/import/", {"parsed": parsed}, format="json")
    assert response.status_code == 400 and "Hội Nông dân xã" in str(response.json()["errors"])
    assert not Plan.objects.exists()
    response = client.post(
        "/api/plans/import/",
        {"parsed": parsed, "accept_warnings": True, "status": "issued"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["status"] == "issued"
    letter = client.post(
        "/api/plans/import/", {"parsed": commune_parsed(kind="letter")}, format="json"
    )
    assert letter.status_code == 400 and "không phải kế hoạch" in letter.json()["detail"]


def test_import_for_a_unit_outside_scope_is_refused() -> None:
    client = client_for(make_user())
    response = client.post(
        "/api/plans/import/",
        {"parsed": commune_parsed(), "org_unit": Agency._meta.pk and 10**9},
        format="json",
    )
    assert response.status_code == 400 and "phạm vi" in str(response.json())


def test_progress_with_evidence_over_multipart_and_bad_files_refused() -> None:
    agencies = make_agencies()
    plan = import_commune_plan()
    task = plan.tasks.get(number="II.3.2.b")
    police = client_for(
        make_user(username="ca", role=User.Role.POLICE, agency=agencies[Agency.Kind.POLICE])
    )
    good = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test")
    response = police.post(
        "/api/progress-updates/",
        {"task": task.pk, "on": "2025-03-01", "status": "in_progress", "note": "Đã kiểm tra",
         "files": [good]},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["evidence"][0]["original_name"] == "bien-ban.pdf"
    fake = SimpleUploadedFile("anh.png", b"MZ not a png")
    response = police.post(
        "/api/progress-updates/",
        {"task": task.pk, "on": "2025-03-02", "status": "done", "files": [fake]},
        format="multipart",
    )
    assert response.status_code == 400 and "PNG" in str(response.json()["files"])
    assert TaskProgress.objects.count() == 1
    other = plan.tasks.get(number="II.1.2.a")
    response = police.post(
        "/api/progress-updates/",
        {"task": other.pk, "on": "2025-03-02", "status": "done"},
        format="multipart",
    )
    assert response.status_code == 403
    listed = police.get("/api/progress-updates/", {"task": task.pk}).json()["results"]
    assert [p["status"] for p in listed] == ["in_progress"]
    mine = police.get("/api/tasks/", {"mine": "1"}).json()["results"]
    assert [t["id"] for t in mine] == [task.pk]


def test_progress_on_a_task_outside_scope_is_404() -> None:
    province = import_province_plan()
    client = client_for(make_user(role=User.Role.DATA_ENTRY))
    response = client.post(
        "/api/progress-updates/",
        {"task": province.tasks.first().pk, "on": "2025-03-02", "status": "done"},  # type: ignore[union-attr]
        format="multipart",
    )
    assert response.status_code == 404


def test_assignments_cascade_and_derive_year_endpoints() -> None:
    agencies = make_agencies()
    plan = import_commune_plan()
    client = client_for(make_user())
    task = plan.tasks.get(number="II.1.2.a")
    response = client.post(
        "/api/task-assignments/",
        {"task": task.pk, "role": "support", "text": "Đài truyền thanh",
         "agency": agencies[Agency.Kind.RADIO].pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    row_id = response.json()["id"]
    police = client_for(make_user(username="ca2", role=User.Role.POLICE))
    assert police.delete(f"/api/task-assignments/{row_id}/").status_code == 403
    assert client.delete(f"/api/task-assignments/{row_id}/").status_code == 204
    assert AuditEvent.objects.filter(action="delete").exists()
    response = client.post(f"/api/plans/{plan.pk}/derive-year/", {"year": 2025}, format="json")
    assert response.status_code == 400 and "một năm" in str(response.json())
    province = import_province_plan()
    angiang = client_for(make_user(username="ag", unit_code="89"))
    response = angiang.post(f"/api/plans/{province.pk}/derive-year/", {"year": 2017})
    assert response.status_code == 201 and response.json()["period_start"] == 2017
    issues = angiang.get(f"/api/plans/{province.pk}/consistency/").json()
    assert issues == []
    response = angiang.post(
        f"/api/plans/{province.pk}/cascade/", {"child_unit": plan.org_unit_id}, format="json"
    )
    assert response.status_code == 400  # Hoằng Hợp is not in An Giang's scope
    assert date.today()


def test_import_an_uploaded_seed_file() -> None:
    from pcmd.orgunits.demo import demo_load

    demo_load()
    seed = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "hoang_hop_2025.txt"
    client = client_for(make_user(username="hhop"))
    upload = SimpleUploadedFile("hoang_hop_2025.txt", seed.read_bytes())
    response = client.post(
        "/api/plans/import/", {"file": upload, "accept_warnings": "true"}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    plan = Plan.objects.get(pk=response.json()["id"])
    assert plan.targets.count() == 9 and plan.source_name == "hoang_hop_2025.txt"
    assert "Hoàng Hợp" in plan.source_text
    empty = SimpleUploadedFile("rong.txt", b"")
    response = client.post("/api/plans/import/", {"file": empty}, format="multipart")
    assert response.status_code == 400
