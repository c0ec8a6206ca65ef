from django.contrib import admin

from pcmd.support.models import PilotModel


@admin.register(PilotModel)
class PilotModelAdmin(admin.ModelAdmin[PilotModel]):
    list_display = ["name", "kind", "org_unit", "start_date", "status"]
    raw_id_fields = ["org_unit", "task", "created_by"]
    search_fields = ["name"]
