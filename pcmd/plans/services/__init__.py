"""Write plans: import a parsed document, edit it, track its tasks, cascade it.

Owns (re-exported from the modules of this package): preview.py — plan_preview(), PlanPreview;
importing.py — plan_import(), plan_reference_register(); editing.py — plan_update(),
plan_status_set(), target_update(), task_update(), assignment_set(), assignment_delete();
progress.py — task_progress_add(); budget.py — budgetline_create(),
budgetline_update(), budgetline_delete(); budget_xlsx.py — budgetlines_import(),
budget_template_xlsx(), budget_export_xlsx(); cascade.py — plan_cascade(), plan_derive_year();
matching.py — agency matching; common.py — PlanImportError and the permission checks.
Invariants: every write by a person checks the same rule the pages and the API apply
(selectors.can_edit_plan / can_record_progress) and is audited in the same transaction;
acting_user=None is the system (commands, the demo).
Not here: reading documents (parsing/), reads and scoping (selectors.py), DOCX (rendering/).
"""

from pcmd.plans.services.budget import (
    BUDGET_FIELDS,
    budget_warnings,
    budgetline_create,
    budgetline_delete,
    budgetline_update,
    can_manage_budget,
)
from pcmd.plans.services.budget_xlsx import (
    BUDGET_MAX_ROWS,
    BudgetImportResult,
    budget_export_xlsx,
    budget_template_xlsx,
    budgetlines_import,
)
from pcmd.plans.services.cascade import plan_cascade, plan_derive_year, restate_population
from pcmd.plans.services.common import PlanImportError
from pcmd.plans.services.editing import (
    PLAN_FIELDS,
    TARGET_FIELDS,
    TASK_FIELDS,
    assignment_delete,
    assignment_set,
    plan_status_set,
    plan_update,
    target_update,
    task_responsibilities_set,
    task_update,
)
from pcmd.plans.services.importing import plan_import, plan_reference_register
from pcmd.plans.services.matching import AgencyMatch, AgencyMatcher
from pcmd.plans.services.preview import (
    LOW_CONFIDENCE,
    ItemReview,
    ParentMatch,
    PlanPreview,
    plan_preview,
    plan_reference_day,
)
from pcmd.plans.services.progress import (
    EVIDENCE_MAX_BYTES,
    EVIDENCE_MAX_FILES,
    evidence_check,
    task_progress_add,
)

__all__ = [
    "BUDGET_FIELDS",
    "BUDGET_MAX_ROWS",
    "BudgetImportResult",
    "budget_export_xlsx",
    "budget_template_xlsx",
    "budgetlines_import",
    "budget_warnings",
    "budgetline_create",
    "budgetline_delete",
    "budgetline_update",
    "can_manage_budget",
    "task_responsibilities_set",
    "EVIDENCE_MAX_BYTES",
    "EVIDENCE_MAX_FILES",
    "LOW_CONFIDENCE",
    "PLAN_FIELDS",
    "TARGET_FIELDS",
    "TASK_FIELDS",
    "AgencyMatch",
    "AgencyMatcher",
    "ItemReview",
    "ParentMatch",
    "PlanImportError",
    "PlanPreview",
    "assignment_delete",
    "assignment_set",
    "evidence_check",
    "plan_cascade",
    "plan_derive_year",
    "plan_import",
    "plan_preview",
    "plan_reference_day",
    "plan_reference_register",
    "plan_status_set",
    "plan_update",
    "restate_population",
    "target_update",
    "task_progress_add",
    "task_update",
]
