from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "pcmd.ops"
    label = "ops"
    verbose_name = _("Vận hành")

    def ready(self) -> None:
        from pcmd.ops import faults

        faults.install_from_env()
