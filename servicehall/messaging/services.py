"""Every write of the messaging app: SMS messages and one-time codes.

Codes: 6 digits from `secrets`, kept only as a keyed HMAC-SM3 hash, valid SMS_CODE_TTL_SECONDS
(5 minutes), one request per SMS_RESEND_SECONDS (60 s) per (mobile, purpose), burnt after
SMS_CODE_MAX_ATTEMPTS (5) wrong tries.

Limits (settings in servicehall/settings/base.py, defaults in conf.py):
- Daily, per number and per budget class (SmsBudget, counted in SmsDailyQuota per
  Asia/Shanghai calendar day). Each purpose spends exactly one class (BUDGET_OF_PURPOSE):
  anonymous (register, login, reset_password, appeal) at most SMS_DAILY_LIMIT_PER_NUMBER (10)
  together; a logged-in person's own action (change_mobile) SMS_DAILY_LIMIT_OWN_ACTION (10);
  the staff second factor (staff_login, sent only after a right staff password)
  SMS_DAILY_LIMIT_STAFF_LOGIN (20). So nobody can spend a staff member's second factor, or
  a person's own change, by asking for codes anonymously.
- Sent per client address per hour and per budget class: SMS_LIMIT_PER_ADDRESS_PER_HOUR (30)
  (cache counter).
- Requests from visitors (every door: the pages' 获取验证码 and the API's sms-code, answered or
  refused) per minute: SMS_REQUESTS_PER_ADDRESS_PER_MINUTE (5) per client address and
  SMS_REQUESTS_PER_NUMBER_PER_MINUTE (5) per number (sms_request_admit, cache counters).

A request that must not reveal whether a number is registered sends a notice instead of a code
(otp_send's `notice`): counted and limited exactly like a code.

Staff second-factor codes (URGENT_PURPOSES) go through the gateway at once, in the request,
after their transaction commits; every other message goes through the task queue, and
sms_sweep takes up messages whose worker never came (or died mid-delivery).

Mobile numbers are never logged; log lines carry message ids and purposes only.
"""

from __future__ import annotations

import logging
import math
import re
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicehall.core import ratelimit
from servicehall.core.crypto import blind_index, constant_time_equal
from servicehall.core.errors import DomainError
from servicehall.core.loaded import loaded_forget
from servicehall.core.logging import redact
from servicehall.core.masking import mask_personal_numbers
from servicehall.core.moments import BEIJING

from .conf import messaging_settings
from .gateways import GatewayError, get_gateway
from .models import (
    CodePurpose,
    OneTimeCode,
    SiteMessage,
    SmsBudget,
    SmsDailyQuota,
    SmsKind,
    SmsMessage,
    SmsStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

logger = logging.getLogger(__name__)

SHANGHAI = BEIJING
# Notices (SMS and 我的消息) are written in Chinese, whatever the language of the page that led to
# them: SMS templates are registered (报备) with the carriers in Chinese.
MESSAGE_LANGUAGE = "zh-hans"
CODE_DIGITS = 6
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
# A delivery claimed this long ago whose worker never reported back may be taken over.

# Which daily allowance each purpose spends (see the module docstring).
BUDGET_OF_PURPOSE = {
    CodePurpose.REGISTER: SmsBudget.ANONYMOUS,
    CodePurpose.LOGIN: SmsBudget.ANONYMOUS,
    CodePurpose.RESET_PASSWORD: SmsBudget.ANONYMOUS,
    CodePurpose.APPEAL: SmsBudget.ANONYMOUS,
    CodePurpose.CHANGE_MOBILE: SmsBudget.OWN_ACTION,
    CodePurpose.STAFF_LOGIN: SmsBudget.STAFF_LOGIN,
}
# Codes sent through the gateway in the request rather than the task queue, so that logging in
# does not depend on the worker. Only the staff second factor: it is sent only after a right
# staff password, so no visitor can make the hall wait on the gateway at will.
URGENT_PURPOSES = frozenset({CodePurpose.STAFF_LOGIN})

# How each purpose reads inside the code's text ("您的注册验证码为…").
_PURPOSE_WORDS = {
    CodePurpose.REGISTER: gettext_lazy("注册"),
    CodePurpose.LOGIN: gettext_lazy("登录"),
    CodePurpose.RESET_PASSWORD: gettext_lazy("找回密码"),
    CodePurpose.CHANGE_MOBILE: gettext_lazy("更换手机号码"),
    CodePurpose.STAFF_LOGIN: gettext_lazy("单位登录"),
    CodePurpose.APPEAL: gettext_lazy("用户申诉"),
}


def mobile_index_of(mobile: str) -> str:
    """The mobile's blind index: the same purpose ("mobile") the accounts app uses."""
    return blind_index(mobile, purpose="mobile")


def _code_hash(*, mobile_index: str, purpose: str, code: str) -> str:
    # Bound to the number and purpose, so equal codes of two people hash differently.
    return blind_index(f"{mobile_index}\x00{purpose}\x00{code}", purpose="otp")


def _check_mobile(mobile: str) -> str:
    mobile = (mobile or "").strip()
    if not MOBILE_RE.fullmatch(mobile):
        raise DomainError(
            _("请输入正确的11位手机号码"), code="mobile_invalid", fields=("mobile",)
        )
    return mobile


def _check_purpose(purpose: str) -> str:
    if purpose not in CodePurpose.values:
        raise ValueError(f"unknown one-time code purpose: {purpose!r}")
    return purpose


def _signed(text: str) -> str:
    text = text.strip()
    if text.startswith("【"):
        return text
    return f"【{messaging_settings.sign}】{text}"


# --- Messages ---------------------------------------------------------------------------


def sms_send(
    *, mobile: str, text: str, kind: str = SmsKind.NOTICE, queue: bool = True
) -> SmsMessage:
    """Keep the message (encrypted) and deliver it through the configured gateway after
    commit, in a task. The text gets the sign ("【江苏人社】") unless it already starts with one.
    With queue=False no task is queued: the caller delivers it (sms_deliver) itself."""
    from .tasks import deliver_sms

    mobile = _check_mobile(mobile)
    if kind not in SmsKind.values:
        raise ValueError(f"unknown SMS kind: {kind!r}")
    if not text or not text.strip():
        raise ValueError("an SMS needs a text")
    with transaction.atomic():
        message = SmsMessage.objects.create(
            mobile=mobile,
            mobile_index=mobile_index_of(mobile),
            text=_signed(text),
            kind=kind,
            status=SmsStatus.QUEUED,
            created_at=timezone.now(),
        )
        message_id = message.pk
        if queue:
            transaction.on_commit(lambda: deliver_sms.enqueue(message_id))
    logger.info("sms queued id=%s kind=%s queue=%s", message_id, kind, queue)
    return message


def _stale_claim() -> timedelta:
    return timedelta(seconds=messaging_settings.stale_claim_seconds)


def idempotency_key(message: SmsMessage) -> str:
    """What the gateway dedupes on: this hall's message, whatever the number of attempts."""
    return f"hall-sms-{message.pk}-{message.created_at:%Y%m%d%H%M%S}"


def _claim(message_id: int, now) -> bool:
    """Take the message for one delivery attempt. An UPDATE with a condition, so two workers
    never both call the gateway for it, and no lock is held during the network call."""
    claimable = Q(status=SmsStatus.QUEUED) | Q(
        status=SmsStatus.SENDING, last_attempt_at__lt=now - _stale_claim()
    )
    updated = (
        SmsMessage.objects.filter(claimable, pk=message_id)
        .filter(attempts__lt=messaging_settings.delivery_max_attempts)
        .update(status=SmsStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    )
    return updated == 1


def sms_deliver(*, message_id: int) -> SmsMessage:
    """One delivery attempt through the configured gateway. Idempotent: a message already
    sent, failed for good, or being sent by another worker is returned unchanged. On a gateway
    error the message goes back to "queued" while attempts remain (the task retries it),
    then to "failed"."""
    now = timezone.now()
    if not _claim(message_id, now):
        # Attempts used up while still queued or on a worker that never came back: give up.
        SmsMessage.objects.filter(
            Q(status=SmsStatus.QUEUED)
            | Q(status=SmsStatus.SENDING, last_attempt_at__lt=now - _stale_claim()),
            pk=message_id,
            attempts__gte=messaging_settings.delivery_max_attempts,
        ).update(status=SmsStatus.FAILED)
        return SmsMessage.objects.get(pk=message_id)

    message = SmsMessage.objects.get(pk=message_id)
    gateway = get_gateway()
    try:
        # The message's own id goes with it: a gateway that took it once and is offered it
        # again (its worker died before marking it sent) does not send it twice.
        gateway.send(mobile=message.mobile, text=message.text, key=idempotency_key(message))
    except Exception as exc:
        # A GatewayError's text is safe to keep; of anything else keep only the class name,
        # since its text could carry the number or the message.
        if isinstance(exc, GatewayError):
            error = redact(str(exc))[:255]
        else:
            error = f"unexpected {type(exc).__name__}"
        final = message.attempts >= messaging_settings.delivery_max_attempts
        SmsMessage.objects.filter(pk=message_id, status=SmsStatus.SENDING).update(
            status=SmsStatus.FAILED if final else SmsStatus.QUEUED,
            gateway=gateway.name,
            error=error,
        )
        logger.warning(
            "sms delivery failed id=%s attempt=%s gateway=%s final=%s error=%s",
            message_id, message.attempts, gateway.name, final, error,
        )
    else:
        SmsMessage.objects.filter(pk=message_id, status=SmsStatus.SENDING).update(
            status=SmsStatus.SENT, gateway=gateway.name, error="", sent_at=timezone.now()
        )
        logger.info("sms sent id=%s gateway=%s", message_id, gateway.name)
    message.refresh_from_db()
    return message


def sms_retry_delay(*, message: SmsMessage) -> int | None:
    """Seconds to wait before the next attempt, or None when the message needs none."""
    if message.status != SmsStatus.QUEUED or message.attempts == 0:
        return None
    return messaging_settings.delivery_retry_seconds * message.attempts


def sms_deliver_batch(*, message_ids: list[int], sleep: Callable[[float], None] = time.sleep) -> int:
    """Deliver many kept messages (made with queue=False), never faster than the gateway's
    contract (SMS_GATEWAY_PER_SECOND, counted across workers in one-second windows): a message
    over the limit waits for the next second. Each goes through sms_deliver, so one already sent
    (a batch run twice, the sweep first) is not sent again. Returns how many were sent now."""
    sent = 0
    sent_before = SmsMessage.objects.filter(pk__in=message_ids, status=SmsStatus.SENT)
    done = set(sent_before.values_list("pk", flat=True))
    for message_id in (pk for pk in message_ids if pk not in done):
        limit = messaging_settings.gateway_per_second
        while not ratelimit.hit("sms-gateway", "batch", limit=limit, window=1):
            sleep(max(0.01, 1 - (time.time() % 1)))
        message = sms_deliver(message_id=message_id)
        sent += message.status == SmsStatus.SENT
    return sent


SWEEP_BATCH = 500


def _stale_q(stale) -> Q:
    """Left behind: queued with no worker for SMS_STALE_CLAIM_SECONDS (never tried, or its retry never
    came), or claimed by a worker that has not reported back for as long."""
    return Q(
        status=SmsStatus.QUEUED,
        created_at__lt=stale,
    ) & (Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=stale)) | Q(
        status=SmsStatus.SENDING, last_attempt_at__lt=stale
    )


def sms_sweep() -> int:
    """Take up the messages the task queue left behind (see _stale_q), oldest first, at most
    SWEEP_BATCH a run. Each goes through sms_deliver, whose conditional claim lets exactly one
    caller (this sweeper, another one, or a late worker) call the gateway for it. A code whose
    time ran out meanwhile is failed instead of sent: a dead code only confuses. Returns how
    many messages were taken up."""
    now = timezone.now()
    stale = now - _stale_claim()
    # A code message older than a code's lifetime carries a dead code.
    SmsMessage.objects.filter(
        _stale_q(stale),
        kind=SmsKind.OTP,
        created_at__lte=now - timedelta(seconds=messaging_settings.code_ttl_seconds),
    ).update(status=SmsStatus.FAILED, error="code expired before delivery")
    ids = list(
        SmsMessage.objects.filter(_stale_q(stale))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for message_id in ids:
        message = sms_deliver(message_id=message_id)
        logger.info("sms swept id=%s status=%s", message_id, message.status)
    return len(ids)


# --- One-time codes ---------------------------------------------------------------------


def _code_text(*, purpose: str, code: str) -> str:
    with translation.override(MESSAGE_LANGUAGE):
        return _(
            "您的%(action)s验证码为%(code)s，%(minutes)d分钟内有效。如非本人操作，请忽略本短信。"
        ) % {
            "action": _PURPOSE_WORDS[CodePurpose(purpose)],
            "code": code,
            "minutes": max(1, messaging_settings.code_ttl_seconds // 60),
        }


def _daily_limit(budget: str) -> int:
    conf = messaging_settings
    return {
        SmsBudget.ANONYMOUS: conf.daily_limit_per_number,
        SmsBudget.OWN_ACTION: conf.daily_limit_own_action,
        SmsBudget.STAFF_LOGIN: conf.daily_limit_staff_login,
    }[budget]


def _too_often(seconds: int, *, code: str = "sms_resend_too_soon") -> DomainError:
    return DomainError(
        _("获取验证码过于频繁，请%(seconds)d秒后再试") % {"seconds": max(1, seconds)},
        code=code,
        fields=("mobile",),
    )


def sms_request_admit(*, mobile: str, client_address: str) -> None:
    """Count one visitor's code request, whatever comes of it, and refuse it past
    SMS_REQUESTS_PER_ADDRESS_PER_MINUTE for the address or SMS_REQUESTS_PER_NUMBER_PER_MINUTE
    for the number (DomainError "sms_throttled", fields=("mobile",)). The one limiter that
    every door asking for codes on a visitor's behalf goes through (accounts.sms_code_request,
    used by the pages and the API alike)."""
    conf = messaging_settings
    allowed = ratelimit.hit(
        "sms-request-address", client_address or "unknown",
        limit=conf.requests_per_address_per_minute, window=60,
    )
    mobile = (mobile or "").strip()
    if allowed and MOBILE_RE.fullmatch(mobile):
        allowed = ratelimit.hit(
            "sms-request-number", mobile_index_of(mobile),
            limit=conf.requests_per_number_per_minute, window=60,
        )
    if not allowed:
        raise _too_often(ratelimit.seconds_until_next_window(60), code="sms_throttled")


def otp_send(*, mobile: str, purpose: str, client_address: str, notice: str | None = None) -> int:
    """Create a 6-digit code for (mobile, purpose) and queue the SMS after commit (urgent
    purposes: send it at once, after commit). Returns the seconds until another code may be
    requested. Raises DomainError "mobile_invalid", "sms_resend_too_soon", "sms_daily_limit"
    or "sms_address_limit" (fields=("mobile",)), and for an urgent code the gateway did not
    take "sms_send_failed" (the code is then not usable and may be asked for again at once).

    With `notice`, that text is sent instead of a code (to tell the truth about a number
    without telling the asker): it is counted, limited and kept like a code, and an unusable
    placeholder code keeps the resend interval, so both answers look and cost the same."""
    mobile = _check_mobile(mobile)
    purpose = _check_purpose(purpose)
    conf = messaging_settings
    budget = BUDGET_OF_PURPOSE[CodePurpose(purpose)]
    urgent = purpose in URGENT_PURPOSES and notice is None
    mobile_index = mobile_index_of(mobile)
    now = timezone.now()
    today = timezone.localtime(now, SHANGHAI).date()

    # Durable for an urgent code: it is sent right after this block, so the block must be
    # the outermost one (its commit is the one that makes the code real).
    with transaction.atomic(durable=urgent):
        # Lock this number's quota row of this budget first: concurrent requests of one
        # class for one number queue here (every purpose belongs to exactly one class).
        quota, _created = SmsDailyQuota.objects.select_for_update().get_or_create(
            mobile_index=mobile_index, day=today, budget=budget
        )
        newest = (
            OneTimeCode.objects.filter(mobile_index=mobile_index, purpose=purpose)
            .order_by("-created_at", "-id")
            .only("created_at")
            .first()
        )
        if newest is not None:
            wait = (newest.created_at + timedelta(seconds=conf.resend_seconds) - now)
            wait_seconds = math.ceil(wait.total_seconds())
            if wait_seconds > 0:
                raise _too_often(wait_seconds)
        limit = _daily_limit(budget)
        if quota.codes_sent >= limit:
            raise DomainError(
                _("该手机号码今日获取验证码的次数已达上限（%(limit)d次），请明天再试")
                % {"limit": limit},
                code="sms_daily_limit",
                fields=("mobile",),
            )
        # Counted only for requests that would otherwise be sent, so a person pressing the
        # button twice does not use up the allowance of everyone behind the same address.
        if not ratelimit.hit(
            f"sms-address-{budget}", client_address or "unknown",
            limit=conf.limit_per_address_per_hour, window=3600,
        ):
            minutes = math.ceil(ratelimit.seconds_until_next_window(3600) / 60)
            raise DomainError(
                _("当前网络获取验证码过于频繁，请%(minutes)d分钟后再试") % {"minutes": minutes},
                code="sms_address_limit",
                fields=("mobile",),
            )

        SmsDailyQuota.objects.filter(pk=quota.pk).update(codes_sent=F("codes_sent") + 1)
        OneTimeCode.objects.filter(
            mobile_index=mobile_index,
            purpose=purpose,
            consumed_at__isnull=True,
            superseded_at__isnull=True,
        ).update(superseded_at=now)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if notice is None:
            text, kind, code_hash = (
                _code_text(purpose=purpose, code=code), SmsKind.OTP,
                _code_hash(mobile_index=mobile_index, purpose=purpose, code=code),
            )
        else:
            # No code leaves the hall, and "" matches no code's hash: nothing can use it.
            text, kind, code_hash = notice, SmsKind.NOTICE, ""
        message = sms_send(mobile=mobile, text=text, kind=kind, queue=not urgent)
        otp = OneTimeCode.objects.create(
            mobile_index=mobile_index,
            purpose=purpose,
            code_hash=code_hash,
            created_at=now,
            expires_at=now + timedelta(seconds=conf.code_ttl_seconds),
            message=message,
        )
    logger.info("otp issued purpose=%s sms=%s notice=%s", purpose, message.pk, notice is not None)
    if urgent:
        _deliver_now(otp=otp, message=message)
    return conf.resend_seconds


def _deliver_now(*, otp: OneTimeCode, message: SmsMessage) -> None:
    """Send an urgent code through the gateway in the request. When the gateway does not take
    it, the code is deleted (never usable, and the person may ask again at once) and the
    message is failed for good, so no worker or sweeper sends a dead code later."""
    message = sms_deliver(message_id=message.pk)
    if message.status == SmsStatus.SENT:
        return
    SmsMessage.objects.filter(pk=message.pk).exclude(status=SmsStatus.SENT).update(
        status=SmsStatus.FAILED
    )
    OneTimeCode.objects.filter(pk=otp.pk).delete()
    logger.warning("urgent otp not sent purpose=%s sms=%s", otp.purpose, message.pk)
    raise DomainError(
        _("验证码短信发送失败，请稍后重新获取；如多次失败，请联系系统管理员"),
        code="sms_send_failed",
    )


def otp_verify(*, mobile: str, purpose: str, code: str) -> None:
    """Check and consume the newest live code for (mobile, purpose). Raises DomainError
    "otp_missing", "otp_expired", "otp_invalid" or "otp_burnt" (fields=("sms_code",)).

    Runs its own transaction and raises only after it, so a wrong try is counted even though
    the error follows: call it outside your own atomic block."""
    purpose = _check_purpose(purpose)
    conf = messaging_settings
    code = (code or "").strip()
    now = timezone.now()
    mobile = (mobile or "").strip()
    if not MOBILE_RE.fullmatch(mobile):
        # No code can exist for a malformed number.
        raise DomainError(_("请先获取短信验证码"), code="otp_missing", fields=("sms_code",))
    mobile_index = mobile_index_of(mobile)

    error: DomainError | None = None
    with transaction.atomic():
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(
                mobile_index=mobile_index,
                purpose=purpose,
                consumed_at__isnull=True,
                superseded_at__isnull=True,
            )
            .order_by("-created_at", "-id")
            .first()
        )
        if otp is None:
            error = DomainError(_("请先获取短信验证码"), code="otp_missing", fields=("sms_code",))
        elif otp.attempts >= conf.code_max_attempts:
            error = DomainError(
                _("该验证码已失效，请重新获取"), code="otp_burnt", fields=("sms_code",)
            )
        elif otp.expires_at <= now:
            error = DomainError(
                _("验证码已过期，请重新获取"), code="otp_expired", fields=("sms_code",)
            )
        elif not constant_time_equal(
            otp.code_hash, _code_hash(mobile_index=mobile_index, purpose=purpose, code=code)
        ):
            OneTimeCode.objects.filter(pk=otp.pk).update(attempts=F("attempts") + 1)
            remaining = conf.code_max_attempts - (otp.attempts + 1)
            if remaining <= 0:
                error = DomainError(
                    _("该验证码已失效，请重新获取"), code="otp_burnt", fields=("sms_code",)
                )
            else:
                error = DomainError(
                    _("验证码不正确，您还可以尝试%(remaining)d次") % {"remaining": remaining},
                    code="otp_invalid",
                    fields=("sms_code",),
                )
        else:
            OneTimeCode.objects.filter(pk=otp.pk).update(consumed_at=now)
    if error is not None:
        logger.info("otp rejected purpose=%s reason=%s", purpose, error.code)
        raise error


def otp_prune(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete codes created before now - older_than, and quota rows of past days that can no
    longer matter. Returns the number of codes deleted."""
    now = timezone.now()
    deleted, _details = OneTimeCode.objects.filter(created_at__lt=now - older_than).delete()
    yesterday = timezone.localtime(now, SHANGHAI).date() - timedelta(days=1)
    SmsDailyQuota.objects.filter(day__lt=yesterday).delete()
    return deleted


# --- Site messages (我的消息) -------------------------------------------------------------

# A path inside the hall: "/", then only characters a URL path, query or fragment may hold
# unescaped. No scheme, no host, no backslash, no whitespace or control characters.
_SITE_LINK_RE = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]*")
SITE_TITLE_MAX = 100
SITE_LINK_MAX = 200


def site_link_clean(link: str) -> str:
    """The link of a site message: "" or a path inside the hall, else DomainError
    "link_invalid"."""
    link = (link or "").strip()
    if not link:
        return ""
    if (
        len(link) > SITE_LINK_MAX
        or not _SITE_LINK_RE.fullmatch(link)
        or link.startswith("//")
        or "\\" in link
    ):
        raise DomainError(
            _("消息链接只能是本大厅内以“/”开头的地址"), code="link_invalid", fields=("link",)
        )
    return link


# The attribute a user loaded with its unread count carries it under (selectors.with_unread_count).
UNREAD = "unread_messages"


def site_message_send(*, user: AbstractBaseUser, title: str, body: str, link: str = "") -> SiteMessage:
    """Put a message in a person's 我的消息. `link` is an optional path inside the hall
    ("/subsidy/cases/12/"). Raises DomainError "title_required", "title_too_long",
    "body_required" or "link_invalid". Staff have no inbox, and the title and body must not
    carry an ID or mobile number (a programming error: ValueError)."""
    if not getattr(user, "is_person", False):
        raise ValueError("site messages go to persons (applicants) only")
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        raise DomainError(_("请填写消息标题"), code="title_required", fields=("title",))
    if len(title) > SITE_TITLE_MAX:
        raise DomainError(
            _("消息标题不能超过%(limit)d个字") % {"limit": SITE_TITLE_MAX},
            code="title_too_long",
            fields=("title",),
        )
    if not body:
        raise DomainError(_("请填写消息内容"), code="body_required", fields=("body",))
    if redact(title) != title or redact(body) != body:
        raise ValueError("a site message must not carry an ID number or a mobile number")
    link = site_link_clean(link)
    message = SiteMessage.objects.create(
        user=user, title=title, body=body, link=link, created_at=timezone.now()
    )
    logger.info("site message id=%s user=%s", message.pk, user.pk)
    loaded_forget(user, UNREAD)
    return message


def site_message_read(*, user: AbstractBaseUser, message: SiteMessage) -> None:
    """Mark the message read (the first time only: read_at keeps the first reading). Another
    person's message raises DomainError "not_found", the same as a message that does not
    exist."""
    if message.user_id != getattr(user, "pk", None):
        raise DomainError(_("没有找到这条消息"), code="not_found")
    if message.read_at is not None:
        return
    loaded_forget(user, UNREAD)
    now = timezone.now()
    updated = SiteMessage.objects.filter(pk=message.pk, user=user, read_at__isnull=True).update(
        read_at=now
    )
    if updated:
        message.read_at = now
    else:
        # Read meanwhile (another tab): keep the first reading.
        message.refresh_from_db(fields=["read_at"])


def site_messages_read_all(*, user: AbstractBaseUser) -> int:
    """Mark every unread message of the person read; returns how many were."""
    loaded_forget(user, UNREAD)
    return SiteMessage.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def person_tell(*, user: AbstractBaseUser, mobile: str, title: str, text: str, link: str = "") -> None:
    """One notice to a person: an SMS to `mobile`, and a 我的消息 entry titled `title` when the
    user has an inbox (staff have none). Any ID or mobile number quoted in it (an officer's
    opinion, a bank's reason) is masked: a notice never carries one whole. Called after the step
    it tells of has committed: one channel failing (no usable mobile number) does not stop the
    other, and is logged without personal data."""
    title, text = mask_personal_numbers(title), mask_personal_numbers(text)
    who = getattr(user, "pk", None)
    try:
        sms_send(mobile=mobile, text=text)
    except (ValueError, DomainError):  # no usable mobile number
        logger.warning("notice to user %s: SMS not sent", who)
    if getattr(user, "is_person", False):
        try:
            site_message_send(user=user, title=title, body=text, link=link)
        except DomainError:
            logger.warning("notice to user %s: site message not kept", who)
