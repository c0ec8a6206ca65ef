"""Read accounts data: the demo users to list on the login page, the home-page overview of a
user's unit, and the audit trail a user may search.

Owns: demo_users_list(), home_overview(), audit_event_list_for_user(), otp_device_confirmed_get().
Invariants: the audit list is scoped through permissions.scope_filter() (admins see every event)
and fetches its related rows in the same query; demo users are listed only in demo mode and only
if they exist in the database flagged is_demo.
Not here: writes (services.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.permissions import capability_labels, has_capability, scope_filter
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.orgunits.selectors import (
    orgunit_ancestors,
    orgunit_children,
    orgunit_predecessors,
    orgunit_successor,
)

try:
    from pcmd.orgunits.demo import DEMO_PASSWORD
except ImportError:  # the demo module is optional; its password is documented in the README
    DEMO_PASSWORD = "pcmd-demo"  # noqa: S105


def _demo_usernames() -> list[str]:
    try:
        from pcmd.orgunits.demo import DEMO_USERS  # provided by the demo command's module
    except ImportError:
        return []
    return [str(entry["username"]) for entry in DEMO_USERS if entry.get("username")]


def demo_users_list() -> list[User]:
    """The demo users to offer on the login page, in the order the demo defines them."""
    if not settings.DEMO_MODE:
        return []
    usernames = _demo_usernames()
    if not usernames:
        return []
    found = {
        u.username: u
        for u in User.objects.filter(
            username__in=usernames, is_demo=True, is_active=True
        ).select_related("org_unit", "agency")
    }
    return [found[name] for name in usernames if name in found]


# The home page names this many of the unit's children; the unit's own page lists them all
# (a province has a hundred communes: a hundred links on every visit to the home page).
CHILDREN_SHOWN = 12


@dataclass(frozen=True)
class ChildLink:
    """A child unit as the overview names it."""

    pk: int
    name: str
    code: str


@dataclass
class HomeOverview:
    """What the home page shows about the user's place in the hierarchy today."""

    on: date
    unit: OrgUnit | None
    ancestors: list[OrgUnit] = field(default_factory=list)
    children: list[ChildLink] = field(default_factory=list)  # the first CHILDREN_SHOWN
    children_count: int = 0
    successor: OrgUnit | None = None
    predecessors: list[OrgUnit] = field(default_factory=list)
    agency: Agency | None = None
    capabilities: list[str] = field(default_factory=list)


def home_overview(*, user: User, on: date | None = None) -> HomeOverview:
    on = on or timezone.localdate()
    unit = user.org_unit
    overview = HomeOverview(
        on=on, unit=unit, agency=user.agency, capabilities=capability_labels(user)
    )
    if unit is None:
        return overview
    # An old unit (abolished in 2025) has no tree today: show the tree on its last day.
    tree_date = unit.valid_to if unit.valid_to is not None and unit.valid_to < on else on
    overview.ancestors = orgunit_ancestors(unit, on=tree_date)
    # Names and codes only: no model (with its timestamps) for each of a province's communes.
    rows = list(orgunit_children(unit, on=tree_date).values_list("pk", "name", "code"))
    overview.children = [ChildLink(*row) for row in rows[:CHILDREN_SHOWN]]
    overview.children_count = len(rows)
    if unit.valid_to is not None:
        successor = orgunit_successor(unit, on=on)
        overview.successor = successor if successor != unit else None
    overview.predecessors = [s.predecessor for s in orgunit_predecessors(unit)]
    return overview


def otp_device_confirmed_get(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def audit_event_list_for_user(
    *,
    user: User,
    username: str = "",
    action: str = "",
    object_type: str = "",
    unit_code: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent, Any]:
    """Audit events `user` may see (admin: all; others: their units' subtree), newest first."""
    qs = AuditEvent.objects.select_related("user", "org_unit")
    if not has_capability(user, "audit.view"):
        return qs.none()
    if user.role != User.Role.ADMIN:
        qs = scope_filter(qs, user, field="org_unit")
    if username:
        qs = qs.filter(username__icontains=username.strip())
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type__icontains=object_type.strip())
    if unit_code:
        qs = qs.filter(org_unit__code=unit_code.strip())
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return qs.order_by("-at", "-id")
