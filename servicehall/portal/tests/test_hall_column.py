"""The home page's right-hand column, as the manual draws it: 省政务服务, 我要看, 我要办, 我要问,
我要评, 掌上办 and, only when the hall has one, 公众号."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _column(client) -> str:
    page = client.get(reverse("portal:home")).content.decode()
    found = re.search(r'<nav class="card home-column".*?</nav>', page, re.DOTALL)
    assert found, "the home page has no right-hand column"
    return found.group(0)


def _links(column: str) -> dict[str, str]:
    """Each entry's visible label -> where it leads."""
    return dict(
        (label, href) for href, label in
        re.findall(r'<a class="home-column__item" href="([^"]+)">.*?<span>([^<]+)</span>', column, re.DOTALL)
    )


def test_each_entry_leads_where_the_manual_says(client):
    assert _links(_column(client)) == {
        "省政务服务": "https://www.jszwfw.gov.cn/",
        "我要看": reverse("notices:list"),
        "我要办": reverse("catalog:personal"),
        "我要问": reverse("consult:index"),
        "我要评": reverse("portal:concluded"),
        "掌上办": reverse("pwa:mobile"),
    }


def test_every_entry_has_a_decorative_inline_icon_and_opens_in_the_same_tab(client):
    column = _column(client)
    assert column.count('<svg class="icon"') == 6 == column.count('aria-hidden="true"')
    assert "<img" not in column and "target=" not in column and "//" not in column.replace(
        "https://www.jszwfw.gov.cn/", "")


def test_the_province_portal_comes_from_the_setting(client, settings):
    settings.HALL_PROVINCE_PORTAL_URL = "https://zwfw.example.gov.cn/"
    assert _links(_column(client))["省政务服务"] == "https://zwfw.example.gov.cn/"


def test_no_wechat_account_set_no_entry(client, settings):
    settings.HALL_WECHAT_ACCOUNT = ""
    column = _column(client)
    assert "公众号" not in column and "微信" not in column


def test_the_wechat_account_is_named_when_set(client, settings):
    settings.HALL_WECHAT_ACCOUNT = "测试人社公众号"
    column = _column(client)
    assert "公众号" in column and "微信搜索“测试人社公众号”" in column
    assert column.count('<svg class="icon"') == 7
    # Unset again: the copy kept for the column is keyed by the setting, not reused.
    settings.HALL_WECHAT_ACCOUNT = ""
    assert "测试人社公众号" not in _column(client)


def test_the_column_is_the_same_for_a_person_as_for_a_visitor(client, person):
    anonymous = _column(client)
    client.force_login(person)
    assert _column(client) == anonymous


def test_a_visitor_who_would_rate_is_asked_to_log_in(client):
    response = client.get(reverse("portal:concluded"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
