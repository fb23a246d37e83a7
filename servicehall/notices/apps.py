from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "servicehall.notices"
    label = "notices"
    verbose_name = _("公示公告")
