"""SMS codes cannot be abused (issue 14): through HTTP, as the assessor did it.

- What an anonymous visitor can trigger never spends a staff member's second factor nor a
  logged-in person's own change (a daily count per number and budget class).
- 获取验证码 answers the same whether or not a number is registered; the phone tells the truth.
- Requests are limited per address and per number, the pages and the API by one limiter.
"""

import re
import types
from unittest import mock

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from servicehall.core import ratelimit
from servicehall.messaging.models import SmsKind, SmsMessage
from servicehall.messaging.services import mobile_index_of
from tests.clock import frozen
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db

STAFF_MOBILE = "13900000011"  # the school_reviewer fixture's
PERSON_MOBILE = "13800000001"  # the person fixture's
# Unregistered, and masked exactly like PERSON_MOBILE (138****0001), so any difference in an
# answer could only come from the registration.
STRANGER_MOBILE = "13855550001"
CODE_RE = re.compile(r"(?<!\d)\d{6}(?!\d)")
API_SMS = "/api/v1/auth/sms-code"


@pytest.fixture
def one_minute():
    """Hold the cache counters' clock inside one window, so a test never straddles two."""
    fixed = types.SimpleNamespace(time=lambda: 1_800_000_000.0)
    with mock.patch.object(ratelimit, "time", fixed):
        yield


@pytest.fixture
def clock():
    start = timezone.now().replace(hour=4, minute=0, second=0, microsecond=0)
    with frozen(start) as c:
        yield c


def messages_to(mobile: str) -> list[SmsMessage]:
    return list(
        SmsMessage.objects.filter(mobile_index=mobile_index_of(mobile)).order_by("created_at", "id")
    )


def web_code(client, mobile, purpose):
    return client.post(reverse("accounts:send_code"), {"mobile": mobile, "purpose": purpose})


# --- Budgets ------------------------------------------------------------------------------


@override_settings(SMS_REQUESTS_PER_ADDRESS_PER_MINUTE=1000, SMS_REQUESTS_PER_NUMBER_PER_MINUTE=1000)
def test_anonymous_requests_never_lock_a_staff_member_out(client, school_reviewer, sms_code, clock):
    # The assessor's attack: the staff mobile's whole anonymous allowance, a minute apart.
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(10):
        assert "验证码已发送" in web_code(attacker, STAFF_MOBILE, "staff_reset_password").content.decode()
        clock.advance(minutes=1, seconds=1)
    refused = web_code(attacker, STAFF_MOBILE, "staff_reset_password").content.decode()
    assert "今日获取验证码的次数已达上限" in refused

    # The staff member still logs in: the second factor has its own allowance.
    response = client.post(
        reverse("accounts:login_staff"), {"identifier": "nju.reviewer", "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()
    assert response.url == reverse("accounts:login_staff_verify")
    done = client.post(reverse("accounts:login_staff_verify"), {"sms_code": sms_code(STAFF_MOBILE)})
    assert done.url == reverse("accounts:staff_home")


@override_settings(SMS_REQUESTS_PER_ADDRESS_PER_MINUTE=1000, SMS_REQUESTS_PER_NUMBER_PER_MINUTE=1000)
def test_anonymous_requests_never_spend_a_persons_own_change(client, person, sms_code, clock):
    new_mobile = "13700002222"
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(10):
        web_code(attacker, new_mobile, "register")
        clock.advance(minutes=1, seconds=1)
    assert "已达上限" in web_code(attacker, new_mobile, "register").content.decode()

    client.force_login(person)
    page = client.post(reverse("accounts:mobile_change"),
                       {"password": PASSWORD, "mobile": new_mobile, "action": "send_code"})
    assert "验证码已发送" in page.content.decode()
    changed = client.post(reverse("accounts:mobile_change"),
                          {"password": PASSWORD, "mobile": new_mobile, "sms_code": sms_code(new_mobile)})
    assert changed.url == reverse("portal:center")


# --- The same answer whether or not a number is registered --------------------------------


def _ask_both(ask, registered: str, stranger: str):
    """Ask for each number from a fresh address; returns the two (status, body, queries)."""
    answers = []
    for mobile in (registered, stranger):
        with CaptureQueriesContext(connection) as queries:
            response = ask(mobile)
        answers.append((response.status_code, response.content, len(queries.captured_queries)))
    return answers


@pytest.mark.parametrize("door", ["web", "api"])
def test_a_login_code_request_does_not_tell_whether_the_number_is_registered(person, door):
    def ask(mobile):
        if door == "web":
            return web_code(Client(), mobile, "login")
        return APIClient().post(API_SMS, {"mobile": mobile, "purpose": "login"}, format="json")

    (status_a, body_a, queries_a), (status_b, body_b, queries_b) = _ask_both(
        ask, PERSON_MOBILE, STRANGER_MOBILE
    )
    assert status_a == status_b == 200
    assert body_a == body_b
    assert "138****0001" in body_a.decode()
    assert queries_a == queries_b  # the same work either way: the same timing class

    # The phones tell the truth: a code to the person, a notice (no code) to the stranger.
    [to_person] = messages_to(PERSON_MOBILE)
    assert to_person.kind == SmsKind.OTP and CODE_RE.search(to_person.text)
    [to_stranger] = messages_to(STRANGER_MOBILE)
    assert "尚未注册" in to_stranger.text and "请先" in to_stranger.text
    assert not CODE_RE.search(to_stranger.text)


@pytest.mark.parametrize("door", ["web", "api"])
def test_a_register_code_request_does_not_tell_whether_the_number_is_registered(person, door):
    def ask(mobile):
        if door == "web":
            return web_code(Client(), mobile, "register")
        return APIClient().post(API_SMS, {"mobile": mobile, "purpose": "register"}, format="json")

    (status_a, body_a, queries_a), (status_b, body_b, queries_b) = _ask_both(
        ask, PERSON_MOBILE, STRANGER_MOBILE
    )
    assert status_a == status_b == 200 and body_a == body_b and queries_a == queries_b
    [to_person] = messages_to(PERSON_MOBILE)
    assert "已注册" in to_person.text and "登录" in to_person.text and "忘记密码" in to_person.text
    assert not CODE_RE.search(to_person.text)
    [to_stranger] = messages_to(STRANGER_MOBILE)
    assert CODE_RE.search(to_stranger.text) and "注册验证码" in to_stranger.text


def test_password_reset_codes_do_not_tell_either(person, school_reviewer):
    person_reset = [web_code(Client(), m, "reset_password") for m in (PERSON_MOBILE, STRANGER_MOBILE)]
    assert person_reset[0].content == person_reset[1].content
    # The staff page's reset: a person's number is no staff number; same answer as staff's.
    staff_reset = [
        web_code(Client(), m, "staff_reset_password") for m in ("13900000012", STAFF_MOBILE)
    ]
    assert [r.status_code for r in staff_reset] == [200, 200]
    assert "139****0012" in staff_reset[0].content.decode()
    assert "验证码已发送" in staff_reset[0].content.decode()
    [notice] = messages_to("13900000012")
    assert "不是在用的单位账号的验证手机" in notice.text and not CODE_RE.search(notice.text)
    [code] = messages_to(STAFF_MOBILE)
    assert CODE_RE.search(code.text)


def test_the_limits_hold_equally_for_registered_and_unregistered_numbers(person):
    for mobile in (PERSON_MOBILE, STRANGER_MOBILE):
        web_code(Client(), mobile, "login")
    again = [web_code(Client(), m, "login").content.decode() for m in (PERSON_MOBILE, STRANGER_MOBILE)]
    assert again[0] == again[1] and "获取验证码过于频繁" in again[0]


# --- One limiter for the pages and the API -------------------------------------------------


def test_the_web_code_button_is_throttled_per_address(client, one_minute):
    answers = [web_code(client, f"1370000{i:04d}", "register").content.decode() for i in range(40)]
    sent = [a for a in answers if "验证码已发送" in a]
    assert len(sent) == 5
    assert all("获取验证码过于频繁" in a for a in answers[5:])
    assert SmsMessage.objects.count() == 5
    # Another address is not held back.
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert "验证码已发送" in web_code(other, "13799999999", "register").content.decode()


def test_the_pages_and_the_api_share_one_limit_per_address(client, one_minute):
    for i in range(3):
        assert "验证码已发送" in web_code(client, f"1370000{i:04d}", "register").content.decode()
    api = APIClient(REMOTE_ADDR="10.0.0.1")
    statuses = [
        api.post(API_SMS, {"mobile": f"1370001{i:04d}", "purpose": "register"}, format="json")
        for i in range(3)
    ]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert statuses[2].json()["code"] == "sms_throttled"
    assert "获取验证码过于频繁" in statuses[2].json()["message"]


def test_one_number_is_throttled_whatever_the_address(person, one_minute):
    purposes = ["login", "reset_password", "appeal", "register", "login", "reset_password"]
    answers = [
        web_code(Client(REMOTE_ADDR=f"10.0.1.{i}"), PERSON_MOBILE, p).content.decode()
        for i, p in enumerate(purposes)
    ]
    assert "获取验证码过于频繁" in answers[5]
    assert SmsMessage.objects.count() == 4  # the fifth was the resend interval's refusal


def test_refused_requests_are_counted_too(client, one_minute):
    for _ in range(5):
        web_code(client, "12345", "register")  # malformed: refused, still counted
    assert "获取验证码过于频繁" in web_code(client, "13700000001", "register").content.decode()
    assert not SmsMessage.objects.exists()


def test_the_throttle_window_passes(client):
    start = 1_800_000_000.0
    now = {"t": start}
    with mock.patch.object(ratelimit, "time", types.SimpleNamespace(time=lambda: now["t"])):
        for i in range(6):
            web_code(client, f"1370000{i:04d}", "register")
        assert SmsMessage.objects.count() == 5
        now["t"] = start + 60
        assert "验证码已发送" in web_code(client, "13700009999", "register").content.decode()



# --- Nor do the forms that take the code ----------------------------------------------------


def test_sms_login_refuses_a_wrong_code_alike_for_any_number(person):
    def log_in(mobile):
        return APIClient().post(
            "/api/v1/auth/login/sms", {"mobile": mobile, "sms_code": "000000"}, format="json"
        )

    before = [log_in(m) for m in (PERSON_MOBILE, STRANGER_MOBILE)]
    assert [r.status_code for r in before] == [400, 400]
    assert before[0].json() == before[1].json()
    assert before[0].json()["code"] == "otp_missing"

    for mobile in (PERSON_MOBILE, STRANGER_MOBILE):
        web_code(Client(), mobile, "login")
    after = [log_in(m) for m in (PERSON_MOBILE, STRANGER_MOBILE)]
    if CODE_RE.search(messages_to(PERSON_MOBILE)[0].text).group() == "000000":
        pytest.skip("the person's code happened to be 000000")
    assert after[0].json() == after[1].json()
    assert "验证码不正确" in after[0].json()["message"]


@pytest.mark.parametrize(("page", "known"), [
    ("accounts:password_reset", PERSON_MOBILE),
    ("accounts:password_reset_staff", STAFF_MOBILE),
])
def test_password_reset_refuses_a_wrong_code_alike_for_any_number(
    client, person, school_reviewer, page, known
):
    def reset(mobile):
        html = client.post(reverse(page), {
            "mobile": mobile, "sms_code": "000000",
            "new_password": "Fresh#Pass2026", "new_password_confirm": "Fresh#Pass2026",
        }).content.decode()
        return re.findall(r'<p class="field__error">.*?</span>([^<]+)</p>', html, re.S)

    known_errors, unknown_errors = reset(known), reset(STRANGER_MOBILE)
    assert known_errors == unknown_errors
    assert any("请先获取短信验证码" in e for e in known_errors)


def test_registration_refuses_a_wrong_code_alike_for_any_number(person):
    from tests.people import resident_id

    def register(mobile, id_seed):
        return APIClient().post("/api/v1/auth/register", {
            "id_type": "resident", "id_number": resident_id(id_seed), "name": "王小红",
            "mobile": mobile, "password": PASSWORD, "password_confirm": PASSWORD,
            "sms_code": "000000", "agree": True,
        }, format="json")

    answers = [register(PERSON_MOBILE, "32010220050601002"), register(STRANGER_MOBILE, "32010220050601003")]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["code"] == "otp_missing"
