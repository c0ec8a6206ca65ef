"""Read support case files, scoped to the user; count them for the suppressed statistics.

Owns: beneficiary_list_for_user(), beneficiary_get_for_user(), beneficiary_get_for_reveal(),
beneficiary_search(), beneficiary_timeline(), can_reveal_identity(), referral_list_overdue(),
consent_get_for_user(), referral_get_for_user(), service_list_for_user(),
consent_list_for_user(), referral_list_for_user(), pilotmodel_members_for_user(),
support_reach(), support_counts(), Reach.
Invariants: case files are read only with "beneficiary.view" inside the user's scope (404
outside); identities are never read here — pcmd.sealing.access.reveal does that, after
can_reveal_identity(); counts return true values (suppression is applied when they are shown).
The share "people in need reached" counts, among the beneficiaries whose file was open in the
period and whose latest assessment by its end found a need and eligibility, those who received a
service (not dropped) after that assessment and by the period's end.
Not here: writes (services), suppression (pcmd.sealing.suppression).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import (
    get_in_scope_or_404,
    has_capability,
    scope_filter,
    unit_in_scope,
)
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
from pcmd.sealing.access import break_glass_active
from pcmd.sealing.blind import blind_index
from pcmd.support.casefiles.models import (
    Beneficiary,
    Consent,
    NeedsAssessment,
    Referral,
    ServiceProvision,
)
from pcmd.support.models import PilotModel


def _in_unit(unit: OrgUnit | int | None, field: str = "org_unit") -> Q:
    if unit is None:
        return Q()
    unit_id = unit.pk if isinstance(unit, OrgUnit) else unit
    return Q(**{f"{field}__in": OrgUnitScope.objects.filter(holder_id=unit_id).values("unit_id")})


def beneficiary_list_for_user(
    *,
    user: Any,
    group: str = "",
    status: str = "",
    year: int | None = None,
    unit: OrgUnit | int | None = None,
) -> QuerySet[Beneficiary]:
    qs = Beneficiary.objects.select_related("org_unit")
    if not has_capability(user, "beneficiary.view"):
        return qs.none()
    qs = scope_filter(qs, user).filter(_in_unit(unit))
    if group:
        qs = qs.filter(group=group)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-registered_on", "-id")


def beneficiary_get_for_user(*, beneficiary_id: int, user: Any) -> Beneficiary:
    return get_in_scope_or_404(beneficiary_list_for_user(user=user), user, pk=beneficiary_id)


def can_reveal_identity(user: Any, beneficiary: Beneficiary) -> bool:
    """A social worker or leader of the unit ("beneficiary.identity", in scope), or someone with
    an active break-glass grant for the beneficiary's unit."""
    if has_capability(user, "beneficiary.identity") and unit_in_scope(user, beneficiary.org_unit):
        return True
    return break_glass_active(user, beneficiary.org_unit) is not None


def beneficiary_get_for_reveal(*, beneficiary_id: int, user: Any) -> Beneficiary:
    """The file whose identity `user` may reveal; 404 otherwise (its existence does not leak)."""
    b = Beneficiary.objects.select_related("org_unit").filter(pk=beneficiary_id).first()
    if b is None or not can_reveal_identity(user, b):
        raise Http404(_("Không tìm thấy, hoặc bạn không có quyền xem mục này."))
    return b


def beneficiary_search(*, user: Any, query: str, kind: str) -> QuerySet[Beneficiary]:
    """Files in the user's scope whose name or ID number matches `query` through the blind
    index (an exact match of the normalised value; never a scan of plaintext). Only for those
    who may read identities."""
    qs = beneficiary_list_for_user(user=user)
    if not has_capability(user, "beneficiary.identity") or not query.strip():
        return qs.none()
    if kind == "id_number":
        return qs.filter(id_number_index=blind_index(query, purpose="id_number"))
    return qs.filter(name_index=blind_index(query, purpose="name"))


@dataclass(frozen=True)
class TimelineItem:
    on: date
    kind: str  # consent, consent_withdrawn, assessment, service, referral, closure
    obj: Any


def beneficiary_timeline(beneficiary: Beneficiary) -> list[TimelineItem]:
    """Everything recorded on the file, newest first."""
    items: list[TimelineItem] = []
    for c in beneficiary.consents.all():
        items.append(TimelineItem(c.given_on, "consent", c))
        if c.withdrawn_on:
            items.append(TimelineItem(c.withdrawn_on, "consent_withdrawn", c))
    for a in beneficiary.assessments.all():
        items.append(TimelineItem(a.assessed_on, "assessment", a))
    for s in beneficiary.services.select_related("provider_agency"):
        items.append(TimelineItem(s.provided_on, "service", s))
    for r in beneficiary.referrals.select_related("to_agency"):
        items.append(TimelineItem(r.referred_on, "referral", r))
    if beneficiary.closed_on and beneficiary.status == Beneficiary.Status.CLOSED:
        items.append(TimelineItem(beneficiary.closed_on, "closure", beneficiary))
    order = {"closure": 0, "service": 1, "referral": 2, "assessment": 3, "consent_withdrawn": 4,
             "consent": 5}  # fmt: skip
    items.sort(key=lambda i: (i.on, -order[i.kind]), reverse=True)
    return items


def _child_list(model: Any, user: Any) -> QuerySet[Any]:
    qs = model.objects.select_related("beneficiary", "beneficiary__org_unit")
    if not has_capability(user, "beneficiary.view"):
        return qs.none()  # type: ignore[no-any-return]
    return scope_filter(qs, user, field="beneficiary__org_unit")  # type: ignore[no-any-return]


def consent_list_for_user(*, user: Any) -> QuerySet[Consent]:
    return _child_list(Consent, user)


def service_list_for_user(*, user: Any) -> QuerySet[ServiceProvision]:
    return _child_list(ServiceProvision, user).select_related("provider_agency")


def referral_list_for_user(*, user: Any) -> QuerySet[Referral]:
    return _child_list(Referral, user).select_related("to_agency")


def assessment_list_for_user(*, user: Any) -> QuerySet[NeedsAssessment]:
    return _child_list(NeedsAssessment, user)


def consent_get_for_user(*, consent_id: int, user: Any) -> Consent:
    return get_in_scope_or_404(
        consent_list_for_user(user=user), user, field="beneficiary__org_unit", pk=consent_id
    )


def referral_get_for_user(*, referral_id: int, user: Any) -> Referral:
    return get_in_scope_or_404(
        referral_list_for_user(user=user), user, field="beneficiary__org_unit", pk=referral_id
    )


def referral_list_overdue(*, user: Any, today: date | None = None) -> QuerySet[Referral]:
    """Referrals still waiting (pending or accepted) whose follow-up date has passed."""
    today = today or timezone.localdate()
    return (
        referral_list_for_user(user=user)
        .filter(status__in=Referral.OPEN_STATUSES, follow_up_on__lt=today)
        .order_by("follow_up_on", "id")
    )


def pilotmodel_members_for_user(*, model: PilotModel, user: Any) -> QuerySet[Beneficiary]:
    """The pseudonymous members a pilot model or peer group reaches, for those who may read
    case files (codes only)."""
    return beneficiary_list_for_user(user=user).filter(pilot_models=model).order_by("code")


# --- Counting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """True counts: people in need and eligible, and those of them who received a service."""

    in_need: int
    reached: int


def _beneficiaries(unit: OrgUnit | None, user: Any | None) -> QuerySet[Beneficiary]:
    qs = Beneficiary.objects.all()
    if user is not None:
        qs = scope_filter(qs, user)
    return qs.filter(_in_unit(unit))


def support_reach(
    *,
    start: date,
    end: date,
    unit: OrgUnit | None = None,
    user: Any | None = None,
    groups: Iterable[str] = (),
) -> Reach:
    """Of the beneficiaries (of `groups`, or all) whose file was open during the period and whose
    latest needs assessment by `end` found a need and eligibility ("in need"), how many received
    a service (not dropped) between that assessment and `end` ("reached")."""
    qs = _beneficiaries(unit, user)
    groups = list(groups)
    if groups:
        qs = qs.filter(group__in=groups)
    return _reach(qs, start, end)


def measure_reach(qs: QuerySet[Beneficiary], start: date, end: date) -> tuple[int, int]:
    """(reached, in need) among `qs` — the measure behind "≥ 70% of people who sell sex in need
    reached", for pcmd.indicators (which gives the files of a unit's area)."""
    reach = _reach(qs, start, end)
    return reach.reached, reach.in_need


def _reach_rows(
    qs: QuerySet[Beneficiary], start: date, end: date, unit_field: str = "org_unit_id"
) -> list[tuple[int, bool]]:
    """(unit, reached?) for each person in need and eligible among `qs`."""
    latest = NeedsAssessment.objects.filter(
        beneficiary=OuterRef("pk"), assessed_on__lte=end
    ).order_by("-assessed_on", "-id")
    qs = qs.filter(registered_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    )
    qs = qs.annotate(
        latest_on=Subquery(latest.values("assessed_on")[:1]),
        latest_eligible=Subquery(latest.values("eligible")[:1]),
        latest_needs=Subquery(latest.values("needs")[:1]),
        served=Exists(
            ServiceProvision.objects.filter(
                beneficiary=OuterRef("pk"),
                provided_on__gte=OuterRef("latest_on"),
                provided_on__lte=end,
            ).exclude(outcome=ServiceProvision.Outcome.DROPPED)
        ),
    ).filter(latest_eligible=True)
    # JSON lists are checked in Python: "needs" is a short list and the file count small.
    return [
        (unit, bool(served))
        for unit, needs, served in qs.values_list(unit_field, "latest_needs", "served")
        if _has_need(needs)
    ]


def _reach(qs: QuerySet[Beneficiary], start: date, end: date) -> Reach:
    rows = _reach_rows(qs, start, end)
    return Reach(in_need=len(rows), reached=sum(1 for _unit, served in rows if served))


def measure_reach_by_unit(
    qs: QuerySet[Beneficiary], start: date, end: date, *, unit_field: str
) -> tuple[dict[int, tuple[int, int]], list[tuple[int, int, int, int]]]:
    """measure_reach() per unit for a whole period at once: {unit: (reached, in need)}."""
    per_unit: dict[int, list[int]] = {}
    for unit, served in _reach_rows(qs, start, end, unit_field):
        figures = per_unit.setdefault(unit, [0, 0])
        figures[0] += int(served)
        figures[1] += 1
    return {u: (f[0], f[1]) for u, f in per_unit.items()}, []


def _has_need(needs: Any) -> bool:
    if isinstance(needs, str):  # some backends hand a JSON subquery back as text
        needs = json.loads(needs)
    return bool(needs)


def support_counts(
    *, start: date, end: date, unit: OrgUnit | None = None, user: Any | None = None
) -> dict[str, dict[str, int]]:
    """True counts for the statistics page: people with an open file during the period by group,
    and people who received each kind of service in the period."""
    people = (
        _beneficiaries(unit, user)
        .filter(registered_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    )
    by_group = {row["group"]: row["n"] for row in people.values("group").annotate(n=Count("id"))}
    services = ServiceProvision.objects.filter(
        beneficiary__in=_beneficiaries(unit, user), provided_on__gte=start, provided_on__lte=end
    )
    by_service = {
        row["kind"]: row["n"]
        for row in services.values("kind").annotate(n=Count("beneficiary_id", distinct=True))
    }
    overdue = Referral.objects.filter(
        beneficiary__in=_beneficiaries(unit, user),
        status__in=Referral.OPEN_STATUSES,
        follow_up_on__lt=timezone.localdate(),
    ).count()
    return {"by_group": by_group, "by_service": by_service, "overdue": {"referrals": overdue}}
