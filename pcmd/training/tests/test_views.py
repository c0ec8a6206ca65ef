from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import HOANG_HOP, make_user, unit
from pcmd.training.models import StaffMember, TrainingCourse
from pcmd.training.tests.factories import make_course, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client: Client) -> User:
    user = make_user()
    client.force_login(user)
    return user


def test_list_pages_render(
    client: Client, coordinator: User, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        make_course(participants=[make_staff(full_name=f"Người {i}")])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("training:course-list"))
    assert response.status_code == 200
    assert "Tập huấn kỹ năng truyền thông" in response.content.decode()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("training:staff-list")).status_code == 200


def test_create_course_with_participants(client: Client, coordinator: User) -> None:
    staff = make_staff()
    assert client.get(reverse("training:course-create")).status_code == 200
    response = client.post(
        reverse("training:course-create"),
        {
            "org_unit": unit(HOANG_HOP).pk,
            "title": "Lớp giảm hại",
            "start_date": "2025-05-02",
            "end_date": "2025-05-02",
            "topics": ["harm_reduction", "gbv"],
            "participants": [staff.pk],
            "outside_participants": "3",
        },
    )
    assert response.status_code == 302
    course = TrainingCourse.objects.get(title="Lớp giảm hại")
    assert course.topics == ["harm_reduction", "gbv"]
    assert list(course.participants.all()) == [staff]
    assert client.get(reverse("training:course-detail", args=[course.pk])).status_code == 200


def test_bad_dates_keep_what_was_typed(client: Client, coordinator: User) -> None:
    response = client.post(
        reverse("training:course-create"),
        {
            "org_unit": unit(HOANG_HOP).pk,
            "title": "Lớp sai ngày",
            "start_date": "2025-05-02",
            "end_date": "2025-05-01",
            "outside_participants": "0",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Lớp sai ngày" in body and "không được trước ngày bắt đầu" in body


def test_stale_edit_shows_the_other_version(client: Client, coordinator: User) -> None:
    staff = make_staff()
    StaffMember.objects.filter(pk=staff.pk).update(version=2, position="Chủ tịch")
    response = client.post(
        reverse("training:staff-edit", args=[staff.pk]),
        {
            "org_unit": staff.org_unit_id,
            "full_name": staff.full_name,
            "position": "Phó chủ tịch",
            "active_from": "2024-01-01",
            "version": "1",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Chủ tịch" in body and "Phó chủ tịch" in body
    staff.refresh_from_db()
    assert staff.position == "Chủ tịch"


def test_delete_with_confirmation(client: Client, coordinator: User) -> None:
    staff = make_staff()
    url = reverse("training:staff-delete", args=[staff.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not StaffMember.objects.filter(pk=staff.pk).exists()


def test_reader_cannot_create(client: Client) -> None:
    client.force_login(make_user(role=User.Role.LEADER))
    assert client.get(reverse("training:course-create")).status_code == 403
    assert client.get(reverse("training:course-list")).status_code == 200


def test_staff_create_page(client: Client, coordinator: User) -> None:
    response = client.post(
        reverse("training:staff-create"),
        {
            "org_unit": unit(HOANG_HOP).pk,
            "full_name": "Đỗ Thị Lan",
            "roles": ["collaborator"],
            "pcmd_relevant": "on",
            "active_from": date(2025, 1, 1).isoformat(),
        },
    )
    assert response.status_code == 302
    assert StaffMember.objects.get(full_name="Đỗ Thị Lan").roles == ["collaborator"]
