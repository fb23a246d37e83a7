"""The catalog's pages through HTTP, as a browser would ask for them."""

import pytest
from django.urls import reverse

from servicehall.catalog.models import Channel, Service

pytestmark = pytest.mark.django_db
SUBSIDY = "job-seeking-subsidy"


@pytest.mark.parametrize("name", ["personal", "organisation", "query", "list", "themes", "search",
                                  "categories"])
def test_every_catalog_page_answers(client, name):
    response = client.get(reverse(f"catalog:{name}"))
    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1


def test_personal_lists_only_services_for_people_grouped_under_categories(client):
    page = client.get(reverse("catalog:personal")).content.decode()
    assert "就业补贴" in page and "求职创业补贴个人申报" in page
    for service in Service.objects.filter(serves="organisation"):
        assert service.name not in page
    employment = client.get(reverse("catalog:personal"), {"category": "employment"}).content.decode()
    assert "求职创业补贴个人申报" in employment
    assert "工伤认定" not in employment


def test_unknown_category_falls_back_to_all(client):
    response = client.get(reverse("catalog:personal"), {"category": "<script>"})
    assert response.status_code == 200
    assert b"<script>" not in response.content.split(b"<main")[1]


def test_organisation_page_lists_organisation_services(client):
    page = client.get(reverse("catalog:organisation")).content.decode()
    assert "求职创业补贴个人申报" not in page
    assert any(s.name in page for s in Service.objects.filter(serves="organisation"))


def test_only_online_services_offer_an_apply_button(client):
    page = client.get(reverse("catalog:personal")).content.decode()
    assert reverse("catalog:apply", args=[SUBSIDY]) in page
    for service in Service.objects.exclude(channel=Channel.ONLINE):
        assert reverse("catalog:apply", args=[service.code]) not in page


def test_search_page_shows_the_group_open_and_the_subsidy_highlighted(client):
    page = client.get(reverse("catalog:search"), {"q": "求职创业"}).content.decode()
    assert "<details class=\"svc-group\" open>" in page
    assert "<mark>求职创业</mark>补贴个人申报" in page
    assert "svc--match" in page


def test_search_with_nothing_found_says_so_and_suggests(client):
    page = client.get(reverse("catalog:search"), {"q": "火星移民签证"}).content.decode()
    assert "没有找到与“火星移民签证”相关的服务" in page
    assert "您可能在找" in page


@pytest.mark.parametrize("query", ["'; DROP TABLE catalog_service; --", "<img src=x onerror=1>", "\x00",
                                   "%", "_", "x" * 5000, "求职" * 300])
def test_hostile_queries_get_a_page_not_an_error(client, query):
    response = client.get(reverse("catalog:search"), {"q": query})
    assert response.status_code == 200
    assert b"<img src=x" not in response.content


def test_the_subsidy_guide_is_complete(client):
    page = client.get(reverse("catalog:guide", args=[SUBSIDY])).content.decode()
    for heading in ["事项名称", "实施主体", "受理条件", "申请材料", "办理流程", "办理时限", "收费标准",
                    "设定依据", "申报时间", "咨询电话", "常见问题"]:
        assert heading in page, heading
    steps = ["学生网上申请", "系统比对", "学校审核", "学校公示", "人社初审", "人社复审", "发放至社会保障卡"]
    positions = [page.index(f'<span class="flow__label">{step}</span>') for step in steps]
    assert positions == sorted(positions)
    for text in ["不收费", "苏人社发〔2019〕198号", "财社〔2023〕181号", "9月1日", "5月1日", "12333",
                 "残疾人证", "低保"]:
        assert text in page, text


def test_a_service_handled_elsewhere_says_where_and_offers_no_apply(client):
    service = Service.objects.exclude(channel=Channel.ONLINE).first()
    page = client.get(reverse("catalog:guide", args=[service.code])).content.decode()
    assert "本事项不在本大厅网上申报" in page
    assert service.channel_note in page
    assert reverse("catalog:apply", args=[service.code]) not in page


def test_applying_for_a_service_handled_elsewhere_leads_to_where_it_is_handled(client):
    service = Service.objects.exclude(channel=Channel.ONLINE).first()
    response = client.get(reverse("catalog:apply", args=[service.code]))
    assert response.url == reverse("catalog:guide", args=[service.code]) + "#channel"


def test_apply_when_logged_out_leads_to_login_and_back(client):
    response = client.get(reverse("catalog:apply", args=[SUBSIDY]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert response.url.endswith("?next=" + reverse("catalog:apply", args=[SUBSIDY]))


def test_apply_when_logged_in_goes_to_the_service_page(client, person):
    client.force_login(person)
    response = client.get(reverse("catalog:apply", args=[SUBSIDY]))
    assert response.url == reverse("subsidy:apply")
    # A query answered online needs no login: 办件进度查询 opens its own page for anyone.
    client.logout()
    lookup = client.get(reverse("catalog:apply", args=["case-progress"]))
    assert lookup.url == reverse("subsidy:progress_lookup")


def test_staff_are_not_sent_into_a_personal_application(client, school_reviewer):
    client.force_login(school_reviewer)
    response = client.get(reverse("catalog:apply", args=[SUBSIDY]), follow=True)
    assert "网上申报仅供个人用户使用" in response.content.decode()


def test_unknown_or_unpublished_service_is_not_found(client):
    assert client.get(reverse("catalog:guide", args=["no-such-service"])).status_code == 404
    Service.objects.filter(code=SUBSIDY).update(is_published=False)
    assert client.get(reverse("catalog:guide", args=[SUBSIDY])).status_code == 404
    assert SUBSIDY.encode() not in client.get(reverse("catalog:personal")).content


def test_themes_list_audiences_and_each_theme_its_services(client):
    page = client.get(reverse("catalog:themes")).content.decode()
    assert "高校毕业生" in page and "用人单位" in page
    theme = client.get(reverse("catalog:theme", args=["graduates"])).content.decode()
    assert "求职创业补贴个人申报" in theme
    assert client.get(reverse("catalog:theme", args=["nobody"])).status_code == 404


def test_query_services_page_lists_query_services_only(client):
    page = client.get(reverse("catalog:query")).content.decode()
    assert "办件进度查询" in page
    assert "求职创业补贴个人申报" not in page


def test_service_list_shows_every_published_service(client):
    page = client.get(reverse("catalog:list")).content.decode()
    for service in Service.objects.filter(is_published=True):
        assert service.name in page
