from django.core.management.base import BaseCommand

from servicehall.verification.services import registry_imports_recover


class Command(BaseCommand):
    help = "Fail registry imports whose worker died (running without a heartbeat for 15 minutes); run often."

    def handle(self, *args, **options):
        self.stdout.write(f"{registry_imports_recover()} stalled import(s) failed and cleared.")
