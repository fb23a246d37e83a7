"""其他登录方式 and 账号绑定: what a person may do with an identity another provider vouched for.
The pages and the API call these and nothing else; providers.py speaks the protocols.

The rules:
- A provider's identity (provider, subject) logs in to at most one account, and an account has
  at most one identity per provider.
- The first login binds at once when the provider's verified ID number is an account's; when
  only its verified mobile is, the account's phone confirms by an SMS code; otherwise the person
  binds by logging in once with the password, or registers (the form filled from the provider).
- Never a second person for one ID number: an identity whose ID number differs from the
  account's is never bound to it, and registration refuses an ID number already registered.
- Staff never log in through a provider. The last way to log in cannot be unbound.
- Every refusal is one audit entry (account.provider.refused) with its reason; no provider's
  answer writes half an account."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.audit.services import audit_record
from servicehall.core.errors import DomainError
from servicehall.core.masking import mask_id_number, mask_mobile
from servicehall.messaging.models import CodePurpose
from servicehall.messaging.services import otp_verify

from . import services
from .identity import check_id_document
from .models import IdType, ProviderBinding, ProviderTicket, User
from .providers import Authorization, Provider, ProviderIdentity, provider_error, provider_get
from .selectors import login_ways, user_find_by_id_number, user_find_by_mobile

LOGIN, BIND = "login", "bind"
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")


@dataclass(frozen=True)
class ProviderOutcome:
    """A login through a provider: the account it logged in to, or the step still needed
    ("sms": confirm with a code sent to the account's mobile; "account": log in once with the
    password, or register) and the ticket that carries the identity to that step."""

    user: User | None = None
    next_step: str = ""
    ticket: str = ""
    masked_mobile: str = ""


def _printable(value: str, limit: int) -> str:
    """What a provider or a caller sent, fit for the audit trail: printable ASCII only (a NUL
    byte is refused by PostgreSQL's JSON), and short."""
    return _UNPRINTABLE.sub("?", value[:limit])


def _refusal(provider_key: str, reason: str, *, client_address: str, actor: User | None = None,
             detail: str = "") -> None:
    audit_record(actor=actor, action="account.provider.refused", client_address=client_address,
                 detail={"provider": _printable(provider_key, 32), "reason": reason,
                         "detail": _printable(detail, 60)})


def _audited(provider_key: str, *, client_address: str, actor: User | None = None):
    """Run a step; a DomainError it raises is recorded once (outside any transaction, so the
    entry stays) and raised on."""

    class _Guard:
        def __enter__(self):
            return self

        def __exit__(self, kind, exc, tb):
            if isinstance(exc, DomainError):
                _refusal(provider_key, exc.code, client_address=client_address, actor=actor,
                         detail=getattr(exc, "detail", ""))
            return False

    return _Guard()


def _error(provider: Provider, reason: str) -> DomainError:
    label = provider.label
    messages = {
        "staff": _("工作人员请使用单位登录，不能通过{label}登录"),
        "inactive": _("该账号已停用，请联系客服"),
        "id_mismatch": _(
            "该{label}账号的证件号码与本账号不一致，不能绑定。如证件号码被他人占用，请通过用户申诉处理"),
        "subject_taken": _("该{label}账号已绑定本大厅的另一个账号，不能重复绑定"),
        "already_bound": _("本账号已绑定另一个{label}账号，请先解绑后再绑定"),
        "other_bound": _(
            "该证件号码的账号已绑定另一个{label}账号。请用账号密码登录后，在“账号绑定”中解绑后再试"),
        "bad_id": _("{label}提供的证件号码无效，无法登录，请使用其他方式登录"),
        "not_bound": _("本账号未绑定{label}"),
        "last_way": _(
            "这是您唯一的登录方式，不能解绑。请先设置登录密码（可在登录页通过“忘记密码”用短信设置）"),
    }
    return DomainError(messages[reason].format(label=label), code=f"provider_{reason}")


def _ticket_error() -> DomainError:
    return DomainError(_("第三方登录已超时，请重新选择登录方式"), code="provider_ticket")


# --- starting and finishing the provider's part ---

def provider_authorization_start(*, provider_key: str, redirect_uri: str,
                                 client_address: str = "") -> Authorization:
    with _audited(provider_key, client_address=client_address):
        return provider_get(provider_key).client().start(redirect_uri=redirect_uri)


def provider_identity_finish(*, provider_key: str, code: str, kept: dict | None, client_address: str = "",
                             actor: User | None = None, refusal: str = "") -> ProviderIdentity:
    """The code exchanged and the answer checked. `kept` None means the state did not match
    one this browser started (a forged or replayed callback); `refusal` is the provider's own
    error when the person did not authorise (access_denied)."""
    with _audited(provider_key, client_address=client_address, actor=actor):
        provider = provider_get(provider_key)
        if refusal:
            raise provider_error(provider, "denied", refusal)
        if kept is None or not code or len(code) > 512:
            raise provider_error(provider, "state")
        return provider.client().finish(code=code, kept=kept)


def provider_identity_finish_app(*, provider_key: str, code: str, code_verifier: str, nonce: str,
                                 client_address: str = "", actor: User | None = None) -> ProviderIdentity:
    """The app's way: it sent the person to the provider itself (with its own state, PKCE
    verifier and nonce, and the redirect URI registered for the app) and hands the hall the
    code; the hall exchanges it with its own client secret and checks the answer as for a page."""
    with _audited(provider_key, client_address=client_address, actor=actor):
        redirect_uri = provider_get(provider_key, for_app=True).config["app_redirect_uri"]
    kept = {"redirect_uri": redirect_uri, "code_verifier": code_verifier, "nonce": nonce}
    return provider_identity_finish(provider_key=provider_key, code=code, kept=kept,
                                    client_address=client_address, actor=actor)


# --- logging in ---

def _loginable(provider: Provider, user: User) -> None:
    if not user.is_person:
        raise _error(provider, "staff")
    if not user.is_active:
        raise _error(provider, "inactive")


def provider_login(*, identity: ProviderIdentity, client_address: str = "") -> ProviderOutcome:
    with _audited(identity.provider, client_address=client_address):
        provider = provider_get(identity.provider)
        binding = (ProviderBinding.objects.select_related("user")
                   .filter(provider=provider.key, subject=identity.subject).first())
        if binding is not None:
            user = binding.user
            _loginable(provider, user)
            if identity.id_number and user.id_number and identity.id_number != user.id_number:
                raise _error(provider, "id_mismatch")
            return ProviderOutcome(user=_logged_in(binding, client_address))
        if identity.id_number:
            try:
                check_id_document(IdType.RESIDENT, identity.id_number)
            except DomainError as exc:
                raise _error(provider, "bad_id") from exc
            owner = user_find_by_id_number(identity.id_number)
            if owner is not None:
                _loginable(provider, owner)
                binding = _bind(provider, owner, identity, via="id_number", client_address=client_address)
                return ProviderOutcome(user=_logged_in(binding, client_address))
            return ProviderOutcome(next_step="account", ticket=_ticket_create(identity))
        if identity.mobile:
            owner = user_find_by_mobile(identity.mobile)
            if owner is not None:
                _loginable(provider, owner)
                return ProviderOutcome(next_step="sms", ticket=_ticket_create(identity, owner),
                                       masked_mobile=mask_mobile(owner.mobile))
        return ProviderOutcome(next_step="account", ticket=_ticket_create(identity))


def _logged_in(binding: ProviderBinding, client_address: str) -> User:
    binding.last_login_at = timezone.now()
    binding.save(update_fields=["last_login_at"])
    audit_record(actor=binding.user, action="account.login.provider", target=binding.user,
                 client_address=client_address, detail={"provider": binding.provider})
    return binding.user


# --- binding ---

def _bind(provider: Provider, user: User, identity: ProviderIdentity, *, via: str,
          client_address: str) -> ProviderBinding:
    _loginable(provider, user)
    if identity.id_number and identity.id_number != user.id_number:
        raise _error(provider, "id_mismatch")
    taken = ProviderBinding.objects.filter(provider=provider.key, subject=identity.subject).first()
    if taken is not None:
        if taken.user_id == user.pk:
            return taken
        raise _error(provider, "subject_taken")
    if ProviderBinding.objects.filter(provider=provider.key, user=user).exists():
        raise _error(provider, "other_bound" if via == "id_number" else "already_bound")
    try:
        with transaction.atomic():
            binding = ProviderBinding.objects.create(user=user, provider=provider.key,
                                                     subject=identity.subject)
            audit_record(actor=user, action="account.provider.bind", target=user,
                         client_address=client_address, detail={"provider": provider.key, "via": via})
    except IntegrityError as exc:  # the same identity or provider bound a moment ago
        raise _error(provider, "subject_taken") from exc
    return binding


def provider_bind(*, user: User, identity: ProviderIdentity, client_address: str = "") -> ProviderBinding:
    """账号绑定 → 绑定, by a person already logged in."""
    with _audited(identity.provider, client_address=client_address, actor=user):
        return _bind(provider_get(identity.provider), user, identity, via="account",
                     client_address=client_address)


def provider_unbind(*, user: User, provider_key: str, client_address: str = "") -> None:
    with _audited(provider_key, client_address=client_address, actor=user):
        provider = provider_get(provider_key)
        with transaction.atomic():
            binding = ProviderBinding.objects.select_for_update().filter(
                user=user, provider=provider.key).first()
            if binding is None:
                raise _error(provider, "not_bound")
            if login_ways(user) <= 1:
                raise _error(provider, "last_way")
            binding.delete()
            audit_record(actor=user, action="account.provider.unbind", target=user,
                         client_address=client_address, detail={"provider": provider.key})


# --- the second step: a ticket carries the identity to it ---

def _digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


def _ticket_create(identity: ProviderIdentity, mobile_owner: User | None = None) -> str:
    ticket = secrets.token_urlsafe(32)
    ProviderTicket.objects.create(
        ticket_hash=_digest(ticket), provider=identity.provider, subject=identity.subject,
        name=identity.name, id_number=identity.id_number, mobile=identity.mobile,
        mobile_owner=mobile_owner,
        expires_at=timezone.now() + timedelta(minutes=settings.LOGIN_PROVIDER_TICKET_MINUTES),
    )
    return ticket


def provider_ticket_get(ticket: str) -> ProviderTicket:
    """A live ticket, or DomainError provider_ticket (unknown, used or expired)."""
    row = None
    if ticket and len(ticket) < 100:
        row = ProviderTicket.objects.select_related("mobile_owner").filter(
            ticket_hash=_digest(ticket), used_at__isnull=True, expires_at__gt=timezone.now()).first()
    if row is None:
        raise _ticket_error()
    return row


def _identity_of(row: ProviderTicket) -> ProviderIdentity:
    return ProviderIdentity(provider=row.provider, subject=row.subject, name=row.name,
                            id_number=row.id_number, mobile=row.mobile)


def _ticket_use(row: ProviderTicket, user: User, *, via: str, client_address: str) -> User:
    """Bind the ticket's identity to `user` and spend the ticket, once."""
    provider = provider_get(row.provider)
    with transaction.atomic():
        spent = ProviderTicket.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now())
        if not spent:
            raise _ticket_error()
        binding = _bind(provider, user, _identity_of(row), via=via, client_address=client_address)
    return _logged_in(binding, client_address)


@dataclass(frozen=True)
class TicketView:
    """What the second step's page may show of a ticket: masked, and the provider's name."""

    provider_label: str
    name: str
    masked_id_number: str
    masked_mobile: str
    has_id_number: bool
    confirms_by_sms: bool


def provider_ticket_summary(ticket: str) -> TicketView:
    row = provider_ticket_get(ticket)
    owner = row.mobile_owner
    return TicketView(
        provider_label=provider_get(row.provider).label, name=row.name,
        masked_id_number=mask_id_number(row.id_number) if row.id_number else "",
        masked_mobile=mask_mobile(owner.mobile) if owner else "",
        has_id_number=bool(row.id_number), confirms_by_sms=owner is not None,
    )


def provider_registration_values_for(ticket: str) -> dict:
    """What registration is filled with (the owner's own values, on the owner's own page)."""
    row = provider_ticket_get(ticket)
    return {"name": row.name, "id_type": IdType.RESIDENT if row.id_number else "",
            "id_number": row.id_number, "mobile": row.mobile}


def provider_confirm_code_send(*, ticket: str, client_address: str) -> int:
    """The SMS code for a login the provider's verified mobile found; the same limiter as every
    code. Returns seconds until the next may be sent."""
    row = provider_ticket_get(ticket)
    if row.mobile_owner is None:
        raise _ticket_error()
    return services.sms_code_request(mobile=row.mobile_owner.mobile, purpose=CodePurpose.LOGIN,
                                     client_address=client_address)


def provider_confirm_by_sms(*, ticket: str, sms_code: str, client_address: str = "") -> User:
    row = provider_ticket_get(ticket)
    with _audited(row.provider, client_address=client_address):
        owner = row.mobile_owner
        if owner is None:
            raise _ticket_error()
        otp_verify(mobile=owner.mobile, purpose=CodePurpose.LOGIN, code=sms_code)
        return _ticket_use(row, owner, via="mobile", client_address=client_address)


def provider_bind_by_password(*, request: HttpRequest, ticket: str, identifier: str,
                              password: str) -> User:
    """Log in once with the password (django-axes and the address limit count it as any
    login) and bind the ticket's identity to that account."""
    from servicehall.core.http import client_ip

    row = provider_ticket_get(ticket)
    client_address = client_ip(request)
    user = services.login_by_password(request=request, identifier=identifier, password=password)
    with _audited(row.provider, client_address=client_address, actor=user):
        return _ticket_use(row, user, via="password", client_address=client_address)


def provider_register(*, ticket: str, id_type: str, id_number: str, name: str, mobile: str,
                      password: str, sms_code: str, client_address: str = "") -> User:
    """立即注册 from a provider's login: registration's own rules, the ID number and the name the
    provider verified (when it gave an ID number) not to be changed, then the identity bound.
    The page shows both locked; this is the rule, for the API as well."""
    row = provider_ticket_get(ticket)
    with _audited(row.provider, client_address=client_address):
        label = provider_get(row.provider).label
        if row.id_number and (id_type != IdType.RESIDENT or id_number.strip().upper() != row.id_number):
            raise DomainError(_("证件号码须与{label}核验的一致").format(label=label),
                              code="provider_id_changed", fields=("id_number",))
        if row.id_number and row.name and name.strip() != row.name:
            raise DomainError(_("姓名须与{label}核验的一致").format(label=label),
                              code="provider_id_changed", fields=("name",))
        user = services.person_register(id_type=id_type, id_number=id_number, name=name, mobile=mobile,
                                        password=password, sms_code=sms_code, client_address=client_address)
        return _ticket_use(row, user, via="register", client_address=client_address)


def provider_tickets_purge() -> int:
    """Tickets past their time (used or not): what a provider vouched for is not kept."""
    deleted, _rows = ProviderTicket.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
