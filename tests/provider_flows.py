"""A person at the local provider (tests/provider.py), as plain HTTP: log in on its page and
come back with a code. The hall's side is Django's test client; the provider's a `requests`
session, as a browser would hold two sites' cookies."""

import base64
import hashlib
import re
import secrets
from html import unescape as html_unescape
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests

DEMO_PASSWORD = "Demo@2026"
HALL_HOST = "localhost:8000"  # the hall's host for the test client; the provider allows any port
APP_REDIRECT_URI = "http://127.0.0.1/app/callback"


def provider_config(provider, *, key="jszwfw", label="江苏政务服务网", issuer=None) -> dict:
    """The hall's LOGIN_PROVIDERS entry for the local provider."""
    return {"key": key, "kind": "oidc", "label": label, "issuer": issuer or provider.issuer,
            "client_id": provider.client_id, "client_secret": provider.client_secret,
            "scopes": "openid profile phone idcard", "id_number_claim": "id_number",
            "app_redirect_uri": APP_REDIRECT_URI}


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"\s+value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"\s+name="{name}"', html)
    return html_unescape(found.group(1)) if found else ""


def sign_in_at_provider(authorize_url: str, username: str, password: str = DEMO_PASSWORD,
                        *, stop_at: str) -> str:
    """Open the provider's authorization URL, log in on its page, follow its redirects and
    return the first URL that starts with `stop_at` (the hall's callback or the app's)."""
    session = requests.Session()
    page = session.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text[:300]
    form = {"csrfmiddlewaretoken": _hidden(page.text, "csrfmiddlewaretoken"), "username": username,
            "password": password}
    next_value = _hidden(page.text, "next")
    if next_value:
        form["next"] = next_value
    response = session.post(page.url, data=form, headers={"Referer": page.url}, allow_redirects=False,
                            timeout=10)
    for _hop in range(10):
        assert response.status_code in (301, 302, 303), (response.status_code, response.text[-1500:])
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(stop_at):
            return location
        response = session.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the person back")


def hall_login_through_provider(client, username: str, *, key="jszwfw", password=DEMO_PASSWORD,
                                start=None):
    """Press the hall's button, log in at the provider, and come back: returns the hall's
    answer to the callback."""
    response = client.get(start or f"/accounts/login/provider/{key}/", HTTP_HOST=HALL_HOST)
    assert response.status_code == 302, response.content.decode()[:500]
    callback = sign_in_at_provider(response["Location"], username, password,
                                   stop_at=f"http://{HALL_HOST}/accounts/login/provider/{key}/callback/")
    return client.get(callback[len(f"http://{HALL_HOST}"):], HTTP_HOST=HALL_HOST)


def callback_url_of(client, username: str, *, key="jszwfw", start=None) -> str:
    """Like hall_login_through_provider, but stop before the hall sees the callback (to tamper
    with it): returns its path and query."""
    response = client.get(start or f"/accounts/login/provider/{key}/", HTTP_HOST=HALL_HOST)
    assert response.status_code == 302, response.content.decode()[:500]
    callback = sign_in_at_provider(response["Location"], username,
                                   stop_at=f"http://{HALL_HOST}/accounts/login/provider/{key}/callback/")
    return callback[len(f"http://{HALL_HOST}"):]


def app_code(provider, username: str, *, password=DEMO_PASSWORD) -> dict:
    """What the app does before calling the hall: discovery, PKCE and nonce of its own, the
    person's login at the provider, and the code at its redirect URI. Returns the hall's body."""
    metadata = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10).json()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    url = metadata["authorization_endpoint"] + "?" + urlencode({
        "response_type": "code", "client_id": provider.client_id, "redirect_uri": APP_REDIRECT_URI,
        "scope": "openid profile phone idcard", "state": state, "nonce": nonce,
        "code_challenge": challenge, "code_challenge_method": "S256"})
    back = sign_in_at_provider(url, username, password, stop_at=APP_REDIRECT_URI)
    query = {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}
    assert query["state"] == state
    return {"provider": "jszwfw", "code": query["code"], "code_verifier": verifier, "nonce": nonce}
