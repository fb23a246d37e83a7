"""The newest SMS messages the hall sent to a mobile number, for a cluster or a test machine where
the outbox stands in for the SMS gateway (`make cluster` has no web page for it):

    manage.py outbox 13800000001 [--count 3]

Refused when a real gateway is configured: messages then reach phones, not this console."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from servicehall.core.crypto import blind_index
from servicehall.messaging.models import SmsMessage

OUTBOX = "servicehall.messaging.gateways.OutboxGateway"


class Command(BaseCommand):
    help = "Print the newest SMS messages sent to a mobile number (outbox gateway only)."

    def add_arguments(self, parser):
        parser.add_argument("mobile")
        parser.add_argument("--count", type=int, default=3)

    def handle(self, *args, mobile, count, **options):
        if settings.SMS_BACKEND != OUTBOX:
            raise CommandError("SMS go to a real gateway here; the outbox is not read from the console.")
        messages = SmsMessage.objects.filter(mobile_index=blind_index(mobile, purpose="mobile")).order_by(
            "-created_at", "-id"
        )[:count]
        for message in messages:
            self.stdout.write(f"{message.created_at:%Y-%m-%d %H:%M:%S}  {message.text}")
        if not messages:
            self.stdout.write("No message to that number.")
