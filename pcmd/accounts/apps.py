from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pcmd.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản và nhật ký")

    def ready(self) -> None:
        from pcmd.accounts import signals  # noqa: F401
