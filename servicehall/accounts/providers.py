"""其他登录方式: the hall as a client of other identity providers. One interface for every kind
(OpenID Connect through Authlib; WeChat and Alipay in providers_cn.py): start an authorization
(a URL to send the person to, and what the hall must keep until the person comes back), and
finish it (the code exchanged, the answer checked) into a ProviderIdentity: what the provider
vouches for. Every way it can go wrong ends as a DomainError with a Chinese message and a
`code` naming the reason (audited by the caller); no provider's exception leaves this module.

What a person may do with an identity (log in, bind, register) is provider_login.py's."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.utils.translation import gettext as _
from joserfc.errors import ClaimError, JoseError

from servicehall.core.errors import DomainError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Provider:
    key: str
    kind: str
    label: str
    config: dict = field(compare=False, repr=False)

    def client(self) -> ProviderClient:
        if self.kind == "oidc":
            return OidcClient(self)
        from .providers_cn import client_for

        return client_for(self)


@dataclass(frozen=True)
class ProviderIdentity:
    """What a provider vouched for. Only verified values: an ID number from a claim the
    province's identity has checked, a mobile only when the provider says it is verified."""

    provider: str
    subject: str
    name: str = ""
    id_number: str = ""
    mobile: str = ""


@dataclass(frozen=True)
class Authorization:
    """Where to send the person, and what to keep (in the session) until the person is back."""

    url: str
    state: str
    kept: dict


class ProviderClient:
    def __init__(self, provider: Provider):
        self.provider = provider
        self.config = provider.config

    def authorization_origin(self) -> str:
        """Where start() sends the browser: a page whose form leads there must name it in its
        Content-Security-Policy's form-action (browsers check a form's redirects too)."""
        raise NotImplementedError

    def start(self, *, redirect_uri: str) -> Authorization:
        raise NotImplementedError

    def finish(self, *, code: str, kept: dict) -> ProviderIdentity:
        """`kept` is what start() asked to keep (redirect_uri, code_verifier, nonce); the app's
        API passes its own."""
        raise NotImplementedError


def providers_configured() -> list[Provider]:
    return [
        Provider(key=c["key"], kind=c["kind"], label=c.get("label") or c["key"], config=c)
        for c in settings.LOGIN_PROVIDERS
    ]


def providers_for_app() -> list[Provider]:
    """The providers the app may use: those with a redirect URI registered for the app."""
    return [p for p in providers_configured() if p.config.get("app_redirect_uri")]


def provider_get(key: str, *, for_app: bool = False) -> Provider:
    for provider in providers_for_app() if for_app else providers_configured():
        if provider.key == key:
            return provider
    raise DomainError(_("不支持该登录方式"), code="provider_unknown")


# --- the reasons a provider's answer is refused, each with what the person is told ---

def provider_error(provider: Provider, reason: str, detail: str = "") -> DomainError:
    """`detail` (what exactly failed, for the audit trail) is kept on the error as `.detail`."""
    label = provider.label
    messages = {
        "unavailable": _("{label}暂时无法访问，请稍后再试，或使用账号密码、手机动态码登录"),
        "slow": _("{label}响应超时，请稍后再试，或使用账号密码、手机动态码登录"),
        "state": _("登录请求已失效或不是从本大厅发起，请重新选择登录方式"),
        "denied": _("您已在{label}取消授权，未登录"),
        "code": _("{label}的授权已失效（已过期或已使用），请重新登录"),
        "token": _("{label}返回的身份信息未通过校验，已拒绝登录。请重新登录；如仍不能登录，请使用其他方式"),
        "claims": _("{label}没有提供可用的身份信息，无法登录，请使用其他方式登录"),
    }
    error = DomainError(messages[reason].format(label=label), code=f"provider_{reason}")
    error.detail = detail[:60]
    return error


def provider_request_error(provider: Provider, exc: Exception) -> DomainError:
    if isinstance(exc, requests.Timeout):
        return provider_error(provider, "slow")
    return provider_error(provider, "unavailable")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def authorization_origins() -> list[str]:
    return sorted({p.client().authorization_origin() for p in providers_configured()})


# --- OpenID Connect: authorization code with PKCE (S256), state and nonce, through Authlib ---

@functools.lru_cache(maxsize=32)
def _oidc_app(key: str, issuer: str, client_id: str, client_secret: str, scopes: str, timeout: float):
    """One Authlib client per configuration: it keeps the provider's discovery document and
    keys once fetched (and fetches the keys again when a token names a key it has not seen)."""
    registry = OAuth()
    return registry.register(
        name=key,
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": scopes, "code_challenge_method": "S256", "default_timeout": timeout},
    )


class OidcClient(ProviderClient):
    def _app(self):
        c = self.config
        return _oidc_app(c["key"], c["issuer"], c["client_id"], c["client_secret"], c["scopes"],
                         settings.LOGIN_PROVIDER_TIMEOUT)

    def _metadata(self) -> dict:
        app = self._app()
        try:
            metadata = app.load_server_metadata()
        except requests.RequestException as exc:
            raise provider_request_error(self.provider, exc) from exc
        except ValueError as exc:  # not JSON
            raise provider_error(self.provider, "unavailable") from exc
        if metadata.get("issuer", "").rstrip("/") != self.config["issuer"]:
            # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer we asked.
            app.server_metadata.pop("_loaded_at", None)
            logger.error("provider %s: discovery names another issuer", self.provider.key)
            raise provider_error(self.provider, "unavailable")
        return metadata

    def authorization_origin(self) -> str:
        try:
            endpoint = self._metadata()["authorization_endpoint"]
        except (DomainError, KeyError):
            endpoint = self.config["issuer"]
        return origin_of(endpoint)

    def start(self, *, redirect_uri: str) -> Authorization:
        self._metadata()
        try:
            rv = self._app().create_authorization_url(redirect_uri)
        except requests.RequestException as exc:
            raise provider_request_error(self.provider, exc) from exc
        kept = {"redirect_uri": redirect_uri, "code_verifier": rv["code_verifier"], "nonce": rv["nonce"]}
        return Authorization(url=rv["url"], state=rv["state"], kept=kept)

    def finish(self, *, code: str, kept: dict) -> ProviderIdentity:
        metadata = self._metadata()
        app = self._app()
        try:
            token = app.fetch_access_token(
                redirect_uri=kept["redirect_uri"], code=code, code_verifier=kept.get("code_verifier")
            )
        except requests.RequestException as exc:
            raise provider_request_error(self.provider, exc) from exc
        except MismatchingStateError as exc:
            raise provider_error(self.provider, "state") from exc
        except OAuthError as exc:
            raise provider_error(self.provider, "code" if exc.error == "invalid_grant" else "token") from exc
        except ValueError as exc:
            raise provider_error(self.provider, "unavailable") from exc
        if "id_token" not in token:
            raise provider_error(self.provider, "token")
        claims_options = {
            "iss": {"essential": True, "values": [metadata["issuer"]]},
            "aud": {"essential": True, "values": [self.config["client_id"]]},
        }
        try:
            claims = app.parse_id_token(token, nonce=kept.get("nonce"), claims_options=claims_options)
        except requests.RequestException as exc:
            raise provider_request_error(self.provider, exc) from exc
        except ClaimError as exc:
            raise provider_error(self.provider, "token", f"claim {exc.claim}") from exc
        except JoseError as exc:  # the signature, or a token that is not one
            raise provider_error(self.provider, "token", type(exc).__name__) from exc
        return self._identity(claims)

    def _identity(self, claims: dict) -> ProviderIdentity:
        subject = str(claims.get("sub") or "")
        if not subject or len(subject) > 255:
            raise provider_error(self.provider, "claims")
        id_claim = self.config.get("id_number_claim")
        mobile = claims.get("phone_number") if claims.get("phone_number_verified") is True else ""
        return ProviderIdentity(
            provider=self.provider.key, subject=subject,
            name=str(claims.get("name") or "")[:30],
            id_number=str(claims.get(id_claim) or "") if id_claim else "",
            mobile=str(mobile or ""),
        )

