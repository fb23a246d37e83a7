"""Test-only switches (DEVPROVIDER_FAULTS=1): make the next token response go wrong in one chosen
way, as a real provider's might, so the hall's refusals can be tested end to end. Off by default:
the endpoints answer 404 and the middleware does nothing.

The armed fault is a row in the provider's database, so it holds across threads and requests."""

import base64
import functools
import json
import os
import time
from datetime import timedelta

from django.conf import settings
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from jwcrypto import jwk, jwt
from oauth2_provider.models import Grant

from .models import Fault

# What each fault does to the next token response:
TAMPERING = {
    "signature": "id_token signed with another RSA key, under the provider's kid",
    "issuer": "iss is http://evil.example (correctly signed)",
    "audience": "aud is someone-else (correctly signed)",
    "nonce": "nonce is another one (correctly signed)",
}
BEFORE = {
    "slow": "sleep `seconds` (default 10), then answer as usual",
    "expired_code": "the code being redeemed has expired in DOT's Grant table: DOT says invalid_grant",
}
MODES = {"none", *TAMPERING, *BEFORE}
DEFAULT_SECONDS = 10.0


def enabled() -> bool:
    return os.environ.get("DEVPROVIDER_FAULTS") == "1"


def test_only(view):
    """404 unless DEVPROVIDER_FAULTS=1, whatever the method."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not enabled():
            raise Http404
        return view(request, *args, **kwargs)
    return wrapped


def json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body


@csrf_exempt
@test_only
@require_POST
def arm(request):
    """POST /_faults {"mode": M, "seconds": S}: arm a one-shot fault; {"mode": "none"} disarms."""
    try:
        body = json_body(request)
        mode = body.get("mode", "none")
        seconds = float(body.get("seconds") or DEFAULT_SECONDS)
    except (TypeError, ValueError) as error:
        return JsonResponse({"error": str(error)}, status=400)
    if mode not in MODES:
        return JsonResponse({"error": f"unknown mode {mode!r}; one of {sorted(MODES)}"}, status=400)
    Fault.objects.all().delete()
    if mode != "none":
        Fault.objects.create(mode=mode, seconds=seconds)
    return JsonResponse({"mode": mode, "seconds": seconds if mode == "slow" else None})


def _take() -> Fault | None:
    """The armed fault, disarmed on the way: only one request can take it."""
    fault = Fault.objects.first()
    if fault is None or not Fault.objects.filter(pk=fault.pk).delete()[0]:
        return None
    return fault


def _claims_of(id_token: str) -> dict:
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _signed(claims: dict, key: jwk.JWK, kid: str) -> str:
    token = jwt.JWT(header={"typ": "JWT", "alg": "RS256", "kid": kid}, claims=claims)
    token.make_signed_token(key)
    return token.serialize()


def tampered(id_token: str, mode: str) -> str:
    key = jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())
    kid = key.thumbprint()  # the kid DOT puts in its id_tokens' header
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
    """Applies the armed fault to the next POST to DOT's token endpoint."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.token_path = None

    def __call__(self, request):
        if not enabled() or request.method != "POST":
            return self.get_response(request)
        if self.token_path is None:
            self.token_path = reverse("oauth2_provider:token")
        if request.path != self.token_path:
            return self.get_response(request)
        fault = _take()
        if fault is None:
            return self.get_response(request)
        if fault.mode == "slow":
            time.sleep(fault.seconds)
        elif fault.mode == "expired_code":
            Grant.objects.filter(code=request.POST.get("code", "")).update(
                expires=timezone.now() - timedelta(seconds=1))
        response = self.get_response(request)
        if fault.mode not in TAMPERING or response.status_code != 200:
            return response
        body = json.loads(response.content)
        if "id_token" in body:
            body["id_token"] = tampered(body["id_token"], fault.mode)
            response.content = json.dumps(body).encode()
            response["Content-Length"] = str(len(response.content))
        return response
