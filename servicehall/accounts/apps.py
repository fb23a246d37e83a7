from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "servicehall.accounts"
    label = "accounts"
    verbose_name = _("账户与单位")

    def ready(self):
        from . import axes_records  # noqa: F401 - axes keeps no copy of what was typed
