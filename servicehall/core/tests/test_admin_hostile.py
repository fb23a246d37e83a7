"""The operator's admin pages: a tampered choice or an overlong search gets a message, not a 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(operator):
    client = Client(raise_request_exception=True)
    client.force_login(operator)
    return client


def test_an_overlong_search_is_refused_with_a_message(admin_client):
    for url in ["/admin/reference/region/", "/admin/subsidy/application/"]:
        response = admin_client.get(url, {"q": "x" * 100_000})
        assert response.status_code == 200
        assert "搜索内容过长，请输入200个字以内" in response.content.decode()


def test_a_normal_search_still_finds(admin_client):
    response = admin_client.get("/admin/reference/region/", {"q": "南京"})
    assert "南京市" in response.content.decode()


# Full-width digits are read as digits ("１２" is 12, a school that may exist, depending on which
# tests ran before on PostgreSQL): the full-width value here names no row.
@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1", "９９９９９９９"])
def test_a_tampered_autocomplete_value_leaves_the_page_working(admin_client, value):
    response = admin_client.get("/admin/accounts/organisation/add/", {"school": value, "parent": value})
    assert response.status_code == 200
    response = admin_client.post("/admin/accounts/organisation/add/", {
        "name": "某单位", "kind": "school", "region": "320100", "school": value, "parent": value,
        "is_active": "on", "_save": "保存",
    })
    assert response.status_code == 200
    assert "errornote" in response.content.decode()  # the form says what is wrong


def test_undecodable_bytes_in_an_autocomplete_value(admin_client):
    response = admin_client.post("/admin/accounts/organisation/add/", "name=x&school=%ED%A0%80&parent=%FF",
                                 content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200


def test_a_nul_character_in_an_admin_form_is_refused_with_a_message(admin_client):
    """PostgreSQL cannot take a NUL: the admin refuses it before any query (on SQLite it is
    merely an invalid choice)."""
    response = admin_client.post("/admin/accounts/organisation/add/", {
        "name": "某单位", "kind": "school", "region": "\x00", "is_active": "on", "_save": "保存",
    }, follow=True)
    assert response.status_code == 200
    assert "输入内容含有不可见的控制字符（NUL），请删除后重新提交" in response.content.decode()
    response = admin_client.get("/admin/reference/educationlevel/", {"q": "\x00"}, follow=True)
    assert "输入内容含有不可见的控制字符（NUL），请删除后重新提交" in response.content.decode()


def test_the_admin_pages_name_the_halls_icon(admin_client):
    """Else the browser asks for /favicon.ico on every admin page (issue 17)."""
    page = admin_client.get("/admin/").content.decode()
    assert '<link rel="icon" href="/static/hall/img/favicon' in page
