"""其他登录方式 in the app, against the local OpenID Connect provider: the app logs the person in
at the provider with its own PKCE and nonce and hands the hall the code; the same rules as the
pages (accounts.provider_login), in the API's error shape."""

import pytest
from rest_framework.test import APIClient

from servicehall.accounts.models import ProviderBinding
from servicehall.audit.models import AuditEntry
from tests.people import PASSWORD
from tests.provider_flows import app_code, provider_config

from .conftest import V1, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _configured(settings, local_provider):
    local_provider.fault("none")
    settings.LOGIN_PROVIDERS = [provider_config(local_provider)]
    settings.LOGIN_PROVIDER_TIMEOUT = 2


def login(api, body):
    return api.post(V1 + "auth/login/provider", body, format="json")


def test_the_app_lists_the_providers_it_may_use(api, local_provider):
    rows = api.get(V1 + "auth/providers").json()
    assert rows == [{"key": "jszwfw", "label": "江苏政务服务网", "kind": "oidc",
                     "issuer": local_provider.issuer, "client_id": local_provider.client_id,
                     "scope": "openid profile phone idcard",
                     "redirect_uri": "http://127.0.0.1/app/callback"}]


def test_log_in_bind_unbind_and_log_in_again(api, person, local_provider):
    response = login(api, app_code(local_provider, "zhangxiaoming"))
    assert response.status_code == 200, response.json()
    tokens = response.json()
    assert tokens["user"]["masked_mobile"] == "138****0001"
    me = bearer(APIClient(), tokens["access"])
    rows = me.get(V1 + "me/bindings").json()
    assert rows[0]["key"] == "jszwfw" and rows[0]["bound_at"] and rows[0]["may_unbind"]
    assert me.delete(V1 + "me/bindings/jszwfw").status_code == 204
    assert me.get(V1 + "me/bindings").json()[0]["bound_at"] is None
    bound = me.post(V1 + "me/bindings", app_code(local_provider, "zhangxiaoming"), format="json")
    assert bound.status_code == 201 and bound.json()[0]["bound_at"]
    again = login(APIClient(), app_code(local_provider, "zhangxiaoming"))
    assert again.status_code == 200
    assert AuditEntry.objects.filter(action="account.login.app.provider").count() == 2


def test_the_second_steps_sms_password_and_registration(api, person, local_provider, sms_code):
    step = login(api, app_code(local_provider, "wangwu"))
    assert step.status_code == 202 and step.json()["next_step"] == "sms"
    assert step.json()["masked_mobile"] == "138****0001"
    ticket = step.json()["ticket"]
    assert api.post(V1 + "auth/provider/sms-code", {"ticket": ticket}, format="json").status_code == 200
    done = api.post(V1 + "auth/provider/confirm", {"ticket": ticket, "sms_code": sms_code(person.mobile)},
                    format="json")
    assert done.status_code == 200 and ProviderBinding.objects.get().user == person
    reused = api.post(V1 + "auth/provider/confirm", {"ticket": ticket, "sms_code": "123456"}, format="json")
    assert reused.status_code == 400 and reused.json()["code"] == "provider_ticket"

    step = login(api, app_code(local_provider, "lisi"))
    assert step.status_code == 202 and step.json()["next_step"] == "account"
    assert step.json()["masked_id_number"] == "3201**********002X"
    api.post(V1 + "auth/sms-code", {"mobile": "13900000002", "purpose": "register"}, format="json")
    registered = api.post(V1 + "auth/register", {
        "id_type": "resident", "id_number": "32010220050601002X", "name": "李思", "mobile": "13900000002",
        "password": PASSWORD, "password_confirm": PASSWORD, "sms_code": sms_code("13900000002"),
        "agree": True, "provider_ticket": step.json()["ticket"]}, format="json")
    assert registered.status_code == 201, registered.json()
    assert ProviderBinding.objects.filter(user__name="李思").exists()


def test_binding_by_password_in_the_app(api, other_person, local_provider):
    step = login(api, app_code(local_provider, "zhaoliu")).json()
    wrong = api.post(V1 + "auth/provider/bind", {"ticket": step["ticket"], "identifier": other_person.mobile,
                                                 "password": "Wrong#Pass2026"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "login_failed"
    done = api.post(V1 + "auth/provider/bind", {"ticket": step["ticket"], "identifier": other_person.mobile,
                                                "password": PASSWORD}, format="json")
    assert done.status_code == 200 and ProviderBinding.objects.get().user == other_person


@pytest.mark.parametrize(("fault", "code", "status"), [
    ("signature", "provider_token", 400), ("issuer", "provider_token", 400),
    ("audience", "provider_token", 400), ("expired_code", "provider_code", 400),
    ("slow", "provider_slow", 503)])
def test_each_bad_answer_is_refused_with_its_code(api, person, local_provider, fault, code, status):
    body = app_code(local_provider, "zhangxiaoming")
    local_provider.fault(fault, seconds=4)
    response = login(api, body)
    assert response.status_code == status and response.json()["code"] == code
    assert AuditEntry.objects.filter(action="account.provider.refused", detail__reason=code).count() == 1
    assert not ProviderBinding.objects.exists()


def test_a_nonce_the_app_did_not_send_and_a_wrong_verifier_are_refused(api, person, local_provider):
    body = app_code(local_provider, "zhangxiaoming")
    response = login(api, {**body, "nonce": "another-nonce"})
    assert response.status_code == 400 and response.json()["code"] == "provider_token"
    body = app_code(local_provider, "zhangxiaoming")
    response = login(api, {**body, "code_verifier": "x" * 50})
    assert response.status_code == 400 and response.json()["code"] in ("provider_code", "provider_token")
    assert not ProviderBinding.objects.exists()


def test_binding_someone_elses_id_number_is_refused(person, other_person, local_provider):
    from .conftest import log_in

    me = bearer(APIClient(), log_in(other_person.mobile)["access"])
    response = me.post(V1 + "me/bindings", app_code(local_provider, "zhangxiaoming"), format="json")
    assert response.status_code == 400 and response.json()["code"] == "provider_id_mismatch"
    assert not ProviderBinding.objects.exists()


def test_an_unknown_provider_is_a_404(api):
    body = {"provider": "nope", "code": "x", "code_verifier": "v" * 43, "nonce": "n" * 8}
    assert login(api, body).status_code == 404
