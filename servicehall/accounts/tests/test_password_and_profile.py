"""忘记密码, 修改密码, 更换手机号码, and 我的信息."""

import pytest
from django.urls import reverse

from servicehall.accounts.models import User
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "New#Pass2027"


def logged_in(client, person):
    client.post(reverse("accounts:login"), {"identifier": person.mobile, "password": PASSWORD})
    return client


def test_forgot_password_through_an_sms_code(client, person, sms_code):
    client.post(reverse("accounts:password_reset"), {"mobile": person.mobile, "action": "send_code"})
    response = client.post(reverse("accounts:password_reset"), {
        "mobile": person.mobile, "sms_code": sms_code(person.mobile),
        "new_password": NEW, "new_password_confirm": NEW,
    })
    assert response.url == reverse("accounts:login")
    assert User.objects.get(pk=person.pk).check_password(NEW)


def test_reset_code_cannot_log_in_and_login_code_cannot_reset(client, person, sms_code):
    client.post(reverse("accounts:password_reset"), {"mobile": person.mobile, "action": "send_code"})
    code = sms_code(person.mobile)
    response = client.post(reverse("accounts:login_sms"), {"mobile": person.mobile, "sms_code": code})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_new_password_follows_the_rules(client, person, sms_code):
    client.post(reverse("accounts:password_reset"), {"mobile": person.mobile, "action": "send_code"})
    response = client.post(reverse("accounts:password_reset"), {
        "mobile": person.mobile, "sms_code": sms_code(person.mobile),
        "new_password": "Ab#" + person.mobile, "new_password_confirm": "Ab#" + person.mobile,
    })
    assert "密码不能包含手机号码" in response.content.decode()


def test_my_information_is_masked(client, person):
    page = logged_in(client, person).get(reverse("portal:center")).content.decode()
    assert "张晓明" in page and "138****0001" in page
    assert person.id_number not in page and person.mobile not in page
    assert "2004年3月15日" in page and "男" in page


def test_in_progress_and_concluded_say_there_is_nothing_yet(client, person):
    logged_in(client, person)
    assert "没有正在办理的业务" in client.get(reverse("portal:in_progress")).content.decode()
    assert "还没有已办结的业务" in client.get(reverse("portal:concluded")).content.decode()


def test_change_password(client, person):
    logged_in(client, person)
    wrong = client.post(reverse("accounts:password_change"), {
        "old_password": "Nope#1234", "new_password": NEW, "new_password_confirm": NEW})
    assert "当前密码不正确" in wrong.content.decode()
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password": NEW, "new_password_confirm": NEW})
    assert response.url == reverse("portal:center")
    assert client.get(reverse("portal:center")).status_code == 200  # still logged in


def test_change_mobile_with_a_code_sent_to_the_new_number(client, person, sms_code):
    logged_in(client, person)
    client.post(reverse("accounts:mobile_change"), {
        "password": PASSWORD, "mobile": "13700001111", "action": "send_code"})
    response = client.post(reverse("accounts:mobile_change"), {
        "password": PASSWORD, "mobile": "13700001111", "sms_code": sms_code("13700001111")})
    assert response.url == reverse("portal:center")
    assert User.objects.get(pk=person.pk).mobile == "13700001111"
    client.post(reverse("accounts:logout"))
    ok = client.post(reverse("accounts:login"), {"identifier": "13700001111", "password": PASSWORD})
    assert ok.status_code == 302


def test_pages_need_login(client, db):
    for name in ["portal:center", "portal:in_progress", "portal:concluded",
                 "accounts:password_change", "accounts:mobile_change"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response.url, name
