"""Tokens (hashed, expiring, rotated on refresh, revoked on logout), throttling of logins and
SMS codes, and 扫码登录 confirmed from the app."""

import datetime
import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from servicehall.api.models import ApiToken
from servicehall.api.throttles import LoginThrottle
from tests.people import PASSWORD

from .conftest import V1, bearer, log_in

pytestmark = pytest.mark.django_db


def test_tokens_are_stored_only_as_sha256_digests(person):
    tokens = log_in(person.mobile)
    row = ApiToken.objects.get()
    assert row.access_hash == hashlib.sha256(tokens["access"].encode()).hexdigest()
    assert row.refresh_hash == hashlib.sha256(tokens["refresh"].encode()).hexdigest()
    stored = {str(v) for v in ApiToken.objects.values().get().values()}
    assert tokens["access"] not in stored and tokens["refresh"] not in stored


def test_an_expired_access_token_is_refused_and_refresh_gives_a_new_pair(person):
    tokens = log_in(person.mobile)
    ApiToken.objects.update(access_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    expired = bearer(APIClient(), tokens["access"]).get(V1 + "me")
    assert expired.status_code == 401
    assert expired.json() == {
        "message": "登录已过期，请重新登录",
        "code": "token_expired",
        "fields": [],
        "errors": {},
    }
    assert expired["WWW-Authenticate"].startswith("Bearer")

    renewed = APIClient().post(V1 + "auth/refresh", {"refresh": tokens["refresh"]}, format="json")
    assert renewed.status_code == 200
    fresh = renewed.json()
    assert bearer(APIClient(), fresh["access"]).get(V1 + "me").status_code == 200
    # The old refresh token is spent; used again it revokes its family (this login).
    reused = APIClient().post(V1 + "auth/refresh", {"refresh": tokens["refresh"]}, format="json")
    assert reused.status_code == 400 and reused.json()["code"] == "refresh_invalid"
    assert bearer(APIClient(), fresh["access"]).get(V1 + "me").status_code == 401


def test_an_expired_refresh_token_is_refused(person):
    tokens = log_in(person.mobile)
    ApiToken.objects.update(refresh_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = APIClient().post(V1 + "auth/refresh", {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 400 and response.json()["fields"] == ["refresh"]


def test_logout_revokes_the_pair_only(person):
    first, second = log_in(person.mobile), log_in(person.id_number)
    assert bearer(APIClient(), first["access"]).post(V1 + "auth/logout").status_code == 204
    assert bearer(APIClient(), first["access"]).get(V1 + "me").status_code == 401
    refused = APIClient().post(V1 + "auth/refresh", {"refresh": first["refresh"]}, format="json")
    assert refused.status_code == 400
    assert bearer(APIClient(), second["access"]).get(V1 + "me").status_code == 200


def test_without_a_token_the_person_endpoints_answer_401(api):
    for path in (
        "me",
        "me/card",
        "application",
        "cases?status=in_progress",
        "materials",
        "messages",
        "favourites",
    ):
        response = api.get(V1 + path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "not_authenticated"


def test_staff_get_no_token(school_reviewer):
    response = APIClient().post(
        V1 + "auth/login/password",
        {"identifier": school_reviewer.username, "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "login_failed"


def test_five_wrong_passwords_lock_the_account_in_json(person):
    app = APIClient()
    for _attempt in range(5):
        wrong = app.post(
            V1 + "auth/login/password",
            {"identifier": person.mobile, "password": "Wrong#2026x"},
            format="json",
        )
    assert wrong.status_code == 429, wrong.content[:300]
    assert wrong.json()["code"] == "login_locked" and "账号已暂时锁定" in wrong.json()["message"]
    # The right password does not open it either, until the lock ends.
    right = app.post(
        V1 + "auth/login/password", {"identifier": person.mobile, "password": PASSWORD}, format="json"
    )
    assert right.status_code == 429 and right["Content-Type"] == "application/json"


def test_logins_are_throttled_per_address(person, monkeypatch):
    monkeypatch.setattr(LoginThrottle, "rate", "3/min", raising=False)  # API_LOGIN_RATE: 10/min
    app = APIClient()
    statuses = [
        app.post(
            V1 + "auth/login/sms", {"mobile": person.mobile, "sms_code": "000000"}, format="json"
        ).status_code
        for _attempt in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
    throttled = app.post(
        V1 + "auth/login/password", {"identifier": person.mobile, "password": PASSWORD}, format="json"
    )
    assert throttled.status_code == 429 and throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    # Another address is not held back.
    other = APIClient(REMOTE_ADDR="10.1.2.3").post(
        V1 + "auth/login/password", {"identifier": person.mobile, "password": PASSWORD}, format="json"
    )
    assert other.status_code == 200


def test_sms_codes_keep_the_halls_limits(person):
    app = APIClient()
    first = app.post(V1 + "auth/sms-code", {"mobile": person.mobile, "purpose": "login"}, format="json")
    assert first.status_code == 200 and first.json()["seconds"] == 60
    again = app.post(V1 + "auth/sms-code", {"mobile": person.mobile, "purpose": "login"}, format="json")
    assert again.status_code == 429 and again.json()["code"] == "sms_resend_too_soon"
    # An unregistered number gets the same answer (its phone gets a notice, not a code).
    unknown = app.post(V1 + "auth/sms-code", {"mobile": "13900009999", "purpose": "login"}, format="json")
    assert unknown.status_code == 200 and unknown.json()["seconds"] == 60


def test_the_app_confirms_a_qr_login_on_the_computer(person, person_api):
    computer = Client()
    page = computer.get(reverse("accounts:login_qr")).content.decode()
    start = page.index('data-qr-url="') + len('data-qr-url="')
    token = page[start : page.index('"', start)].rstrip("/").rsplit("/", 1)[1]
    assert person_api.post(V1 + "auth/qr-login/check", {"token": token}, format="json").status_code == 200
    decided = person_api.post(V1 + "auth/qr-login/decide", {"token": token, "confirm": True}, format="json")
    assert decided.status_code == 200, decided.json()
    polled = computer.get(reverse("accounts:login_qr_status"), HTTP_HX_REQUEST="true")
    assert polled.status_code == 204 and computer.session["_auth_user_id"] == str(person.pk)
    used = person_api.post(V1 + "auth/qr-login/decide", {"token": token, "confirm": True}, format="json")
    assert used.status_code == 400 and used.json()["code"] in ("qr_used", "qr_expired")
