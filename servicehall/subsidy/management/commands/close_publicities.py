from django.core.management.base import BaseCommand

from servicehall.subsidy.publicity import publicities_close_due


class Command(BaseCommand):
    help = "Move applications whose 公示 has ended without an open objection on to 人社初审 (run often)."

    def handle(self, *args, **options):
        moved = publicities_close_due()
        self.stdout.write(f"{moved} application(s) moved to first review.")
