from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "servicehall.verification"
    verbose_name = _("数据比对")
