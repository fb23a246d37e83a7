import re

import pytest

from servicehall.reference.models import School

pytestmark = pytest.mark.django_db

URL = "/reference/schools/"


def rows(html):
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    return re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S) if body else []


def test_lists_every_active_school(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>高校名单 - 江苏人社网上办事服务大厅</title>" in html
    assert html.count("<h1") == 1 and "<h1>高校名单</h1>" in html
    assert len(rows(html)) == 165
    assert "共 165 所学校" in html
    first = rows(html)[0]
    assert '<td data-label="学校标识码">4132010284</td>' in first
    assert '<td data-label="学校名称">南京大学</td>' in first
    assert '<td data-label="办学层次">本科</td>' in first
    assert '<td data-label="办学性质">公办</td>' in first


def test_inactive_schools_are_hidden(client):
    School.objects.filter(code="4132010284").update(is_active=False)
    html = client.get(URL).content.decode()
    assert len(rows(html)) == 164 and "南京大学</td>" not in html


def test_filter_by_city_includes_its_county_level_cities(client):
    html = client.get(URL, {"city": "320500"}).content.decode()
    found = rows(html)
    assert len(found) == 25  # 苏州市 23 + 张家港市 + 昆山市
    assert any("张家港市" in row for row in found) and any("昆山市" in row for row in found)
    assert not any("南京市" in row for row in found)
    assert '<option value="320500" selected>苏州市</option>' in html


def test_filter_by_name(client):
    html = client.get(URL, {"name": "南京大学"}).content.decode()
    assert [re.search(r'学校名称">(.*?)<', row).group(1) for row in rows(html)] == [
        "南京大学", "南京大学金陵学院",
    ]
    html = client.get(URL, {"city": "320100", "name": "师范"}).content.decode()
    assert len(rows(html)) >= 1 and all("师范" in row for row in rows(html))


def test_no_match_says_so(client):
    html = client.get(URL, {"name": "不存在的大学"}).content.decode()
    assert rows(html) == [] and "没有符合条件的学校" in html and "共 0 所学校" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"name": "南" * 51}, "学校名称最多输入 50 个字"),
        ({"name": "x" * 10_000}, "学校名称最多输入 50 个字"),
        ({"name": "南京\x00大学"}, "学校名称不能包含控制字符"),
        ({"city": "999999"}, "请从列表中选择城市"),
        ({"city": "' OR 1=1 --"}, "请从列表中选择城市"),
        ({"city": "\x00"}, "请从列表中选择城市"),
    ],
)
def test_hostile_filters_return_no_rows_and_a_message(client, params, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert rows(html) == []
    assert message in html


@pytest.mark.parametrize("name", ["' OR 1=1 --", "<script>alert(1)</script>", "%", "_", "\x01\x1b",
                                  "南京' --"])
def test_hostile_names_just_find_nothing(client, name):
    response = client.get(URL, {"name": name})
    assert response.status_code == 200
    html = response.content.decode()
    assert rows(html) == []
    assert "<script>alert(1)</script>" not in html
