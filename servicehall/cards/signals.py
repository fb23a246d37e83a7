"""What the card registry tells the rest of the hall. `cards_changed` is sent after an import
that created or updated cards has committed, so that apps which depend on cards (payments puts
failed payments back in line once the card is fixed) act on it without cards knowing them."""

from django.dispatch import Signal

cards_changed = Signal()  # sender: CardImportBatch; kwargs: created, updated
