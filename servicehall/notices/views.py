from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from . import selectors
from .models import Notice, NoticeKind

PAGE_SIZE = 15


def notice_list(request):
    kind = request.GET.get("kind", "")
    if kind not in NoticeKind.values:
        kind = ""
    notices = selectors.notice_list_public(kind=kind)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {"page": page, "kind": kind, "kinds": NoticeKind.choices})


def notice_detail(request, pk):
    try:
        notice = selectors.notice_get_public(pk)
    except Notice.DoesNotExist:
        raise Http404 from None
    return render(request, "notices/detail.html", {"notice": notice, "now": timezone.now()})
