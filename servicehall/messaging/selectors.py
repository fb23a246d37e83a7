"""Reads of the messaging app."""

from django.db.models import F, Func, OuterRef, QuerySet, Subquery

from .models import SiteMessage, SmsMessage
from .services import UNREAD, mobile_index_of


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


def _unread(user) -> QuerySet[SiteMessage]:
    """The person's unread messages (the (user, read_at) index); `user` may be an OuterRef."""
    return SiteMessage.objects.filter(user=user, read_at__isnull=True)


def unread_count(user) -> int:
    """How many of the person's messages are unread; 0 for an anonymous visitor. A user loaded
    by with_unread_count carries the number already (no query), until a message is read."""
    if user is None or not user.is_authenticated:
        return 0
    counted = getattr(user, UNREAD, None)
    if counted is not None:
        return counted
    return _unread(user).count()


def with_unread_count(users: QuerySet) -> QuerySet:
    """`users`, each with its unread count (unread_count) counted in the same statement: the
    signed-in person of every web request is loaded this way (accounts.backends), so that the
    header's 我的消息（n条未读） costs no query of its own."""
    count = _unread(OuterRef("pk")).order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return users.annotate(**{UNREAD: Subquery(count)})
