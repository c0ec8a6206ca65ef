"""Write org units, villages, agencies and the derived scope table.

Owns (re-exported from the modules of this package): scope.py — orgunit_scope_compute(),
orgunit_scope_rebuild(), orgunit_scope_add_leaf(), succession_set_default(); villages.py —
village_create(), villages_import(); agencies.py — agency_create(), agency_update(),
agency_close(), agency_succession_create(), standing_agency_assign().
Invariants: every write that changes the tree keeps OrgUnitScope in step; every write by a
person is audited (accounts.audit.audit_record) in the same transaction.
Not here: loading the official hierarchy (loading.py); reading a village file (importing.py).
"""

from pcmd.orgunits.services.agencies import (
    AGENCY_FIELDS,
    agency_close,
    agency_create,
    agency_succession_create,
    agency_update,
    standing_agency_assign,
)
from pcmd.orgunits.services.scope import (
    orgunit_scope_add_leaf,
    orgunit_scope_compute,
    orgunit_scope_rebuild,
    succession_set_default,
)
from pcmd.orgunits.services.villages import (
    VillageImportResult,
    village_create,
    villages_import,
)

__all__ = [
    "AGENCY_FIELDS",
    "VillageImportResult",
    "agency_close",
    "agency_create",
    "agency_succession_create",
    "agency_update",
    "orgunit_scope_add_leaf",
    "orgunit_scope_compute",
    "orgunit_scope_rebuild",
    "standing_agency_assign",
    "succession_set_default",
    "village_create",
    "villages_import",
]
