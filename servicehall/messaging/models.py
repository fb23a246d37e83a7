"""SMS messages and one-time codes. Mobile numbers and message texts are encrypted at rest
(core.fields.EncryptedTextField) and found through HMAC-SM3 blind indexes; codes are kept only
as keyed hashes. Workflow lives in services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.core.fields import EncryptedTextField


class CodePurpose(models.TextChoices):
    REGISTER = "register", _("注册")
    LOGIN = "login", _("登录")
    RESET_PASSWORD = "reset_password", _("找回密码")
    CHANGE_MOBILE = "change_mobile", _("更换手机号码")
    STAFF_LOGIN = "staff_login", _("单位登录验证")
    APPEAL = "appeal", _("用户申诉")


class SmsBudget(models.TextChoices):
    """Whose request spends a number's daily allowance. Each class has its own count, so what
    an anonymous visitor can trigger never spends what a logged-in person's own action or a
    staff member's second factor needs (see services.BUDGET_OF_PURPOSE)."""

    ANONYMOUS = "anonymous", _("匿名请求")
    OWN_ACTION = "own_action", _("本人操作")
    STAFF_LOGIN = "staff_login", _("单位登录验证")


class SmsKind(models.TextChoices):
    OTP = "otp", _("验证码")
    NOTICE = "notice", _("通知")


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    # Claimed by one worker while the gateway is called; a stale claim may be taken over.
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class SmsMessage(models.Model):
    """One text message to one mobile number, kept whatever the gateway (the outbox gateway
    only marks it sent). `error` holds the gateway's reason, never personal data."""

    mobile = EncryptedTextField(_("手机号码"))
    mobile_index = models.CharField(_("手机号码索引"), max_length=64, db_index=True, editable=False)
    text = EncryptedTextField(_("短信内容"))
    kind = models.CharField(
        _("类型"), max_length=16, choices=SmsKind.choices, default=SmsKind.NOTICE
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=SmsStatus.choices, default=SmsStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    gateway = models.CharField(_("短信通道"), max_length=64, blank=True)
    error = models.CharField(_("失败原因"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    last_attempt_at = models.DateTimeField(_("最近发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送成功时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["mobile_index", "-created_at"], name="sms_mobile_recent_idx"),
            models.Index(fields=["status", "created_at"], name="sms_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="sms_sent_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"SMS #{self.pk} ({self.kind}, {self.status})"


class OneTimeCode(models.Model):
    """A 6-digit code sent by SMS for one (mobile, purpose). Only a keyed hash of the code is
    kept. A code is live while not consumed, not superseded, not burnt and not expired; only
    the newest live code for a (mobile, purpose) can be used."""

    mobile_index = models.CharField(_("手机号码索引"), max_length=64, editable=False)
    purpose = models.CharField(_("用途"), max_length=32, choices=CodePurpose.choices)
    code_hash = models.CharField(_("验证码摘要"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("创建时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    consumed_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    message = models.ForeignKey(
        SmsMessage, verbose_name=_("短信"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Newest code for a (mobile, purpose): verify and the resend check.
            models.Index(
                fields=["mobile_index", "purpose", "-created_at"], name="otp_mobile_purpose_idx"
            ),
            models.Index(fields=["created_at"], name="otp_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="otp_expires_after_created"
            ),
        ]

    def __str__(self) -> str:
        return f"OTP #{self.pk} ({self.purpose})"


class SmsDailyQuota(models.Model):
    """Codes sent to one mobile number on one Asia/Shanghai calendar day within one budget
    class (SmsBudget). Its row is also the lock that serialises concurrent code requests of
    that class for a number (every purpose belongs to exactly one class), so the daily limit
    and the resend interval hold under concurrency."""

    mobile_index = models.CharField(_("手机号码索引"), max_length=64, editable=False)
    day = models.DateField(_("日期"))
    budget = models.CharField(
        _("额度类别"), max_length=16, choices=SmsBudget.choices, default=SmsBudget.ANONYMOUS
    )
    codes_sent = models.PositiveIntegerField(_("已发送验证码数"), default=0)

    class Meta:
        verbose_name = _("短信验证码日配额")
        verbose_name_plural = _("短信验证码日配额")
        constraints = [
            models.UniqueConstraint(
                fields=["mobile_index", "day", "budget"], name="sms_quota_unique_day_budget"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.budget}: {self.codes_sent}"


class SiteMessage(models.Model):
    """One message in a person's 我的消息 (the in-hall inbox). The body may name a record number
    (申报编号) but never an ID, mobile or account number; it is encrypted at rest all the same,
    since it may say that a case was refused. `link` is a path inside the hall (validated in
    services.site_message_send), never a full address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
        related_name="site_messages",
    )
    title = models.CharField(_("标题"), max_length=100)
    body = EncryptedTextField(_("内容"))
    link = models.CharField(_("相关链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The header's unread count: WHERE user_id = %s AND read_at IS NULL.
            models.Index(fields=["user", "read_at"], name="sitemsg_user_read_idx"),
            # The inbox, newest first.
            models.Index(fields=["user", "-created_at"], name="sitemsg_user_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"SiteMessage #{self.pk}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def paragraphs(self) -> list[str]:
        """The body split at blank lines, for the detail page."""
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
