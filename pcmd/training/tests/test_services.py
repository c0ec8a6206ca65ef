from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOP, OLD_AN_GIANG, make_user, unit
from pcmd.common.records import StaleRecord
from pcmd.training import services
from pcmd.training.tests.factories import make_course, make_staff

pytestmark = pytest.mark.django_db


def test_staff_create_is_audited() -> None:
    user = make_user()
    staff = services.staff_create(
        acting_user=user,
        org_unit=unit(HOANG_HOP),
        full_name="Nguyễn Văn Bình",
        roles=["speaker", "officer"],
        active_from=date(2025, 1, 1),
    )
    assert staff.version == 1
    assert staff.created_by == user
    assert AuditEvent.objects.filter(action="create", object_id=str(staff.pk)).exists()


def test_staff_create_refuses_unit_outside_scope() -> None:
    with pytest.raises(PermissionDenied):
        services.staff_create(
            acting_user=make_user(),
            org_unit=unit(OLD_AN_GIANG),
            full_name="X",
            active_from=date(2020, 1, 1),
        )


def test_staff_create_refuses_role_without_manage() -> None:
    with pytest.raises(PermissionDenied):
        services.staff_create(
            acting_user=make_user(role=User.Role.LEADER),
            org_unit=unit(HOANG_HOP),
            full_name="X",
            active_from=date(2025, 1, 1),
        )


def test_staff_refuses_unit_not_valid_on_date_and_unknown_role() -> None:
    with pytest.raises(ValidationError) as exc:
        services.staff_create(
            acting_user=None, org_unit=unit(HOANG_HOP), full_name="X", active_from=date(2025, 8, 1)
        )
    assert "org_unit" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.staff_create(
            acting_user=None,
            org_unit=unit(HOANG_HOP),
            full_name="X",
            roles=["boss"],
            active_from=date(2025, 1, 1),
        )


def test_stale_staff_update_is_refused_and_writes_nothing() -> None:
    staff = make_staff()
    services.staff_update(staff=staff, acting_user=None, expected_version=1, position="Trưởng")
    old = make_staff.__globals__["StaffMember"].objects.get(pk=staff.pk)
    old.version = 1
    with pytest.raises(StaleRecord) as exc:
        services.staff_update(staff=old, acting_user=None, expected_version=1, position="Phó")
    assert exc.value.current.position == "Trưởng"
    staff.refresh_from_db()
    assert (staff.position, staff.version) == ("Trưởng", 2)


def test_course_dates_are_checked() -> None:
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.course_create(
            acting_user=None,
            org_unit=unit(HOANG_HOP),
            title="Lớp",
            start_date=tomorrow,
            end_date=tomorrow,
        )
    assert "start_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.course_create(
            acting_user=None,
            org_unit=unit(HOANG_HOP),
            title="Lớp",
            start_date=date(2025, 3, 2),
            end_date=date(2025, 3, 1),
        )
    assert "end_date" in exc.value.message_dict


def test_course_participants_must_be_in_course_unit_scope() -> None:
    mine = make_staff()
    foreign = make_staff(org_unit=unit(OLD_AN_GIANG), full_name="Trần Văn Xa")
    with pytest.raises(ValidationError) as exc:
        services.course_create(
            acting_user=None,
            org_unit=unit(HOANG_HOP),
            title="Lớp",
            start_date=date(2025, 3, 1),
            end_date=date(2025, 3, 1),
            participants=[mine, foreign],
        )
    assert "Trần Văn Xa" in str(exc.value)
    course = services.course_create(
        acting_user=make_user(),
        org_unit=unit(HOANG_HOP),
        title="Lớp",
        start_date=date(2025, 3, 1),
        end_date=date(2025, 3, 1),
        participants=[mine],
        outside_participants=12,
    )
    assert list(course.participants.all()) == [mine]


def test_course_update_records_participant_changes_and_delete_is_audited() -> None:
    a, b = make_staff(), make_staff(full_name="Phạm Văn Cường")
    course = make_course(participants=[a])
    user = make_user()
    services.course_update(course=course, acting_user=user, expected_version=1, participants=[b])
    event = AuditEvent.objects.filter(action="update", object_id=str(course.pk)).get()
    assert event.detail["participants"] == {"added": [b.pk], "removed": [a.pk]}
    pk = course.pk
    services.course_delete(course=course, acting_user=user)
    assert AuditEvent.objects.filter(action="delete", object_id=str(pk)).exists()
