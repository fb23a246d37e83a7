import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOOKUP = "/reference/regions/"


def select_html(html, select_id):
    match = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S)
    assert match, f"no select #{select_id}"
    return match.group(0)


def test_urls():
    assert reverse("reference:region_lookup") == LOOKUP
    assert reverse("reference:region_options", args=["320100"]) == "/reference/regions/320100/options/"


def test_lookup_page_starts_with_the_provinces(client):
    response = client.get(LOOKUP)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>行政区划代码查询 - 江苏人社网上办事服务大厅</title>" in html
    assert html.count("<h1") == 1 and "<h1>行政区划代码查询</h1>" in html
    province = select_html(html, "id_region_province")
    assert province.count("<option") == 35  # placeholder + 34
    assert "请先选择省" in select_html(html, "id_region_city")
    assert "查询结果" not in html
    assert 'class="error-summary"' not in html
    assert "<script>" not in html.split("</head>")[1]  # no inline script in the body


def test_no_js_flow_refresh_twice_then_search(client):
    # 1. Choose 江苏省 and press 更新下级选项: the cities appear, nothing is validated.
    html = client.get(LOOKUP, {"region_province": "320000", "region_refresh": "region"}).content.decode()
    assert 'class="error-summary"' not in html
    city = select_html(html, "id_region_city")
    assert '<option value="320100">南京市</option>' in city and "autofocus" in city
    assert "已更新下级选项" in html
    # 2. Choose 南京市 and refresh again: its counties appear.
    html = client.get(LOOKUP, {"region_province": "320000", "region_city": "320100",
                               "region_refresh": "region"}).content.decode()
    county = select_html(html, "id_region_county")
    assert '<option value="320102">玄武区</option>' in county and "autofocus" in county
    assert '<option value="320100" selected>南京市</option>' in select_html(html, "id_region_city")
    # 3. Choose 玄武区 and 查询.
    html = client.get(LOOKUP, {"region_province": "320000", "region_city": "320100",
                               "region_county": "320102"}).content.decode()
    assert "查询结果" in html
    assert "<dd>320102</dd>" in html and "<dd>江苏省南京市玄武区</dd>" in html


def test_lookup_says_what_is_missing(client):
    html = client.get(LOOKUP, {"region_province": "320000", "region_city": "320100",
                               "region_county": ""}).content.decode()
    assert 'class="error-summary"' in html
    assert '<a href="#id_region_province">行政区划：请选择区县</a>' in html
    assert 'aria-invalid="true"' in html
    assert "查询结果" not in html


def test_a_prefecture_outside_jiangsu_is_a_result(client):
    html = client.get(LOOKUP, {"region_province": "440000", "region_city": "440300"}).content.decode()
    assert "<dd>440300</dd>" in html and "<dd>广东省深圳市</dd>" in html
    assert "无需选择" in select_html(html, "id_region_county")


@pytest.mark.parametrize(
    "value",
    ["' OR 1=1 --", "<script>alert(1)</script>", "x" * 10_000, "32\x000000", "\x01\x02\x1b",
     "3200００", "320000\n"],
)
@pytest.mark.parametrize("param", ["region_province", "region_city", "region_county"])
def test_hostile_lookup_params_get_a_message_not_a_500(client, param, value):
    data = {"region_province": "320000", "region_city": "320100", "region_county": "320102"}
    data[param] = value
    response = client.get(LOOKUP, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "查询结果" not in html or value == "320000\n"  # surrounding whitespace is trimmed
    if "查询结果" not in html:
        assert 'class="error-summary"' in html


def test_lookup_refuses_post(client):
    assert client.post(LOOKUP, {"region_province": "320000"}).status_code == 405


def test_options_endpoint_lists_children(client):
    response = client.get("/reference/regions/320100/options/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<option value="">请选择</option>')
    assert '<option value="320102">玄武区</option>' in html
    assert html.count("<option") == 12  # placeholder + 11 districts of 南京市
    leaf = client.get("/reference/regions/330100/options/").content.decode()
    assert leaf.strip() == '<option value="">无需选择</option>'


@pytest.mark.parametrize("code", ["999999", "320103", "abc", "%00", "%3Cscript%3E", "1" * 5000,
                                  "320100%0A"])
def test_options_endpoint_unknown_code_is_404(client, code):
    response = client.get(f"/reference/regions/{code}/options/")
    assert response.status_code == 404


def test_picker_endpoint_rerenders_one_picker(client):
    response = client.get("/reference/regions/picker/", {
        "name": "hukou_region", "id": "id_hukou_region",
        "hukou_region_province": "320000", "hukou_region_city": "320500",
        "hukou_region_county": "320102",  # stale: belongs to 南京市
    }, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div class="region-picker" id="id_hukou_region_picker">')
    assert '<option value="320500" selected>苏州市</option>' in html
    assert '<option value="320582">张家港市</option>' in html
    assert "玄武区" not in html
    assert "<html" not in html


@pytest.mark.parametrize(
    "params",
    [{}, {"name": "a b", "id": "x"}, {"name": "x", "id": '"><script>'}, {"name": "x" * 500, "id": "x"},
     {"name": "x\x00", "id": "x"}],
)
def test_picker_endpoint_refuses_bad_names(client, params):
    assert client.get("/reference/regions/picker/", params).status_code == 400


def test_picker_endpoint_with_hostile_values(client):
    response = client.get("/reference/regions/picker/", {
        "name": "r", "id": "id_r", "r_province": "\x00' OR 1=1 --", "r_city": "<script>",
        "r_county": "9" * 10_000,
    })
    assert response.status_code == 200
    assert " selected" not in response.content.decode()


def test_pages_answer_head_requests(client):
    for url in [LOOKUP, "/reference/schools/", "/reference/regions/320000/options/"]:
        assert client.head(url).status_code == 200
