"""The app's tokens: an access token (short-lived) and a refresh token, both kept only as
SHA-256 digests of `secrets` values, so a copy of the table logs no one in."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One pair of the app's tokens. Refreshing revokes this row and issues a new one in the
    same `family` (one family per login); logging out revokes it. A refresh token presented
    after its row was rotated revokes its whole family (it was copied). `stamp` is the
    account's security stamp at issue: once the account's differs (accounts.sessions), the
    row is dead."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("用户"),
    )
    access_hash = models.CharField(max_length=64, unique=True)
    refresh_hash = models.CharField(max_length=64, unique=True)
    access_expires_at = models.DateTimeField(_("访问令牌到期时间"))
    refresh_expires_at = models.DateTimeField(_("刷新令牌到期时间"))
    method = models.CharField(_("登录方式"), max_length=16)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    rotated = models.BooleanField(_("已刷新"), default=False)
    family = models.UUIDField(_("登录系列"), default=uuid.uuid4, db_index=True)
    stamp = models.PositiveIntegerField(_("登录凭证版本"), default=0)

    class Meta:
        verbose_name = _("应用令牌")
        verbose_name_plural = _("应用令牌")
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_live_idx")]

    def __str__(self) -> str:
        return f"ApiToken #{self.pk} ({self.method})"
