"""The home page, 我的, and the header's preferences (region, 长辈版)."""

import pytest
from django.urls import reverse

from servicehall.notices.models import Notice

pytestmark = pytest.mark.django_db


def test_home_page_has_the_manuals_parts(client):
    page = client.get(reverse("portal:home")).content.decode()
    for text in ["您好！请登录", "大厅首页", "个人办事", "单位办事", "查询服务", "服务清单", "主题服务",
                 "公示公告", "我是", "高校毕业生", "用人单位", "热门服务", "社会保障卡", "工伤保险",
                 "城乡居民服务", "厅本级"]:
        assert text in page, text
    assert 'role="search"' in page


def test_home_page_greets_a_logged_in_person_by_masked_name(client, person):
    client.force_login(person)
    page = client.get(reverse("portal:home")).content.decode()
    assert person.masked_name in page
    assert person.name not in page.replace(person.masked_name, "")
    assert reverse("portal:center") in page


def test_my_page_offers_login_and_register_when_logged_out(client):
    page = client.get(reverse("portal:my")).content.decode()
    assert reverse("accounts:login") in page and reverse("accounts:register") in page
    for item in ["电子社保卡", "我的培训", "我的信息", "我的办件", "我的证照", "我的材料", "我的地址",
                 "我的快递", "企业服务"]:
        assert item in page, item
    assert "暂未开通" in page


def test_my_page_for_a_person(client, person):
    client.force_login(person)
    page = client.get(reverse("portal:my")).content.decode()
    assert person.masked_name in page and reverse("portal:center") in page


def test_region_switch_remembers_a_city_and_the_guide_gives_its_hotline(client):
    guide = reverse("catalog:guide", args=["job-seeking-subsidy"])
    response = client.post(reverse("portal:region_switch"), {"region": "320100", "next": guide})
    assert response.url == guide
    assert response.cookies["hall_region"].value == "320100"
    page = client.get(guide).content.decode()
    assert "025-12333" in page and "南京市" in page


def test_region_switch_back_to_the_province_and_bad_codes(client):
    client.post(reverse("portal:region_switch"), {"region": "320100"})
    response = client.post(reverse("portal:region_switch"), {"region": "110100", "next": "//evil.example"})
    assert response.url == reverse("portal:home")
    assert response.cookies["hall_region"].value == ""
    client.cookies["hall_region"] = "'; drop"
    page = client.get(reverse("catalog:guide", args=["job-seeking-subsidy"])).content.decode()
    assert "厅本级" in page


def test_care_mode_is_remembered_and_can_be_turned_off(client):
    response = client.post(reverse("portal:care_mode_switch"), {"care_mode": "1", "next": "/personal/"})
    assert response.url == "/personal/"
    assert 'class="care-mode' in client.get(reverse("portal:home")).content.decode()
    client.post(reverse("portal:care_mode_switch"), {"care_mode": "0"})
    assert 'class="care-mode' not in client.get(reverse("portal:home")).content.decode()


def test_preferences_need_post(client):
    assert client.get(reverse("portal:care_mode_switch")).status_code == 405
    assert client.get(reverse("portal:region_switch")).status_code == 405


def test_home_page_lists_the_latest_notices(client):
    Notice.objects.create(title="最新公告", publisher="江苏省人力资源和社会保障厅", body="正文")
    assert "最新公告" in client.get(reverse("portal:home")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["\x00", "32\x000100", "abc", "9" * 100])
def test_a_tampered_region_is_no_region(code):
    from django.test import Client

    response = Client(raise_request_exception=True).post("/preferences/region/", {"region": code})
    assert response.status_code == 302
    assert "hall_region" not in response.cookies or not response.cookies["hall_region"].value
