from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "pcmd.tips"
    label = "tips"
    verbose_name = _("Tin báo, tố giác")
