"""Ending every login of an account at once: each web session and each app token.

The account's `security_stamp` is the one switch. A web session is valid only while the hash
Django keeps in it matches `User.get_session_auth_hash()`, which mixes in the stamp; an app
token (`api.ApiToken`) keeps the stamp it was issued under and `api.tokens` refuses it once the
account's stamp differs. So bumping the stamp ends everything, whatever the session store
(cache or database, neither can list an account's sessions), without accounts importing api.

Whoever changes what the account trusts calls `account_sign_out_everywhere`: a password change
or reset, a mobile change, an appeal that takes the ID number away, a staff account disabled,
and the person's own 退出所有设备. A web page that should keep the person logged in (修改密码,
更换手机号码) calls `update_session_auth_hash` afterwards, which stores the new hash in the
current session only."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from servicehall.audit.services import audit_record

from .models import User

REASONS = (
    "password_change",
    "password_reset",
    "mobile_change",
    "id_released",
    "staff_disabled",
    "user_request",
)


def account_sign_out_everywhere(
    *, user: User, reason: str, actor: User | None = None, client_address: str = ""
) -> None:
    """Every web session and every app token of `user` stops working. `user` (the object
    passed) gets the new stamp, so a caller can keep its own session with
    `update_session_auth_hash(request, user)`. One audit entry, inside the caller's
    transaction when there is one."""
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(security_stamp=F("security_stamp") + 1)
        user.refresh_from_db(fields=["security_stamp"])
        audit_record(actor=actor, action="account.sign_out_everywhere", target=user,
                     client_address=client_address, detail={"reason": reason})
