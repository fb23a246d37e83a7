"""Reads of the messaging app."""

from django.db.models import QuerySet

from .models import SmsMessage
from .services import mobile_index_of


def outbox_messages(mobile: str | None = None, limit: int = 50) -> QuerySet[SmsMessage]:
    """The newest kept messages, optionally only those to one mobile number (found through
    its blind index). For the development outbox page and tests; it shows texts in full."""
    messages = SmsMessage.objects.all()
    if mobile:
        messages = messages.filter(mobile_index=mobile_index_of(mobile))
    return messages.order_by("-created_at", "-id")[:limit]
