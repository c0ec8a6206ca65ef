"""Admin of reports: read-mostly; the workflow runs through the services (pages, API)."""

from django.contrib import admin

from pcmd.reports.models import Report, ReportEvent


class ReportEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ReportEvent
    extra = 0
    readonly_fields = ("kind", "at", "user", "comment")
    can_delete = False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-mostly: the workflow runs through the services (pages, API), never the admin."""

    list_display = ("org_unit", "period", "kind", "status", "due_on", "submitted_at")
    list_filter = ("kind", "status")
    search_fields = ("org_unit__name", "period")
    readonly_fields = ("status", "content", "version", "submitted_at", "approved_at")
    raw_id_fields = ("org_unit", "plan", "created_by")
    inlines = [ReportEventInline]
