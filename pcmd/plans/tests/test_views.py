"""The plan pages: upload → preview → confirm, bad files, scope, editing, progress with evidence,
my tasks, query counts, no asset from another host."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import OLD_AN_GIANG
from pcmd.orgunits.models import Agency
from pcmd.plans.forms import MAX_UPLOAD_BYTES
from pcmd.plans.models import (
    Milestone,
    Plan,
    ProgressEvidence,
    Target,
    Task,
    TaskAssignment,
    TaskProgress,
)
from pcmd.plans.tests.factories import (
    hoang_hop,
    import_commune_plan,
    make_agencies,
    make_user,
)

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
COMMUNE_SEED = SEEDS / "hoang_hop_2025.txt"
LETTER = """ỦY BAN NHÂN DÂN
XÃ HOẰNG HỢP

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 12/UBND-VP
V/v mời họp giao ban

Hoằng Hợp, ngày 03 tháng 3 năm 2025

Kính gửi: Các ban, ngành, đoàn thể xã.

Ủy ban nhân dân xã kính mời các đồng chí dự họp giao ban vào 8 giờ ngày 05/3/2025 tại hội
trường UBND xã. Đề nghị các đồng chí tham dự đầy đủ, đúng giờ./.

Nơi nhận:
- Như trên;
- Lưu: VT.

CHỦ TỊCH

Lê Văn Phụng
"""


@pytest.fixture
def coordinator(client: Client) -> User:
    user = make_user(username="hoanghop-coord", role=User.Role.COORDINATOR)
    client.force_login(user)
    return user


def _form_data(form: Any) -> dict[str, Any]:
    """The values a browser would post for the form as shown (its initial values)."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def _upload(client: Client, name: str, content: bytes) -> Any:
    return client.post(reverse("plans:import"), {"file": SimpleUploadedFile(name, content)})


def _preview(client: Client, response: Any) -> tuple[str, Any]:
    assert response.status_code == 302, response.content.decode()[:2000]
    url = response["Location"]
    assert url.startswith(reverse("plans:preview"))
    page = client.get(url)
    assert page.status_code == 200
    return url, page


# --- upload → preview → confirm -------------------------------------------------------------


def test_upload_preview_confirm_creates_the_commune_plan(client: Client, coordinator: User) -> None:
    make_agencies()
    url, page = _preview(client, _upload(client, "hoang_hop_2025.txt", COMMUNE_SEED.read_bytes()))
    body = page.content.decode()
    assert "Xem trước kế hoạch" in body and "Xã Hoằng Hợp" in body
    assert "Ít nhất 80% số thôn" in body
    assert Plan.objects.count() == 0  # nothing saved by the preview

    data = _form_data(page.context["form"])
    data.update({"t": url.split("t=")[1], "action": "confirm"})
    response = client.post(reverse("plans:preview"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Plan.objects.get()
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.org_unit == hoang_hop()
    assert plan.targets.count() == 9
    assert plan.tasks.count() == 11
    assert plan.source_name == "hoang_hop_2025.txt"
    # "Công an xã" is matched to the commune's police; "các đơn vị có liên quan" stays text.
    police = Agency.objects.get(org_unit=plan.org_unit, kind=Agency.Kind.POLICE)
    assert TaskAssignment.objects.filter(task__plan=plan, role="lead", agency=police).exists()
    assert not TaskAssignment.objects.filter(
        task__plan=plan, text__icontains="có liên quan", agency__isnull=False
    ).exists()
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "Thời gian:" in detail.content.decode()


def _without_health_station() -> None:
    make_agencies()
    Agency.objects.filter(org_unit=hoang_hop(), kind=Agency.Kind.HEALTH_STATION).delete()


def test_unmatched_agency_is_uncertain_and_not_created_unless_chosen(
    client: Client, coordinator: User
) -> None:
    _without_health_station()
    url, page = _preview(client, _upload(client, "hh.txt", COMMUNE_SEED.read_bytes()))
    body = page.content.decode()
    assert "Cơ quan cần xác định" in body
    assert "Chưa có trong hệ thống" in body  # a word, not only a colour
    form = page.context["form"]
    names = [n.lower() for n in form.unmatched]
    assert any("trạm y tế" in n for n in names), names
    data = _form_data(form)
    data.update({"t": url.split("t=")[1], "action": "confirm"})
    response = client.post(reverse("plans:preview"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Agency.objects.filter(org_unit=hoang_hop(), kind=Agency.Kind.HEALTH_STATION)
    assert not Agency.objects.filter(org_unit=hoang_hop(), name__icontains="trạm y tế").exists()
    kept = TaskAssignment.objects.filter(text__icontains="trạm y tế")
    assert kept.exists() and all(a.agency_id is None for a in kept)


def test_unmatched_agency_is_created_when_chosen(client: Client, coordinator: User) -> None:
    _without_health_station()
    url, page = _preview(client, _upload(client, "hh.txt", COMMUNE_SEED.read_bytes()))
    form = page.context["form"]
    data = _form_data(form)
    for j, name in enumerate(form.unmatched):
        if "trạm y tế" in name.lower():
            data[f"ag{j}"] = "create"
    data.update({"t": url.split("t=")[1], "action": "confirm"})
    response = client.post(reverse("plans:preview"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Agency.objects.get(org_unit=hoang_hop(), name__icontains="trạm y tế")
    assert TaskAssignment.objects.filter(agency=created).exists()


def test_edited_target_value_is_saved_and_bad_value_keeps_input(
    client: Client, coordinator: User
) -> None:
    make_agencies()
    url, page = _preview(client, _upload(client, "hh.txt", COMMUNE_SEED.read_bytes()))
    token = url.split("t=")[1]
    data = _form_data(page.context["form"])
    data.update({"t": token, "action": "confirm", "t0_value": "tám mươi"})
    bad = client.post(reverse("plans:preview"), data)
    assert bad.status_code == 422
    assert "tám mươi" in bad.content.decode()  # what was typed stays
    assert Plan.objects.count() == 0
    data.update({"t0_value": "85", "t0_milestones": "2025: 85"})
    response = client.post(reverse("plans:preview"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    target = Target.objects.order_by("order").first()
    assert target is not None and target.value == 85
    assert list(Milestone.objects.filter(target=target).values_list("year", flat=True)) == [2025]


def test_a_posted_agency_of_another_unit_is_refused(client: Client, coordinator: User) -> None:
    _without_health_station()
    url, page = _preview(client, _upload(client, "hh.txt", COMMUNE_SEED.read_bytes()))
    form = page.context["form"]
    foreign = Agency.objects.create(
        org_unit=unit_an_giang(), kind=Agency.Kind.HEALTH_STATION, name="Sở Y tế tỉnh An Giang"
    )
    data = _form_data(form)
    for j, _name in enumerate(form.unmatched):
        data[f"ag{j}"] = f"agency:{foreign.pk}"
    data.update({"t": url.split("t=")[1], "action": "confirm"})
    response = client.post(reverse("plans:preview"), data)
    assert response.status_code == 422
    assert Plan.objects.count() == 0


def unit_an_giang() -> Any:
    from pcmd.accounts.tests.factories import unit

    return unit(OLD_AN_GIANG)


def test_pasted_letter_shows_the_problem_and_no_confirm(client: Client, coordinator: User) -> None:
    response = client.post(reverse("plans:import"), {"text": LETTER})
    url, page = _preview(client, response)
    body = page.content.decode()
    assert "Không thể nhập văn bản này" in body
    assert 'value="confirm"' not in body
    data = _form_data(page.context["form"])
    data.update({"t": url.split("t=")[1], "action": "confirm"})
    assert client.post(reverse("plans:preview"), data).status_code == 422
    assert Plan.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("trong.txt", b"", "trống"),
        ("nhi-phan.txt", bytes(range(256)) * 40, "Tệp"),
        ("hong.docx", b"PK\x03\x04 khong phai word", "hỏng"),
        ("ke-hoach.pdf", b"%PDF-1.4 ...", ".docx hay .txt"),
        ("qua-lon.txt", b"a" * (MAX_UPLOAD_BYTES + 1), "vượt giới hạn"),
    ],
)
def test_bad_files_are_refused_with_a_vietnamese_message(
    client: Client, coordinator: User, name: str, content: bytes, words: str
) -> None:
    response = _upload(client, name, content)
    assert response.status_code == 422
    body = response.content.decode()
    assert words in body
    assert "Chưa lưu được" in body
    assert Plan.objects.count() == 0


def test_nothing_chosen_is_a_form_error(client: Client, coordinator: User) -> None:
    response = client.post(reverse("plans:import"), {})
    assert response.status_code == 422
    assert "Hãy chọn một tệp hoặc dán nội dung văn bản" in response.content.decode()


def test_preview_token_of_another_session_is_404(client: Client, coordinator: User) -> None:
    assert client.get(reverse("plans:preview") + "?t=khong-co").status_code == 404


def test_roles_without_plan_manage_cannot_import(client: Client) -> None:
    client.force_login(make_user(username="congan", role=User.Role.POLICE))
    assert client.get(reverse("plans:import")).status_code == 403


# --- scope ------------------------------------------------------------------------------------


def test_an_giang_user_gets_404_on_a_hoang_hop_plan(client: Client) -> None:
    plan = import_commune_plan()
    task = plan.tasks.first()
    target = plan.targets.first()
    assert task is not None and target is not None
    client.force_login(make_user(username="angiang-x", unit_code=OLD_AN_GIANG))
    for url in (
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:export-docx", args=[plan.pk]),
        reverse("plans:edit", args=[plan.pk]),
        reverse("plans:cascade", args=[plan.pk]),
        reverse("plans:task", args=[task.pk]),
        reverse("plans:task-edit", args=[task.pk]),
        reverse("plans:target-edit", args=[target.pk]),
    ):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("plans:list"))
    assert listing.status_code == 200
    assert plan.title not in listing.content.decode()


# --- the plan page and its edits ------------------------------------------------------------


def test_detail_reads_like_the_document_and_marks_overdue(
    client: Client, coordinator: User
) -> None:
    plan = import_commune_plan()
    Task.objects.filter(plan=plan, timeframe_kind="quarter").update(end=date(2025, 3, 31))
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "KẾ HOẠCH" in body and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body
    assert "≥ 80%" in body and "3-5%" in body
    assert "Quá hạn" in body
    assert "Chủ trì" in body and "Thời gian:" in body
    assert reverse("plans:export-docx", args=[plan.pk]) in body
    assert reverse("plans:cascade", args=[plan.pk]) in body


def test_export_docx_is_a_word_file(client: Client, coordinator: User) -> None:
    plan = import_commune_plan()
    response = client.get(reverse("plans:export-docx", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_target_edit_saves_milestones_and_keeps_input_on_error(
    client: Client, coordinator: User
) -> None:
    plan = import_commune_plan()
    target = plan.targets.get(comparator=">=")
    url = reverse("plans:target-edit", args=[target.pk])
    form = client.get(url).context["form"]
    data = _form_data(form)
    data["milestones"] = "2025 là 80"
    bad = client.post(url, data)
    assert bad.status_code == 422 and "2025 là 80" in bad.content.decode()
    data["milestones"] = "2025: 90"
    data["value"] = "90"
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.value == 90
    assert [(m.year, m.value) for m in target.milestones.all()] == [(2025, 90)]


def test_task_edit_and_assignment(client: Client, coordinator: User) -> None:
    plan = import_commune_plan()
    task = plan.tasks.order_by("order").first()
    assert task is not None
    url = reverse("plans:task-edit", args=[task.pk])
    data = _form_data(client.get(url).context["form"])
    data.update({"form": "task", "timeframe_text": "Quý II/2025", "end": "2025-06-30"})
    assert client.post(url, data).status_code == 302
    task.refresh_from_db()
    assert task.timeframe_text == "Quý II/2025" and task.end == date(2025, 6, 30)
    radio = Agency.objects.get(org_unit=plan.org_unit, kind=Agency.Kind.RADIO)
    response = client.post(
        url, {"form": "assignment", "role": "support", "text": "", "agency": radio.pk}
    )
    assert response.status_code == 302
    assignment = TaskAssignment.objects.get(task=task, agency=radio)
    assert client.post(reverse("plans:assignment-delete", args=[assignment.pk])).status_code == 302
    assert not TaskAssignment.objects.filter(pk=assignment.pk).exists()


def test_status_issue_then_close(client: Client, coordinator: User) -> None:
    plan = import_commune_plan()
    url = reverse("plans:status", args=[plan.pk])
    assert client.post(url, {"status": "issued"}).status_code == 302
    assert client.post(url, {"status": "closed"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED


# --- progress, my tasks -------------------------------------------------------------------


def test_progress_with_an_evidence_file(
    client: Client, coordinator: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    plan = import_commune_plan()
    task = plan.tasks.order_by("order").first()
    assert task is not None
    url = reverse("plans:task", args=[task.pk])
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n% bien ban\n", "application/pdf")
    response = client.post(
        url,
        {
            "on": "2025-04-02",
            "status": "in_progress",
            "note": "Đã phát loa 4 buổi",
            "evidence": pdf,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    progress = TaskProgress.objects.get(task=task)
    evidence = ProgressEvidence.objects.get(progress=progress)
    assert evidence.original_name == "bien-ban.pdf"
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    page = client.get(url).content.decode()
    assert "Đã phát loa 4 buổi" in page and "bien-ban.pdf" in page
    download = client.get(reverse("plans:evidence", args=[evidence.pk]))
    assert download.status_code == 200


def test_task_page_shows_progress_recorded_by_the_system(client: Client, coordinator: User) -> None:
    plan = import_commune_plan()
    task = plan.tasks.order_by("order").first()
    assert task is not None
    TaskProgress.objects.create(task=task, on=date(2025, 2, 1), status="in_progress", note="demo")
    response = client.get(reverse("plans:task", args=[task.pk]))
    assert response.status_code == 200
    assert "Hệ thống (nhập tự động)" in response.content.decode()


def test_progress_with_a_wrong_file_type_shows_the_error(
    client: Client, coordinator: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    plan = import_commune_plan()
    task = plan.tasks.order_by("order").first()
    assert task is not None
    exe = SimpleUploadedFile("chuong-trinh.exe", b"MZ\x90\x00", "application/octet-stream")
    response = client.post(
        reverse("plans:task", args=[task.pk]),
        {"on": "2025-04-02", "status": "done", "note": "xong", "evidence": exe},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "chuong-trinh.exe" in body and "xong" in body
    assert TaskProgress.objects.count() == 0


def test_my_tasks_lists_the_agency_tasks_overdue_first(client: Client) -> None:
    plan = import_commune_plan()
    police = Agency.objects.get(org_unit=plan.org_unit, kind=Agency.Kind.POLICE)
    client.force_login(make_user(username="congan-hh", role=User.Role.POLICE, agency=police))
    response = client.get(reverse("plans:my-tasks"))
    assert response.status_code == 200
    tasks = list(response.context["tasks"])
    assert tasks, "the police leads a task of the plan"
    assert all(
        TaskAssignment.objects.filter(task=t, agency=police).exists()
        or t.responsibilities.filter(agencies__agency=police).exists()
        for t in tasks
    )
    assert "Kiểm tra, quản lý chặt chẽ" in response.content.decode()
    overdue = [t.is_overdue for t in tasks]
    assert overdue == sorted(overdue, reverse=True)


def test_my_tasks_without_an_agency_says_so(client: Client, coordinator: User) -> None:
    response = client.get(reverse("plans:my-tasks"))
    assert response.status_code == 200
    assert "chưa gắn với cơ quan nào" in response.content.decode()


# --- query counts, assets ------------------------------------------------------------------


def test_list_query_count_is_bounded(
    client: Client, coordinator: User, django_assert_max_num_queries: Any
) -> None:
    import_commune_plan()
    import_commune_plan(title="Kế hoạch thứ hai")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("plans:list")).status_code == 200


def test_detail_query_count_does_not_grow_with_tasks(
    client: Client, coordinator: User, django_assert_max_num_queries: Any
) -> None:
    plan = import_commune_plan()
    url = reverse("plans:detail", args=[plan.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as captured:
        assert client.get(url).status_code == 200
    before = len(captured.captured_queries)
    for n in range(5):
        Task.objects.create(plan=plan, title=f"Nhiệm vụ thêm {n}", order=100 + n)
    with django_assert_max_num_queries(before):
        assert client.get(url).status_code == 200


_FOREIGN = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


def test_no_page_references_another_host(client: Client, coordinator: User) -> None:
    plan = import_commune_plan()
    task = plan.tasks.first()
    target = plan.targets.first()
    assert task is not None and target is not None
    for url in (
        reverse("plans:list"),
        reverse("plans:import"),
        reverse("plans:my-tasks"),
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:edit", args=[plan.pk]),
        reverse("plans:cascade", args=[plan.pk]),
        reverse("plans:task", args=[task.pk]),
        reverse("plans:task-edit", args=[task.pk]),
        reverse("plans:target-edit", args=[target.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _FOREIGN.search(response.content.decode()), url
