"""The local OpenID Connect provider (devprovider/), from the outside: plain HTTP against the
running process (tests/provider.py), as a client of it would talk, with nothing of the hall and no
database. The authorization code flow with PKCE, the id_token checked against the JWKS, the claims
of each demo identity, the redirect URIs allowed on any loopback port, and each test-only fault
observed once and then gone."""

import ast
import base64
import contextlib
import hashlib
import json
import os
import random
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.errors import BadSignatureError, InvalidClaimError
from joserfc.jwk import KeySet

from tests.provider import DEMO_PASSWORD, ROOT, free_port, stop

SCOPES = "openid profile phone idcard"
CALLBACK_PATH = "/accounts/login/provider/jszwfw/callback/"


def _port() -> int:
    return random.randint(1024, 65535)


def hall_callback(host: str = "127.0.0.1") -> str:
    """The hall's callback on a port chosen at run time, as pytest-django's live server has."""
    return f"http://{host}:{_port()}{CALLBACK_PATH}"


@pytest.fixture(scope="module")
def metadata(local_provider) -> dict:
    return requests.get(local_provider.discovery_url, timeout=10).json()


@pytest.fixture(scope="module")
def jwks(metadata) -> KeySet:
    return KeySet.import_key_set(requests.get(metadata["jwks_uri"], timeout=10).json())


@dataclass
class Authorization:
    """Where the provider sent the browser back to (or the page it stopped at), and the secrets
    the client kept for the token request."""

    response: requests.Response
    redirect_uri: str
    verifier: str
    nonce: str
    state: str

    @property
    def location(self) -> str:
        return self.response.headers.get("Location", "")

    @property
    def query(self) -> dict:
        return {key: values[0] for key, values in parse_qs(urlsplit(self.location).query).items()}

    @property
    def code(self) -> str:
        assert self.location.startswith(self.redirect_uri + "?"), (self.response.status_code, self.location)
        assert self.query["state"] == self.state
        return self.query["code"]


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def authorize(provider, metadata, username: str, *, password: str = DEMO_PASSWORD, redirect_uri=None,
              scope: str = SCOPES, pkce: str | None = "S256", session=None) -> Authorization:
    """A browser: open the authorization URL, log in on the provider's page when it asks, and
    stop at the first redirect that leaves the provider (or at a page that does not redirect)."""
    redirect_uri = redirect_uri or hall_callback()
    verifier, nonce, state = secrets.token_urlsafe(48), secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    params = {"response_type": "code", "client_id": provider.client_id, "redirect_uri": redirect_uri,
              "scope": scope, "state": state, "nonce": nonce}
    if pkce == "S256":
        params.update(code_challenge=_challenge(verifier), code_challenge_method="S256")
    elif pkce == "plain":
        params.update(code_challenge=verifier, code_challenge_method="plain")
    session = session or requests.Session()
    response = session.get(metadata["authorization_endpoint"], params=params, allow_redirects=False,
                           timeout=10)
    logged_in = False
    for _hop in range(8):
        if response.status_code == 200 and not logged_in and 'name="csrfmiddlewaretoken"' in response.text:
            logged_in = True
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
            next_url = re.search(r'name="next" value="([^"]*)"', response.text).group(1)
            response = session.post(response.url, data={
                "csrfmiddlewaretoken": token, "username": username, "password": password,
                "next": next_url.replace("&amp;", "&")}, allow_redirects=False, timeout=10)
        elif response.status_code == 302:
            location = urljoin(response.url, response.headers["Location"])
            if not location.startswith(provider.issuer + "/"):
                break
            response = session.get(location, allow_redirects=False, timeout=10)
        else:
            break
    return Authorization(response, redirect_uri, verifier, nonce, state)


def redeem(provider, metadata, back: Authorization, *, auth: str = "basic", verifier=None,
           secret=None) -> requests.Response:
    """The client's token request, authenticated with client_secret_basic or client_secret_post."""
    data = {"grant_type": "authorization_code", "code": back.code, "redirect_uri": back.redirect_uri,
            "code_verifier": back.verifier if verifier is None else verifier}
    secret = secret or provider.client_secret
    if auth == "basic":
        return requests.post(metadata["token_endpoint"], data=data, auth=(provider.client_id, secret),
                             timeout=30)
    return requests.post(metadata["token_endpoint"], timeout=30,
                         data={**data, "client_id": provider.client_id, "client_secret": secret})


def id_token_claims(provider, jwks: KeySet, back: Authorization, id_token: str) -> dict:
    """What a careful client does: RS256 signature by the key the header's kid names, then iss,
    aud and nonce. Returns the claims."""
    token = jwt.decode(id_token, jwks, algorithms=["RS256"])
    assert token.header["kid"] in {key.kid for key in jwks.keys}
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        nonce={"essential": True, "value": back.nonce},
        sub={"essential": True},
    ).validate(token.claims)
    return token.claims


def login(provider, metadata, jwks, username: str, **kwargs) -> tuple[dict, dict]:
    """The whole flow; returns the id_token's claims and the token response."""
    back = authorize(provider, metadata, username, **kwargs)
    tokens = redeem(provider, metadata, back)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    return id_token_claims(provider, jwks, back, body["id_token"]), body


PERSON_CLAIMS = ["name", "phone_number", "phone_number_verified", "id_number"]
DEMO_CLAIMS = {
    "zhangxiaoming": {"name": "张晓明", "id_number": "320102200403150038",
                      "phone_number": "13800000001", "phone_number_verified": True},
    "lisi": {"name": "李思", "id_number": "32010220050601002X", "phone_number": "13900000002",
             "phone_number_verified": True},
    "wangwu": {"name": "王五", "phone_number": "13800000001", "phone_number_verified": True},
    "zhaoliu": {"name": "赵六"},
}


def test_discovery_names_the_issuer_and_what_it_supports(local_provider, metadata):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", local_provider.issuer)
    assert metadata["issuer"] == local_provider.issuer
    assert metadata["jwks_uri"].startswith(local_provider.issuer + "/")
    assert metadata["response_types_supported"] == ["code"]
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert set(metadata["token_endpoint_auth_methods_supported"]) >= {"client_secret_basic",
                                                                      "client_secret_post"}
    assert set(metadata["scopes_supported"]) >= {"openid", "profile", "phone", "idcard"}
    assert "RS256" in metadata["id_token_signing_alg_values_supported"]
    assert set(metadata["claims_supported"]) >= {"sub", *PERSON_CLAIMS}


@pytest.mark.parametrize("username", list(DEMO_CLAIMS))
def test_each_demo_identity_logs_in_and_is_vouched_for_as_documented(local_provider, metadata, jwks,
                                                                     username):
    claims, tokens = login(local_provider, metadata, jwks, username)

    assert claims["sub"] == local_provider.sub(username)
    assert claims["sub"] != username and not claims["sub"].isdigit()  # opaque, not the user's name or pk
    assert {key: claims[key] for key in PERSON_CLAIMS if key in claims} == DEMO_CLAIMS[username]
    userinfo = requests.get(metadata["userinfo_endpoint"], timeout=10,
                            headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.json() == {"sub": claims["sub"], **DEMO_CLAIMS[username]}


def test_the_scopes_asked_for_limit_the_claims(local_provider, metadata, jwks):
    claims, _tokens = login(local_provider, metadata, jwks, "zhangxiaoming", scope="openid profile")

    assert claims["name"] == "张晓明"
    assert not {"phone_number", "phone_number_verified", "id_number"} & set(claims)


@pytest.mark.parametrize("redirect_uri", [
    pytest.param(lambda: hall_callback("127.0.0.1"), id="hall-127.0.0.1-any-port"),
    pytest.param(lambda: hall_callback("localhost"), id="hall-localhost-any-port"),
    pytest.param(lambda: "http://127.0.0.1:8000" + CALLBACK_PATH, id="make-run"),
    pytest.param(lambda: f"http://127.0.0.1:{_port()}/app/callback", id="app-any-port"),
    pytest.param(lambda: "http://127.0.0.1/app/callback", id="app-no-port"),
])
def test_loopback_redirect_uris_are_allowed_on_any_port(local_provider, metadata, jwks, redirect_uri):
    uri = redirect_uri()
    back = authorize(local_provider, metadata, "lisi", redirect_uri=uri)

    assert back.response.status_code == 302
    assert back.location.startswith(uri + "?code=")
    assert redeem(local_provider, metadata, back).status_code == 200


@pytest.mark.parametrize("redirect_uri", [
    "http://evil.example" + CALLBACK_PATH,
    "http://127.0.0.1.evil.example" + CALLBACK_PATH,
    "http://[::1]:8000" + CALLBACK_PATH,
    "https://localhost:8000" + CALLBACK_PATH,
    "http://localhost:8000/accounts/login/provider/other/callback/",
    "http://localhost:8000" + CALLBACK_PATH + "?next=/evil",
    "http://localhost:8000/app/callback",
])
def test_other_redirect_uris_are_refused_without_a_redirect(local_provider, metadata, redirect_uri):
    back = authorize(local_provider, metadata, "lisi", redirect_uri=redirect_uri)

    assert back.response.status_code == 400
    assert "Location" not in back.response.headers


def test_both_ways_of_client_authentication_work_and_a_wrong_secret_does_not(local_provider, metadata):
    for auth in ("basic", "post"):
        back = authorize(local_provider, metadata, "zhaoliu")
        assert redeem(local_provider, metadata, back, auth=auth).status_code == 200, auth

        back = authorize(local_provider, metadata, "zhaoliu")
        refused = redeem(local_provider, metadata, back, auth=auth, secret="not-the-secret")
        assert refused.status_code == 401, auth
        assert refused.json()["error"] == "invalid_client"


@pytest.mark.parametrize("pkce", [None, "plain"])
def test_an_authorization_request_without_s256_pkce_is_refused(local_provider, metadata, pkce):
    back = authorize(local_provider, metadata, "zhangxiaoming", pkce=pkce)

    assert back.location.startswith(back.redirect_uri + "?")
    assert back.query["error"] == "invalid_request"
    assert "code" not in back.query


def test_a_wrong_or_missing_code_verifier_and_a_second_use_of_a_code_are_refused(local_provider,
                                                                               metadata):
    for verifier in ("", secrets.token_urlsafe(48)):
        back = authorize(local_provider, metadata, "zhangxiaoming")
        refused = redeem(local_provider, metadata, back, verifier=verifier)
        assert refused.status_code == 400
        assert refused.json()["error"] in ("invalid_grant", "invalid_request")

    back = authorize(local_provider, metadata, "zhangxiaoming")
    assert redeem(local_provider, metadata, back).status_code == 200
    again = redeem(local_provider, metadata, back)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_the_login_page_is_chinese_labelled_and_says_when_the_password_is_wrong(local_provider,
                                                                               metadata):
    back = authorize(local_provider, metadata, "zhangxiaoming", password="wrong-password")
    page = back.response.text

    assert back.response.status_code == 200
    assert '<html lang="zh-Hans">' in page
    assert "<title>统一身份认证（本机开发用）</title>" in page
    assert '<label for="id_username">用户名</label>' in page
    assert '<label for="id_password">密码</label>' in page
    assert ">登录</button>" in page
    assert "用户名或密码错误" in page
    assert "<td>zhangxiaoming</td>" in page  # the demo identities, listed


def _tamper_observed_once(local_provider, metadata, jwks, mode) -> dict:
    local_provider.fault(mode)
    back = authorize(local_provider, metadata, "zhangxiaoming")
    tokens = redeem(local_provider, metadata, back)
    assert tokens.status_code == 200, tokens.text
    id_token = tokens.json()["id_token"]
    # the next one is as usual again
    claims, _tokens = login(local_provider, metadata, jwks, "zhangxiaoming")
    assert claims["iss"] == local_provider.issuer
    return {"back": back, "id_token": id_token}


def test_fault_signature_signs_with_another_key_under_the_same_kid(local_provider, metadata, jwks):
    seen = _tamper_observed_once(local_provider, metadata, jwks, "signature")

    encoded = seen["id_token"].split(".")[0]
    header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    assert header["alg"] == "RS256"
    assert header["kid"] in {key.kid for key in jwks.keys}
    with pytest.raises(BadSignatureError):
        jwt.decode(seen["id_token"], jwks, algorithms=["RS256"])


@pytest.mark.parametrize(("mode", "claim", "value"), [
    ("issuer", "iss", "http://evil.example"),
    ("audience", "aud", "someone-else"),
    ("nonce", "nonce", None),
])
def test_fault_changes_one_claim_correctly_signed(local_provider, metadata, jwks, mode, claim, value):
    seen = _tamper_observed_once(local_provider, metadata, jwks, mode)

    claims = jwt.decode(seen["id_token"], jwks, algorithms=["RS256"]).claims  # the signature holds
    if value is None:
        assert claims[claim] != seen["back"].nonce
    else:
        assert claims[claim] == value
    with pytest.raises(InvalidClaimError, match=claim):
        id_token_claims(local_provider, jwks, seen["back"], seen["id_token"])


def test_fault_slow_delays_one_token_response(local_provider, metadata, jwks):
    local_provider.fault("slow", seconds=1.5)
    back = authorize(local_provider, metadata, "zhangxiaoming")
    started = time.monotonic()
    tokens = redeem(local_provider, metadata, back)
    assert time.monotonic() - started >= 1.5
    id_token_claims(local_provider, jwks, back, tokens.json()["id_token"])  # then answers as usual

    back = authorize(local_provider, metadata, "zhangxiaoming")
    started = time.monotonic()
    assert redeem(local_provider, metadata, back).status_code == 200
    assert time.monotonic() - started < 1.5


def test_fault_expired_code_has_dot_refuse_the_code_once(local_provider, metadata, jwks):
    local_provider.fault("expired_code")
    back = authorize(local_provider, metadata, "zhangxiaoming")
    refused = redeem(local_provider, metadata, back)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"

    login(local_provider, metadata, jwks, "zhangxiaoming")


def test_fault_none_disarms(local_provider, metadata, jwks):
    local_provider.fault("issuer")
    local_provider.fault("none")

    claims, _tokens = login(local_provider, metadata, jwks, "zhangxiaoming")
    assert claims["iss"] == local_provider.issuer


def test_an_unknown_fault_is_refused(local_provider):
    response = requests.post(f"{local_provider.issuer}/_faults", json={"mode": "down"}, timeout=10)

    assert response.status_code == 400


def test_identities_are_made_updated_and_looked_up(local_provider, metadata, jwks):
    sub = local_provider.identity("qianqi", password="Qian@2026", name="钱七",
                                  id_number="320102199001010016", mobile="13700000007")
    claims, _tokens = login(local_provider, metadata, jwks, "qianqi", password="Qian@2026")
    assert claims["sub"] == sub == local_provider.sub("qianqi")
    assert (claims["name"], claims["id_number"], claims["phone_number"]) == (
        "钱七", "320102199001010016", "13700000007")

    assert local_provider.identity("qianqi", name="钱七七") == sub  # an update keeps the sub
    claims, _tokens = login(local_provider, metadata, jwks, "qianqi")  # and the password it was given
    assert claims["name"] == "钱七七"
    assert "id_number" not in claims and "phone_number" not in claims

    response = requests.get(f"{local_provider.issuer}/_identities/nobody", timeout=10)
    assert response.status_code == 404


def _copy_data(source: Path, target: Path) -> None:
    """A consistent copy of a running provider's data directory (its database is in WAL mode)."""
    target.mkdir()
    for name in ("secret-key", "signing-key.pem"):
        shutil.copy2(source / name, target / name)
    with contextlib.closing(sqlite3.connect(source / "provider.sqlite3")) as src, \
            contextlib.closing(sqlite3.connect(target / "provider.sqlite3")) as dst:
        src.backup(dst)


def test_a_restart_keeps_keys_and_subs_prints_the_identities_and_hides_the_test_endpoints(
        local_provider, jwks, tmp_path):
    data = tmp_path / "again"
    _copy_data(local_provider.data, data)
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DEVPROVIDER_FAULTS"}
    process = subprocess.Popen(
        [sys.executable, "-m", "devprovider", "--port", str(port), "--data", str(data)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)
    watchdog = threading.Timer(30, process.kill)  # never wait for a line forever
    watchdog.start()
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("devprovider ready on"):
                break
        output = "".join(lines)
        assert f"devprovider ready on http://127.0.0.1:{port}\n" in output
        for username in DEMO_CLAIMS:
            assert username in output
        issuer = f"http://127.0.0.1:{port}"
        again = KeySet.import_key_set(requests.get(f"{issuer}/.well-known/jwks.json", timeout=10).json())
        assert {key.kid for key in again.keys} == {key.kid for key in jwks.keys}
        assert requests.get(f"{issuer}/_identities/lisi", timeout=10).status_code == 404
        assert requests.get(f"{issuer}/_faults", timeout=10).status_code == 404
        assert requests.post(f"{issuer}/_faults", json={"mode": "issuer"}, timeout=10).status_code == 404
        assert requests.post(f"{issuer}/_identities", json={"username": "x"}, timeout=10).status_code == 404
    finally:
        watchdog.cancel()
        stop(process)
        process.stdout.close()
    with contextlib.closing(sqlite3.connect(data / "provider.sqlite3")) as db:  # same person, same sub
        (sub,) = db.execute("SELECT sub FROM devprovider_identity i JOIN auth_user u ON u.id = i.user_id "
                            "WHERE u.username = 'lisi'").fetchone()
    assert sub == local_provider.sub("lisi")


def test_its_migrations_match_its_models(local_provider, tmp_path):
    data = tmp_path / "check"
    _copy_data(local_provider.data, data)
    env = {**os.environ, "DEVPROVIDER_DATA": str(data), "DEVPROVIDER_ISSUER": "http://127.0.0.1:1",
           "DJANGO_SETTINGS_MODULE": "devprovider.settings"}
    check = subprocess.run(
        [sys.executable, "-m", "django", "makemigrations", "devprovider", "--check", "--dry-run"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_hall_never_imports_the_provider():
    offenders = []
    for path in sorted((ROOT / "servicehall").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno}" for name in names
                          if name.split(".")[0] == "devprovider"]
    assert not offenders
