"""个人注册 through HTTP, as a browser without JavaScript does it."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from servicehall.accounts.models import User
from servicehall.messaging.models import SmsMessage
from tests.people import PASSWORD, resident_id

pytestmark = pytest.mark.django_db
NEW_ID = resident_id("32010220050601002")
NEW_MOBILE = "13912345678"


def form(**overrides):
    data = {
        "id_type": "resident", "id_number": NEW_ID, "name": "王小红", "mobile": NEW_MOBILE,
        "password": PASSWORD, "password_confirm": PASSWORD, "sms_code": "", "agree": "on",
    }
    data.update(overrides)
    return data


def request_code(client, **overrides):
    return client.post(reverse("accounts:register"), {**form(**overrides), "action": "send_code"})


def test_get_code_keeps_what_was_typed_and_says_where_it_went(client):
    response = request_code(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "验证码已发送至139****5678" in page
    assert 'value="王小红"' in page and f'value="{NEW_ID}"' in page
    assert "请输入短信验证码" in page  # the code field's placeholder, no error yet


def test_register_then_logged_in_with_gender_and_birth_date_from_the_id(client, sms_code):
    request_code(client)
    response = client.post(reverse("accounts:register"), form(sms_code=sms_code(NEW_MOBILE)))
    assert response.status_code == 302 and response.url == reverse("portal:center")
    user = User.objects.get(name="王小红")
    assert user.gender == "F" and str(user.birth_date) == "2005-06-01"
    center = client.get(reverse("portal:center")).content.decode()
    assert "3201**********" + NEW_ID[-4:] in center
    assert "139****5678" in center


def test_wrong_code_is_refused_next_to_the_field(client):
    request_code(client)
    response = client.post(reverse("accounts:register"), form(sms_code="000000"))
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode() or "验证码错误" in response.content.decode()
    assert not User.objects.filter(name="王小红").exists()


def test_each_field_gets_its_own_message(client):
    response = client.post(reverse("accounts:register"), form(
        id_number="110105194912310021", name="A", mobile="12345", password="short",
        password_confirm="other", sms_code="12", agree="",
    ))
    page = response.content.decode()
    for message in ["校验位不正确", "姓名应为", "移动电话应为", "密码长度应为8-20位",
                    "短信验证码为6位数字", "请阅读并勾选同意"]:
        assert message in page, message
    assert 'value="110105194912310021"' in page  # what was typed comes back


def test_password_mismatch(client):
    response = client.post(reverse("accounts:register"), form(password_confirm="Other#Pass2026"))
    assert "两次输入的密码不一致" in response.content.decode()


def test_bound_id_number_says_so_and_links_to_the_appeal(client, person, sms_code):
    request_code(client)
    response = client.post(reverse("accounts:register"), form(
        id_number=person.id_number, sms_code=sms_code(NEW_MOBILE)))
    page = response.content.decode()
    assert "该证件号码已被其他账号绑定" in page
    assert reverse("accounts:appeal") in page


def test_registered_mobile_cannot_get_a_register_code(client, person):
    # The page answers as for any number; the phone gets a notice, not a code.
    response = request_code(client, mobile=person.mobile)
    assert "验证码已发送至138****0001" in response.content.decode()
    notice = SmsMessage.objects.get()
    assert "已注册" in notice.text and not re.search(r"\d{6}", notice.text)


def test_htmx_code_button_returns_only_the_status(client):
    response = client.post(reverse("accounts:send_code"),
                           {"mobile": NEW_MOBILE, "purpose": "register"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"data-resend-after=\"60\"" in response.content
    again = client.post(reverse("accounts:send_code"),
                        {"mobile": NEW_MOBILE, "purpose": "register"}, HTTP_HX_REQUEST="true")
    assert "秒后" in again.content.decode()


def test_staff_purpose_cannot_be_requested_from_the_page(client):
    response = client.post(reverse("accounts:send_code"),
                           {"mobile": NEW_MOBILE, "purpose": "staff_login"})
    assert "不支持" in response.content.decode()


def test_database_holds_no_id_number_or_mobile_in_plain_text(client, sms_code):
    request_code(client)
    client.post(reverse("accounts:register"), form(sms_code=sms_code(NEW_MOBILE)))
    assert User.objects.filter(name="王小红").exists()
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dump = repr(cursor.fetchall())
            assert NEW_ID not in dump, table
            assert NEW_MOBILE not in dump, table


def test_empty_fields_name_themselves(client):
    page = client.post(reverse("accounts:register"), {}).content.decode()
    for message in ["请选择证件类型", "请填写证件号码", "请填写姓名", "请填写移动电话", "请填写密码",
                    "请输入短信验证码"]:
        assert message in page, message
    assert "这个字段是必填项" not in page


# 申报 asks a visitor to log in (/accounts/login/?next=/subsidy/apply/); one who registers
# instead must land where they were going, not in 个人中心.
APPLY = "/subsidy/apply/"


def test_the_login_pages_register_link_carries_the_destination(client):
    for name in ["accounts:login", "accounts:login_sms", "accounts:login_qr"]:
        page = client.get(reverse(name), {"next": APPLY}).content.decode()
        assert f'href="{reverse("accounts:register")}?next=/subsidy/apply/"' in page, name


def test_the_register_page_carries_the_destination_in_its_form_and_login_link(client):
    page = client.get(reverse("accounts:register"), {"next": APPLY}).content.decode()
    assert f'<input type="hidden" name="next" value="{APPLY}">' in page
    assert f'href="{reverse("accounts:login")}?next=/subsidy/apply/"' in page


def test_the_code_step_without_javascript_keeps_the_destination(client):
    response = client.post(reverse("accounts:register") + "?next=/elsewhere/",
                           {**form(), "action": "send_code", "next": APPLY})
    page = response.content.decode()
    assert "验证码已发送至139****5678" in page
    assert f'<input type="hidden" name="next" value="{APPLY}">' in page


def test_registering_from_the_apply_login_lands_on_the_form(client, sms_code):
    client.get(reverse("accounts:register"), {"next": APPLY})
    request_code(client, next=APPLY)
    response = client.post(reverse("accounts:register"), form(sms_code=sms_code(NEW_MOBILE), next=APPLY))
    assert response.status_code == 302 and response.url == APPLY
    assert client.get(reverse("portal:center")).status_code == 200  # logged in


def test_a_query_in_the_destination_survives(client, sms_code):
    target = "/services/search/?q=%E8%A1%A5%E8%B4%B4&page=2"
    page = client.get(reverse("accounts:login"), {"next": target}).content.decode()
    assert "next=/services/search/%3Fq%3D%25E8%25A1%25A5%25E8%25B4%25B4%26page%3D2" in page
    request_code(client)
    response = client.post(reverse("accounts:register"), form(sms_code=sms_code(NEW_MOBILE), next=target))
    assert response.url == target


def test_a_failed_registration_keeps_the_destination(client):
    response = client.post(reverse("accounts:register"), form(sms_code="000000", next=APPLY))
    assert response.status_code == 200
    assert f'<input type="hidden" name="next" value="{APPLY}">' in response.content.decode()


def test_someone_logged_in_goes_straight_to_the_destination(client, person):
    client.force_login(person)
    assert client.get(reverse("accounts:register"), {"next": APPLY}).url == APPLY
    assert client.get(reverse("accounts:register")).url == reverse("portal:center")
