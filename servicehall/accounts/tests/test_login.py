"""The three ways a person logs in, the staff second factor, lockout and idle timeout."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from servicehall.messaging.models import SmsMessage
from tests.clock import frozen
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, identifier, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"identifier": identifier, "password": password})


def test_login_with_id_number_lower_case_x_or_mobile(client, person):
    assert login(client, person.id_number.lower()).status_code == 302
    client.post(reverse("accounts:logout"))
    response = login(client, person.mobile)
    assert response.status_code == 302 and response.url == reverse("portal:center")


def test_wrong_password_says_so_without_saying_which_part(client, person):
    response = login(client, person.mobile, "Wrong#Pass1")
    assert "账号或密码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_cannot_use_the_personal_tab(client, operator):
    assert "账号或密码错误" in login(client, "js.admin").content.decode()


def test_next_is_followed_only_within_the_hall(client, person):
    response = client.post(reverse("accounts:login") + "?next=/center/concluded/",
                           {"identifier": person.mobile, "password": PASSWORD})
    assert response.url == "/center/concluded/"
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login") + "?next=https://evil.example/",
                           {"identifier": person.mobile, "password": PASSWORD})
    assert response.url == reverse("portal:center")


def test_five_failures_lock_the_account_for_fifteen_minutes_then_release(client, person):
    for _ in range(4):
        assert login(client, person.mobile, "Wrong#Pass1").status_code == 200
    locked = login(client, person.mobile, "Wrong#Pass1")
    assert locked.status_code == 429
    assert "账号已暂时锁定，请于" in locked.content.decode()
    # Locked for the account whichever identifier is used, even with the right password.
    still = login(client, person.id_number)
    assert still.status_code == 429
    assert "_auth_user_id" not in client.session
    # Fifteen minutes later the lock is gone.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16)
    )
    assert login(client, person.id_number).status_code == 302


def test_lockout_message_names_the_time(client, person):
    for _ in range(5):
        response = login(client, person.mobile, "Wrong#Pass1")
    assert "后再试" in response.content.decode()
    assert AccessAttempt.objects.filter(username=f"user:{person.pk}").exists()
    # Nothing personal is recorded by the lockout machinery.
    assert not AccessAttempt.objects.filter(username__contains=person.mobile).exists()


def test_sms_login(client, person, sms_code):
    response = client.post(reverse("accounts:login_sms"),
                           {"mobile": person.mobile, "action": "send_code"})
    assert "验证码已发送至138****0001" in response.content.decode()
    response = client.post(reverse("accounts:login_sms"),
                           {"mobile": person.mobile, "sms_code": sms_code(person.mobile)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_sms_login_for_an_unknown_number(client, db):
    # The page does not say (that would tell anyone which numbers are registered); the phone does.
    response = client.post(reverse("accounts:login_sms"),
                           {"mobile": "13700000009", "action": "send_code"})
    assert "验证码已发送至137****0009" in response.content.decode()
    assert "尚未注册" in SmsMessage.objects.get().text


def test_staff_login_needs_the_second_factor(client, school_reviewer, sms_code):
    response = client.post(reverse("accounts:login_staff"),
                           {"identifier": "nju.reviewer", "password": PASSWORD})
    assert response.url == reverse("accounts:login_staff_verify")
    assert "_auth_user_id" not in client.session  # not logged in by the password alone
    page = client.get(reverse("accounts:login_staff_verify")).content.decode()
    assert "139****0011" in page
    wrong = client.post(reverse("accounts:login_staff_verify"), {"sms_code": "000000"})
    assert "_auth_user_id" not in client.session and wrong.status_code == 200
    response = client.post(reverse("accounts:login_staff_verify"),
                           {"sms_code": sms_code("13900000011")})
    assert response.url == reverse("accounts:staff_home")
    home = client.get(reverse("accounts:staff_home")).content.decode()
    assert "南京大学" in home and "学校审核员" in home


def test_staff_verify_without_a_password_step_goes_back(client, db):
    response = client.get(reverse("accounts:login_staff_verify"))
    assert response.url == reverse("accounts:login_staff")


def test_a_session_in_use_goes_on_and_ends_after_thirty_idle_minutes(client, person):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    center = reverse("portal:center")
    with frozen(timezone.now()) as clock:
        login(client, person.mobile)
        for _ in range(4):  # an hour and twenty minutes of use, a page every twenty minutes
            clock.advance(minutes=20)
            assert client.get(center).status_code == 200
        clock.advance(minutes=29)
        assert client.get(center).status_code == 200  # 29 idle minutes: still logged in
        clock.advance(minutes=30, seconds=1)
        response = client.get(center)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_a_session_is_written_at_most_once_a_minute_when_nothing_in_it_changes(client, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("portal:center")).status_code == 200
        return [q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]

    with frozen(timezone.now()) as clock:
        login(client, person.mobile)
        clock.advance(seconds=1)
        assert session_writes()  # the first page after the login pushes the end forward
        for _ in range(3):
            clock.advance(seconds=15)
            assert session_writes() == []
        clock.advance(seconds=20)  # 65 seconds since the last write
        assert session_writes()


def test_idle_session_is_logged_out(client, person):
    login(client, person.mobile)
    session = client.session
    session.set_expiry(-1)  # what thirty idle minutes leave behind
    session.save()
    response = client.get(reverse("portal:center"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from servicehall.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_one_address_failing_on_many_accounts_is_refused(client, person, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for n in range(3):
        assert login(client, f"1370000000{n}", "Wrong#Pass1").status_code == 200
    refused = login(client, person.mobile)  # even the right password, from that address
    assert refused.status_code == 429
    assert "该网络地址登录失败次数过多" in refused.content.decode()
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")
    assert login(elsewhere, person.mobile).status_code == 302
