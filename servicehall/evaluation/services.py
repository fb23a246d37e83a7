"""Rating a concluded case and answering a poor rating. The applicant rates once; the
organisation that concluded the case answers a poor rating within the set working days; the
applicant is told of the answer by SMS and site message, after commit."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from servicehall.accounts.models import Organisation
from servicehall.audit.services import audit_record
from servicehall.core.errors import DomainError
from servicehall.core.moments import end_text
from servicehall.messaging.services import MESSAGE_LANGUAGE, person_tell, sms_send
from servicehall.reference.workdays import deadline_at
from servicehall.subsidy.constants import CONCLUDED
from servicehall.subsidy.models import Application

from .models import POOR, REASONS, Evaluation, Rating

if TYPE_CHECKING:
    from collections.abc import Iterable

    from servicehall.accounts.models import User

logger = logging.getLogger(__name__)
MAX_COMMENT = 500
MAX_REPLY = 1000


def responsible_organisation(application) -> Organisation:
    """Who concluded the case: the organisation of its last decision (the bureau that paid or
    rejected it, the school that refused it); for a case the applicant withdrew, the school."""
    event = application.timeline.exclude(organisation=None).order_by("-at", "-pk").first()
    if event is not None:
        return event.organisation
    school = Organisation.objects.filter(school_id=application.school_id).first()
    if school is None:
        raise DomainError(_("暂时无法评价这笔申请，请稍后再试。"), code="no_organisation")
    return school


def _clean(rating, reasons, comment):
    try:
        rating = Rating(int(rating))
    except (TypeError, ValueError):
        raise DomainError(_("请选择评价等级"), code="rating", fields=("rating",)) from None
    reasons = [code for code in dict.fromkeys(reasons or []) if code in REASONS]
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(
            _("意见建议最多%(n)s个字") % {"n": MAX_COMMENT}, code="comment", fields=("comment",)
        )
    if rating in POOR and not reasons and not comment:
        raise DomainError(
            _("请勾选不满意的原因或填写意见建议，以便责任单位整改答复"), code="why", fields=("reasons",)
        )
    return rating, reasons, comment


def evaluation_rate(
    *,
    applicant: User,
    application: Application,
    rating: int,
    reasons: Iterable[str] = (),
    comment: str = "",
    client_address: str = "",
) -> Evaluation:
    if application.applicant_id != getattr(applicant, "pk", None):
        raise DomainError(_("找不到这笔申请。"), code="not_found")
    rating, reasons, comment = _clean(rating, reasons, comment)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state not in CONCLUDED:
            raise DomainError(_("办结后才能评价。"), code="not_concluded")
        if Evaluation.objects.filter(application=application).exists():
            raise DomainError(_("这笔申请已经评价过了。"), code="already_rated")
        poor = rating in POOR
        now = timezone.now()
        try:
            evaluation = Evaluation.objects.create(
                application=application,
                rating=rating,
                reasons=reasons,
                comment=comment,
                rated_at=now,
                organisation=responsible_organisation(application),
                status=Evaluation.Status.AWAITING_REPLY if poor else Evaluation.Status.CLOSED,
                reply_due=deadline_at(now, settings.EVALUATION_REPLY_WORKDAYS) if poor else None,
            )
        except IntegrityError:
            raise DomainError(_("这笔申请已经评价过了。"), code="already_rated") from None
        if poor:
            transaction.on_commit(lambda: _tell_organisation(evaluation))
        audit_record(
            actor=applicant,
            action="evaluation.rate",
            target=application,
            client_address=client_address,
            detail={"rating": int(rating), "organisation": evaluation.organisation_id},
        )
    return evaluation


def evaluation_reply(
    *, actor: User, evaluation: Evaluation, reply: str, client_address: str = ""
) -> Evaluation:
    reply = (reply or "").strip()
    if not reply:
        raise DomainError(_("请填写答复内容"), code="reply", fields=("reply",))
    if len(reply) > MAX_REPLY:
        raise DomainError(_("答复最多%(n)s个字") % {"n": MAX_REPLY}, code="reply", fields=("reply",))
    with transaction.atomic():
        evaluation = (
            Evaluation.objects.select_for_update().select_related("application").get(pk=evaluation.pk)
        )
        if evaluation.organisation_id != getattr(actor, "organisation_id", None):
            raise DomainError(_("找不到这条评价。"), code="not_found")
        if evaluation.status != Evaluation.Status.AWAITING_REPLY:
            raise DomainError(_("这条评价已经答复过了。"), code="already_replied")
        evaluation.status = Evaluation.Status.REPLIED
        evaluation.reply, evaluation.replied_by, evaluation.replied_at = reply, actor, timezone.now()
        evaluation.save(update_fields=["status", "reply", "replied_by", "replied_at"])
        audit_record(
            actor=actor,
            action="evaluation.reply",
            target=evaluation.application,
            client_address=client_address,
            detail={"evaluation": evaluation.pk, "late": evaluation.replied_at >= evaluation.reply_due},
        )
        application = evaluation.application
        transaction.on_commit(lambda: _tell_applicant(application))
    return evaluation


def _tell_applicant(application) -> None:
    with translation.override(MESSAGE_LANGUAGE):
        text = _("您对求职创业补贴申请（%(number)s）的评价已收到责任单位的答复，请登录网上办事大厅查看。") % {
            "number": application.record_number
        }
        title = _("服务评价答复")
    person_tell(
        user=application.applicant, mobile=application.mobile, title=title, text=text,
        link=reverse("subsidy:case", args=[application.pk]),
    )


def _tell_organisation(evaluation) -> None:
    """A poor rating reaches the answering organisation's staff at once, by SMS (site messages
    are for people); the rating then waits in their 服务评价 list."""
    from servicehall.accounts.models import User

    with translation.override(MESSAGE_LANGUAGE):
        text = _("收到差评：申报编号%(number)s的申请人评价为“%(rating)s”，请登录工作台于%(due)s前答复。") % {
            "number": evaluation.application.record_number,
            "rating": evaluation.get_rating_display(),
            "due": end_text(evaluation.reply_due),
        }
    for user in User.objects.filter(organisation_id=evaluation.organisation_id, is_active=True):
        try:
            sms_send(mobile=user.mobile, text=text)
        except ValueError:
            logger.warning("Poor-rating notice to staff %s not sent", user.pk)
