"""Small factories for training tests: roster entries and courses in real units."""

from __future__ import annotations

from datetime import date
from typing import Any

from pcmd.accounts.tests.factories import HOANG_HOP, unit
from pcmd.training.models import StaffMember, TrainingCourse


def make_staff(**overrides: Any) -> StaffMember:
    values: dict[str, Any] = {
        "org_unit": unit(HOANG_HOP),
        "full_name": "Lê Thị Hoa",
        "position": "Công chức văn hóa - xã hội",
        "roles": ["communicator"],
        "pcmd_relevant": True,
        "active_from": date(2024, 1, 1),
    }
    values.update(overrides)
    return StaffMember.objects.create(**values)


def make_course(**overrides: Any) -> TrainingCourse:
    participants = overrides.pop("participants", [])
    values: dict[str, Any] = {
        "org_unit": unit(HOANG_HOP),
        "title": "Tập huấn kỹ năng truyền thông",
        "start_date": date(2025, 3, 10),
        "end_date": date(2025, 3, 11),
        "topics": ["communication"],
    }
    values.update(overrides)
    course = TrainingCourse.objects.create(**values)
    course.participants.set(participants)
    return course
