from django.core.management.base import BaseCommand

from servicehall.payments.services import payments_reissue_fixed_cards


class Command(BaseCommand):
    help = (
        "Put failed payments whose social security card is now usable (and was updated after the "
        "failure) back to awaiting payment (run after each card import, or daily)."
    )

    def handle(self, *args, **options):
        moved = payments_reissue_fixed_cards()
        self.stdout.write(f"{moved} application(s) put back to awaiting payment.")
