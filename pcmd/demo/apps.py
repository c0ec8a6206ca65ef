from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`pcmd demo`: the demo data of every app, loaded in dependency order (no models)."""

    name = "pcmd.demo"
    label = "demo"
    verbose_name = _("Dữ liệu trình diễn")
