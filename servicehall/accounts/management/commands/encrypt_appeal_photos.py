from django.core.management.base import BaseCommand

from servicehall.accounts.services import appeal_photos_encrypt


class Command(BaseCommand):
    help = (
        "Encrypt the appeal photos stored plain before issue 18 (run once, before copying the "
        "files to a bucket; safe to repeat)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{appeal_photos_encrypt()} appeal photo(s) encrypted.")
