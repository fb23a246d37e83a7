from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardsConfig(AppConfig):
    name = "servicehall.cards"
    label = "cards"
    verbose_name = _("社会保障卡")
