"""Every write about the app's tokens: issue at login, rotate on refresh, revoke on logout.
Only SHA-256 digests are stored; the values themselves leave the server once, in the login
response.

Each login starts a family; refreshing issues the next pair of the same family. A token is
live only while its account's security stamp is the one it was issued under, so
accounts.sessions.account_sign_out_everywhere (password change, 退出所有设备, ...) ends every
token without this app hooking into accounts."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.audit.services import audit_record
from servicehall.core.errors import DomainError

from .models import ApiToken

if TYPE_CHECKING:
    from servicehall.accounts.models import User


def token_digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedTokens:
    access: str
    refresh: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    row: ApiToken


def token_issue(
    *, user: User, method: str, client_address: str = "", family: uuid.UUID | None = None
) -> IssuedTokens:
    """A new pair for a person who has just proved who they are (password, SMS code, or a
    refresh token). A login starts a new family; a refresh passes the family it continues."""
    if not (user.is_active and user.is_person):
        raise DomainError(_("应用仅供个人用户登录"), code="not_person")
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    now = timezone.now()
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user,
            access_hash=token_digest(access),
            refresh_hash=token_digest(refresh),
            access_expires_at=now + settings.API_ACCESS_TOKEN_LIFETIME,
            refresh_expires_at=now + settings.API_REFRESH_TOKEN_LIFETIME,
            method=method[:16],
            family=family or uuid.uuid4(),
            stamp=user.security_stamp,
        )
        if method != "refresh":
            audit_record(
                actor=user, action=f"account.login.app.{method}", target=user, client_address=client_address
            )
    return IssuedTokens(access, refresh, row.access_expires_at, row.refresh_expires_at, row)


def _refresh_error() -> DomainError:
    return DomainError(_("登录已过期，请重新登录"), code="refresh_invalid", fields=("refresh",))


def _is_current(row: ApiToken) -> bool:
    """The account is active and has not ended its logins since this row was issued."""
    return row.user.is_active and row.stamp == row.user.security_stamp


def token_refresh(*, refresh: str, client_address: str = "") -> IssuedTokens:
    """Rotate: the old pair stops working, a new pair of the same family is issued. A refresh
    token used twice means a copy exists, so its whole family (that login, however often
    refreshed) is revoked; the person's other logins go on."""
    if not isinstance(refresh, str) or not refresh or len(refresh) > 200:
        raise _refresh_error()
    now = timezone.now()
    with transaction.atomic():
        row = (
            ApiToken.objects.select_for_update()
            .select_related("user")
            .filter(refresh_hash=token_digest(refresh))
            .first()
        )
        if row is None:
            raise _refresh_error()
        if row.revoked_at is not None:
            if row.rotated:
                ApiToken.objects.filter(family=row.family, revoked_at__isnull=True).update(revoked_at=now)
                audit_record(
                    actor=row.user, action="account.app.refresh_reused", target=row.user,
                    client_address=client_address, detail={"family": str(row.family)},
                )
        elif row.refresh_expires_at > now and _is_current(row):
            row.revoked_at, row.rotated = now, True
            row.save(update_fields=["revoked_at", "rotated"])
            return token_issue(
                user=row.user, method="refresh", client_address=client_address, family=row.family
            )
    # Outside the block: the revocation above is kept even though the caller gets an error.
    raise _refresh_error()


def token_revoke(*, token: ApiToken, client_address: str = "") -> None:
    """退出: this login of the app ends (its access and refresh tokens both)."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            audit_record(
                actor=token.user,
                action="account.logout.app",
                target=token.user,
                client_address=client_address,
            )


def token_authenticate(access: str) -> ApiToken | None:
    """The live token row for an access token, or None (unknown, expired, revoked, its person
    deactivated, or signed out everywhere since it was issued)."""
    if not access or len(access) > 200:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(access_hash=token_digest(access), revoked_at__isnull=True)
        .first()
    )
    if row is None or row.access_expires_at <= timezone.now() or not _is_current(row):
        return None
    return row
