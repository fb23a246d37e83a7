"""SMS gateways: how a kept message leaves the hall. settings.SMS_BACKEND names the class.

A gateway raises GatewayError when the message was not accepted; the error's text is stored
and logged, so it must never contain the mobile number or the message text.
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from django.utils.module_loading import import_string

from .conf import messaging_settings

logger = logging.getLogger(__name__)


class GatewayError(Exception):
    """The gateway did not accept the message. str(error) is safe to store and log."""


class SmsGateway:
    """send() delivers one message. `key` is the message's own id (messaging.services.
    idempotency_key): a gateway offered the same key twice sends the message once."""

    name = "base"

    def send(self, *, mobile: str, text: str, key: str = "") -> None:
        raise NotImplementedError


class OutboxGateway(SmsGateway):
    """Sends nothing: every message is already kept in the database (SmsMessage), so this
    gateway only lets the delivery service mark it sent. The default for development and
    tests; the dev outbox page shows what would have been sent. It dedupes by the key as the
    contract asks: what it "sent" is the kept message, one row per key, so a resend after a
    worker died between the gateway and "marked sent" shows once."""

    name = "outbox"

    def send(self, *, mobile: str, text: str, key: str = "") -> None:
        return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET (or send the body elsewhere): treat as failure.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpGateway(SmsGateway):
    """POSTs {"mobile", "text", "sign"} as JSON to SMS_HTTP_GATEWAY_URL with a bearer token and
    the message's key as the Idempotency-Key header: the contract asks the gateway to accept a key
    once and answer a repeat 2xx without sending it again (a worker that died after the gateway
    took the message, before it was marked sent, is followed by a sweep that offers it again).
    Any 2xx answer means accepted; anything else, a redirect, a timeout or a network error
    raises GatewayError."""

    name = "http"

    def __init__(
        self,
        *,
        url: str | None = None,
        token: str | None = None,
        sign: str | None = None,
        timeout: float = 5.0,
    ):
        from django.conf import settings

        self.url = url if url is not None else getattr(settings, "SMS_HTTP_GATEWAY_URL", None)
        self.token = (
            token if token is not None else getattr(settings, "SMS_HTTP_GATEWAY_TOKEN", None)
        )
        self.sign = sign if sign is not None else messaging_settings.sign
        self.timeout = timeout

    def send(self, *, mobile: str, text: str, key: str = "") -> None:
        if not self.url:
            raise GatewayError("SMS_HTTP_GATEWAY_URL is not set")
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise GatewayError("SMS_HTTP_GATEWAY_URL must be an http(s) URL")
        body = json.dumps(
            {"mobile": mobile, "text": text, "sign": self.sign}, ensure_ascii=False
        ).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if key:
            headers["Idempotency-Key"] = key
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310 (scheme checked above)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                status = response.status
                response.read(64 * 1024)
        except urllib.error.HTTPError as exc:
            raise GatewayError(f"HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            # URLError's text may name the host, never the mobile; keep only the class name.
            reason = getattr(exc, "reason", exc)
            raise GatewayError(f"network error: {type(reason).__name__}") from None
        if not 200 <= status < 300:
            raise GatewayError(f"HTTP {status}")


def get_gateway() -> SmsGateway:
    """The gateway named by settings.SMS_BACKEND (a dotted path to an SmsGateway class)."""
    gateway_class = import_string(messaging_settings.backend)
    return gateway_class()
