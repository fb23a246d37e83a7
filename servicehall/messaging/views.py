from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors
from .conf import messaging_settings
from .forms import OutboxFilterForm

OUTBOX_LIMIT = 50


@never_cache
@require_GET
def dev_outbox(request: HttpRequest) -> HttpResponse:
    """Development only (settings.SMS_DEV_OUTBOX_PAGE): the newest messages the hall kept,
    codes and numbers in full, so a developer or a browser test can read a code."""
    if not messaging_settings.dev_outbox_page:
        raise Http404
    form = OutboxFilterForm(request.GET if "mobile" in request.GET else None)
    mobile = ""
    if form.is_bound and form.is_valid():
        mobile = form.cleaned_data["mobile"]
    messages = selectors.outbox_messages(mobile or None, limit=OUTBOX_LIMIT)
    return render(
        request,
        "messaging/dev_outbox.html",
        {"form": form, "mobile": mobile, "sms_messages": messages, "limit": OUTBOX_LIMIT},
    )
