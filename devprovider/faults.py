"""Test-only switches (DEVPROVIDER_FAULTS=1): make the next token response go wrong in one
chosen way, as a real provider's might, so the hall's refusals can be tested end to end.
Off by default: the endpoints answer 404 and the middleware does nothing."""

import base64
import json
import os
import time
from datetime import timedelta

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from jwcrypto import jwk, jwt
from oauth2_provider.models import Grant

from .models import Fault

MODES = {"none", "signature", "issuer", "audience", "nonce", "slow", "expired_code"}
TOKEN_PATH = "/token/"  # noqa: S105 - a path


def enabled() -> bool:
    return os.environ.get("DEVPROVIDER_FAULTS") == "1"


@csrf_exempt
def arm(request):
    if not enabled():
        raise Http404
    body = json.loads(request.body or b"{}")
    mode = body.get("mode", "none")
    if mode not in MODES:
        return JsonResponse({"error": f"unknown mode {mode}"}, status=400)
    Fault.objects.all().delete()
    if mode != "none":
        Fault.objects.create(mode=mode, seconds=float(body.get("seconds") or 10))
    return JsonResponse({"mode": mode})


def _claims_of(id_token: str) -> dict:
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _signed(claims: dict, key: jwk.JWK, kid: str) -> str:
    token = jwt.JWT(header={"alg": "RS256", "kid": kid, "typ": "JWT"}, claims=claims)
    token.make_signed_token(key)
    return token.serialize()


def tampered(id_token: str, mode: str) -> str:
    key = jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())
    kid = key.thumbprint()
    claims = _claims_of(id_token)
    if mode == "signature":
        return _signed(claims, jwk.JWK.generate(kty="RSA", size=2048), kid)
    if mode == "issuer":
        claims["iss"] = "http://evil.example"
    elif mode == "audience":
        claims["aud"] = "someone-else"
    elif mode == "nonce":
        claims["nonce"] = "not-the-nonce-you-sent"
    return _signed(claims, key, kid)


class FaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (enabled() and request.method == "POST" and request.path == TOKEN_PATH):
            return self.get_response(request)
        fault = Fault.objects.first()
        if fault is not None:
            Fault.objects.filter(pk=fault.pk).delete()  # one shot
            if fault.mode == "slow":
                time.sleep(fault.seconds)
            elif fault.mode == "expired_code":
                Grant.objects.filter(code=request.POST.get("code", "")).update(
                    expires=timezone.now() - timedelta(seconds=1))
        response = self.get_response(request)
        if fault is None or fault.mode in ("slow", "expired_code") or response.status_code != 200:
            return response
        body = json.loads(response.content)
        if "id_token" in body:
            body["id_token"] = tampered(body["id_token"], fault.mode)
            response.content = json.dumps(body).encode()
            response["Content-Length"] = str(len(response.content))
        return response
