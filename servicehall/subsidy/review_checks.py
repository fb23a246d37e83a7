"""The reviewers' side of 数据比对 (servicehall/verification): check one application again, check
every application of the reviewer's school or bureau again (in the background), and override a
failed employment or prior-grant check with a written reason. Every application comes through
review_selectors, as on the other review pages; the work is verification's."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip

from .checks import application_recheck, check_override
from .review_selectors import application_list_for_reviewer
from .review_views import application_or_404, reviewer_required
from .tasks import recheck_for_reviewer


def _detail_url(pk) -> str:
    return reverse("subsidy:review_detail", args=[pk]) + "#checks"


@require_POST
@reviewer_required
def review_recheck(request, pk):
    application = application_or_404(request.user, pk)
    application_recheck(application=application)
    messages.success(request, _("已按最新名单重新比对这笔申请。"))
    return redirect(_detail_url(pk))


@require_POST
@reviewer_required
def review_recheck_all(request):
    count = application_list_for_reviewer(request.user).count()
    recheck_for_reviewer.enqueue(request.user.pk)
    messages.success(
        request,
        _("已开始按最新名单重新比对本单位的%(count)s笔申请，几分钟内完成，刷新页面即可看到结果。")
        % {"count": count},
    )
    return redirect("subsidy:review_queue")


@require_POST
@reviewer_required
def review_check_override(request, pk):
    application = application_or_404(request.user, pk)
    try:
        check_override(
            actor=request.user,
            application=application,
            rule=request.POST.get("rule", ""),
            reason=request.POST.get("reason", ""),
            client_address=client_ip(request),
        )
    except DomainError as error:
        if error.code == "not_found":
            raise Http404 from None
        messages.error(request, error.message)
    else:
        messages.success(request, _("已核实放行，该项比对不再阻止审核通过。"))
    return redirect(_detail_url(pk))
