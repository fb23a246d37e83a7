from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidyConfig(AppConfig):
    name = "servicehall.subsidy"
    label = "subsidy"
    verbose_name = _("求职创业补贴")
