"""WeChat and Alipay behind the one provider interface (providers.ProviderClient). Neither is
OpenID Connect: WeChat's website login is OAuth 2.0 with its own parameter names and error
shape; Alipay's token call is a request to its gateway signed RSA2 by the hall's private key,
its answer signed by Alipay's. Both give only an opaque id (no ID number, no verified mobile),
so a first login binds by the password once or by registering (provider_login).

The HTTP is `requests`, the signatures `cryptography`; the URLs are the providers' public ones
unless the configuration names others (a test's stand-in)."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
from authlib.common.urls import add_params_to_uri
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from django.conf import settings

from .providers import (
    Authorization,
    ProviderClient,
    ProviderIdentity,
    origin_of,
    provider_error,
    provider_request_error,
)

WECHAT_AUTHORIZE = "https://open.weixin.qq.com/connect/qrconnect"
WECHAT_CODE_EXCHANGE = "https://api.weixin.qq.com/sns/oauth2/access_token"
# WeChat's codes for a code that is wrong, used or expired.
WECHAT_BAD_CODE = {40029, 40163, 41008, 42003}
ALIPAY_AUTHORIZE = "https://openauth.alipay.com/oauth2/publicAppAuthorize.htm"
ALIPAY_GATEWAY = "https://openapi.alipay.com/gateway.do"
ALIPAY_BAD_CODE = {"isv.code-invalid", "isv.code-expired", "isv.auth-code-invalid"}
ALIPAY_METHOD = "alipay.system.oauth.token"


def client_for(provider) -> ProviderClient:
    return {"wechat": WeChatClient, "alipay": AlipayClient}[provider.kind](provider)


class WeChatClient(ProviderClient):
    def authorization_origin(self) -> str:
        return origin_of(self.config.get("authorize_url") or WECHAT_AUTHORIZE)

    def start(self, *, redirect_uri: str) -> Authorization:
        state = secrets.token_urlsafe(24)
        url = add_params_to_uri(self.config.get("authorize_url") or WECHAT_AUTHORIZE, [
            ("appid", self.config["client_id"]), ("redirect_uri", redirect_uri),
            ("response_type", "code"), ("scope", "snsapi_login"), ("state", state)])
        return Authorization(url=url + "#wechat_redirect", state=state, kept={"redirect_uri": redirect_uri})

    def finish(self, *, code: str, kept: dict) -> ProviderIdentity:
        params = {"appid": self.config["client_id"], "secret": self.config["client_secret"],
                  "code": code, "grant_type": "authorization_code"}
        try:
            response = requests.get(self.config.get("token_url") or WECHAT_CODE_EXCHANGE, params=params,
                                    timeout=settings.LOGIN_PROVIDER_TIMEOUT)
            answer = response.json()
        except requests.RequestException as exc:
            raise provider_request_error(self.provider, exc) from exc
        except ValueError as exc:
            raise provider_error(self.provider, "unavailable", "not json") from exc
        if not isinstance(answer, dict):
            raise provider_error(self.provider, "token", "not an object")
        if answer.get("errcode"):
            reason = "code" if answer["errcode"] in WECHAT_BAD_CODE else "token"
            raise provider_error(self.provider, reason, f"errcode {answer['errcode']}")
        subject = str(answer.get("unionid") or answer.get("openid") or "")
        if not subject or len(subject) > 255:
            raise provider_error(self.provider, "claims")
        return ProviderIdentity(provider=self.provider.key, subject=subject)


class AlipayClient(ProviderClient):
    def authorization_origin(self) -> str:
        return origin_of(self.config.get("authorize_url") or ALIPAY_AUTHORIZE)

    def start(self, *, redirect_uri: str) -> Authorization:
        state = secrets.token_urlsafe(24)
        url = add_params_to_uri(self.config.get("authorize_url") or ALIPAY_AUTHORIZE, [
            ("app_id", self.config["client_id"]), ("scope", "auth_base"),
            ("redirect_uri", redirect_uri), ("state", state)])
        return Authorization(url=url, state=state, kept={"redirect_uri": redirect_uri})

    def _key(self, name: str, loader):
        path = self.config.get(name) or ""
        try:
            return loader(Path(path).read_bytes())
        except (OSError, ValueError) as exc:
            raise provider_error(self.provider, "unavailable", f"{name} unreadable") from exc

    def signed_params(self, code: str) -> dict:
        """The gateway's request: every parameter but `sign`, sorted as key=value&…, signed
        SHA256withRSA (Alipay's "RSA2") by the hall's private key."""
        params = {
            "app_id": self.config["client_id"], "method": ALIPAY_METHOD, "format": "JSON",
            "charset": "utf-8", "sign_type": "RSA2", "version": "1.0",
            "timestamp": datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S"),
            "grant_type": "authorization_code", "code": code,
        }
        private_key = self._key("private_key_file",
                                lambda data: serialization.load_pem_private_key(data, password=None))
        signature = private_key.sign(signing_text(params), padding.PKCS1v15(), hashes.SHA256())
        return {**params, "sign": base64.b64encode(signature).decode()}

    def finish(self, *, code: str, kept: dict) -> ProviderIdentity:
        try:
            response = requests.post(self.config.get("gateway_url") or ALIPAY_GATEWAY,
                                     data=self.signed_params(code), timeout=settings.LOGIN_PROVIDER_TIMEOUT)
            body = response.text
            answer = json.loads(body)
        except requests.RequestException as exc:
            raise provider_request_error(self.provider, exc) from exc
        except ValueError as exc:
            raise provider_error(self.provider, "unavailable", "not json") from exc
        if not isinstance(answer, dict):
            raise provider_error(self.provider, "token", "not an object")
        if "error_response" in answer:
            error = answer["error_response"] if isinstance(answer["error_response"], dict) else {}
            reason = "code" if error.get("sub_code") in ALIPAY_BAD_CODE else "token"
            raise provider_error(self.provider, reason, str(error.get("sub_code") or error.get("code"))[:40])
        self._verify(body, answer)
        token = answer.get("alipay_system_oauth_token_response") or {}
        subject = str(token.get("open_id") or token.get("user_id") or "") if isinstance(token, dict) else ""
        if not subject or len(subject) > 255:
            raise provider_error(self.provider, "claims")
        return ProviderIdentity(provider=self.provider.key, subject=subject)

    def _verify(self, body: str, answer: dict) -> None:
        """Alipay signs the JSON text of its response object exactly as sent."""
        text = response_object_text(body, "alipay_system_oauth_token_response")
        public_key = self._key("alipay_public_key_file", serialization.load_pem_public_key)
        try:
            signature = base64.b64decode(str(answer.get("sign", "")), validate=True)
            public_key.verify(signature, text.encode(), padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError) as exc:
            raise provider_error(self.provider, "token", "alipay signature") from exc


def signing_text(params: dict) -> bytes:
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if v not in ("", None)).encode()


def response_object_text(body: str, key: str) -> str:
    """The raw text of `"key": {...}` in `body` (the bytes Alipay signed, not a re-encoding)."""
    start = body.find(f'"{key}"')
    if start < 0:
        return ""
    start = body.find("{", start)
    decoder = json.JSONDecoder()
    try:
        _obj, end = decoder.raw_decode(body, start)
    except ValueError:
        return ""
    return body[start:end]
