"""The person's side of 政策找人: the link from the SMS, and the invitation with 确认申请 and
不需要. Someone else who opens the link learns nothing: the same page as for a made-up link."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from servicehall.core.decorators import person_required
from servicehall.core.errors import DomainError

from . import selectors, services
from .models import Invitation


@never_cache
def link(request, token: str):
    if not request.user.is_authenticated:
        return render(request, "outreach/link.html", {"token": token, "next": request.path}, status=200)
    try:
        invitation = services.invitation_by_link(token=token, user=request.user)
    except DomainError as error:
        return render(request, "outreach/link_invalid.html", {"message": error.message}, status=404)
    return redirect("outreach:invitation", pk=invitation.pk)


@person_required
@never_cache
def invitation(request, pk: int):
    try:
        item = selectors.invitation_get_for(request.user, pk)
    except Invitation.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                services.invitation_confirm(user=request.user, invitation=item)
                messages.success(
                    request,
                    _("已根据学校名单和有关部门的名单为您填写申请，请核对、补充住址等信息，勾选承诺后提交。"),
                )
                return redirect("subsidy:apply")
            if action == "decline":
                services.invitation_decline(user=request.user, invitation=item)
                messages.success(request, _("已记录您的选择，本毕业年度不再向您发送此邀请。"))
                return redirect("outreach:invitation", pk=item.pk)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("outreach:invitation", pk=item.pk)
    services.invitation_opened(user=request.user, invitation=item)
    view = selectors.invitation_view(item, request.user)
    return render(request, "outreach/invitation.html", {"invitation": view})
