"""The real seeds, read by the real parser and imported end to end."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from pcmd.accounts.models import AuditEvent
from pcmd.accounts.tests.factories import make_user, unit
from pcmd.orgunits.demo import demo_load as orgunits_demo_load
from pcmd.orgunits.models import Agency
from pcmd.plans import selectors, services
from pcmd.plans.models import Plan, TaskAssignment
from pcmd.plans.parsing import parse_file
from pcmd.plans.tests.factories import hoang_hop

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def parsed(name: str) -> dict:  # type: ignore[type-arg]
    return parse_file((SEEDS / name).read_bytes(), name).to_dict()


def test_hoang_hop_seed_imports_with_its_agencies_matched() -> None:
    orgunits_demo_load()
    data = parsed("hoang_hop_2025.txt")
    preview = services.plan_preview(parsed=data, org_unit=hoang_hop())
    assert not preview.problems
    leads = [m for item in preview.tasks for m in item.agencies.get("lead", [])]
    assert leads and all(m.agency_id for m in leads), [m.text for m in leads if not m.agency_id]
    plan = services.plan_import(
        parsed=data, org_unit=hoang_hop(), acting_user=None, accept_warnings=True
    )
    assert (plan.targets.count(), plan.tasks.count()) == (9, 11)
    assert plan.period_start == plan.period_end == 2025 and plan.number == ""
    assert plan.parent_reference.startswith("Thực hiện Kế hoạch số 39/KH-UBND")
    police = Agency.objects.get(org_unit=hoang_hop(), name="Công an xã Hoằng Hợp")
    led = TaskAssignment.objects.filter(task__plan=plan, role="lead", agency=police)
    assert led.count() == 2
    generic = TaskAssignment.objects.filter(task__plan=plan, agency__isnull=True)
    assert all("liên quan" in a.text or a.text.lower().startswith("các") for a in generic), [
        a.text for a in generic
    ]
    assert set(plan.budget_lines.values_list("source", flat=True)) == {"state", "other"}
    front = plan.responsibilities.get(number="2").agencies.order_by("order")
    assert all(a.is_requested and a.agency_id for a in front)


def test_an_giang_seed_imports_with_its_responsibilities() -> None:
    orgunits_demo_load()
    data = parsed("an_giang_1994_qd_ubnd_2016.txt")
    old_an_giang = unit("89", on=date(2016, 7, 15))
    plan = services.plan_import(
        parsed=data, org_unit=old_an_giang, acting_user=None, accept_warnings=True
    )
    assert plan.kind == Plan.Kind.DECISION and plan.number == "1994/QĐ-UBND"
    assert (plan.period_start, plan.period_end, plan.issued_on) == (2016, 2020, date(2016, 7, 15))
    assert plan.targets.count() == 8 and plan.responsibilities.count() == 15
    bodies = [a for r in plan.responsibilities.all() for a in r.agencies.all()]
    unmatched = [a.text for a in bodies if a.agency_id is None]
    assert unmatched == ["Ủy ban nhân dân các huyện, thị, thành phố"]
    court = next(a for a in bodies if a.text == "Tòa án nhân dân tỉnh")
    assert court.is_requested and court.agency is not None and court.agency.kind == "court"


def test_exported_shape_gives_back_the_same_targets_and_tasks() -> None:
    orgunits_demo_load()
    data = parsed("hoang_hop_2025.txt")
    plan = services.plan_import(
        parsed=data, org_unit=hoang_hop(), acting_user=None, accept_warnings=True
    )
    again = selectors.plan_as_parsed(plan=plan)
    keys = ("text", "kind", "comparator", "value", "value_max", "unit", "population")
    assert [{k: t[k] for k in keys} for t in again["targets"]] == [
        {k: t[k] for k in keys} for t in data["targets"]
    ]
    task_keys = ("section", "title", "activities", "lead", "support", "advisor", "decider")
    assert [{k: t[k] for k in task_keys} for t in again["tasks"]] == [
        {k: t[k] for k in task_keys} for t in data["tasks"]
    ]


def test_group_phrases_of_the_seed_stay_as_text_assignments() -> None:
    orgunits_demo_load()
    plan = services.plan_import(
        parsed=parsed("hoang_hop_2025.txt"),
        org_unit=hoang_hop(),
        acting_user=None,
        accept_warnings=True,
    )
    first = plan.tasks.get(number="II.1.2.a")
    support = list(first.assignments.filter(role="support").values_list("text", "agency"))
    assert support == [("Các ngành, đoàn thể có liên quan", None)]
    # 2.2.b: "Cơ quan phối hợp: Các đơn vị có liên quan."
    assert (
        plan.tasks.get(number="II.2.2.b")
        .assignments.filter(role="support", text="Các đơn vị có liên quan", agency__isnull=True)
        .exists()
    )


def test_linking_a_section_v_paragraph_puts_the_task_in_that_bodys_my_tasks(
    client: Client,
) -> None:
    """Province tasks are bullets; who does them is said in section V, paragraph by paragraph."""
    orgunits_demo_load()
    old_an_giang = unit("89", on=date(2016, 7, 15))
    plan = services.plan_import(
        parsed=parsed("an_giang_1994_qd_ubnd_2016.txt"),
        org_unit=old_an_giang,
        acting_user=None,
        accept_warnings=True,
    )
    police = Agency.objects.get(org_unit=old_an_giang, kind="police")
    officer = make_user(username="ca-tinh", role="police", unit_code="89", agency=police)
    coordinator = make_user(username="dieu-phoi", role="coordinator", unit_code="89")
    investigation = plan.tasks.filter(title__startswith="Tổ chức điều tra, khám phá").get()
    assert investigation not in selectors.my_tasks(user=officer)

    paragraph = plan.responsibilities.get(number="2")  # "2. Công an tỉnh"
    client.force_login(coordinator)
    response = client.post(
        reverse("plans:task-edit", kwargs={"pk": investigation.pk}),
        {"form": "responsibilities", "responsibilities": [paragraph.pk]},
    )
    assert response.status_code == 302
    assert list(investigation.responsibilities.all()) == [paragraph]
    assert investigation in selectors.my_tasks(user=officer)
    assert AuditEvent.objects.filter(
        action="update", object_id=str(investigation.pk), detail__has_key="responsibilities"
    ).exists()
