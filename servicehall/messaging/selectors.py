"""Reads of the messaging app."""

from django.db.models import QuerySet

from .models import SiteMessage, SmsMessage
from .services import mobile_index_of


def outbox_messages(mobile: str | None = None, limit: int = 50) -> QuerySet[SmsMessage]:
    """The newest kept messages, optionally only those to one mobile number (found through
    its blind index). For the development outbox page and tests; it shows texts in full."""
    messages = SmsMessage.objects.all()
    if mobile:
        messages = messages.filter(mobile_index=mobile_index_of(mobile))
    return messages.order_by("-created_at", "-id")[:limit]


# --- Site messages (我的消息) -------------------------------------------------------------


def site_message_list_for(user) -> QuerySet[SiteMessage]:
    """The person's messages, newest first."""
    return SiteMessage.objects.filter(user=user).order_by("-created_at", "-id")


def site_message_get_for(user, pk) -> SiteMessage:
    """One of the person's messages; SiteMessage.DoesNotExist for anyone else's."""
    return SiteMessage.objects.get(user=user, pk=pk)


def unread_count(user) -> int:
    """How many of the person's messages are unread (one COUNT on the (user, read_at) index);
    0 for an anonymous visitor."""
    if user is None or not user.is_authenticated:
        return 0
    return SiteMessage.objects.filter(user=user, read_at__isnull=True).count()
