"""我要问: a person asks about a service; the answering organisation's staff answer within
CONSULT_REPLY_WORKDAYS working days; the person is told by SMS and in 我的消息."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicehall.accounts.permissions import ensure_may
from servicehall.audit.services import audit_record
from servicehall.core import ratelimit
from servicehall.core.actions import Action
from servicehall.core.errors import DomainError
from servicehall.messaging.services import MESSAGE_LANGUAGE, person_tell
from servicehall.reference.workdays import deadline_at

from .models import Question
from .selectors import answering_organisation, question_list_for

if TYPE_CHECKING:
    from servicehall.accounts.models import User
    from servicehall.catalog.models import Service

TEXT_MAX = 500
ANSWER_MAX = 1000
QUESTIONS_PER_DAY = 10
ANSWERED_TITLE = gettext_lazy("咨询已答复")
ANSWERED_TEXT = gettext_lazy(
    "您关于“%(service)s”的咨询已由%(organisation)s答复，请登录网上办事服务大厅在“我的咨询”中查看。"
)


def _words(text: str, *, field: str, limit: int, empty, too_long) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(empty, code=f"{field}_required", fields=(field,))
    if len(text) > limit:
        raise DomainError(too_long, code=f"{field}_too_long", fields=(field,))
    return text


def question_ask(
    *, actor: User, service: Service, text: str, city_code: str | None = None, client_address: str = ""
) -> Question:
    """The person's question, sent to the organisation that answers for their city (or the
    province), due in CONSULT_REPLY_WORKDAYS working days."""
    if not getattr(actor, "is_person", False):
        raise DomainError(_("咨询服务仅供个人用户使用。"), code="not_person")
    text = _words(
        text, field="text", limit=TEXT_MAX, empty=_("请填写咨询内容"),
        too_long=_("咨询内容最多%(limit)d个字") % {"limit": TEXT_MAX},
    )
    organisation = answering_organisation(city_code)
    if organisation is None:
        raise DomainError(_("咨询服务暂不可用，请拨打12333咨询。"), code="no_organisation")
    if not ratelimit.hit("consult.ask", str(actor.pk), limit=QUESTIONS_PER_DAY, window=24 * 60 * 60):
        raise DomainError(_("今天提交的咨询已达%(limit)d条，请明天再提交，或拨打12333咨询。")
                          % {"limit": QUESTIONS_PER_DAY}, code="rate_limited")
    now = timezone.now()
    with transaction.atomic():
        question = Question.objects.create(
            asker=actor, service=service, organisation=organisation, text=text, asked_at=now,
            due_at=deadline_at(now, settings.CONSULT_REPLY_WORKDAYS),
        )
        audit_record(actor=actor, action="consult.ask", target=question, client_address=client_address,
                     detail={"service": service.code, "organisation": organisation.pk})
    return question


def question_answer(*, actor: User, question_id: int, answer: str, client_address: str = "") -> Question:
    """The answer, once; the person is told after commit."""
    ensure_may(actor, Action.ANSWER_QUESTIONS, _("您没有答复咨询的权限。"))
    answer = _words(
        answer, field="answer", limit=ANSWER_MAX, empty=_("请填写答复内容"),
        too_long=_("答复内容最多%(limit)d个字") % {"limit": ANSWER_MAX},
    )
    with transaction.atomic():
        try:
            question = question_list_for(actor).select_for_update(of=("self",)).get(pk=question_id)
        except Question.DoesNotExist:
            raise DomainError(_("找不到这条咨询。"), code="not_found") from None
        if question.status != Question.Status.WAITING:
            raise DomainError(_("这条咨询已经答复过了。"), code="already_answered")
        question.status, question.answer = Question.Status.ANSWERED, answer
        question.answered_by, question.answered_at = actor, timezone.now()
        question.save()
        audit_record(actor=actor, action="consult.answer", target=question, client_address=client_address,
                     detail={"late": question.answered_at >= question.due_at})
        transaction.on_commit(lambda: _tell_asker(question))
    return question


def _tell_asker(question: Question) -> None:
    with translation.override(MESSAGE_LANGUAGE):
        title = str(ANSWERED_TITLE)
        text = str(ANSWERED_TEXT) % {
            "service": question.service.name, "organisation": question.organisation.name,
        }
    person_tell(
        user=question.asker, mobile=question.asker.mobile, title=title, text=text,
        link=reverse("consult:detail", args=[question.pk]),
    )
