"""Admin of enforcement: the catalogues kept as data (business types, legal bases, offences),
which an admin corrects here after legal review, and read-mostly views of the records."""

from django.contrib import admin

from pcmd.enforcement.models import (
    BusinessType,
    Case,
    Establishment,
    HotSpot,
    Inspection,
    InspectionTeam,
    InspectionTeamMember,
    LegalBasis,
    Offence,
    Violation,
)


@admin.register(BusinessType)
class BusinessTypeAdmin(admin.ModelAdmin[BusinessType]):
    list_display = ["code", "name", "default_risk", "security_conditional", "is_active", "order"]
    list_editable = ["is_active", "order"]


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin[LegalBasis]):
    list_display = ["number", "valid_from", "valid_to", "code"]


@admin.register(Offence)
class OffenceAdmin(admin.ModelAdmin[Offence]):
    list_display = ["article", "name", "code", "order"]


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin[Establishment]):
    list_display = ["name", "business_type", "org_unit", "risk_level", "opened_on", "closed_on"]
    raw_id_fields = ["org_unit", "village", "created_by"]
    search_fields = ["name", "address"]


class MemberInline(admin.TabularInline[InspectionTeamMember, InspectionTeam]):
    model = InspectionTeamMember
    raw_id_fields = ["agency"]
    extra = 0


@admin.register(InspectionTeam)
class InspectionTeamAdmin(admin.ModelAdmin[InspectionTeam]):
    list_display = ["name", "kind", "org_unit", "decision_number", "valid_from", "valid_to"]
    raw_id_fields = ["org_unit", "created_by"]
    inlines = [MemberInline]


class ViolationInline(admin.TabularInline[Violation, Inspection]):
    model = Violation
    raw_id_fields = ["created_by"]
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin[Inspection]):
    list_display = ["establishment", "inspected_on", "mode", "org_unit"]
    raw_id_fields = ["org_unit", "establishment", "team", "task", "created_by"]
    inlines = [ViolationInline]


@admin.register(HotSpot)
class HotSpotAdmin(admin.ModelAdmin[HotSpot]):
    list_display = ["name", "place_kind", "org_unit", "detected_on", "cleared_on"]
    raw_id_fields = ["org_unit", "establishment", "created_by"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["opened_on", "offence", "stage", "org_unit", "defendants", "victims"]
    raw_id_fields = ["org_unit", "created_by"]
