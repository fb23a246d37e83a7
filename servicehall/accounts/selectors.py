"""Reads of people, staff accounts, QR tokens and appeals, each scoped to who may see them."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q

from servicehall.core.actions import Action
from servicehall.core.crypto import blind_index

from .identity import looks_like_mobile, normalise
from .models import STAFF_ROLES, AccountAppeal, ProviderBinding, QrLoginToken, Role, User
from .permissions import may


def id_number_index(id_number: str) -> str:
    return blind_index(id_number, purpose="id_number")


def mobile_index(mobile: str) -> str:
    return blind_index(mobile, purpose="mobile")


def user_find_by_identifier(identifier: str, *, kind: str = "person") -> User | None:
    """People log in with an ID number or a mobile; staff with their account name."""
    value = normalise(identifier)[:64]
    if not value:
        return None
    if kind == "staff":
        return User.objects.filter(username__iexact=value).exclude(role=Role.APPLICANT).first()
    people = User.objects.filter(role=Role.APPLICANT)
    if looks_like_mobile(value):
        return people.filter(mobile_index=mobile_index(value)).first()
    return people.filter(id_number_index=id_number_index(value)).first()


def user_find_by_mobile(mobile: str) -> User | None:
    return User.objects.filter(mobile_index=mobile_index(mobile)).first()


def user_find_by_id_number(id_number: str) -> User | None:
    return User.objects.filter(id_number_index=id_number_index(id_number)).first()


def people_by_id_number_index(indexes) -> dict:
    """{id_number_index: the active person's account} for those of these indexes that have one."""
    people = User.objects.filter(role=Role.APPLICANT, is_active=True, id_number_index__in=list(indexes))
    return {person.id_number_index: person for person in people}


def login_locked_until(request, *, identifier: str, kind: str) -> datetime | None:
    """When the lockout of this account (django-axes) ends, or None when it is not locked."""
    from .backends import axes_username

    key = axes_username(request, {"identifier": identifier, "kind": kind})
    attempts = AccessAttempt.objects.filter(
        username=key, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    last = attempts.aggregate(last=Max("attempt_time"))["last"]
    return last + settings.AXES_COOLOFF_TIME if last else None


def _require_operator(actor: User) -> None:
    if not may(actor, Action.OPERATE):
        raise PermissionDenied


def appeal_list_for(actor: User, *, status: str = ""):
    """The appeals an operator handles, optionally of one status (an unknown status: all)."""
    _require_operator(actor)
    appeals = AccountAppeal.objects.select_related("reviewed_by").order_by("status", "-created_at")
    if status in AccountAppeal.Status.values:
        appeals = appeals.filter(status=status)
    return appeals


def appeal_get_for(actor: User, appeal_id: int) -> AccountAppeal:
    return appeal_list_for(actor).get(pk=appeal_id)


def staff_list_for(actor: User, *, q: str = "", role: str = "", active: str = ""):
    """工作人员管理: every staff account (operators only), by organisation, filtered by a part of
    the account name or the name, a role, and active ("1") or disabled ("0")."""
    _require_operator(actor)
    staff = User.objects.filter(role__in=STAFF_ROLES).select_related("organisation")
    if q:
        staff = staff.filter(Q(username__icontains=q) | Q(name__contains=q))
    if role:
        staff = staff.filter(role=role)
    if active:
        staff = staff.filter(is_active=active == "1")
    return staff.order_by("organisation__kind", "organisation__name", "username")


def staff_get_for(actor: User, user_id: int) -> User:
    return staff_list_for(actor).get(pk=user_id)


def qr_token_status(token_id) -> str:
    """How the computer's QR code stands: pending, confirmed, refused, used, or expired."""
    row = QrLoginToken.objects.filter(pk=token_id).first()
    if row is None or (row.status == QrLoginToken.Status.PENDING and row.is_expired):
        return "expired"
    return row.status


def staff_user_active(pk) -> User | None:
    """An active staff account by its id (the staff login's second step), or None."""
    return User.objects.filter(pk=pk, is_active=True).exclude(role=Role.APPLICANT).first()


@dataclass(frozen=True)
class BindingRow:
    """One line of 账号绑定: a configured provider, and the binding to it if there is one."""

    key: str
    label: str
    bound_at: datetime | None
    last_login_at: datetime | None
    may_unbind: bool


def login_ways(user: User) -> int:
    """How many ways this account can be logged in to that need no one else: its password and
    each provider bound to it. The last one is never unbound (accounts.provider_login)."""
    return int(user.has_usable_password()) + ProviderBinding.objects.filter(user=user).count()


def provider_bindings_of(user: User, providers) -> list[BindingRow]:
    """The configured providers in their order, each with this person's binding, and whether
    it may be unbound (not the last way to log in)."""
    bound = {b.provider: b for b in ProviderBinding.objects.filter(user=user)}
    spare = login_ways(user) > 1
    rows = []
    for provider in providers:
        binding = bound.get(provider.key)
        rows.append(BindingRow(
            key=provider.key, label=provider.label,
            bound_at=binding.created_at if binding else None,
            last_login_at=binding.last_login_at if binding else None,
            may_unbind=binding is not None and spare,
        ))
    return rows
