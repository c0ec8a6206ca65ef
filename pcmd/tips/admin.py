"""Admin of tips: the deadline rules are edited here (versioned by legal basis); tips themselves
are handled through the pages, which apply the scope, the workflow and the audit."""

from __future__ import annotations

from django.contrib import admin

from pcmd.tips.models import DeadlineRule


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "applies_to", "legal_basis", "valid_from", "valid_to", "days", "hours",
        "complex_months", "max_extension_months", "remote_hours", "needs_legal_review",
    )  # fmt: skip
    list_filter = ("applies_to", "needs_legal_review")
