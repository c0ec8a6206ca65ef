"""The derived scope table (who may see whose records) and the default successor of a split unit.

Owns: orgunit_scope_compute(), orgunit_scope_rebuild(), orgunit_scope_add_leaf(),
succession_set_default().
Invariants: OrgUnitScope always equals orgunit_scope_compute() of the current links and default
successions; every change of either goes through this module.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.orgunits.models import (
    OrgUnit,
    OrgUnitLink,
    OrgUnitScope,
    OrgUnitSuccession,
)

if TYPE_CHECKING:
    from pcmd.accounts.models import User


def _contains_graph() -> dict[int, list[int]]:
    """holder -> units it directly contains: its children at any date, and the predecessors it
    succeeded by default (so a merged commune sees what the old communes recorded)."""
    graph: dict[int, list[int]] = defaultdict(list)
    for child_id, parent_id in OrgUnitLink.objects.values_list("child_id", "parent_id"):
        graph[parent_id].append(child_id)
    for pred_id, succ_id in OrgUnitSuccession.objects.filter(is_default=True).values_list(
        "predecessor_id", "successor_id"
    ):
        graph[succ_id].append(pred_id)
    return graph


def orgunit_scope_compute() -> set[tuple[int, int]]:
    """Every (holder, unit) pair such that holder may see unit's records."""
    graph = _contains_graph()
    pairs: set[tuple[int, int]] = set()
    memo: dict[int, frozenset[int]] = {}

    def reach(start: int) -> frozenset[int]:
        # Iterative DFS; memoised per node, so the whole table costs about its own size.
        if start in memo:
            return memo[start]
        seen = {start}
        stack = [start]
        while stack:
            node = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt in seen:
                    continue
                if nxt in memo:
                    seen |= memo[nxt]
                    continue
                seen.add(nxt)
                stack.append(nxt)
        memo[start] = frozenset(seen)
        return memo[start]

    # Visit leaves first so that memo entries are reused by their ancestors.
    levels = dict(OrgUnit.objects.values_list("id", "level"))
    order = {"village": 0, "commune": 1, "district": 2, "province": 3, "national": 4}
    for unit_id in sorted(levels, key=lambda i: order.get(levels[i], 5)):
        for other in reach(unit_id):
            pairs.add((unit_id, other))
    return pairs


@transaction.atomic
def orgunit_scope_rebuild() -> tuple[int, int]:
    """Bring OrgUnitScope in line with the tree and the successions; returns (added, removed)."""
    wanted = orgunit_scope_compute()
    have = set(OrgUnitScope.objects.values_list("holder_id", "unit_id"))
    missing = wanted - have
    extra = have - wanted
    OrgUnitScope.objects.bulk_create(
        [OrgUnitScope(holder_id=h, unit_id=u) for h, u in missing], batch_size=5000
    )
    if extra:
        extra_holders = {h for h, _ in extra}
        for holder_id in extra_holders:
            units = [u for h, u in extra if h == holder_id]
            OrgUnitScope.objects.filter(holder_id=holder_id, unit_id__in=units).delete()
    return len(missing), len(extra)


def orgunit_scope_add_leaf(*, unit: OrgUnit, parent: OrgUnit) -> None:
    """A new leaf (a village) is seen by itself and by everyone who sees its parent."""
    holders = list(OrgUnitScope.objects.filter(unit=parent).values_list("holder_id", flat=True))
    OrgUnitScope.objects.bulk_create(
        [OrgUnitScope(holder_id=h, unit=unit) for h in {*holders, unit.pk}],
        ignore_conflicts=True,
    )


# --- Villages -----------------------------------------------------------------------------


@transaction.atomic
def succession_set_default(
    *, succession: OrgUnitSuccession, acting_user: User | None
) -> OrgUnitSuccession:
    """Make `succession.successor` the unit that carries the split unit's records by default."""
    others = OrgUnitSuccession.objects.filter(predecessor_id=succession.predecessor_id).exclude(
        pk=succession.pk
    )
    previous = list(others.filter(is_default=True).values_list("successor_id", flat=True))
    others.update(is_default=False)
    if not succession.is_default:
        succession.is_default = True
        succession.save(update_fields=["is_default"])
    orgunit_scope_rebuild()
    audit_record(
        action=AuditEvent.Action.UPDATE,
        user=acting_user,
        obj=succession,
        org_unit=succession.predecessor,
        detail={"default_successor": succession.successor_id, "previous_defaults": previous},
    )
    return succession
