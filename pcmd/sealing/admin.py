"""The Django admin never shows or writes a sealed value; break-glass grants are read-only there.

Owns: SealedAdminMixin, seal_admin_site(), BreakGlassGrantAdmin.
Invariants: every ModelAdmin of a model with sealed fields runs through SealedAdminMixin (applied
to every registration by SealingConfig.ready(), so an app cannot forget it): sealed fields are
left out of forms, detail pages, lists, searches, filters and sorting. Identities are read only
through the app's own pages, with a recorded reason (access.reveal).
Not here: the fields (fields.py); who may read an identity (the owning apps).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pcmd.sealing.fields import sealed_field_names
from pcmd.sealing.models import BreakGlassGrant


def _without(names: Sequence[Any] | None, sealed: set[str]) -> list[Any]:
    kept = []
    for name in names or ():
        if isinstance(name, list | tuple):  # a row of fields on one line
            row = [item for item in name if item not in sealed]
            if row:
                kept.append(type(name)(row))
        elif not (isinstance(name, str) and name.lstrip("-").split("__")[0] in sealed):
            kept.append(name)
    return kept


class SealedAdminMixin:
    """Leave a model's sealed fields out of every admin page, form, list and search."""

    model: Any

    def _sealed(self) -> set[str]:
        return set(sealed_field_names(self.model))

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        base: Any = super().get_exclude(request, obj)  # type: ignore[misc]
        return sorted(set(base or ()) | self._sealed())

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return _without(super().get_fields(request, obj), self._sealed())  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        sealed = self._sealed()
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        return [
            (title, {**opts, "fields": _without(opts.get("fields", ()), sealed)})
            for title, opts in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return _without(super().get_readonly_fields(request, obj), self._sealed())  # type: ignore[misc]

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        return _without(super().get_list_display(request), self._sealed()) or ["__str__"]  # type: ignore[misc]

    def get_list_display_links(self, request: HttpRequest, list_display: Any) -> Any:
        links = super().get_list_display_links(request, list_display)  # type: ignore[misc]
        return _without(links, self._sealed()) if links else links

    def get_search_fields(self, request: HttpRequest) -> list[Any]:
        return _without(super().get_search_fields(request), self._sealed())  # type: ignore[misc]

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return _without(super().get_list_filter(request), self._sealed())  # type: ignore[misc]

    def get_sortable_by(self, request: HttpRequest) -> list[Any]:
        return _without(super().get_sortable_by(request), self._sealed())  # type: ignore[misc]

    def get_ordering(self, request: HttpRequest) -> list[Any]:
        return _without(super().get_ordering(request), self._sealed())  # type: ignore[misc]


def seal_admin_site(site: admin.AdminSite) -> list[str]:
    """Give every registered admin of a model with sealed fields the SealedAdminMixin."""
    sealed_labels = []
    for model, model_admin in site._registry.items():
        if not sealed_field_names(model) or isinstance(model_admin, SealedAdminMixin):
            continue
        cls = model_admin.__class__
        model_admin.__class__ = type(f"Sealed{cls.__name__}", (SealedAdminMixin, cls), {})
        sealed_labels.append(model._meta.label_lower)
    return sealed_labels


@admin.register(BreakGlassGrant)
class BreakGlassGrantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "org_unit", "starts_at", "expires_at", "ended_at")
    list_select_related = ("user", "org_unit")
    raw_id_fields = ("user", "org_unit")
    readonly_fields = ("user", "org_unit", "reason", "starts_at", "expires_at", "ended_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
