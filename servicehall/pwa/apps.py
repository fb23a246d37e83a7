from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PwaConfig(AppConfig):
    name = "servicehall.pwa"
    label = "pwa"
    verbose_name = _("离线与安装")
