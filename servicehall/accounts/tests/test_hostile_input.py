"""Whatever is typed or tampered with, every form answers with a message, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.people import PASSWORD

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "x" * 10_000,
    "\x00\x01\x02",
    "\u202e\u200b\ufeff",
    "😀👨‍👩‍👧",
    "' OR '1'='1' --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}{% debug %}",
    "../../etc/passwd",
    "１３８００００００００",
]
FORMS = {
    "accounts:register": ["id_type", "id_number", "name", "mobile", "password",
                          "password_confirm", "sms_code", "agree", "action"],
    "accounts:login": ["identifier", "password", "next"],
    "accounts:login_sms": ["mobile", "sms_code", "action", "next"],
    "accounts:login_staff": ["identifier", "password"],
    "accounts:password_reset": ["mobile", "sms_code", "new_password", "new_password_confirm",
                                "action"],
    "accounts:appeal": ["id_type", "id_number", "name", "mobile", "sms_code", "reason", "action"],
    "accounts:send_code": ["mobile", "purpose"],
    "accounts:login_qr_status": ["next"],
}


@pytest.mark.parametrize("url_name", list(FORMS))
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_every_field_hostile_at_once(url_name, value):
    client = Client(raise_request_exception=True)
    data = dict.fromkeys(FORMS[url_name], value)
    response = client.post(reverse(url_name), data)
    assert response.status_code < 500
    if response.status_code == 200 and url_name != "accounts:send_code":
        assert "field__error" in response.content.decode() or "error-summary" in (
            response.content.decode()) or "sms-status" in response.content.decode()


@pytest.mark.parametrize("url_name", list(FORMS))
def test_missing_fields(url_name):
    client = Client(raise_request_exception=True)
    response = client.post(reverse(url_name), {})
    assert response.status_code < 500
    if url_name not in ("accounts:send_code", "accounts:login_qr_status"):
        assert "error-summary" in response.content.decode(), "an empty post must say what is missing"


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_query_strings(value):
    client = Client(raise_request_exception=True)
    for name in ["accounts:login", "accounts:login_qr", "accounts:register", "portal:home"]:
        assert client.get(reverse(name), {"next": value, "q": value}).status_code < 500
    assert client.get(f"/accounts/qr/{'a' * 300}/").status_code < 500


def test_tampered_choices_are_refused_with_a_message(person):
    client = Client(raise_request_exception=True)
    response = client.post(reverse("accounts:register"), {"id_type": "passport"})
    assert "选择一个有效的选项" in response.content.decode() or "有效" in response.content.decode()


def test_logged_in_forms_with_hostile_input(person):
    client = Client(raise_request_exception=True)
    client.post(reverse("accounts:login"), {"identifier": person.mobile, "password": PASSWORD})
    for value in HOSTILE:
        for name, fields in {
            "accounts:password_change": ["old_password", "new_password", "new_password_confirm"],
            "accounts:mobile_change": ["password", "mobile", "sms_code", "action"],
        }.items():
            response = client.post(reverse(name), dict.fromkeys(fields, value))
            assert response.status_code < 500
    response = client.post("/accounts/qr/not-a-token/", {"decision": "confirm"})
    assert "已过期" in response.content.decode()


def test_unknown_pages_are_a_plain_404():
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
