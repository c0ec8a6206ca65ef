"""The access matrix: every URL of the project, walked from the resolver, against two rules.

1. An object of another province (old Tỉnh An Giang, 89) is out of reach of a user of Xã Hoằng
   Hợp, whatever their role: 403 or 404 (405 for a method the route does not take), never 200
   with the data, never a redirect to the login page.
2. Anonymous users are sent to the login page (pages) or get 401/403 (API), except on the few
   public routes listed in PUBLIC_ROUTES (and anything under /api/public/).

Extending it: a route whose URL carries an object (a kwarg) must be described in ROUTE_OBJECTS
(route name -> {kwarg: model}) unless it is a DRF viewset route, whose model is read from its
queryset; every model needs a factory in Place.make(). An unknown route kwarg or model fails
test_every_route_with_kwargs_is_described, so nobody adds a route without adding it here.
The Django admin (namespace "admin") is left out: it has its own permission checks (test_admin).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import (
    BEFORE_REFORM,
    HOANG_GIANG,
    HOANG_HOP,
    OLD_AN_GIANG,
    make_user,
    unit,
)
from pcmd.enforcement.models import (
    BusinessType,
    Case,
    Establishment,
    HotSpot,
    Inspection,
    InspectionTeam,
    LegalBasis,
    Offence,
    Violation,
)
from pcmd.indicators.models import AggregateEntry, Indicator
from pcmd.jobs.models import Job
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.outreach.models import OutreachAttachment, OutreachEvent
from pcmd.plans.models import (
    BudgetLine,
    Milestone,
    Plan,
    PlanBasis,
    ProgressEvidence,
    ReportingDuty,
    Responsibility,
    Section,
    Target,
    Task,
    TaskAssignment,
    TaskProgress,
)
from pcmd.reports.models import Report
from pcmd.sealing.models import BreakGlassGrant
from pcmd.support.models import (
    Beneficiary,
    Consent,
    PilotModel,
    Referral,
    ServiceProvision,
)
from pcmd.tips.models import Tip, TipAttachment
from pcmd.training.models import StaffMember, TrainingCourse

pytestmark = pytest.mark.django_db

# Routes anyone may open. Keep this list short; public pages belong under /api/public/ or a
# dedicated app.
PUBLIC_ROUTES = {
    "accounts:login",
    "api:token",
    "set_language",
    # The anonymous tip page (issue 5): no login by design; it stores nothing about the client.
    "tips_public:submit",
    "tips_public:lookup",
    "tips_public:message",
}
SKIPPED_NAMESPACES = ("admin",)

# Route name -> {URL kwarg: model of the object it names}. DRF viewset routes need no entry.
ROUTE_OBJECTS: dict[str, dict[str, type[Model]]] = {
    "orgunits:detail": {"pk": OrgUnit},
    "orgunits:children": {"pk": OrgUnit},
    "orgunits:village-create": {"pk": OrgUnit},
    "orgunits:village-import": {"pk": OrgUnit},
    "orgunits:agency-list": {"pk": OrgUnit},
    "orgunits:agency-create": {"pk": OrgUnit},
    "orgunits:standing-assign": {"pk": OrgUnit},
    "orgunits:agency-edit": {"pk": Agency},
    "jobs:detail": {"pk": Job},
    "jobs:retry": {"pk": Job},
    "plans:detail": {"pk": Plan},
    "indicators:plan-evaluation": {"pk": Plan},
    "indicators:target-measure": {"pk": Target},
    "indicators:value": {"pk": OrgUnit},
    "indicators:entry-edit": {"pk": AggregateEntry},
    "indicators:entry-delete": {"pk": AggregateEntry},
    "plans:edit": {"pk": Plan},
    "plans:status": {"pk": Plan},
    "plans:export-docx": {"pk": Plan},
    "plans:cascade": {"pk": Plan},
    "plans:derive-year": {"pk": Plan},
    "plans:reference-register": {"pk": Plan, "basis_pk": PlanBasis},
    "plans:target-edit": {"pk": Target},
    "plans:task": {"pk": Task},
    "plans:task-edit": {"pk": Task},
    "plans:assignment-delete": {"pk": TaskAssignment},
    "plans:evidence": {"pk": ProgressEvidence},
    "plans:budget": {"pk": Plan},
    "plans:budget-edit": {"pk": BudgetLine},
    "plans:budget-delete": {"pk": BudgetLine},
    "plans:budget-export": {"pk": Plan},
    "plans:budget-import": {"pk": Plan},
    "plans:budget-import-template": {"pk": Plan},
    "outreach:detail": {"pk": OutreachEvent},
    "outreach:edit": {"pk": OutreachEvent},
    "outreach:delete": {"pk": OutreachEvent},
    "outreach:attachment": {"pk": OutreachAttachment},
    "outreach:import-job": {"pk": Job},
    "support:pilotmodel-detail": {"pk": PilotModel},
    "support:pilotmodel-edit": {"pk": PilotModel},
    "support:pilotmodel-delete": {"pk": PilotModel},
    "support:pilotmodel-import-job": {"pk": Job},
    "support:beneficiary-detail": {"pk": Beneficiary},
    "support:beneficiary-edit": {"pk": Beneficiary},
    "support:beneficiary-origin": {"pk": Beneficiary},
    "support:beneficiary-reveal": {"pk": Beneficiary},
    "support:consent-create": {"pk": Beneficiary},
    "support:assessment-create": {"pk": Beneficiary},
    "support:service-create": {"pk": Beneficiary},
    "support:referral-create": {"pk": Beneficiary},
    "support:closure-request": {"pk": Beneficiary},
    "support:closure-decide": {"pk": Beneficiary},
    "support:legal-hold": {"pk": Beneficiary},
    "support:beneficiary-export": {"pk": Beneficiary},
    "support:beneficiary-erase": {"pk": Beneficiary},
    "support:consent-withdraw": {"pk": Consent},
    "support:referral-update": {"pk": Referral},
    "training:staff-detail": {"pk": StaffMember},
    "training:staff-edit": {"pk": StaffMember},
    "training:staff-delete": {"pk": StaffMember},
    "training:staff-import-job": {"pk": Job},
    "training:course-detail": {"pk": TrainingCourse},
    "training:course-edit": {"pk": TrainingCourse},
    "training:course-delete": {"pk": TrainingCourse},
    "training:course-import-job": {"pk": Job},
    "enforcement:establishment-detail": {"pk": Establishment},
    "enforcement:establishment-edit": {"pk": Establishment},
    "enforcement:establishment-delete": {"pk": Establishment},
    "enforcement:establishment-import-job": {"pk": Job},
    "enforcement:inspection-detail": {"pk": Inspection},
    "enforcement:inspection-edit": {"pk": Inspection},
    "enforcement:inspection-delete": {"pk": Inspection},
    "enforcement:violation-create": {"pk": Inspection},
    "enforcement:violation-delete": {"pk": Violation},
    "enforcement:violation-edit": {"pk": Violation},
    "enforcement:inspection-import-job": {"pk": Job},
    "enforcement:team-detail": {"pk": InspectionTeam},
    "enforcement:team-edit": {"pk": InspectionTeam},
    "enforcement:team-delete": {"pk": InspectionTeam},
    "enforcement:team-import-job": {"pk": Job},
    "enforcement:hotspot-detail": {"pk": HotSpot},
    "enforcement:hotspot-edit": {"pk": HotSpot},
    "enforcement:hotspot-delete": {"pk": HotSpot},
    "enforcement:hotspot-import-job": {"pk": Job},
    "enforcement:case-detail": {"pk": Case},
    "enforcement:case-edit": {"pk": Case},
    "enforcement:case-delete": {"pk": Case},
    "enforcement:case-import-job": {"pk": Job},
    "sealing:break-glass-end": {"pk": BreakGlassGrant},
    **{
        f"tips:{name}": {"pk": Tip}
        for name in (
            "detail",
            "assign",
            "verify",
            "classify",
            "handle",
            "transfer",
            "pause",
            "resume",
            "extend",
            "message",
            "reveal",
        )
    },  # fmt: skip
    "tips:attachment": {"pk": TipAttachment},
    "reports:detail": {"pk": Report},
    "reports:differences": {"pk": Report},
    "reports:save": {"pk": Report},
    "reports:submit": {"pk": Report},
    "reports:return": {"pk": Report},
    "reports:approve": {"pk": Report},
    "reports:reopen": {"pk": Report},
    "reports:download": {"pk": Report},
}
# Kwargs that name no object: a value that makes the URL resolve.
NEUTRAL_KWARGS: dict[str, list[str]] = {"format": ["json", ".json"], "fmt": ["docx", "xlsx"]}


class Place:
    """Objects that belong to one org unit, made on demand: the "world" a route points into."""

    def __init__(self, org_unit: OrgUnit, username: str) -> None:
        self.org_unit = org_unit
        self.username = username

    # Models this class can make; keep in step with make().
    MODELS: tuple[type[Model], ...] = (
        OrgUnit,
        AggregateEntry,
        Report,
        Agency,
        Job,
        Plan,
        PlanBasis,
        Section,
        Target,
        Milestone,
        Task,
        TaskAssignment,
        TaskProgress,
        ProgressEvidence,
        Responsibility,
        ReportingDuty,
        BudgetLine,
        OutreachEvent,
        OutreachAttachment,
        StaffMember,
        TrainingCourse,
        PilotModel,
        Beneficiary,
        Consent,
        ServiceProvision,
        Referral,
        Establishment,
        InspectionTeam,
        Inspection,
        Violation,
        HotSpot,
        Case,
        BreakGlassGrant,
        Tip,
        TipAttachment,
    )

    @cached_property
    def owner(self) -> User:
        return User.objects.create(
            username=self.username, role=User.Role.COORDINATOR, org_unit=self.org_unit
        )

    # One plan per place, so that objects named together in a URL (a plan and its basis)
    # belong together.
    @cached_property
    def plan(self) -> Plan:
        return Plan.objects.create(
            org_unit=self.org_unit, title=f"Kế hoạch của {self.org_unit}", period_start=2025,
            period_end=2025,
        )  # fmt: skip

    @cached_property
    def task(self) -> Task:
        return Task.objects.create(plan=self.plan, title="Tuyên truyền")

    @cached_property
    def target(self) -> Target:
        return Target.objects.create(
            plan=self.plan, text="Ít nhất 80% số thôn", kind="level", comparator=">=", value=80,
            unit="%",
        )  # fmt: skip

    @cached_property
    def progress(self) -> TaskProgress:
        return TaskProgress.objects.create(task=self.task, on=date(2025, 3, 1), status="done")

    def _make_plan_object(self, model: type[Model]) -> Model | None:
        if model is Plan:
            return self.plan
        if model is PlanBasis:
            return PlanBasis.objects.create(plan=self.plan, text="Căn cứ", number="1/KH-UBND")
        if model is Section:
            return Section.objects.create(plan=self.plan, number="I", title="MỤC ĐÍCH")
        if model is Target:
            return self.target
        if model is Milestone:
            return Milestone.objects.create(target=self.target, year=2025, value=80)
        if model is Task:
            return self.task
        if model is TaskAssignment:
            return TaskAssignment.objects.create(task=self.task, role="lead", text="Công an xã")
        if model is TaskProgress:
            return self.progress
        if model is ProgressEvidence:
            return ProgressEvidence.objects.create(
                progress=self.progress, file="plans/evidence/khong-co.pdf",
                original_name="bien-ban.pdf", content_type="application/pdf", size=10,
            )  # fmt: skip
        if model is Responsibility:
            return Responsibility.objects.create(plan=self.plan, text="Công an xã chủ trì")
        if model is ReportingDuty:
            return ReportingDuty.objects.create(plan=self.plan, text="Định kỳ 6 tháng báo cáo")
        if model is BudgetLine:
            return BudgetLine.objects.create(plan=self.plan, source="state")
        return None

    @cached_property
    def establishment(self) -> Establishment:
        return Establishment.objects.create(
            org_unit=self.org_unit, name="Karaoke", business_type=BusinessType.objects.first()
        )

    @cached_property
    def inspection(self) -> Inspection:
        return Inspection.objects.create(
            org_unit=self.org_unit, establishment=self.establishment,
            inspected_on=date(2025, 3, 1), mode="surprise",
        )  # fmt: skip

    def _make_enforcement_object(self, model: type[Model]) -> Model | None:
        if model is Establishment:
            return self.establishment
        if model is Inspection:
            return self.inspection
        if model is Violation:
            return Violation.objects.create(
                inspection=self.inspection, legal_basis=LegalBasis.objects.first(), article="25",
                sanction="warning",
            )  # fmt: skip
        if model is InspectionTeam:
            return InspectionTeam.objects.create(
                org_unit=self.org_unit, name="Đội 178", kind="pcmd_178", decision_number="1/QĐ",
                decision_date=date(2025, 1, 2), decision_issuer="UBND", valid_from=date(2025, 1, 2),
            )  # fmt: skip
        if model is HotSpot:
            return HotSpot.objects.create(
                org_unit=self.org_unit, name="Bãi đất trống", place_kind="public_place",
                detected_on=date(2025, 2, 1), detected_by="patrol",
            )  # fmt: skip
        if model is Case:
            return Case.objects.create(
                org_unit=self.org_unit, opened_on=date(2025, 2, 1), offence=Offence.objects.first()
            )
        return None

    @cached_property
    def beneficiary(self) -> Beneficiary:
        # Made directly (not through the service) so that any unit, valid on any date, will do.
        return Beneficiary.objects.create(
            org_unit=self.org_unit, code=f"T{self.org_unit.pk}-2025-0001", year=2025, sequence=1,
            registered_on=date(2025, 2, 1), group="sex_worker", sex="female", age_band="25_34",
            full_name="Người Thử Nghiệm",
        )  # fmt: skip

    @cached_property
    def consent(self) -> Consent:
        return Consent.objects.create(
            beneficiary=self.beneficiary, given_on=date(2025, 2, 1), covers_referral=True
        )

    def _make_case_file_object(self, model: type[Model]) -> Model:
        if model is Beneficiary:
            return self.beneficiary
        if model is Consent:
            return self.consent
        if model is ServiceProvision:
            return ServiceProvision.objects.create(
                beneficiary=self.beneficiary, kind="legal_aid", provided_on=date(2025, 3, 1),
                provider_name="Trợ giúp pháp lý",
            )  # fmt: skip
        return Referral.objects.create(
            beneficiary=self.beneficiary, referred_on=date(2025, 3, 1), service_kind="housing",
            to_name="Mái ấm", consent=self.consent,
        )  # fmt: skip

    def make(self, model: type[Model]) -> Model:
        if model is OrgUnit:
            return self.org_unit
        if model is Agency:
            return Agency.objects.create(
                org_unit=self.org_unit, kind=Agency.Kind.POLICE, name=f"Công an {self.org_unit}"
            )
        if model is Job:
            return Job.objects.create(
                handler="test", title="Tác vụ thử", created_by=self.owner, org_unit=self.org_unit
            )
        if model in (Beneficiary, Consent, ServiceProvision, Referral):
            return self._make_case_file_object(model)
        if model is PilotModel:
            return PilotModel.objects.create(
                org_unit=self.org_unit, name="Mô hình giảm hại", kind="harm_reduction_gbv",
                start_date=date(2025, 2, 1),
            )  # fmt: skip
        if model is StaffMember:
            return StaffMember.objects.create(org_unit=self.org_unit, full_name="Nguyễn Văn A")
        if model is TrainingCourse:
            return TrainingCourse.objects.create(
                org_unit=self.org_unit, title="Tập huấn kỹ năng truyền thông",
                start_date=date(2025, 3, 1), end_date=date(2025, 3, 2),
            )  # fmt: skip
        if model is OutreachEvent:
            return OutreachEvent.objects.create(
                org_unit=self.org_unit, date=date(2025, 3, 1), form="meeting", topic="Họp thôn"
            )
        if model is OutreachAttachment:
            return OutreachAttachment.objects.create(
                event=self.make(OutreachEvent), file="outreach/khong-co.pdf",
                original_name="anh.pdf", content_type="application/pdf", size=10,
            )  # fmt: skip
        if model is Tip:
            return Tip.objects.create(
                org_unit=self.org_unit, reference=f"TB-{self.org_unit.pk}-{Tip.objects.count()}",
                received_at=timezone.now().replace(year=2025, month=3, day=1),
                channel="phone", content="Tin báo thử", reporter_anonymous=False,
                reporter_name="Người Báo Thử",
            )  # fmt: skip
        if model is TipAttachment:
            return TipAttachment.objects.create(
                tip=self.make(Tip), file="tips/khong-co.txt", original_name="to-giac.txt",
                content_type="text/plain", size=10,
            )  # fmt: skip
        if model is AggregateEntry:
            return AggregateEntry.objects.get_or_create(
                indicator=Indicator.objects.get(code="outreach-events"),
                org_unit=self.org_unit, period="2025", defaults={"numerator": 3},
            )[0]  # fmt: skip
        if model is Report:
            return Report.objects.get_or_create(
                org_unit=self.org_unit, period="2025S1", kind="half",
                defaults={"status": "submitted"},
            )[0]  # fmt: skip
        if model is BreakGlassGrant:
            return BreakGlassGrant.objects.create(
                user=self.owner, org_unit=self.org_unit, reason="Giải cứu nạn nhân khẩn cấp",
                expires_at=timezone.now() + timedelta(hours=1),
            )  # fmt: skip
        made = self._make_plan_object(model) or self._make_enforcement_object(model)
        if made is not None:
            return made
        raise AssertionError(
            f"No factory for {model.__name__} in test_access_matrix.Place.make(): add one."
        )


@dataclass(frozen=True)
class Route:
    namespace: str
    name: str
    path: str
    kwargs: tuple[str, ...]
    callback: Callable[..., Any]

    @property
    def is_api(self) -> bool:
        return self.path.startswith("api/")

    @property
    def object_kwargs(self) -> tuple[str, ...]:
        return tuple(k for k in self.kwargs if k not in NEUTRAL_KWARGS)


def _kwarg_names(pattern: Any) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = "", kwargs: tuple[str, ...] = ()
) -> Iterator[Route]:
    for p in patterns:
        names = (*kwargs, *_kwarg_names(p.pattern))
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns, names)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield Route(namespace, name, prefix + str(p.pattern), names, p.callback)


def all_routes() -> list[Route]:
    return [
        r
        for r in _walk(get_resolver().url_patterns)
        if r.namespace.split(":")[0] not in SKIPPED_NAMESPACES
    ]


def _viewset_model(route: Route) -> type[Model] | None:
    view_class = getattr(route.callback, "cls", None) or getattr(route.callback, "view_class", None)
    queryset = getattr(view_class, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer_class = getattr(view_class, "serializer_class", None)
    if serializer_class is None and hasattr(view_class, "get_serializer_class"):
        # A viewset that picks its serializer per action: ask it as the router would.
        view = view_class()
        view.action = "retrieve"
        view.request = None
        view.format_kwarg = None
        try:
            serializer_class = view.get_serializer_class()
        except Exception:
            serializer_class = None
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    return model or getattr(view_class, "model", None)


def object_models(route: Route) -> dict[str, type[Model]]:
    """The model each object kwarg of `route` names; raises if the route is not described."""
    if not route.object_kwargs:
        return {}
    if route.name in ROUTE_OBJECTS:
        described = ROUTE_OBJECTS[route.name]
        missing = set(route.object_kwargs) - set(described)
        if missing:
            raise AssertionError(f"{route.name}: kwargs {sorted(missing)} not in ROUTE_OBJECTS")
        return {k: described[k] for k in route.object_kwargs}
    model = _viewset_model(route)
    if model is not None and set(route.object_kwargs) <= {"pk", "id"}:
        return dict.fromkeys(route.object_kwargs, model)
    raise AssertionError(
        f"Route {route.name or route.path!r} has kwargs {list(route.object_kwargs)}: describe it "
        "in test_access_matrix.ROUTE_OBJECTS."
    )


def build_url(route: Route, place: Place) -> str:
    objects = {k: place.make(m).pk for k, m in object_models(route).items()}
    neutral = [k for k in route.kwargs if k in NEUTRAL_KWARGS]
    candidates: list[dict[str, Any]] = [objects]
    for key in neutral:
        candidates = [{**c, key: value} for c in candidates for value in NEUTRAL_KWARGS[key]]
    for kwargs in candidates:
        try:
            return reverse(route.name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise AssertionError(f"Cannot build a URL for {route.name} with {candidates}")


# Places a user of Xã Hoằng Hợp must not reach: another province; a sibling commune of the same
# district (Xã Hoằng Phú, 15883); and Xã Hoằng Giang, the commune that later absorbed Hoằng Hợp
# (the successor sees its predecessor's records, never the other way round).
FOREIGN_PLACES = {
    "other-province": (OLD_AN_GIANG, None),
    "sibling-commune": ("15883", BEFORE_REFORM),
    "successor-commune": (HOANG_GIANG, None),
}


@pytest.fixture(params=list(FOREIGN_PLACES))
def other_province(request: pytest.FixtureRequest) -> Place:
    code, on = FOREIGN_PLACES[request.param]
    return Place(unit(code, on), f"canbo-{request.param}")


@pytest.fixture
def own_commune() -> Place:
    return Place(unit(HOANG_HOP), "canbo-hoang-hop-2")


def test_every_route_is_named() -> None:
    unnamed = [r.path for r in all_routes() if not r.name]
    assert unnamed == [], "name every route (the matrix needs names to build URLs)"


def test_every_route_with_kwargs_is_described() -> None:
    problems = []
    for route in all_routes():
        if not route.object_kwargs:
            continue
        try:
            for kwarg, model in object_models(route).items():
                if model not in Place.MODELS:
                    problems.append(
                        f"{route.name}: {kwarg} names a {model.__name__}, which "
                        "Place.make() cannot make"
                    )
        except AssertionError as exc:
            problems.append(str(exc))
    assert problems == []


def _assert_out_of_reach(client: Client, url: str, route: Route) -> None:
    get = client.get(url)
    post = client.post(url, {})
    answers = [("GET", get), ("POST", post)]
    if route.is_api:  # the writes a viewset takes on an object
        body = {"version": 1, "note": "ghi đè"}
        answers += [
            ("PUT", client.put(url, body, content_type="application/json")),
            ("PATCH", client.patch(url, body, content_type="application/json")),
            ("DELETE", client.delete(url)),
        ]
    for method, response in answers:
        assert response.status_code in (403, 404, 405), (
            f"{method} {route.name} {url} answered {response.status_code} "
            f"{response.get('Location', '')}"
        )
    assert {get.status_code, post.status_code} & {403, 404}, (
        f"{route.name}: neither GET nor POST checked the object's scope"
    )


def _rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model the places make (the audit trail aside: reads are audited)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in Place.MODELS
        if model is not OrgUnit
    }


@pytest.mark.parametrize("role", User.Role.values)
def test_other_province_objects_are_out_of_reach(
    client: Client, other_province: Place, role: str
) -> None:
    client.force_login(make_user(username=f"hoanghop-{role}", role=role, unit_code=HOANG_HOP))
    urls = [
        (route, build_url(route, other_province)) for route in all_routes() if route.object_kwargs
    ]
    before = _rows()
    for route, url in urls:
        _assert_out_of_reach(client, url, route)
    assert len(urls) >= len(ROUTE_OBJECTS)
    # 0 writes outside the scope: not a row of the other place's objects changed.
    after = _rows()
    changed = [label for label in before if before[label] != after[label]]
    assert changed == []


def test_own_objects_are_reachable(client: Client, own_commune: Place) -> None:
    """Control: the harness builds URLs that work, so the 404s above mean something."""
    client.force_login(make_user(username="hoanghop", role=User.Role.ADMIN, unit_code=HOANG_HOP))
    ok = []
    for route in all_routes():
        if route.object_kwargs and client.get(build_url(route, own_commune)).status_code == 200:
            ok.append(route.name)
    assert "orgunits:detail" in ok
    assert "api:orgunit-detail" in ok


def test_anonymous_users_are_sent_to_login_or_refused(
    client: Client, other_province: Place
) -> None:
    failures = []
    for route in all_routes():
        if route.name in PUBLIC_ROUTES or route.path.startswith("api/public/"):
            continue
        url = build_url(route, other_province)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        if route.is_api:
            if response.status_code not in (401, 403):
                failures.append(f"{route.name} {url}: {response.status_code}")
        elif not (
            response.status_code == 302
            and response["Location"].startswith(reverse("accounts:login"))
        ):
            failures.append(
                f"{route.name} {url}: {response.status_code} {response.get('Location')}"
            )
    assert failures == []


# Routes that name a unit in their query string (?unit=<id>) rather than in a URL kwarg.
UNIT_QUERY_ROUTES = ("home", "dashboards:children")


@pytest.mark.parametrize("role", User.Role.values)
def test_units_named_in_the_query_are_out_of_reach(
    client: Client, other_province: Place, role: str
) -> None:
    client.force_login(make_user(username=f"hoanghop-{role}", role=role, unit_code=HOANG_HOP))
    for name in UNIT_QUERY_ROUTES:
        response = client.get(f"{reverse(name)}?unit={other_province.org_unit.pk}")
        assert response.status_code == 404, name
