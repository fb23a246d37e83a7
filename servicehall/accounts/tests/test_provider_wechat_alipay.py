"""WeChat and Alipay through the hall's pages, against stand-ins of their token endpoints served
on this machine (their real ones are on the internet): the request each receives (WeChat's
appid and secret; Alipay's RSA2 signature, checked with the hall's public key), the answer
each gives (Alipay's signed with its own key), and what the person sees."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.urls import reverse

from servicehall.accounts.models import ProviderBinding
from servicehall.accounts.providers_cn import signing_text
from servicehall.audit.models import AuditEntry
from tests.people import PASSWORD

from .factories import PersonFactory

pytestmark = pytest.mark.django_db


def _pem(key, private: bool) -> bytes:
    if private:
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


class StandIn(BaseHTTPRequestHandler):
    """WeChat's GET /sns/oauth2/access_token and Alipay's POST /gateway.do."""

    seen: list = []
    hall_public_key = None
    alipay_key = None
    sign_with = None  # the key Alipay's answer is signed with (another one: a forged answer)

    def log_message(self, *args):
        pass

    def _answer(self, body: str):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def do_GET(self):
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        self.seen.append(query)
        if query.get("code") == "good" and query.get("secret") == "wx-secret":
            return self._answer(json.dumps({"access_token": "t", "openid": "o-1", "unionid": "u-1"}))
        return self._answer(json.dumps({"errcode": 40029, "errmsg": "invalid code"}))

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        params = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        self.seen.append(params)
        signature = base64.b64decode(params.pop("sign"))
        self.hall_public_key.verify(signature, signing_text(params), padding.PKCS1v15(), hashes.SHA256())
        if params["code"] != "good":
            return self._answer('{"error_response":{"code":"40002","sub_code":"isv.code-invalid"}}')
        inner = '{"user_id":"2088001","access_token":"t","expires_in":3600}'
        sign = base64.b64encode(self.sign_with.sign(inner.encode(), padding.PKCS1v15(), hashes.SHA256()))
        body = '{"alipay_system_oauth_token_response":' + inner + ',"sign":"' + sign.decode() + '"}'
        return self._answer(body)


@pytest.fixture(scope="module")
def stand_in():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def providers(settings, stand_in, tmp_path):
    hall_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    alipay_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "hall.pem").write_bytes(_pem(hall_key, private=True))
    (tmp_path / "alipay.pem").write_bytes(_pem(alipay_key, private=False))
    StandIn.seen, StandIn.hall_public_key = [], hall_key.public_key()
    StandIn.alipay_key = StandIn.sign_with = alipay_key
    settings.LOGIN_PROVIDERS = [
        {"key": "wechat", "kind": "wechat", "label": "微信", "client_id": "wx-app",
         "client_secret": "wx-secret", "token_url": f"{stand_in}/sns/oauth2/access_token",
         "app_redirect_uri": ""},
        {"key": "alipay", "kind": "alipay", "label": "支付宝", "client_id": "2021000",
         "private_key_file": str(tmp_path / "hall.pem"),
         "alipay_public_key_file": str(tmp_path / "alipay.pem"),
         "gateway_url": f"{stand_in}/gateway.do", "app_redirect_uri": ""},
    ]
    return StandIn


def _start(client, key: str) -> tuple[str, dict]:
    response = client.get(reverse("accounts:provider_start", args=[key]))
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    return url.netloc, {k: v[0] for k, v in parse_qs(url.query).items()}


def test_the_buttons_show_only_what_is_configured(client, settings):
    settings.LOGIN_PROVIDERS = []
    assert "其他登录方式" not in client.get(reverse("accounts:login")).content.decode()
    settings.LOGIN_PROVIDERS = [{"key": "wechat", "kind": "wechat", "label": "微信", "client_id": "wx",
                                 "client_secret": "s", "app_redirect_uri": ""}]
    page = client.get(reverse("accounts:login")).content.decode()
    assert "其他登录方式" in page and "微信登录" in page and "支付宝登录" not in page
    assert client.get(reverse("accounts:provider_start", args=["alipay"])).status_code == 400


def test_wechat_sends_the_person_to_its_qr_page_and_exchanges_the_code(client, providers):
    host, query = _start(client, "wechat")
    assert host == "open.weixin.qq.com"
    assert query["appid"] == "wx-app" and query["scope"] == "snsapi_login"
    assert query["redirect_uri"].endswith("/accounts/login/provider/wechat/callback/")
    callback = reverse("accounts:provider_callback", args=["wechat"])
    response = client.get(callback, {"code": "good", "state": query["state"]})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:provider_link")
    assert providers.seen[-1] == {"appid": "wx-app", "secret": "wx-secret", "code": "good",
                                  "grant_type": "authorization_code"}
    person = PersonFactory(index=1)
    page = client.post(reverse("accounts:provider_link"), {"identifier": person.mobile, "password": PASSWORD})
    assert page.status_code == 302
    assert ProviderBinding.objects.get(provider="wechat").subject == "u-1"  # the unionid


def test_a_wechat_code_that_is_wrong_or_used_is_refused_in_words(client, providers):
    _host, query = _start(client, "wechat")
    callback = reverse("accounts:provider_callback", args=["wechat"])
    page = client.get(callback, {"code": "old", "state": query["state"]})
    assert page.status_code == 400
    assert "微信的授权已失效（已过期或已使用），请重新登录" in page.content.decode()
    assert AuditEntry.objects.get(action="account.provider.refused").detail["reason"] == "provider_code"


def test_alipay_signs_its_request_and_its_answer_is_checked(client, providers):
    host, query = _start(client, "alipay")
    assert host == "openauth.alipay.com" and query["app_id"] == "2021000"
    callback = reverse("accounts:provider_callback", args=["alipay"])
    response = client.get(callback, {"auth_code": "good", "state": query["state"]})
    assert response["Location"] == reverse("accounts:provider_link")  # the stand-in checked our signature
    assert providers.seen[-1]["method"] == "alipay.system.oauth.token"
    assert providers.seen[-1]["sign_type"] == "RSA2"
    # An answer signed by anyone but Alipay is refused.
    providers.sign_with = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _host, query = _start(client, "alipay")
    page = client.get(callback, {"auth_code": "good", "state": query["state"]})
    assert page.status_code == 400 and "支付宝返回的身份信息未通过校验" in page.content.decode()
    entry = AuditEntry.objects.filter(action="account.provider.refused").latest("id")
    assert entry.detail == {"provider": "alipay", "reason": "provider_token", "detail": "alipay signature"}


def test_an_alipay_code_that_is_not_valid_is_refused(client, providers):
    _host, query = _start(client, "alipay")
    page = client.get(reverse("accounts:provider_callback", args=["alipay"]),
                      {"auth_code": "stale", "state": query["state"]})
    assert page.status_code == 400 and "支付宝的授权已失效" in page.content.decode()
    assert not ProviderBinding.objects.exists()
