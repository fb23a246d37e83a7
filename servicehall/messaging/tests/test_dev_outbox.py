"""The development outbox page, through the test client."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from servicehall.messaging.models import CodePurpose
from servicehall.messaging.services import otp_send, sms_send

from .conftest import IP, MOBILE, OTHER_MOBILE

pytestmark = pytest.mark.django_db

URL = "/messaging/dev/sms/"


@pytest.fixture
def two_messages(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        otp_send(mobile=MOBILE, purpose=CodePurpose.REGISTER, client_address=IP)
        sms_send(mobile=OTHER_MOBILE, text="您的申请已提交，学校将在5个工作日内审核。")


def test_url_name():
    assert reverse("messaging:dev_outbox") == URL


def test_page_lists_messages_in_full(client, two_messages):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "短信发件箱（开发环境）</h1>" in html
    assert "<title>短信发件箱（开发环境） - 江苏人社网上办事服务大厅</title>" in html
    assert "仅在开发和测试环境中提供" in html
    assert MOBILE in html and OTHER_MOBILE in html
    assert re.search(r"您的注册验证码为\d{6}", html)
    assert "学校将在5个工作日内审核" in html
    assert '<table class="table">' in html
    assert 'data-label="手机号码"' in html
    assert "已发送" in html
    assert "<script>" not in html.split("</head>")[1]
    assert "style=" not in html
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_newest_first_and_at_most_fifty(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(55):
            sms_send(mobile=MOBILE, text=f"第{i}条通知")
    html = client.get(URL).content.decode()
    assert "第54条通知" in html
    assert "第5条通知" in html
    assert "第4条通知" not in html
    assert html.index("第54条通知") < html.index("第53条通知")


def test_filter_by_mobile(client, two_messages):
    response = client.get(URL, {"mobile": OTHER_MOBILE})
    html = response.content.decode()
    assert response.status_code == 200
    assert OTHER_MOBILE in html
    assert MOBILE not in html
    assert "学校将在5个工作日内审核" in html


def test_filter_with_no_messages(client, two_messages):
    html = client.get(URL, {"mobile": "13000000000"}).content.decode()
    assert "还没有发往 13000000000 的短信" in html
    assert "<table" not in html


def test_empty_filter_shows_all(client, two_messages):
    html = client.get(URL, {"mobile": ""}).content.decode()
    assert MOBILE in html and OTHER_MOBILE in html
    assert "应为11位数字" not in html


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert(1)</script>",
        "1381234567",
        "138123456789",
        "１３８１２３４５６７８",  # full-width digits
        "' OR 1=1 --",
        "1" * 5000,
        "13812345678\x00",
        "٣٨١٢٣٤٥٦٧٨٩",  # Arabic-Indic digits
    ],
)
def test_hostile_filter_values_get_a_message(client, two_messages, value):
    response = client.get(URL, {"mobile": value})
    html = response.content.decode()
    assert response.status_code == 200
    assert "手机号码应为11位数字，请检查后重新输入" in html
    assert "<script>alert" not in html


@override_settings(SMS_DEV_OUTBOX_PAGE=False)
def test_404_when_setting_is_off(client, two_messages):
    response = client.get(URL)
    assert response.status_code == 404
    assert MOBILE.encode() not in response.content


def test_only_get(client):
    assert client.post(URL).status_code == 405
