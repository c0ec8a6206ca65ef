"""plan_preview and plan_import: uncertain fields, agency matching, all-or-nothing, parent link."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import unit
from pcmd.orgunits.models import Agency
from pcmd.plans import services
from pcmd.plans.models import (
    BudgetLine,
    Plan,
    PlanBasis,
    Responsibility,
    Section,
    Target,
    Task,
    TaskAssignment,
)
from pcmd.plans.services import PlanImportError, PlanPreview
from pcmd.plans.tests.factories import (
    commune_parsed,
    hoang_hop,
    import_commune_plan,
    import_province_plan,
    make_agencies,
    make_plan,
    make_user,
)

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        Plan.objects.count(),
        Target.objects.count(),
        Task.objects.count(),
        TaskAssignment.objects.count(),
        Section.objects.count(),
        Agency.objects.count(),
        AuditEvent.objects.count(),
    )


def inspect_section(section: Section) -> str:
    return section.number


def test_import_saves_targets_tasks_assignments_and_responsibilities() -> None:
    agencies = make_agencies()
    plan = import_commune_plan()
    assert (plan.period_start, plan.period_end, plan.number, plan.issued_on) == (
        2025,
        2025,
        "",
        None,
    )
    assert plan.status == Plan.Status.DRAFT and plan.signer_name == "Lê Văn Phụng"
    first, change = plan.targets.order_by("order")
    assert first.section is not None and inspect_section(first.section) == "II.1.1"
    assert (first.comparator, first.value, first.unit) == (
        ">=",
        Decimal(80),
        "%",
    )
    assert (change.kind, change.value, change.value_max, change.baseline_year) == (
        "change",
        Decimal(3),
        Decimal(5),
        2024,
    )
    inspect = plan.tasks.get(number="II.3.2.b")
    assert inspect.section is not None and inspect.section.number == "II.3.2"
    assert inspect.end == date(2025, 12, 31)
    lead = inspect.assignments.get(role="lead")
    assert lead.agency == agencies[Agency.Kind.POLICE]
    supports = {a.text: a.agency for a in inspect.assignments.filter(role="support")}
    assert supports == {
        "Công chức văn hoá xã hội": agencies[Agency.Kind.CULTURE_SOCIAL_OFFICER],
        "đài truyền thanh xã": agencies[Agency.Kind.RADIO],
        "trạm y tế xã": agencies[Agency.Kind.HEALTH_STATION],
    }
    decider = plan.tasks.get(number="II.3.2.a").assignments.get(role="decider")
    assert decider.agency == agencies[Agency.Kind.PEOPLE_COMMITTEE]
    assert set(plan.budget_lines.values_list("source", flat=True)) == {
        BudgetLine.Source.STATE,
        BudgetLine.Source.OTHER,
    }
    assert plan.recipients == ["UBND huyện (b/c)", "Lưu: VT."]


def test_generic_phrases_stay_text_without_agency_and_are_not_uncertain() -> None:
    make_agencies()
    preview = services.plan_preview(parsed=commune_parsed(), org_unit=hoang_hop())
    support = preview.tasks[0].agencies["support"][0]
    assert support.generic and not support.uncertain and support.agency_id is None
    plan = import_commune_plan()
    row = TaskAssignment.objects.get(task__plan=plan, text="Các ngành, đoàn thể có liên quan")
    assert row.agency is None
    generic = plan.responsibilities.get(order=0).agencies.get()
    assert generic.agency is None and generic.text == "các đơn vị có liên quan"


def test_an_agency_the_unit_does_not_have_is_uncertain_and_not_created() -> None:
    make_agencies()
    parsed = commune_parsed()
    parsed["tasks"][0]["support"] = ["Hội Nông dân xã"]
    preview = services.plan_preview(parsed=parsed, org_unit=hoang_hop())
    match = preview.tasks[0].agencies["support"][0]
    assert match.uncertain and match.agency_id is None and not match.ambiguous
    assert "Hội Nông dân xã" in match.reason and "Xã Hoằng Hợp" in match.reason
    assert preview.uncertain and preview.unmatched_agencies == ["Hội Nông dân xã"]
    before = counts()
    with pytest.raises(PlanImportError) as caught:
        services.plan_import(parsed=parsed, org_unit=hoang_hop(), acting_user=None)
    assert any("Hội Nông dân xã" in m for m in caught.value.messages)
    assert counts() == before
    plan = services.plan_import(
        parsed=parsed, org_unit=hoang_hop(), acting_user=None, accept_warnings=True
    )
    row = TaskAssignment.objects.get(task__plan=plan, text="Hội Nông dân xã")
    assert row.agency is None
    assert not Agency.objects.filter(key__contains="hoi nong dan").exists()
    assert any("Hội Nông dân xã" in w for w in plan.warnings)


def test_create_agencies_creates_only_the_names_listed() -> None:
    make_agencies()
    parsed = commune_parsed()
    parsed["tasks"][0]["support"] = ["Hội Nông dân xã", "Hội Cựu chiến binh xã"]
    with pytest.raises(PlanImportError):
        services.plan_import(
            parsed=parsed,
            org_unit=hoang_hop(),
            acting_user=None,
            create_agencies=["Hội Nông dân xã"],
        )
    assert not Agency.objects.filter(key__contains="hoi nong dan").exists()  # rolled back
    plan = services.plan_import(
        parsed=parsed,
        org_unit=hoang_hop(),
        acting_user=None,
        create_agencies=["Hội Nông dân xã"],
        agency_choices={"Hội Cựu chiến binh xã": None},
    )
    farmers = Agency.objects.get(org_unit=hoang_hop(), key="hoi nong dan xa")
    assert farmers.kind == Agency.Kind.FARMERS_UNION
    assert TaskAssignment.objects.get(task__plan=plan, text="Hội Nông dân xã").agency == farmers
    veterans = TaskAssignment.objects.get(task__plan=plan, text="Hội Cựu chiến binh xã")
    assert veterans.agency is None


def test_agency_choice_resolves_an_unmatched_name() -> None:
    agencies = make_agencies()
    parsed = commune_parsed()
    parsed["tasks"][0]["lead"] = ["Bộ phận văn hóa"]
    police = agencies[Agency.Kind.POLICE]
    plan = services.plan_import(
        parsed=parsed,
        org_unit=hoang_hop(),
        acting_user=None,
        agency_choices={"Bộ phận văn hóa": police.pk},
    )
    assert TaskAssignment.objects.get(task__plan=plan, text="Bộ phận văn hóa").agency == police


def test_agency_choice_of_another_units_agency_is_refused() -> None:
    make_agencies()
    other = Agency.objects.create(org_unit=unit("89"), name="Công an tỉnh An Giang", kind="police")
    with pytest.raises(PlanImportError, match="không thuộc"):
        services.plan_import(
            parsed=commune_parsed(),
            org_unit=hoang_hop(),
            acting_user=None,
            agency_choices={"Công an xã": other.pk},
        )


def test_a_letter_is_not_imported() -> None:
    before = counts()
    with pytest.raises(PlanImportError) as caught:
        services.plan_import(
            parsed=commune_parsed(kind="letter"), org_unit=hoang_hop(), acting_user=None
        )
    assert "công văn" in caught.value.messages[0]
    assert counts() == before


def test_a_document_without_target_or_task_is_not_imported() -> None:
    parsed = commune_parsed(targets=[], tasks=[])
    preview = services.plan_preview(parsed=parsed, org_unit=hoang_hop())
    assert not preview.can_import
    with pytest.raises(PlanImportError, match="chỉ tiêu hay nhiệm vụ"):
        services.plan_import(parsed=parsed, org_unit=hoang_hop(), acting_user=None)
    assert not Plan.objects.exists()


def test_low_confidence_and_missing_values_are_uncertain() -> None:
    make_agencies()
    parsed = commune_parsed()
    parsed["targets"][0]["confidence"] = 0.4
    parsed["targets"][1]["value"] = None
    preview = services.plan_preview(parsed=parsed, org_unit=hoang_hop())
    assert preview.targets[0].uncertain and "0,40" in preview.targets[0].reason
    assert preview.targets[1].uncertain and "thiếu giá trị" in preview.targets[1].reason
    assert len(preview.warnings()) == 2
    with pytest.raises(PlanImportError):
        services.plan_import(parsed=parsed, org_unit=hoang_hop(), acting_user=None)
    plan = services.plan_import(
        parsed=parsed, org_unit=hoang_hop(), acting_user=None, accept_warnings=True
    )
    assert plan.targets.count() == 1  # the one without a value is kept as section text
    assert "tăng từ 3-5%" in plan.sections.get(number="II.3.1").text


def test_preview_round_trips_through_a_dict() -> None:
    make_agencies()
    preview = services.plan_preview(parsed=commune_parsed(), org_unit=hoang_hop())
    data = preview.to_dict()
    again = PlanPreview.from_dict(data)
    assert again.to_dict() == data
    assert data["tasks"][2]["agencies"]["lead"][0]["agency_name"] == "Công an xã Hoằng Hợp"


def test_parent_plan_is_linked_from_the_basis_when_it_is_in_pcmd() -> None:
    district = make_plan(
        org_unit=unit("399"),
        number="39/KH-UBND",
        issued_on=date(2025, 2, 17),
        issuer="UBND huyện Hoằng Hóa",
        title="Về phòng, chống mại dâm trên địa bàn huyện Hoằng Hóa năm 2025",
    )
    preview = services.plan_preview(parsed=commune_parsed(), org_unit=hoang_hop())
    assert preview.parent is not None and preview.parent.plan_id == district.pk
    plan = import_commune_plan()
    assert plan.parent == district and plan.parent_reference == ""
    assert PlanBasis.objects.get(plan=plan).linked_plan == district


def test_parent_not_in_pcmd_is_kept_as_text_and_can_be_registered() -> None:
    plan = import_commune_plan()
    assert plan.parent is None
    assert plan.parent_reference.startswith("Thực hiện Kế hoạch số 39/KH-UBND")
    reference = services.plan_reference_register(
        plan=plan, basis=plan.basis.get(), org_unit=unit("399"), acting_user=None
    )
    plan.refresh_from_db()
    assert plan.parent == reference and reference.number == "39/KH-UBND"
    assert reference.issued_on == date(2025, 2, 17) and reference.status == "issued"
    assert reference.title.startswith("Về phòng, chống mại dâm")


def test_responsibility_is_linked_to_the_tasks_its_bodies_lead() -> None:
    plan = import_commune_plan()
    requested = Responsibility.objects.get(plan=plan, order=1)
    assert set(requested.tasks.values_list("number", flat=True)) == {"II.3.2.b"}
    front = requested.agencies.get(order=0)
    assert front.is_requested and front.agency is not None
    assert front.agency.kind == Agency.Kind.FATHERLAND_FRONT


def test_import_is_audited_with_what_was_saved() -> None:
    user = make_user()
    plan = import_commune_plan(acting_user=user)
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.user == user and event.object_id == str(plan.pk)
    assert event.detail["targets"] == 2 and event.detail["tasks"] == 3
    assert plan.created_by == user


def test_only_a_coordinator_of_the_unit_imports_its_plans() -> None:
    make_agencies()
    province = make_user(username="tinh", unit_code="38")
    with pytest.raises(PermissionDenied):
        services.plan_import(parsed=commune_parsed(), org_unit=hoang_hop(), acting_user=province)
    police = make_user(username="ca", role=User.Role.POLICE)
    with pytest.raises(PermissionDenied):
        services.plan_import(parsed=commune_parsed(), org_unit=hoang_hop(), acting_user=police)
    admin = make_user(username="qt", role=User.Role.ADMIN, unit_code="VN")
    assert services.plan_import(parsed=commune_parsed(), org_unit=hoang_hop(), acting_user=admin)


def test_decision_imports_with_milestones() -> None:
    plan = import_province_plan()
    assert plan.kind == Plan.Kind.DECISION and plan.number == "1994/QĐ-UBND"
    target = plan.targets.get(order=0)
    assert [(m.year, m.value) for m in target.milestones.all()] == [
        (2017, Decimal(75)),
        (2020, Decimal(100)),
    ]
    assert plan.reporting_duties.get().frequency == ["year"]
