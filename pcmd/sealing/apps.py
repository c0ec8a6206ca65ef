from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SealingConfig(AppConfig):
    name = "pcmd.sealing"
    label = "sealing"
    verbose_name = _("Dữ liệu niêm phong")

    def ready(self) -> None:
        # django.contrib.admin comes first in INSTALLED_APPS, so every admin.py is loaded now.
        from django.contrib import admin

        from pcmd.sealing.admin import seal_admin_site

        seal_admin_site(admin.site)
