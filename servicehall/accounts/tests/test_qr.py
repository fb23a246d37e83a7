"""扫码登录 with two clients: the computer that shows the code, the phone that confirms."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from servicehall.accounts.models import QrLoginToken
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db


def qr_url(computer):
    page = computer.get(reverse("accounts:login_qr")).content.decode()
    start = page.index('data-qr-url="') + len('data-qr-url="')
    return page[start:page.index('"', start)]


def poll(computer):
    return computer.get(reverse("accounts:login_qr_status"), HTTP_HX_REQUEST="true")


@pytest.fixture
def phone(person):
    phone = Client()
    phone.post(reverse("accounts:login"), {"identifier": person.mobile, "password": PASSWORD})
    return phone


def test_confirmed_on_the_phone_logs_the_computer_in_once(client, phone, person):
    url = qr_url(client)
    assert "<svg" in client.get(reverse("accounts:login_qr")).content.decode()
    assert poll(client).status_code == 200  # still waiting
    assert "确认在电脑上登录？" in phone.get(url).content.decode()
    phone.post(url, {"decision": "confirm"})
    response = poll(client)
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("portal:center")
    assert client.session["_auth_user_id"] == str(person.pk)
    # The token works once.
    again = phone.post(url, {"decision": "confirm"})
    assert "已使用" in again.content.decode() or "已过期" in again.content.decode()


def test_refused_on_the_phone(client, phone):
    url = qr_url(client)
    phone.post(url, {"decision": "refuse"})
    assert "取消本次登录" in poll(client).content.decode()
    assert "_auth_user_id" not in client.session


def test_expired_code_refreshes_itself_and_cannot_be_confirmed(client, phone):
    url = qr_url(client)
    QrLoginToken.objects.update(expires_at=QrLoginToken.objects.first().created_at
                                - timedelta(seconds=1))
    assert "已过期" in phone.get(url).content.decode()
    refused = phone.post(url, {"decision": "confirm"})
    assert "已过期" in refused.content.decode()
    fresh = poll(client).content.decode()
    assert "data-qr-url" in fresh and url not in fresh


def test_scanning_needs_a_logged_in_phone(client, db):
    url = qr_url(client)
    response = Client().get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_no_javascript_button(client, phone):
    url = qr_url(client)
    phone.post(url, {"decision": "confirm"})
    response = client.post(reverse("accounts:login_qr_status"))
    assert response.status_code == 302 and response.url == reverse("portal:center")


def test_another_browser_cannot_take_the_confirmation(client, phone, person):
    url = qr_url(client)
    phone.post(url, {"decision": "confirm"})
    thief = Client()
    thief.get(reverse("accounts:login_qr"))
    assert poll(thief).status_code == 200
    assert "_auth_user_id" not in thief.session
