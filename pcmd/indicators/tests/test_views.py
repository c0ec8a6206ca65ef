"""The evaluation page of a plan, the drill-down behind a value, correcting a mapping."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOP, make_user, unit
from pcmd.indicators.models import Indicator, TargetMeasure
from pcmd.orgunits.selectors import village_list
from pcmd.outreach.tests.factories import hoang_hop_with_villages, make_event
from pcmd.plans.models import Plan
from pcmd.plans.tests.factories import make_plan, make_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> Plan:
    commune = hoang_hop_with_villages()
    plan = make_plan(org_unit=commune)
    make_target(plan=plan)  # "Ít nhất 80% số thôn tuyên truyền"
    make_target(plan=plan, text="Một chỉ tiêu lạ", population="con mèo", order=2)
    make_event(org_unit=village_list(commune).first(), date=date(2025, 2, 3))
    return plan


def test_the_evaluation_page_shows_each_target_measured(client: Client, plan: Plan) -> None:
    client.force_login(make_user(unit_code=HOANG_HOP))
    url = reverse("indicators:plan-evaluation", args=[plan.pk])
    response = client.get(url, {"period": "2025S1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tỷ lệ thôn, tổ dân phố tổ chức ít nhất một hình thức tuyên truyền" in body
    assert "1/6" in body  # one village of six (January to June of the year)
    assert "Chưa gán chỉ số" in body
    assert "6 tháng đầu năm 2025" in body
    # A period the plan does not cover falls back to the plan's own year.
    assert client.get(url, {"period": "2019"}).status_code == 200


def test_the_drill_down_lists_the_units_counted(client: Client, plan: Plan) -> None:
    client.force_login(make_user(unit_code=HOANG_HOP, role=User.Role.POLICE))
    url = reverse("indicators:value", args=[unit(HOANG_HOP).pk])
    response = client.get(url, {"indicator": "outreach-village-coverage", "period": "2025"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("badge-achieved") == 1 and body.count("badge-off_track") == 5
    assert client.get(url, {"indicator": "khong-co"}).status_code == 404
    assert client.get(url, {"indicator": "outreach-events", "period": "2025X"}).status_code == 200


def test_a_coordinator_corrects_a_mapping_and_it_is_audited(client: Client, plan: Plan) -> None:
    target = plan.targets.get(population="con mèo")
    coordinator = make_user(unit_code=HOANG_HOP)
    client.force_login(coordinator)
    events = Indicator.objects.get(code="outreach-events")
    url = reverse("indicators:target-measure", args=[target.pk])
    response = client.post(url, {"indicator": events.pk, "back": "period=2025"})
    assert response.status_code == 302 and response["Location"].endswith("?period=2025")
    measure = TargetMeasure.objects.get(target=target)
    assert measure.indicator == events and measure.is_manual
    assert AuditEvent.objects.filter(
        user=coordinator, action=AuditEvent.Action.UPDATE, detail__indicator=["", events.code]
    ).exists()


def test_a_role_without_plan_manage_cannot_correct_a_mapping(client: Client, plan: Plan) -> None:
    target = plan.targets.get(population="con mèo")
    client.force_login(make_user(unit_code=HOANG_HOP, role=User.Role.POLICE))
    url = reverse("indicators:target-measure", args=[target.pk])
    assert client.post(url, {"indicator": ""}).status_code == 403
    assert not TargetMeasure.objects.get(target=target).is_manual


def test_a_six_month_view_measures_the_year_to_the_end_of_june(client: Client) -> None:
    from pcmd.enforcement.tests.factories import make_establishment, make_inspection

    plan = make_plan(org_unit=unit(HOANG_HOP))
    make_target(
        plan=plan, value=20, population="cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm",
        text="tổ chức kiểm tra ít nhất 20% số cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn",
    )  # fmt: skip
    places = [make_establishment(name=f"Nhà nghỉ {i}") for i in range(12)]
    for place in places[:2]:
        make_inspection(place, inspected_on=date(2025, 4, 1))
    make_inspection(places[2], inspected_on=date(2025, 9, 1))  # after June: not yet
    client.force_login(make_user(unit_code=HOANG_HOP))
    url = reverse("indicators:plan-evaluation", args=[plan.pk])
    body = client.get(url, {"period": "2025S1"}).content.decode()
    assert "16,7%" in body or "16.7%" in body
    assert "10%" in body and "Đúng tiến độ" in body  # 20 % a year expects 10 % by 30 June
    assert "30/06/2025" in body


def test_entry_list_shows_an_entry_whose_author_was_deleted(client: Client) -> None:
    """Regression (found by the header walk of accounts/tests/test_security.py): entered_by is
    SET_NULL, and the list page answered 500 for such an entry."""
    from pcmd.indicators.models import AggregateEntry

    author = make_user(username="nguoinhap", role=User.Role.COORDINATOR)
    AggregateEntry.objects.create(
        indicator=Indicator.objects.get(code="outreach-events"), org_unit=unit(HOANG_HOP),
        period="2025", numerator=3, entered_by=author,
    )  # fmt: skip
    author.delete()
    client.force_login(make_user(username="dieuphoi", role=User.Role.COORDINATOR))
    response = client.get(reverse("indicators:entry-list"))
    assert response.status_code == 200
    assert "—" in response.content.decode()


def test_the_units_to_choose_are_checked_for_scope_in_one_query(client: Client, plan: Plan) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_user(unit_code=HOANG_HOP))
    url = reverse("indicators:plan-evaluation", args=[plan.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"period": "2025S1"})  # Xã Hoằng Hợp ended on 30/06/2025
    assert response.status_code == 200
    villages = list(village_list(plan.org_unit))
    assert len(villages) == 6
    body = response.content.decode()
    assert all(f'value="{v.pk}"' in body for v in villages)
    # No "is this unit in scope?" query per unit: the children come checked in one query.
    per_unit = [
        q for q in queries if q["sql"].startswith('SELECT 1 AS "a" FROM "orgunits_orgunitscope"')
    ]
    assert per_unit == []
