"""Writes of the staff roster and training courses; every page, API endpoint, job and command
calls these.

Owns (re-exported): records.py — staff_create(), staff_update(), staff_delete(),
course_create(), course_update(), course_delete(), the roster XLSX (staff_import(),
staff_template_xlsx(), staff_export_xlsx()); course_xlsx.py — courses_import(),
course_template_xlsx(), course_export_xlsx().
Invariants: each function checks the role and the unit (PermissionDenied), validates everything
(ValidationError keyed by field, in Vietnamese), writes in one transaction with its audit row,
and refuses an edit based on an outdated version (StaleRecord); imports write all rows or none.
Not here: reads (selectors.py).
"""

from pcmd.common.records import StaleRecord
from pcmd.training.services.course_xlsx import (
    COURSE_COLUMNS,
    CourseImportResult,
    course_export_xlsx,
    course_template_xlsx,
    courses_import,
    participant_label,
)
from pcmd.training.services.records import (
    COURSE_FIELDS,
    IMPORT_BATCH,
    STAFF_CODE_COLUMN,
    STAFF_COLUMNS,
    STAFF_FIELDS,
    StaffImportResult,
    course_create,
    course_delete,
    course_update,
    staff_create,
    staff_delete,
    staff_export_xlsx,
    staff_import,
    staff_template_xlsx,
    staff_update,
)

__all__ = [
    "COURSE_COLUMNS",
    "COURSE_FIELDS",
    "IMPORT_BATCH",
    "STAFF_CODE_COLUMN",
    "STAFF_COLUMNS",
    "STAFF_FIELDS",
    "CourseImportResult",
    "StaffImportResult",
    "StaleRecord",
    "course_create",
    "course_delete",
    "course_export_xlsx",
    "course_template_xlsx",
    "course_update",
    "courses_import",
    "participant_label",
    "staff_create",
    "staff_delete",
    "staff_export_xlsx",
    "staff_import",
    "staff_template_xlsx",
    "staff_update",
]
