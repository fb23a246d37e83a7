"""Test clients logged in the way staff log in: 单位登录 with the password, then the SMS code."""

from django.test import Client
from django.urls import reverse

from tests.people import PASSWORD


def staff_client(user, sms_code, *, address="10.0.0.3", client=None) -> Client:
    """`user` logged in through the two steps of 单位登录; `sms_code` is the fixture that reads
    the outbox."""
    client = client or Client(REMOTE_ADDR=address)
    client.post(reverse("accounts:login_staff"), {"identifier": user.username, "password": PASSWORD})
    response = client.post(reverse("accounts:login_staff_verify"), {"sms_code": sms_code(user.mobile)})
    assert response.status_code == 302, response.content.decode()[:500]
    return client
