"""其他登录方式 through the pages, end to end against the local OpenID Connect provider
(devprovider, started per test worker by tests/provider.py): log in, bind, unbind, log in
again, and each bad answer refused in words, with an audit entry and no account made."""

import pytest
from django.contrib.auth import get_user
from django.test import Client

from servicehall.accounts.models import ProviderBinding, User
from servicehall.audit.models import AuditEntry
from tests.people import PASSWORD
from tests.provider_flows import (
    HALL_HOST,
    callback_url_of,
    hall_login_through_provider,
    provider_config,
    sign_in_at_provider,
)

from .factories import PersonFactory

pytestmark = pytest.mark.django_db
LI_SI_ID = "32010220050601002X"


@pytest.fixture(autouse=True)
def _configured(settings, local_provider):
    local_provider.fault("none")
    settings.LOGIN_PROVIDERS = [provider_config(local_provider)]
    settings.LOGIN_PROVIDER_TIMEOUT = 2


@pytest.fixture
def client():
    return Client(REMOTE_ADDR="10.0.0.7")


def refusal(reason: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(action="account.provider.refused").latest("id")
    assert entry.detail["reason"] == reason, entry.detail
    return entry


def test_the_unified_identity_logs_in_to_the_account_of_its_id_number(client, person):
    response = hall_login_through_provider(client, "zhangxiaoming")
    assert response.status_code == 302 and response["Location"] == "/center/"
    assert get_user(client) == person
    binding = ProviderBinding.objects.get(user=person)
    assert binding.provider == "jszwfw" and binding.subject != "zhangxiaoming"  # the provider's opaque sub


def test_bind_unbind_and_log_in_again(client, person):
    client.force_login(person)
    response = client.post("/accounts/bindings/jszwfw/bind/", HTTP_HOST=HALL_HOST)
    assert response.status_code == 302
    callback = sign_in_at_provider(response["Location"], "zhangxiaoming",
                                   stop_at=f"http://{HALL_HOST}/accounts/login/provider/jszwfw/callback/")
    done = client.get(callback[len(f"http://{HALL_HOST}"):], HTTP_HOST=HALL_HOST)
    assert done["Location"] == "/accounts/bindings/"
    page = client.get("/accounts/bindings/").content.decode()
    assert "已绑定" in page and "解绑江苏政务服务网" in page
    assert client.post("/accounts/bindings/jszwfw/unbind/").status_code == 302
    assert not ProviderBinding.objects.exists()
    assert "绑定江苏政务服务网" in client.get("/accounts/bindings/").content.decode()
    client.post("/accounts/logout/")
    assert hall_login_through_provider(client, "zhangxiaoming")["Location"] == "/center/"
    assert ProviderBinding.objects.filter(user=person).exists()


def test_a_new_graduate_registers_with_what_the_provider_verified(client, sms_code):
    response = hall_login_through_provider(client, "lisi")
    assert response["Location"] == "/accounts/login/provider/link/"
    link = client.get(response["Location"]).content.decode()
    assert "尚未绑定本大厅账号" in link and "3201**********002X" in link and LI_SI_ID not in link
    form = client.get("/accounts/register/?via=provider").content.decode()
    assert "姓名和证件号码已由江苏政务服务网核验" in form and LI_SI_ID in form
    client.post("/accounts/register/?via=provider", {"via": "provider", "mobile": "13900000002",
                                                      "action": "send_code"})
    response = client.post("/accounts/register/?via=provider", {
        "via": "provider", "id_type": "resident", "id_number": "320102200506010011",  # ignored: locked
        "name": "别人", "mobile": "13900000002", "password": PASSWORD, "password_confirm": PASSWORD,
        "sms_code": sms_code("13900000002"), "agree": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(mobile_index__isnull=False, name="李思")
    assert user.id_number == LI_SI_ID and ProviderBinding.objects.get().user == user


def test_a_verified_mobile_binds_after_the_accounts_phone_confirms(client, person, sms_code):
    response = hall_login_through_provider(client, "wangwu")
    assert response["Location"] == "/accounts/login/provider/confirm/"
    page = client.get(response["Location"]).content.decode()
    assert "138****0001" in page
    client.post(response["Location"], {"action": "send_code"})
    wrong = client.post(response["Location"], {"sms_code": "000000"})
    assert wrong.status_code == 200 and "验证码" in wrong.content.decode()
    done = client.post(response["Location"], {"sms_code": sms_code(person.mobile)})
    assert done.status_code == 302 and get_user(client) == person
    assert ProviderBinding.objects.get().user == person


def test_an_identity_without_id_or_mobile_binds_by_the_password_once(client, person):
    response = hall_login_through_provider(client, "zhaoliu")
    assert response["Location"] == "/accounts/login/provider/link/"
    wrong = client.post(response["Location"], {"identifier": person.mobile, "password": "Wrong#Pass2026"})
    assert "账号或密码错误" in wrong.content.decode() and not ProviderBinding.objects.exists()
    done = client.post(response["Location"], {"identifier": person.mobile, "password": PASSWORD})
    assert done.status_code == 302 and get_user(client) == person


@pytest.mark.parametrize(("fault", "detail"), [
    ("signature", "BadSignatureError"), ("issuer", "claim iss"), ("audience", "claim aud"),
    ("nonce", "claim nonce")])
def test_a_tampered_id_token_is_refused(client, person, local_provider, fault, detail):
    callback = callback_url_of(client, "zhangxiaoming")
    local_provider.fault(fault)
    page = client.get(callback, HTTP_HOST=HALL_HOST)
    assert page.status_code == 400
    assert "返回的身份信息未通过校验，已拒绝登录" in page.content.decode()
    assert refusal("provider_token").detail["detail"] == detail
    assert not get_user(client).is_authenticated and not ProviderBinding.objects.exists()


def test_a_tampered_or_replayed_state_is_refused(client, person):
    callback = callback_url_of(client, "zhangxiaoming")
    forged = client.get(callback.replace("state=", "state=x"), HTTP_HOST=HALL_HOST)
    assert forged.status_code == 400 and "登录请求已失效或不是从本大厅发起" in forged.content.decode()
    refusal("provider_state")
    assert client.get(callback, HTTP_HOST=HALL_HOST)["Location"] == "/center/"  # the genuine one
    replayed = client.get(callback, HTTP_HOST=HALL_HOST)  # each state is taken from the session once
    assert replayed.status_code == 400 and "登录请求已失效" in replayed.content.decode()


def test_an_expired_or_used_code_is_refused(client, person, local_provider):
    callback = callback_url_of(client, "zhangxiaoming")
    local_provider.fault("expired_code")
    page = client.get(callback, HTTP_HOST=HALL_HOST)
    assert page.status_code == 400 and "授权已失效（已过期或已使用）" in page.content.decode()
    refusal("provider_code")


def test_a_slow_provider_is_refused_in_time(client, person, local_provider):
    callback = callback_url_of(client, "zhangxiaoming")
    local_provider.fault("slow", seconds=4)
    page = client.get(callback, HTTP_HOST=HALL_HOST)
    assert page.status_code == 503 and "响应超时" in page.content.decode()
    refusal("provider_slow")


def test_a_provider_that_is_down_is_refused(client, settings, local_provider):
    settings.LOGIN_PROVIDERS = [provider_config(local_provider, issuer="http://127.0.0.1:9")]
    page = client.get("/accounts/login/provider/jszwfw/", HTTP_HOST=HALL_HOST)
    assert page.status_code == 503
    assert "江苏政务服务网暂时无法访问" in page.content.decode()
    refusal("provider_unavailable")


def test_binding_an_identity_whose_id_number_is_someone_elses_is_refused(client, person):
    other = PersonFactory(index=20)
    client.force_login(other)
    start = client.post("/accounts/bindings/jszwfw/bind/", HTTP_HOST=HALL_HOST)
    callback = sign_in_at_provider(start["Location"], "zhangxiaoming",
                                   stop_at=f"http://{HALL_HOST}/accounts/login/provider/jszwfw/callback/")
    page = client.get(callback[len(f"http://{HALL_HOST}"):], HTTP_HOST=HALL_HOST)
    assert page.status_code == 400 and "证件号码与本账号不一致" in page.content.decode()
    refusal("provider_id_mismatch")
    assert not ProviderBinding.objects.exists()


def test_an_unknown_provider_key_is_not_a_500(client):
    assert client.get("/accounts/login/provider/nope/").status_code == 400
    assert client.get("/accounts/login/provider/nope/callback/?code=x&state=y").status_code == 400


def test_a_person_who_declines_at_the_provider_is_told_so(client):
    from urllib.parse import parse_qs, urlsplit

    start = client.get("/accounts/login/provider/jszwfw/", HTTP_HOST=HALL_HOST)
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    page = client.get("/accounts/login/provider/jszwfw/callback/",
                      {"error": "access_denied", "state": state}, HTTP_HOST=HALL_HOST)
    assert page.status_code == 400 and "您已在江苏政务服务网取消授权，未登录" in page.content.decode()
    assert refusal("provider_denied").detail["detail"] == "access_denied"
