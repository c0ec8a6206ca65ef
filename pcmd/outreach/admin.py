from django.contrib import admin

from pcmd.outreach.models import OutreachAttachment, OutreachEvent


@admin.register(OutreachEvent)
class OutreachEventAdmin(admin.ModelAdmin[OutreachEvent]):
    list_display = ["date", "form", "org_unit", "topic"]
    list_filter = ["form"]
    raw_id_fields = ["org_unit", "agency", "task", "created_by"]


@admin.register(OutreachAttachment)
class OutreachAttachmentAdmin(admin.ModelAdmin[OutreachAttachment]):
    list_display = ["original_name", "event", "size"]
    raw_id_fields = ["event"]
