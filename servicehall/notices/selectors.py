from django.utils import timezone

from servicehall.core.versions import kept_locally

from .models import Notice

# The version (core.versions) raised by any change of a notice (apps.py).
NOTICES_VERSION = "notices"
# Notices kept for the home page beyond the ones it shows: those published ahead of their time
# are among the newest and are dropped per request until they are due.
AHEAD = 20


def notice_list_public(*, kind: str = ""):
    """Published notices, newest first; one not yet due is not shown; of one kind if given."""
    notices = Notice.objects.filter(is_published=True, published_at__lte=timezone.now())
    return notices.filter(kind=kind) if kind else notices


def notice_get_public(pk):
    return notice_list_public().get(pk=pk)


def notices_newest(count: int) -> list[Notice]:
    """The `count` newest published notices that are due (the home page), read once per version
    of the notices. The kept list holds the newest published ones, due or not, so a notice
    published ahead of its time appears when it is due, not when the copy expires."""
    published = Notice.objects.filter(is_published=True).order_by("-published_at", "-pk")
    kept = kept_locally(NOTICES_VERSION, ("newest", count), lambda: list(published[: count + AHEAD]))
    now = timezone.now()
    due = [notice for notice in kept if notice.published_at <= now][:count]
    if len(due) < count and len(kept) == count + AHEAD:  # more ahead of time than kept: ask
        return list(notice_list_public().order_by("-published_at", "-pk")[:count])
    return due
