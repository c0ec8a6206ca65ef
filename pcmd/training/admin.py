from django.contrib import admin

from pcmd.training.models import StaffMember, TrainingCourse


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin[StaffMember]):
    list_display = ["full_name", "org_unit", "position", "pcmd_relevant"]
    raw_id_fields = ["org_unit", "agency", "created_by"]
    search_fields = ["full_name"]


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin[TrainingCourse]):
    list_display = ["title", "org_unit", "start_date", "end_date"]
    raw_id_fields = ["org_unit", "organiser", "task", "created_by", "participants"]
    search_fields = ["title"]
