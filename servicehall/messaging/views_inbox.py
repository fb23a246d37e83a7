"""我的消息: a person's site messages (the in-hall inbox). Staff have none: person_required
sends them to their 工作台."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from servicehall.core.decorators import person_required
from servicehall.core.errors import DomainError

from . import selectors, services
from .models import SiteMessage

PAGE_SIZE = 20


@never_cache
@require_GET
@person_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The person's messages, newest first, 20 a page; unread ones in bold with a 未读 tag."""
    page = Paginator(selectors.site_message_list_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "messaging/inbox.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )


@never_cache
@require_GET
@person_required
def inbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    """One message; opening it marks it read. Another person's message is a 404."""
    try:
        site_message = selectors.site_message_get_for(request.user, pk)
    except SiteMessage.DoesNotExist:
        raise Http404 from None
    services.site_message_read(user=request.user, message=site_message)
    link = site_message.link
    if link:
        # Checked when sent; checked again here so no row can ever put another site in a button.
        try:
            link = services.site_link_clean(link)
        except DomainError:
            link = ""
    return render(
        request, "messaging/inbox_message.html", {"site_message": site_message, "link": link}
    )


@require_POST
@person_required
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    """全部标为已读, then back to the first page of 我的消息."""
    count = services.site_messages_read_all(user=request.user)
    if count:
        messages.success(request, _("已将%(count)d条消息标为已读。") % {"count": count})
    else:
        messages.info(request, _("没有未读消息。"))
    return redirect("messaging:inbox")
