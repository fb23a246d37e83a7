"""Logins end when trust changes (security assessment, issue 14): after a password change or
reset, a mobile change, an appeal that takes the ID number away, or 退出所有设备, every app
token and every other web session of the account stops working. A refresh token used twice
ends its own login (its family), not the person's other logins."""

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from servicehall.accounts.models import AccountAppeal, User
from servicehall.accounts.tests.factories import submit_appeal
from servicehall.audit.models import AuditEntry
from tests.clients import staff_client
from tests.people import PASSWORD

from .conftest import V1, bearer, log_in

pytestmark = pytest.mark.django_db
NEW = "New#Pass2027"
REFRESH_REFUSED = {"message": "登录已过期，请重新登录", "code": "refresh_invalid", "fields": ["refresh"],
                   "errors": {"refresh": ["登录已过期，请重新登录"]}}
EXPIRED = {"message": "登录已过期，请重新登录", "code": "token_expired", "fields": [], "errors": {}}


def web_login(person, address="10.0.0.21") -> Client:
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("accounts:login"), {"identifier": person.mobile, "password": PASSWORD})
    assert response.status_code == 302
    assert web_logged_in(client)
    return client


def web_logged_in(client: Client) -> bool:
    """The person's own page answers (a logged-out browser is sent to the login page)."""
    return client.get(reverse("portal:center")).status_code == 200


def me(access: str):
    return bearer(APIClient(), access).get(V1 + "me")


def refresh(token: str):
    return APIClient().post(V1 + "auth/refresh", {"refresh": token}, format="json")


def assert_tokens_dead(tokens: dict) -> None:
    response = me(tokens["access"])
    assert response.status_code == 401 and response.json() == EXPIRED
    refused = refresh(tokens["refresh"])
    assert refused.status_code == 400 and refused.json() == REFRESH_REFUSED


def assert_tokens_live(tokens: dict) -> None:
    assert me(tokens["access"]).status_code == 200


def test_password_change_ends_app_tokens_and_other_sessions_but_keeps_this_one(person):
    tokens, here, elsewhere = log_in(person.mobile), web_login(person), web_login(person, "10.0.0.22")
    assert_tokens_live(tokens)
    response = here.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password": NEW, "new_password_confirm": NEW})
    assert response.status_code == 302
    assert "其他设备和手机APP上的登录已退出" in here.get(response.url).content.decode()
    assert_tokens_dead(tokens)
    assert not web_logged_in(elsewhere)
    assert web_logged_in(here)
    entry = AuditEntry.objects.get(action="account.sign_out_everywhere")
    assert entry.detail == {"reason": "password_change"} and entry.target_id == str(person.pk)
    # The new password logs in and gives working tokens.
    assert_tokens_live(log_in(person.mobile, NEW))


def test_password_reset_ends_app_tokens_and_web_sessions(person, sms_code):
    tokens, elsewhere = log_in(person.mobile), web_login(person)
    anonymous = Client(REMOTE_ADDR="10.0.0.23")
    anonymous.post(reverse("accounts:password_reset"), {"mobile": person.mobile, "action": "send_code"})
    response = anonymous.post(reverse("accounts:password_reset"), {
        "mobile": person.mobile, "sms_code": sms_code(person.mobile),
        "new_password": NEW, "new_password_confirm": NEW})
    assert response.url == reverse("accounts:login")
    assert_tokens_dead(tokens)
    assert not web_logged_in(elsewhere)


def test_mobile_change_ends_app_tokens_and_other_sessions_but_keeps_this_one(person, sms_code):
    tokens, here, elsewhere = log_in(person.mobile), web_login(person), web_login(person, "10.0.0.22")
    here.post(reverse("accounts:mobile_change"), {
        "password": PASSWORD, "mobile": "13700001111", "action": "send_code"})
    response = here.post(reverse("accounts:mobile_change"), {
        "password": PASSWORD, "mobile": "13700001111", "sms_code": sms_code("13700001111")})
    assert response.url == reverse("portal:center")
    assert_tokens_dead(tokens)
    assert not web_logged_in(elsewhere)
    assert web_logged_in(here)


def test_an_approved_appeal_ends_the_previous_holders_logins(person, operator, sms_code):
    tokens, holder_browser = log_in(person.mobile), web_login(person)
    submit_appeal(Client(REMOTE_ADDR="10.0.0.24"), person, sms_code)
    staff = staff_client(operator, sms_code, address="10.0.0.25")
    appeal = AccountAppeal.objects.get()
    staff.post(reverse("accounts:appeal_decide", args=[appeal.pk]), {"decision": "approve"})
    assert User.objects.get(pk=person.pk).id_number_index is None
    assert_tokens_dead(tokens)
    assert not web_logged_in(holder_browser)
    entry = AuditEntry.objects.get(action="account.sign_out_everywhere")
    assert entry.detail == {"reason": "id_released"} and entry.actor_id == operator.pk


def test_a_reused_refresh_token_ends_its_family_only(person):
    first, second = log_in(person.mobile), log_in(person.mobile)
    renewed = refresh(first["refresh"])
    assert renewed.status_code == 200
    fresh = renewed.json()
    assert_tokens_live(fresh)

    reused = refresh(first["refresh"])
    assert reused.status_code == 400
    assert reused.json() == REFRESH_REFUSED
    assert_tokens_dead(fresh)  # the pair refreshed from the copied token is dead too
    # Another login (another family) of the same person goes on.
    assert_tokens_live(second)
    assert refresh(second["refresh"]).status_code == 200
    entry = AuditEntry.objects.get(action="account.app.refresh_reused")
    assert entry.target_id == str(person.pk) and entry.detail["family"]


@pytest.mark.parametrize("engine", ["django.contrib.sessions.backends.db",
                                    "django.contrib.sessions.backends.cache"])
def test_sign_out_of_all_devices_on_the_web(person, settings, engine):
    settings.SESSION_ENGINE = engine
    tokens, here, elsewhere = log_in(person.mobile), web_login(person), web_login(person, "10.0.0.22")
    page = here.get(reverse("accounts:sign_out_everywhere"))
    assert page.status_code == 200 and "确认退出所有设备" in page.content.decode()
    assert web_logged_in(here)  # the confirmation page alone changes nothing
    response = here.post(reverse("accounts:sign_out_everywhere"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "已退出所有设备" in response.content.decode()
    assert_tokens_dead(tokens)
    assert not web_logged_in(elsewhere)
    assert not web_logged_in(here)
    entry = AuditEntry.objects.get(action="account.sign_out_everywhere")
    assert entry.detail == {"reason": "user_request"} and entry.actor_id == person.pk
    # Logging in again works as before.
    assert web_logged_in(web_login(person, "10.0.0.26"))


def test_the_sign_out_button_needs_a_login_and_a_post(client):
    response = client.get(reverse("accounts:sign_out_everywhere"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_the_my_pages_offer_sign_out_of_all_devices(person):
    here = web_login(person)
    target = reverse("accounts:sign_out_everywhere")
    assert target in here.get(reverse("portal:my")).content.decode()
    assert target in here.get(reverse("portal:center")).content.decode()


def test_logout_all_in_the_api_ends_every_token_and_the_web_sessions(person):
    first, second, browser = log_in(person.mobile), log_in(person.mobile), web_login(person)
    response = bearer(APIClient(), first["access"]).post(V1 + "auth/logout-all")
    assert response.status_code == 204
    assert_tokens_dead(first)
    assert_tokens_dead(second)
    assert not web_logged_in(browser)
    assert AuditEntry.objects.filter(action="account.sign_out_everywhere").count() == 1
    assert_tokens_live(log_in(person.mobile))


def test_logout_all_needs_a_token(api):
    response = api.post(V1 + "auth/logout-all")
    assert response.status_code == 401


def test_sessions_from_before_the_stamp_keep_their_hash(person):
    """Stamp 0 gives Django's own session hash: deploying this logs no one out."""
    assert person.security_stamp == 0
    assert person.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(person)
