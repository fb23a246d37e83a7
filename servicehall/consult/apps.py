from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "servicehall.consult"
    label = "consult"
    verbose_name = _("咨询服务")
