"""Queue again the payment jobs a dead worker left running (payments.jobs.jobs_recover); the
scheduler runs it every five minutes."""

from django.core.management.base import BaseCommand

from servicehall.payments.jobs import jobs_recover


class Command(BaseCommand):
    help = "Queue again the payment jobs that a worker left running."

    def handle(self, *args, **options):
        self.stdout.write(f"{jobs_recover()} payment jobs queued again")
