"""What every page's header needs from the messaging app."""

from .selectors import unread_count


def inbox(request) -> dict:
    """`unread_messages`: the signed-in person's unread site messages, for the header badge
    (counted when the person was loaded, accounts.backends); 0 for visitors and staff, who have
    no inbox, without a query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_person", False):
        return {"unread_messages": 0}
    return {"unread_messages": unread_count(user)}
