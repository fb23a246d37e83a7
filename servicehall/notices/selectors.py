from django.utils import timezone

from .models import Notice


def notice_list_public(*, kind: str = ""):
    """Published notices, newest first; one not yet due is not shown; of one kind if given."""
    notices = Notice.objects.filter(is_published=True, published_at__lte=timezone.now())
    return notices.filter(kind=kind) if kind else notices


def notice_get_public(pk):
    return notice_list_public().get(pk=pk)
