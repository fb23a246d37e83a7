from django.core.management.base import BaseCommand

from servicehall.messaging.services import sms_sweep


class Command(BaseCommand):
    help = (
        "Deliver SMS messages left queued or half-sent for over five minutes (a worker that "
        "never came or died mid-delivery), each exactly once; run every few minutes."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{sms_sweep()} stalled SMS message(s) taken up.")
