"""Small factories for reports tests: units of the real hierarchy, users, records, reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import (
    HOANG_GIANG,
    HOANG_HOA,
    HOANG_HOP,
    OLD_AN_GIANG,
    THANH_HOA,
    make_user,
    unit,
)
from pcmd.orgunits.models import OrgUnit
from pcmd.outreach.models import OutreachEvent
from pcmd.reports.models import Report

__all__ = [
    "HOANG_GIANG", "HOANG_HOA", "HOANG_HOP", "OLD_AN_GIANG", "THANH_HOA", "make_user", "unit",
]  # fmt: skip

NARRATIVE = {
    "strengths": "Công tác tuyên truyền được triển khai đều ở các thôn.",
    "shortcomings": "Một số cơ sở kinh doanh chưa được kiểm tra.",
    "next_tasks": "Tăng cường kiểm tra cơ sở lưu trú trong 6 tháng cuối năm.",
    "recommendations": "Đề nghị UBND huyện hỗ trợ kinh phí tập huấn.",
}


def event(org_unit: OrgUnit, day: date, participants: int = 40, **kw: Any) -> OutreachEvent:
    return OutreachEvent.objects.create(
        org_unit=org_unit,
        date=day,
        form=kw.pop("form", OutreachEvent.Form.MEETING),
        topic=kw.pop("topic", "Phòng, chống mại dâm trong thanh niên"),
        participants=participants,
        **kw,
    )


def coordinator(code: str = HOANG_HOP, username: str = "canbo") -> User:
    return make_user(username=username, role=User.Role.COORDINATOR, unit_code=code)


def leader(code: str = HOANG_HOA, username: str = "lanhdao") -> User:
    return make_user(username=username, role=User.Role.LEADER, unit_code=code)


def make_report(
    *, code: str = HOANG_HOP, period: str = "2025S1", status: str = "draft", **kw: Any
) -> Report:
    from pcmd.common.periods import period_parse
    from pcmd.reports.models import kind_for_period

    fields: dict[str, Any] = {
        "org_unit": kw.pop("org_unit", None) or unit(code),
        "period": period,
        "kind": kind_for_period(period_parse(period)),
        "status": status,
        **NARRATIVE,
        **kw,
    }
    return Report.objects.create(**fields)
