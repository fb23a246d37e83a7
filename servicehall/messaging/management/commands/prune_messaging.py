from datetime import timedelta

from django.core.management.base import BaseCommand

from servicehall.messaging.services import otp_prune


class Command(BaseCommand):
    help = "Delete one-time codes older than a day (and past days' SMS quota rows)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=int, default=24, help="delete codes older than this (default 24)"
        )

    def handle(self, *args, hours: int, **options):
        # The daily limit is counted in SmsDailyQuota, not in the codes, so codes may go as
        # soon as they are long expired; an hour is the shortest we allow.
        deleted = otp_prune(older_than=timedelta(hours=max(hours, 1)))
        self.stdout.write(f"Deleted {deleted} one-time codes.")
