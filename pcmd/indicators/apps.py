from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _sync_catalogue(sender: Any, **kwargs: Any) -> None:
    from pcmd.indicators.catalogue import catalogue_sync
    from pcmd.indicators.mapping import targets_remap_unmapped

    catalogue_sync()
    targets_remap_unmapped()  # targets imported before their indicator existed


def _map_target(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    from pcmd.indicators.mapping import target_map

    target_map(instance)


class IndicatorsConfig(AppConfig):
    name = "pcmd.indicators"
    label = "indicators"
    verbose_name = _("Chỉ số")

    def ready(self) -> None:
        from pcmd.plans.models import Target

        # The built-in catalogue is kept after every migrate; every target saved (an import, an
        # edit) is mapped to its indicator unless someone mapped it by hand.
        post_migrate.connect(_sync_catalogue, sender=self, dispatch_uid="indicators-catalogue")
        post_save.connect(_map_target, sender=Target, dispatch_uid="indicators-map-target")
        # Every record write marks the stored values it counts in stale (store.py).
        from pcmd.indicators.signals import connect_record_signals

        connect_record_signals()
