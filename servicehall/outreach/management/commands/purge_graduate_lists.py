from django.core.management.base import BaseCommand

from servicehall.outreach.services import graduate_lists_purge


class Command(BaseCommand):
    help = "Remove the graduating-class lists (政策找人) past their keeping (daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{graduate_lists_purge()} listed graduate(s) removed.")
