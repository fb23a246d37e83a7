"""Inviting the matched: one invitation per graduate and window, never to a person who said
不需要 that graduation year or whose claim already counts; an SMS to the mobile the school gave
(kept, then delivered in batches at the gateway's contracted rate), and a 我的消息 entry when
the person has an account. The link's token is in the SMS only: the hall keeps its digest."""

import datetime
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from servicehall.accounts.selectors import people_by_id_number_index
from servicehall.core.crypto import blind_index
from servicehall.core.moments import BEIJING
from servicehall.messaging.services import MESSAGE_LANGUAGE, site_message_send, sms_send
from servicehall.subsidy.models import ApplicationWindow
from servicehall.subsidy.selectors import categories_for, claimed_id_indexes, window_open

from .models import Graduate, Invitation, MatchState

logger = logging.getLogger(__name__)
SMS_BATCH = 200  # messages a delivery task takes


def token_digest(token: str) -> str:
    return blind_index(token, purpose="outreach_invitation")


def expiry_of(window: ApplicationWindow) -> datetime.datetime:
    """The link lives until the window's last day ends (24:00, Beijing time)."""
    last = datetime.datetime.combine(window.closes_on + datetime.timedelta(days=1), datetime.time(), BEIJING)
    return last


def link_url(token: str) -> str:
    return settings.HALL_PUBLIC_URL + reverse("outreach:link", args=[token])


def invitation_texts(*, category_name: str, card_problem: str, closes_on, url: str) -> tuple[str, str, str]:
    """(title, SMS text, 我的消息 body), in Chinese whatever language led here. A person whose
    card cannot take the payment is told to get one before anything else."""
    with translation.override(MESSAGE_LANGUAGE):
        values = {
            "category": category_name,
            "day": f"{closes_on.month}月{closes_on.day}日",
            "url": url,
            "outlets": settings.HALL_PUBLIC_URL + reverse("cards:outlets"),
        }
        title = _("您可能符合求职创业补贴条件")
        if card_problem:
            text = (
                _(
                    "您可能符合求职创业补贴条件（%(category)s）。补贴发放到社会保障卡，请先到社会保障卡服务网点"
                    "办理并开通金融功能（网点查询：%(outlets)s），再于%(day)s前打开 %(url)s 确认申请。"
                )
                % values
            )
            body = (
                _(
                    "学校名单和有关部门的名单显示，您可能符合求职创业补贴条件（%(category)s）。补贴发放到社会保障卡，"
                    "请先到社会保障卡服务网点办理社会保障卡并开通金融功能，再于%(day)s前确认申请。"
                )
                % values
            )
        else:
            text = (
                _(
                    "您可能符合求职创业补贴条件（%(category)s）。请于%(day)s前打开 %(url)s 确认申请，"
                    "无需上传困难证明材料；如不需要，可在页面上选择“不需要”。"
                )
                % values
            )
            body = (
                _(
                    "学校名单和有关部门的名单显示，您可能符合求职创业补贴条件（%(category)s）。请于%(day)s前"
                    "确认申请，无需上传困难证明材料；如不需要，可选择“不需要”。"
                )
                % values
            )
    return str(title), str(text), str(body)


def invitations_send(
    *, graduate_ids: list[int], window: ApplicationWindow, now: datetime.datetime | None = None
) -> int:
    """Invite those of these graduates who matched and may still be asked, for this open window.
    Returns how many invitations this call made. Safe to repeat: the (graduate, window)
    constraint lets one invitation in, whoever races."""
    now = now or timezone.now()
    graduates = list(
        Graduate.objects.filter(
            pk__in=graduate_ids, match=MatchState.MATCHED, graduation_year_id=window.graduation_year_id
        ).exclude(invitations__window=window)
    )
    if not graduates:
        return 0
    indexes = [graduate.id_number_index for graduate in graduates]
    declined = set(
        Invitation.objects.filter(
            id_number_index__in=indexes,
            declined_at__isnull=False,
            window__graduation_year_id=window.graduation_year_id,
        ).values_list("id_number_index", flat=True)
    )
    skipped = declined | claimed_id_indexes(indexes)
    people = people_by_id_number_index(indexes)
    names = {category.code: category.name for category in categories_for(window.graduation_year_id)}
    expires, made, message_ids = expiry_of(window), 0, []
    for graduate in graduates:
        if graduate.id_number_index in skipped:
            continue
        token = secrets.token_urlsafe(24)
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    graduate=graduate,
                    window=window,
                    id_number_index=graduate.id_number_index,
                    token_digest=token_digest(token),
                    category_code=graduate.category_code,
                    reason=graduate.reason,
                    card_problem=graduate.card_problem,
                    created_at=now,
                    expires_at=expires,
                )
                title, text, body = invitation_texts(
                    category_name=names.get(graduate.category_code, graduate.category_code),
                    card_problem=graduate.card_problem,
                    closes_on=window.closes_on,
                    url=link_url(token),
                )
                if graduate.mobile:
                    invitation.sms_id = sms_send(mobile=graduate.mobile, text=text, queue=False).pk
                    message_ids.append(invitation.sms_id)
                person = people.get(graduate.id_number_index)
                if person is not None:
                    site_message_send(
                        user=person,
                        title=title,
                        body=body,
                        link=reverse("outreach:invitation", args=[invitation.pk]),
                    )
                    invitation.told_in_hall_at = now
                invitation.save(update_fields=["sms_id", "told_in_hall_at"])
        except IntegrityError:  # another run invited this graduate for this window meanwhile
            continue
        made += 1
    _deliver_after_commit(message_ids)
    logger.info("outreach invitations made=%s window=%s", made, window.pk)
    return made


def _deliver_after_commit(message_ids: list[int]) -> None:
    from servicehall.messaging.tasks import deliver_sms_batch

    for start in range(0, len(message_ids), SMS_BATCH):
        batch = message_ids[start : start + SMS_BATCH]
        transaction.on_commit(lambda batch=batch: deliver_sms_batch.enqueue(batch))


def invitations_send_pending(*, now: datetime.datetime | None = None, chunk: int = 5000) -> int:
    """When a window is open, invite the graduates of its year who matched before it opened (or
    before the supplementary window) and have no invitation for it yet: the same rules as a
    run's (invitations_send). Scheduled daily in the morning. Returns invitations made."""
    now = now or timezone.now()
    window = window_open(timezone.localdate(now))
    if window is None:
        return 0
    pending = (
        Graduate.objects.filter(graduation_year_id=window.graduation_year_id, match=MatchState.MATCHED)
        .exclude(invitations__window=window)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    made, last = 0, 0
    while ids := list(pending.filter(pk__gt=last)[:chunk]):
        with transaction.atomic():
            made += invitations_send(graduate_ids=ids, window=window, now=now)
        last = ids[-1]
    return made
