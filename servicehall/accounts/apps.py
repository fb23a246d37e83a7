from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "servicehall.accounts"
    label = "accounts"

    def ready(self):
        from . import axes_records  # noqa: F401 - axes keeps no copy of what was typed
