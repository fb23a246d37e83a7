"""好差评 pages: the applicant's 服务评价 on a concluded case (a panel of the case page and
its form), and the responsible organisation's list of ratings with the answer to a poor one."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core.actions import Action
from servicehall.core.decorators import action_required, person_required
from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip
from servicehall.subsidy import selectors as subsidy_selectors
from servicehall.subsidy.constants import CONCLUDED
from servicehall.subsidy.models import Application

from . import selectors, services
from .forms import RateForm, ReplyForm
from .models import Evaluation

PER_PAGE = 30


def case_panel(request, application):
    """The case page's 服务评价: the invitation, the form, or the rating given and its answer."""
    if application.state not in CONCLUDED:
        return None
    evaluation = selectors.evaluation_of(application)
    return {
        "template": "evaluation/_case_panel.html",
        "evaluation": evaluation,
        "form": RateForm() if evaluation is None else None,
        "application": application,
    }


@require_POST
@person_required
def rate(request, pk):
    try:
        application = subsidy_selectors.application_get_for(request.user, pk)
    except Application.DoesNotExist:
        raise Http404 from None
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_rate(
                applicant=request.user,
                application=application,
                rating=form.cleaned_data["rating"],
                reasons=form.reasons,
                comment=form.cleaned_data["comment"],
                client_address=client_ip(request),
            )
        except DomainError as error:
            if error.fields:
                error.fields = ["poor_reasons" if name == "reasons" else name for name in error.fields]
                error.add_to_form(form)
            else:
                messages.error(request, error.message)
                return redirect("subsidy:case", pk=pk)
        else:
            messages.success(request, _("感谢您的评价！"))
            return redirect("subsidy:case", pk=pk)
    return render(request, "evaluation/rate.html", {"form": form, "application": application}, status=400)


@action_required(Action.ANSWER_EVALUATIONS)
def evaluation_list(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in selectors.TABS else "awaiting"
    evaluations = selectors.evaluation_tab_for(request.user, tab)
    page = Paginator(evaluations, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/list.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [(key, label) for key, (_filter, label) in selectors.TABS.items()],
            "summary": selectors.rating_summary(selectors.evaluation_list_for(request.user)),
            "query": f"tab={tab}",
        },
    )


@action_required(Action.ANSWER_EVALUATIONS)
def evaluation_detail(request, pk):
    try:
        evaluation = selectors.evaluation_get_for(request.user, pk)
    except Evaluation.DoesNotExist:
        raise Http404 from None
    can_reply = (
        evaluation.status == Evaluation.Status.AWAITING_REPLY
        and evaluation.organisation_id == request.user.organisation_id
    )
    form = ReplyForm(request.POST or None) if can_reply else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.evaluation_reply(
                actor=request.user,
                evaluation=evaluation,
                reply=form.cleaned_data["reply"],
                client_address=client_ip(request),
            )
        except DomainError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("答复已发送，申请人将收到短信和站内消息。"))
            return redirect("evaluation:detail", pk=evaluation.pk)
    return render(
        request,
        "evaluation/detail.html",
        {"evaluation": evaluation, "form": form},
        status=400 if form is not None and form.errors else 200,
    )
