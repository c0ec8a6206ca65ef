"""Writes of the enforcement records; every page, API endpoint and command calls these.

Owns (re-exported): establishment_*, team_*, inspection_*, violation_*, hotspot_*, case_*
(create / update / delete, and the XLSX template / export / import of establishments,
inspections, inspection teams, hot spots and cases), StaleRecord.
Invariants: each function checks the role and the unit (PermissionDenied), validates
everything (ValidationError keyed by field, in Vietnamese), writes in one transaction with one
audit row, and refuses an edit based on an outdated version (StaleRecord).
Not here: reads (selectors.py).
"""

from pcmd.common.records import StaleRecord
from pcmd.enforcement.services.cases import (
    case_columns,
    case_create,
    case_delete,
    case_export_xlsx,
    case_template_xlsx,
    case_update,
    cases_import,
)
from pcmd.enforcement.services.establishments import (
    EstablishmentImportResult,
    establishment_columns,
    establishment_create,
    establishment_delete,
    establishment_export_xlsx,
    establishment_template_xlsx,
    establishment_update,
    establishments_import,
)
from pcmd.enforcement.services.hotspots import (
    hotspot_columns,
    hotspot_create,
    hotspot_delete,
    hotspot_export_xlsx,
    hotspot_template_xlsx,
    hotspot_update,
    hotspots_import,
)
from pcmd.enforcement.services.imports import ImportResult
from pcmd.enforcement.services.inspections import (
    inspection_create,
    inspection_delete,
    inspection_update,
    team_create,
    team_delete,
    team_update,
    violation_create,
    violation_delete,
    violation_update,
)
from pcmd.enforcement.services.inspections_xlsx import (
    inspection_columns,
    inspection_export_xlsx,
    inspection_template_xlsx,
    inspections_import,
    team_export_xlsx,
)
from pcmd.enforcement.services.teams_xlsx import (
    team_import_columns,
    team_template_xlsx,
    teams_import,
)

__all__ = [
    "EstablishmentImportResult",
    "ImportResult",
    "StaleRecord",
    "case_columns",
    "case_create",
    "case_delete",
    "case_export_xlsx",
    "case_template_xlsx",
    "case_update",
    "cases_import",
    "establishment_columns",
    "establishment_create",
    "establishment_delete",
    "establishment_export_xlsx",
    "establishment_template_xlsx",
    "establishment_update",
    "establishments_import",
    "hotspot_columns",
    "hotspot_create",
    "hotspot_delete",
    "hotspot_export_xlsx",
    "hotspot_template_xlsx",
    "hotspot_update",
    "hotspots_import",
    "inspection_columns",
    "inspection_create",
    "inspection_delete",
    "inspection_export_xlsx",
    "inspection_template_xlsx",
    "inspection_update",
    "inspections_import",
    "team_create",
    "team_delete",
    "team_export_xlsx",
    "team_import_columns",
    "team_template_xlsx",
    "team_update",
    "teams_import",
    "violation_create",
    "violation_delete",
    "violation_update",
]
