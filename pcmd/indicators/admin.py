"""The indicator catalogue in the Django admin: an admin edits definitions without code.

Invariants: a definition is checked (Indicator.clean -> definitions.definition_check) before it
is saved, every problem listed in Vietnamese; built-in indicators can be switched off, not
deleted.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pcmd.indicators.models import AggregateEntry, Indicator, TargetMeasure


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind", "unit", "is_builtin", "is_active")
    list_filter = ("kind", "is_builtin", "is_active")
    search_fields = ("code", "name", "name_en")
    readonly_fields = ("is_builtin", "updated_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_builtin:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AggregateEntry)
class AggregateEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("indicator", "org_unit", "period", "numerator", "denominator", "entered_by")
    list_filter = ("period",)
    raw_id_fields = ("org_unit",)
    readonly_fields = ("entered_by", "entered_at")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TargetMeasure)
class TargetMeasureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("target", "indicator", "level", "is_manual", "warning")
    list_filter = ("is_manual",)
    raw_id_fields = ("target",)
