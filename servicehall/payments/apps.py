from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "servicehall.payments"
    label = "payments"
    verbose_name = _("补贴发放")

    def ready(self):
        from servicehall.cards.signals import cards_changed

        cards_changed.connect(_cards_changed, dispatch_uid="payments.reissue_after_card_import")


def _cards_changed(sender, **kwargs):
    """A card import changed cards: failed payments whose card is now usable go back in line."""
    from .tasks import reissue_fixed_cards

    reissue_fixed_cards.enqueue()
