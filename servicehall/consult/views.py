"""咨询服务 (我要问): the page where a person asks about a service and follows their questions, a
question's page (the person's, or the answering staff's with the answer form), and the staff's
list of questions sent to their organisation."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from servicehall.catalog.selectors import published_services
from servicehall.core.actions import Action
from servicehall.core.decorators import action_required
from servicehall.core.errors import DomainError
from servicehall.core.forms import HallForm
from servicehall.core.http import client_ip
from servicehall.reference.preferences import hall_region

from . import selectors, services
from .models import Question

PER_PAGE = 20


class AskForm(HallForm):
    service = forms.ChoiceField(label=_("咨询事项"))
    text = forms.CharField(
        label=_("咨询内容"), max_length=services.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请写明您想了解的问题，最多500个字。请勿填写身份证号码、银行卡号等个人信息。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {s.code: s for s in published_services() if s.serves == "person"}
        self.fields["service"].choices = [("", _("请选择"))] + [(c, s.name) for c, s in self.services.items()]


class AnswerForm(HallForm):
    answer = forms.CharField(
        label=_("答复内容"), max_length=services.ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("答复将通过短信和站内消息告知咨询人。请勿填写他人个人信息。"),
    )


def index(request):
    """咨询服务: anyone reads how it works; a person asks and sees their questions."""
    user = request.user
    if user.is_authenticated and not user.is_person:
        return redirect("consult:inbox")
    wanted = request.GET.get("service", "")[:64]
    form = AskForm(request.POST or None, initial={"service": wanted})
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                region = hall_region(request)
                question = services.question_ask(
                    actor=user, service=form.services[form.cleaned_data["service"]],
                    text=form.cleaned_data["text"], city_code=region.code if region else None,
                    client_address=client_ip(request),
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, gettext(
                    "咨询已提交，%(organisation)s将在%(days)s个工作日内答复，答复后会短信通知您。"
                ) % {"organisation": question.organisation.name, "days": settings.CONSULT_REPLY_WORKDAYS})
                return redirect("consult:detail", pk=question.pk)
    mine = selectors.question_list_for(user)[:PER_PAGE] if user.is_authenticated else []
    return render(request, "consult/index.html", {"form": form, "mine": mine})


def detail(request, pk):
    try:
        question = selectors.question_get_for(request.user, pk)
    except Question.DoesNotExist:
        raise Http404 from None
    answering = not request.user.is_person and question.status == Question.Status.WAITING
    form = AnswerForm(request.POST or None) if answering else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.question_answer(
                actor=request.user, question_id=question.pk, answer=form.cleaned_data["answer"],
                client_address=client_ip(request),
            )
        except DomainError as error:
            if error.code == "not_found":
                raise Http404 from None
            error.add_to_form(form)
        else:
            messages.success(request, gettext("答复已发送，咨询人将收到短信和站内消息。"))
            return redirect("consult:inbox")
    return render(request, "consult/detail.html", {"question": question, "form": form})


@action_required(Action.ANSWER_QUESTIONS)
def inbox(request):
    """咨询答复: the questions sent to the officer's organisation, waiting ones first, the
    earliest due at the top."""
    page = Paginator(selectors.question_queue_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "consult/inbox.html", {"page": page})
