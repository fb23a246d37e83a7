"""Logging in with an ID number or mobile (people) or an account name (staff) and a password.
Throttling is django-axes' job; its key is the account's id when the identifier is known,
else a blind index of what was typed, so no personal number reaches the axes tables or logs."""

import functools
from collections.abc import Callable

from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import QuerySet

from servicehall.core.crypto import blind_index
from servicehall.core.http import client_ip
from servicehall.messaging.selectors import with_unread_count

from .identity import normalise
from .models import Role, User
from .selectors import user_find_by_identifier


class IdentifierPasswordBackend(ModelBackend):
    def authenticate(self, request, identifier=None, password=None, kind="person", **kwargs):
        if not identifier or not password:
            return None
        user = user_find_by_identifier(identifier, kind=kind)
        if user is None:
            # Spend the same time as a real check, so timing does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in person of a web request, loaded in one statement with what the pages
        read of the person on most views (the header's unread count, the favourites): one
        query a page, not three. The statement is compiled once per process and database
        (compiling the annotated query cost more than running it)."""
        sql, params, at = _user_load_statement(connection.alias)
        params = [*params[:at], user_id, *params[at + 1:]]
        user = next(iter(User._default_manager.raw(sql, params)), None)
        return user if user is not None and self.user_can_authenticate(user) else None


_SENTINEL = -7_340_000_017  # no account has this id: it marks the id's place among the parameters


@functools.cache
def _user_load_statement(alias: str) -> tuple[str, tuple, int]:
    users = with_unread_count(User._default_manager.using(alias).filter(pk=_SENTINEL))
    for add in _REQUEST_USER_LOADS:
        users = add(users)
    sql, params = users.query.sql_with_params()
    return sql, params, params.index(_SENTINEL)


# What apps above accounts add to the signed-in person's load (each a function of a User
# queryset returning it annotated), registered from their AppConfig.ready.
_REQUEST_USER_LOADS: list[Callable[[QuerySet], QuerySet]] = []


def request_user_load_add(add: Callable[[QuerySet], QuerySet]) -> None:
    if add not in _REQUEST_USER_LOADS:
        _REQUEST_USER_LOADS.append(add)
        _user_load_statement.cache_clear()


def axes_username(request, credentials) -> str:
    credentials = credentials or {}
    identifier = credentials.get("identifier") or ""
    kind = credentials.get("kind") or "person"
    user = user_find_by_identifier(identifier, kind=kind) if identifier else None
    if user is not None:
        return f"user:{user.pk}"
    return "typed:" + blind_index(normalise(identifier)[:64], purpose="login")[:32]


def axes_client_ip(request) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the hall's one reading of the address, or None when
    there is none (axes keeps it in an IP address column, where "unknown" would not fit)."""
    address = client_ip(request)
    return None if address == "unknown" else address


class RolePermissionBackend:
    """Operators manage the hall's set-up data in the admin by their role, not by per-user
    permission rows. Only apps listed here; everything else stays with superusers."""

    OPERATOR_APPS = {"reference", "accounts", "audit", "catalog", "notices", "cards", "subsidy", "payments"}

    def authenticate(self, request, **credentials):
        return None

    def _is_operator(self, user_obj) -> bool:
        return bool(user_obj.is_active and getattr(user_obj, "role", None) == Role.OPERATOR)

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return self._is_operator(user_obj) and perm.split(".", 1)[0] in self.OPERATOR_APPS

    def has_module_perms(self, user_obj, app_label) -> bool:
        return self._is_operator(user_obj) and app_label in self.OPERATOR_APPS
