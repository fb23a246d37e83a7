from django.utils import timezone

from .models import Notice


def notice_list_public():
    """Published notices, newest first; one not yet due is not shown."""
    return Notice.objects.filter(is_published=True, published_at__lte=timezone.now())


def notice_get_public(pk):
    return notice_list_public().get(pk=pk)
