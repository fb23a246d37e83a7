from django.core.management.base import BaseCommand

from servicehall.outreach.runs import match_runs_recover


class Command(BaseCommand):
    help = "Queue again the 政策找人 matching runs whose worker died; they go on from their last chunk."

    def handle(self, *args, **options):
        self.stdout.write(f"{match_runs_recover()} run(s) taken up.")
