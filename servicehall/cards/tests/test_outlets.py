"""即时制卡网点: the operators' import (good and bad rows, re-import), the demo outlets, and the
public page with its filters, search and paging."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from servicehall.audit.models import AuditEntry
from servicehall.cards import importing, services
from servicehall.cards.models import CardOutlet, OutletImportBatch
from servicehall.core.errors import DomainError
from servicehall.core.wording import read_rows
from servicehall.reference.models import Region
from tests.clients import staff_client

from .factories import csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["城市", "区县", "网点名称", "地址", "营业时间", "联系电话", "可现场拍照(是/否)"]
URL = "/cards/outlets/"


def outlet(
    city="南京市",
    district="玄武区",
    name="玄武区社会保障卡服务中心",
    address="北京东路1号",
    hours="周一至周五 9:00-17:00",
    phone="025-83279999",
    photos="是",
):
    return [city, district, name, address, hours, phone, photos]


def do_import(operator, rows, *, name="outlets.csv", header=HEADER, xlsx=False):
    data = xlsx_bytes(rows, header=header) if xlsx else csv_bytes(rows, header=header)
    return services.outlet_import(actor=operator, uploaded_file=upload(data, name))


def refused(operator, data, name="outlets.csv") -> str:
    with pytest.raises(DomainError) as caught:
        services.outlet_import(actor=operator, uploaded_file=upload(data, name))
    assert caught.value.fields == ("file",)
    assert not OutletImportBatch.objects.exists()
    return str(caught.value.message)


# --- Import -----------------------------------------------------------------------------------


def test_good_rows_are_imported_with_cities_and_districts_matched_by_name(operator):
    batch = do_import(
        operator,
        [
            outlet(),
            outlet(
                city="苏州",
                district="昆山",
                name="昆山市社保卡服务网点",
                address="前进中路2号",
                phone="（0512）57301234、12333",
                photos="否",
            ),
            outlet(
                city="江苏省徐州市",
                district="徐州市丰县",
                name="丰县网点",
                address="中阳大道3号",
                hours="",
                phone="",
                photos="是",
            ),
        ],
    )
    assert (batch.row_count, batch.created_count, batch.rejected_count) == (3, 3, 0)
    xuanwu = CardOutlet.objects.get(name="玄武区社会保障卡服务中心")
    assert (xuanwu.city_id, xuanwu.district_id) == ("320100", "320102")
    assert xuanwu.takes_photos and not xuanwu.is_demo and xuanwu.is_active
    assert xuanwu.import_batch == batch
    kunshan = CardOutlet.objects.get(name="昆山市社保卡服务网点")
    assert (kunshan.city_id, kunshan.district_id, kunshan.takes_photos) == ("320500", "320583", False)
    assert kunshan.phone == "0512-57301234、12333"
    assert kunshan.phone_numbers == [("0512-57301234", "051257301234"), ("12333", "12333")]
    fengxian = CardOutlet.objects.get(name="丰县网点")
    assert (fengxian.city_id, fengxian.district_id, fengxian.hours, fengxian.phone) == (
        "320300",
        "320321",
        "",
        "",
    )
    entry = AuditEntry.objects.get(action="cards.outlet_import")
    assert entry.detail == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "rejected": 0}


def test_a_district_may_be_left_blank_and_an_extension_is_dialled_after_a_pause(operator):
    do_import(operator, [outlet(district="", phone="025-83279999-8001")])
    saved = CardOutlet.objects.get()
    assert saved.district is None
    assert saved.phone == "025-83279999转8001"
    assert saved.phone_numbers == [("025-83279999转8001", "02583279999,8001")]


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"city": "上海市"}, "城市", "未找到该城市"),
        ({"city": ""}, "城市", "请填写城市"),
        ({"district": "鼓楼"}, "区县", None),  # 鼓楼区 is in 南京 and 徐州: fine within 南京
        ({"district": "昆山市"}, "区县", "南京市没有这个区县"),
        ({"name": ""}, "网点名称", "请填写网点名称"),
        ({"name": "网" * 101}, "网点名称", "不能超过100个字"),
        ({"name": '=HYPERLINK("http://x")'}, "网点名称", "公式"),
        ({"address": ""}, "地址", "请填写网点地址"),
        ({"hours": "时" * 201}, "营业时间", "不能超过200个字"),
        ({"phone": "8327"}, "联系电话", "联系电话格式不正确"),
        ({"phone": "025-83279999、abc"}, "联系电话", "联系电话格式不正确"),
        ({"photos": "可以"}, "可现场拍照(是/否)", "可现场拍照应填“是”或“否”"),
        ({"photos": ""}, "可现场拍照(是/否)", "可现场拍照应填“是”或“否”"),
    ],
)
def test_a_bad_value_is_reported_by_line_column_and_reason(operator, cells, column, reason):
    batch = do_import(operator, [outlet(name="好网点"), outlet(**cells)])
    if reason is None:
        assert batch.rejected_count == 0 and batch.created_count == 2
        return
    assert batch.created_count == 1 and batch.rejected_count == 1
    assert CardOutlet.objects.filter(name="好网点").exists()
    (problem,) = read_rows(batch.rejected_rows)
    assert problem["line"] == 3
    assert problem["column"] == column
    assert reason in problem["reason"]


def test_every_problem_of_a_row_is_listed_and_the_unknown_city_skips_the_district(operator):
    batch = do_import(operator, [outlet(city="杭州市", district="西湖区", address="", photos="有")])
    assert batch.rejected_count == 1
    assert [(p["line"], p["column"]) for p in read_rows(batch.rejected_rows)] == [
        (2, "城市"),
        (2, "地址"),
        (2, "可现场拍照(是/否)"),
    ]


def test_the_same_outlet_twice_in_a_file_is_kept_from_its_first_line(operator):
    batch = do_import(
        operator,
        [
            outlet(address="第一行"),
            outlet(address="第二行"),
            outlet(city="徐州市", district="鼓楼区", address="另一个城市"),
        ],
    )
    assert (batch.created_count, batch.rejected_count) == (2, 1)
    assert read_rows(batch.rejected_rows)[0]["line"] == 3
    assert "与第2行是同一城市的同名网点" in read_rows(batch.rejected_rows)[0]["reason"]
    assert CardOutlet.objects.get(city_id="320100").address == "第一行"


def test_reimporting_the_same_file_changes_nothing(operator):
    rows = [outlet(), outlet(name="鼓楼网点", district="鼓楼区", photos="否")]
    first = do_import(operator, rows)
    before = {o.pk: o.updated_at for o in CardOutlet.objects.all()}
    second = do_import(operator, rows)
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 2)
    assert {o.pk: o.updated_at for o in CardOutlet.objects.all()} == before
    assert set(CardOutlet.objects.values_list("import_batch", flat=True)) == {first.pk}
    assert CardOutlet.objects.count() == 2


def test_a_changed_row_updates_its_outlet_and_others_are_left_alone(operator):
    do_import(operator, [outlet(), outlet(name="鼓楼网点", district="鼓楼区")])
    batch = do_import(operator, [outlet(hours="周一至周六 9:00-17:00", photos="否")])
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 0)
    changed = CardOutlet.objects.get(name="玄武区社会保障卡服务中心")
    assert changed.hours == "周一至周六 9:00-17:00" and not changed.takes_photos
    assert changed.import_batch == batch
    assert CardOutlet.objects.filter(name="鼓楼网点").exists()


def test_an_outlet_stopped_by_an_operator_stays_stopped_after_a_reimport(operator):
    do_import(operator, [outlet()])
    CardOutlet.objects.update(is_active=False)
    do_import(operator, [outlet(address="新地址")])
    saved = CardOutlet.objects.get()
    assert saved.address == "新地址" and not saved.is_active


def test_an_xlsx_with_a_full_width_header_and_typed_cells_is_read(operator):
    header = [*HEADER[:6], "可现场拍照（是/否）"]
    batch = do_import(
        operator,
        [
            ["南京", "江宁区", "江宁网点", "双龙大道1号", None, 12333, True],
            ["南京", "江宁区", "江宁二号网点", "双龙大道2号", None, 2583279999, False],
        ],
        name="网点.xlsx",
        header=header,
        xlsx=True,
    )
    assert (batch.created_count, batch.rejected_count) == (1, 1)
    saved = CardOutlet.objects.get()
    assert (saved.phone, saved.takes_photos, saved.hours) == ("12333", True, "")
    assert "区号开头的0会丢失" in read_rows(batch.rejected_rows)[0]["reason"]


def test_the_short_header_is_accepted_too(operator):
    batch = do_import(operator, [outlet()], header=[*HEADER[:6], "可现场拍照"])
    assert batch.created_count == 1


def test_a_file_without_the_header_is_refused_as_a_whole(operator):
    message = refused(operator, csv_bytes([outlet()], header=HEADER[:5]))
    assert "表头缺少以下列：联系电话、可现场拍照(是/否)" in message
    assert "文件是空的，请选择即时制卡网点信息表" in refused(operator, b"")


def test_only_an_operator_imports(person, school_reviewer):
    for actor in (person, school_reviewer):
        with pytest.raises(PermissionDenied):
            do_import(actor, [outlet()])
    assert not CardOutlet.objects.exists()


# --- Demo outlets -----------------------------------------------------------------------------


def test_demo_outlets_are_clearly_demo_and_loading_them_again_changes_nothing():
    counts = services.demo_outlets_load()
    assert counts == {"created": 15, "updated": 0, "unchanged": 0}
    outlets = list(CardOutlet.objects.select_related("city"))
    assert len(outlets) == 15
    assert len({o.city_id for o in outlets}) >= 8
    for demo in outlets:
        assert demo.is_demo and demo.is_active
        assert demo.name.endswith("（演示）") and demo.name.startswith(demo.city.name)
        assert "演示" in demo.address
        assert demo.phone == "12333"
    assert CardOutlet.objects.filter(
        name="南京市玄武区社会保障卡服务网点（演示）", district_id="320102"
    ).exists()
    assert CardOutlet.objects.filter(takes_photos=True).exists()
    assert CardOutlet.objects.filter(takes_photos=False).exists()
    before = {o.pk: o.updated_at for o in outlets}
    assert services.demo_outlets_load() == {"created": 0, "updated": 0, "unchanged": 15}
    assert {o.pk: o.updated_at for o in CardOutlet.objects.all()} == before


# --- The public page --------------------------------------------------------------------------


@pytest.fixture
def client():
    return Client(REMOTE_ADDR="10.0.0.7")


def make(name, city="320100", district="320102", **fields):
    values = {
        "address": f"{name}路1号",
        "hours": "9:00-17:00",
        "phone": "025-83279999",
        "takes_photos": False,
    }
    values.update(fields)
    return CardOutlet.objects.create(name=name, city_id=city, district_id=district, **values)


def names(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h3 class="outlet__name">([^<]+?)(?: <span|</h3>)', html)


def test_the_page_lists_outlets_for_anyone_with_what_a_person_needs(client):
    make("玄武网点", takes_photos=True, phone="025-83279999、12333")
    make("停用网点", is_active=False)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("cards:outlets") == URL
    assert "<h1>社会保障卡即时制卡网点</h1>" in html
    assert names(response) == ["玄武网点"]
    assert "玄武网点路1号" in html and "9:00-17:00" in html
    assert '<a class="outlet__phone" href="tel:02583279999">025-83279999</a>' in html
    assert '<a class="outlet__phone" href="tel:12333">12333</a>' in html
    assert "可现场拍照" in html and "南京市 玄武区" in html
    assert "演示数据" not in html
    assert "共 1 个网点" in html
    assert reverse("cards:photo_check") in html
    # A plain GET form: it works without JavaScript.
    assert re.search(r'<form method="get" action="/cards/outlets/"', html)


def test_an_outlet_that_takes_no_photos_says_so_in_words(client):
    make("不拍照网点", takes_photos=False, phone="", hours="")
    html = client.get(URL).content.decode()
    assert "不可现场拍照，请自带电子证件照" in html
    assert "未提供，请拨打12333咨询" in html and "未提供，请来电咨询" in html


def test_filter_by_city_lists_its_districts(client):
    make("玄武网点")
    make("昆山网点", city="320500", district="320583")
    response = client.get(URL, {"city": "320500"})
    html = response.content.decode()
    assert names(response) == ["昆山网点"]
    district_select = re.search(r'<select name="district".*?</select>', html, re.S).group()
    assert "昆山市" in district_select and "姑苏区" in district_select
    assert "玄武区" not in district_select
    assert "disabled" not in district_select


def test_without_a_city_the_district_list_waits_for_one(client):
    html = client.get(URL).content.decode()
    district_select = re.search(r'<select name="district".*?</select>', html, re.S).group()
    assert "disabled" in district_select
    assert "请先选择城市并点击“查询”，再选择区县" in html


def test_filter_by_district(client):
    make("玄武网点")
    make("鼓楼网点", district="320106")
    assert names(client.get(URL, {"city": "320100", "district": "320106"})) == ["鼓楼网点"]


def test_a_district_of_another_city_is_dropped_not_refused(client):
    make("玄武网点")
    make("昆山网点", city="320500", district="320583")
    # The person chose 玄武区 under 南京, then changed the city to 苏州 and pressed 查询.
    response = client.get(URL, {"city": "320500", "district": "320102"})
    assert response.status_code == 200
    assert names(response) == ["昆山网点"]
    assert "error-summary" not in response.content.decode()


def test_search_by_name_or_address(client):
    make("玄武网点", address="中山路1号")
    make("鼓楼网点", district="320106", address="北京西路2号")
    assert names(client.get(URL, {"q": "鼓楼"})) == ["鼓楼网点"]
    assert names(client.get(URL, {"q": "中山路"})) == ["玄武网点"]
    assert names(client.get(URL, {"q": "北京 西路"})) == ["鼓楼网点"]
    response = client.get(URL, {"q": "无此网点"})
    assert names(response) == []
    assert "没有符合条件的网点" in response.content.decode()


def test_only_outlets_that_take_photos(client):
    make("拍照网点", takes_photos=True)
    make("不拍照网点", district="320106")
    assert names(client.get(URL, {"photo": "on"})) == ["拍照网点"]
    # In district order: 玄武区 (320102) before 鼓楼区 (320106).
    assert names(client.get(URL, {"city": "320100"})) == ["拍照网点", "不拍照网点"]


def test_a_city_outside_the_list_is_an_error(client):
    make("玄武网点")
    response = client.get(URL, {"city": "310100"})
    html = response.content.decode()
    assert "请从列表中选择城市" in html
    assert names(response) == []


def test_twenty_outlets_a_page_and_the_filters_are_kept_when_paging(client):
    for number in range(25):
        make(f"网点{number:02d}", takes_photos=True)
    make("苏州网点", city="320500", district="320508", takes_photos=True)
    first = client.get(URL, {"city": "320100", "photo": "on"})
    html = first.content.decode()
    assert len(names(first)) == 20
    assert "共 25 个网点" in html and "第 1 页，共 2 页" in html
    next_link = re.search(r'<a href="([^"]+)" rel="next">下一页</a>', html).group(1)
    assert "city=320100" in next_link and "photo=on" in next_link and "page=2" in next_link
    second = client.get(URL + next_link.replace("&amp;", "&"))
    assert names(second) == [f"网点{number:02d}" for number in range(20, 25)]


def test_demo_outlets_carry_a_tag_and_the_page_says_they_are_not_real(client):
    services.demo_outlets_load()
    html = client.get(URL, {"city": "320100"}).content.decode()
    assert html.count('<span class="tag tag--pending outlet__demo-tag">演示数据</span>') == 3
    assert "当前显示的是演示数据，并非真实网点。" in html
    assert html.index("当前显示的是演示数据") < html.index('id="outlet-results"')
    assert 'href="tel:12333"' in html


def test_the_demo_warning_is_only_there_when_demo_outlets_are_shown(client):
    services.demo_outlets_load()
    make("真实网点", city="321300", district="321322")
    html = client.get(URL, {"city": "321300", "district": "321322"}).content.decode()
    assert "当前显示的是演示数据" not in html and "outlet__demo-tag" not in html


# --- The import pages -------------------------------------------------------------------------


def test_operator_imports_and_reads_the_report(operator, sms_code):
    staff = staff_client(operator, sms_code)
    page = staff.get(reverse("cards:outlet_import")).content.decode()
    assert "城市,区县,网点名称,地址,营业时间,联系电话,可现场拍照(是/否)" in page
    data = csv_bytes([outlet(), outlet(city="北京市", name="错误网点")], header=HEADER)
    response = staff.post(reverse("cards:outlet_import"), {"file": upload(data, "网点.csv")})
    batch = OutletImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cards:outlet_import_report", args=[batch.pk])
    report = staff.get(response.url).content.decode()
    assert "导入完成：新增1个网点，更新0个网点。" in report
    assert "第3行" in report and "未找到该城市" in report
    # The same file again.
    staff.post(reverse("cards:outlet_import"), {"file": upload(data, "网点.csv")})
    again = OutletImportBatch.objects.order_by("-id").first()
    report = staff.get(reverse("cards:outlet_import_report", args=[again.pk])).content.decode()
    assert "本次导入没有改变任何网点信息：1条有效记录与系统中已有的数据完全一致。" in report
    assert "该文件与" in report


def test_a_refused_file_is_said_beside_the_field(operator, sms_code):
    staff = staff_client(operator, sms_code)
    response = staff.post(reverse("cards:outlet_import"), {"file": upload(b"a,b\n1,2\n", "网点.csv")})
    html = response.content.decode()
    assert response.status_code == 200
    assert "表头缺少以下列" in html and "field--error" in html
    response = staff.post(reverse("cards:outlet_import"), {})
    assert "请选择要导入的网点信息表" in response.content.decode()


def test_the_import_is_for_operators_only(client, person, school_reviewer, sms_code):
    url = reverse("cards:outlet_import")
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/org/" in response.url
    client.force_login(person)
    assert client.get(url).status_code == 302
    reviewer = staff_client(school_reviewer, sms_code, address="10.0.0.5")
    assert reviewer.get(url).status_code == 403


# --- Links from elsewhere ---------------------------------------------------------------------


def test_the_card_help_links_to_the_outlets(person):
    client = Client()
    client.force_login(person)
    html = client.get(reverse("cards:my")).content.decode()
    assert f'<a href="{URL}">查找社会保障卡即时制卡网点</a>' in html


def test_the_phone_menu_offers_outlets_and_the_photo_check(client):
    html = client.get(reverse("portal:my")).content.decode()
    card = html.index('href="/cards/my/"')
    outlets = html.index(f'href="{URL}"')
    photo = html.index('href="/cards/photo/"')
    assert card < outlets < photo
    assert "即时制卡网点" in html and "照片检测" in html


def test_region_names_are_matched_within_jiangsu_only():
    regions = importing.JiangsuRegions()
    assert regions.city("南京").code == "320100"
    assert regions.city("320500").code == "320500"
    with pytest.raises(DomainError):
        regions.city("北京")
    gulou_nanjing = regions.district("鼓楼区", Region.objects.get(code="320100"))
    gulou_xuzhou = regions.district("鼓楼区", Region.objects.get(code="320300"))
    assert (gulou_nanjing.code, gulou_xuzhou.code) == ("320106", "320302")
