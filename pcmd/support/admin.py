from django.contrib import admin

from pcmd.support.models import PilotModel, RetentionRule


@admin.register(PilotModel)
class PilotModelAdmin(admin.ModelAdmin[PilotModel]):
    list_display = ["name", "kind", "org_unit", "start_date", "status"]
    raw_id_fields = ["org_unit", "task", "created_by"]
    search_fields = ["name"]


# Retention periods are data an administrator may change. Case files are deliberately not in the
# admin: their identities are read only through pcmd.sealing.access.reveal, with a reason.
@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin[RetentionRule]):
    list_display = ["group", "years_after_closure", "needs_legal_review", "legal_basis"]
