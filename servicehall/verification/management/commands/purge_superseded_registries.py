from django.conf import settings
from django.core.management.base import BaseCommand

from servicehall.verification.services import superseded_registries_purge


class Command(BaseCommand):
    help = (
        "Remove the rows of registry versions superseded more than REGISTRY_SUPERSEDED_RETENTION_DAYS "
        "ago (their records stay); run daily."
    )

    def handle(self, *args, **options):
        cleared = superseded_registries_purge()
        days = settings.REGISTRY_SUPERSEDED_RETENTION_DAYS
        self.stdout.write(f"{cleared} superseded registry version(s) older than {days} days cleared of rows.")
