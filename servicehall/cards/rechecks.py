"""申请核对: a person with no usable card yet asks to be told when the card list changes; the next
card import answers every open request, by SMS and in 我的消息, whatever it finds. The person no
longer waits without knowing why, or checks the page every day."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicehall.core.errors import DomainError
from servicehall.messaging.services import MESSAGE_LANGUAGE, person_tell

from .models import CardImportBatch, CardRecheckRequest, SocialSecurityCard
from .selectors import best_card, card_payment_status, card_recheck_open_for, payment_status_of

if TYPE_CHECKING:
    from servicehall.accounts.models import User

CHUNK = 500
TITLE = gettext_lazy("社会保障卡信息核对结果")
ANSWERS = {
    CardRecheckRequest.Answer.USABLE: gettext_lazy(
        "已按%(day)s更新的社会保障卡数据核对：您的社会保障卡已可以用于发放补贴，现在可以登录网上办事服务大厅申报"
        "求职创业补贴。"
    ),
    CardRecheckRequest.Answer.NOT_USABLE: gettext_lazy(
        "已按%(day)s更新的社会保障卡数据核对：您的社会保障卡暂不能用于发放补贴（%(why)s）。请登录网上办事服务"
        "大厅查看办理方法。"
    ),
    CardRecheckRequest.Answer.NOT_FOUND: gettext_lazy(
        "已按%(day)s更新的社会保障卡数据核对，仍未查到您的社会保障卡。如已办卡，数据可能尚未报送，可在下次更新后"
        "再申请核对，或拨打12333咨询。"
    ),
}
WHY = {
    "financial_inactive": gettext_lazy("尚未开通金融功能"),
    "lost": gettext_lazy("已挂失"),
    "cancelled": gettext_lazy("已注销"),
}


def card_recheck_request(*, user: User) -> CardRecheckRequest:
    """The person's open request (made now, or the one already waiting: asking twice is one
    request). Refused for staff, and for a person whose card can already receive the subsidy."""
    if not getattr(user, "is_person", False):
        raise DomainError(_("只有个人用户可以申请核对社会保障卡信息。"), code="not_person")
    if card_payment_status(user).ok:
        raise DomainError(_("您的社会保障卡已可以用于发放补贴，无需申请核对。"), code="card_ok")
    waiting = card_recheck_open_for(user)
    if waiting is not None:
        return waiting
    try:
        with transaction.atomic():
            return CardRecheckRequest.objects.create(user=user)
    except IntegrityError:  # a second tab asked at the same moment
        return card_recheck_open_for(user)


def _answer(card: SocialSecurityCard | None) -> tuple[str, str]:
    status = payment_status_of(card)
    if status.ok:
        return CardRecheckRequest.Answer.USABLE, ""
    if status.problem in WHY:
        return CardRecheckRequest.Answer.NOT_USABLE, str(WHY[status.problem])
    return CardRecheckRequest.Answer.NOT_FOUND, ""


def card_rechecks_answer(*, batch_id: int) -> int:
    """Answer every request still open once the import `batch_id` has committed (run by the
    task it queues). Each request is answered once: claimed with its answer in one UPDATE, so a
    task run twice tells nobody twice. Returns how many were answered."""
    batch = CardImportBatch.objects.filter(pk=batch_id).only("pk", "imported_at").first()
    if batch is None:
        return 0
    day = f"{timezone.localdate(batch.imported_at):%Y-%m-%d}"
    answered = 0
    while True:
        waiting = list(
            CardRecheckRequest.objects.filter(answered_at__isnull=True, requested_at__lte=batch.imported_at)
            .select_related("user")
            .order_by("pk")[:CHUNK]
        )
        if not waiting:
            return answered
        cards = defaultdict(list)
        indexes = {r.user.id_number_index for r in waiting}
        for card in SocialSecurityCard.objects.filter(id_number_index__in=indexes):
            cards[card.id_number_index].append(card)
        now = timezone.now()
        for request in waiting:
            answer, why = _answer(best_card(cards[request.user.id_number_index]))
            # The claim and the notice commit together: a worker killed between them leaves the
            # request open for the task run again (or the next import), never answered untold.
            with transaction.atomic():
                claimed = CardRecheckRequest.objects.filter(pk=request.pk, answered_at__isnull=True).update(
                    answered_at=now, answer=answer, answered_by_batch=batch
                )
                if not claimed:
                    continue
                with translation.override(MESSAGE_LANGUAGE):
                    title, text = str(TITLE), str(ANSWERS[answer]) % {"day": day, "why": why}
                person_tell(
                    user=request.user, mobile=request.user.mobile, title=title, text=text,
                    link=reverse("subsidy:apply"),
                )
            answered += 1
