"""Selectors: scoping, overdue tasks, my tasks, the plan back in the parser's shape."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from pcmd.accounts.models import User
from pcmd.orgunits.models import Agency, AgencySuccession
from pcmd.plans import selectors
from pcmd.plans.models import Task
from pcmd.plans.parsing.bodies import is_generic
from pcmd.plans.tests.factories import (
    commune_parsed,
    import_commune_plan,
    import_province_plan,
    make_agencies,
    make_plan,
    make_task,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_plans_are_scoped_to_the_users_subtree() -> None:
    commune = import_commune_plan()
    province = import_province_plan()
    hoanghop = make_user()
    assert list(selectors.plan_list_for_user(user=hoanghop)) == [commune]
    with pytest.raises(Http404):
        selectors.plan_get_for_user(plan_id=province.pk, user=hoanghop)
    with pytest.raises(Http404):
        selectors.task_get_for_user(task_id=province.tasks.first().pk, user=hoanghop)  # type: ignore[union-attr]
    district = make_user(username="huyen", unit_code="399")
    assert selectors.plan_get_for_user(plan_id=commune.pk, user=district) == commune
    national = make_user(username="qg", role=User.Role.LEADER, unit_code="VN")
    assert selectors.plan_list_for_user(user=national).count() == 2


def test_overdue_from_the_timeframe() -> None:
    plan = make_plan(period_start=2025, period_end=2025)
    quarter = make_task(plan=plan, timeframe_kind="quarter", end=date(2025, 3, 31), order=1)
    ongoing = make_task(plan=plan, timeframe_kind="ongoing", order=2)
    done = make_task(plan=plan, end=date(2025, 3, 31), status=Task.Status.DONE, order=3)
    assert selectors.task_is_overdue(quarter, today=date(2025, 4, 1))
    assert not selectors.task_is_overdue(quarter, today=date(2025, 3, 31))
    assert not selectors.task_is_overdue(ongoing, today=date(2025, 12, 31))
    assert selectors.task_is_overdue(ongoing, today=date(2026, 1, 1))
    assert not selectors.task_is_overdue(done, today=date(2026, 1, 1))
    assert list(selectors.tasks_overdue(plan=plan, today=date(2025, 6, 1))) == [quarter]
    assert list(selectors.tasks_overdue(plan=plan, today=date(2026, 1, 2))) == [quarter, ongoing]


def test_my_tasks_come_from_assignments_and_linked_responsibilities() -> None:
    agencies = make_agencies()
    plan = import_commune_plan()
    police = make_user(username="ca", role=User.Role.POLICE, agency=agencies[Agency.Kind.POLICE])
    mine = {t.number for t in selectors.my_tasks(user=police)}
    assert mine == {"II.3.2.b"}
    officer = make_user(
        username="vhxh", role=User.Role.SOCIAL_WORKER,
        agency=agencies[Agency.Kind.CULTURE_SOCIAL_OFFICER],
    )  # fmt: skip
    assert {t.number for t in selectors.my_tasks(user=officer)} == {
        "II.1.2.a",
        "II.3.2.a",
        "II.3.2.b",
    }
    front = make_user(
        username="mt", role=User.Role.LEADER, agency=agencies[Agency.Kind.FATHERLAND_FRONT]
    )
    # The front leads nothing, but responsibility 2 names it beside the police: linked task.
    assert {t.number for t in selectors.my_tasks(user=front)} == {"II.3.2.b"}
    assert selectors.can_record_progress(front, plan.tasks.get(number="II.3.2.b"))
    assert not selectors.can_record_progress(front, plan.tasks.get(number="II.1.2.a"))
    assert not selectors.my_tasks(user=make_user(username="none", role=User.Role.POLICE)).exists()


def test_my_tasks_follow_an_agency_to_its_successor() -> None:
    agencies = make_agencies()
    import_commune_plan()
    from pcmd.accounts.tests.factories import unit

    new_police = Agency.objects.create(
        org_unit=unit("15880"), name="Công an xã Hoằng Giang", kind="police"
    )
    AgencySuccession.objects.create(
        predecessor=agencies[Agency.Kind.POLICE],
        successor=new_police,
        effective_date=date(2025, 7, 1),
    )
    user = make_user(username="hg", role=User.Role.POLICE, unit_code="15880", agency=new_police)
    assert {t.number for t in selectors.my_tasks(user=user)} == {"II.3.2.b"}


def test_plan_as_parsed_gives_back_the_imported_targets_and_tasks() -> None:
    make_agencies()
    parsed = commune_parsed()
    plan = import_commune_plan()
    again = selectors.plan_as_parsed(plan=plan)
    keys = ("section", "text", "kind", "comparator", "value", "value_max", "unit", "population")
    assert [{k: t[k] for k in keys} for t in again["targets"]] == [
        {k: t[k] for k in keys} for t in parsed["targets"]
    ]
    task_keys = ("section", "title", "activities", "lead", "support", "advisor", "decider")

    def bodies_only(task: dict) -> dict:
        # Group phrases ("Các ngành, đoàn thể có liên quan") come back as written text of the
        # line (roles_text), not as bodies — as the parser gives them.
        return {
            k: [n for n in task[k] if not is_generic(n)]
            if isinstance(task[k], list) and k in ("lead", "support", "advisor", "decider")
            else task[k]
            for k in task_keys
        }

    assert [{k: t[k] for k in task_keys} for t in again["tasks"]] == [
        bodies_only(t) for t in parsed["tasks"]
    ]
    assert again["tasks"][0]["roles_text"] == {"support": "Các ngành, đoàn thể có liên quan"}
    assert again["tasks"][1]["timeframe"] == parsed["tasks"][1]["timeframe"]
    assert again["period"] == {"start": 2025, "end": 2025}
    assert again["signer"] == parsed["signer"] and again["recipients"] == parsed["recipients"]
    assert [s["number"] for s in again["sections"]] == ["II", "III"]
