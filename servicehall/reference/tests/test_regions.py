import csv
import io

import pytest
from django.core.management import call_command

from servicehall.reference import datafiles, selectors
from servicehall.reference.models import Region

pytestmark = pytest.mark.django_db

JIANGSU_CITIES = ["南京市", "无锡市", "徐州市", "常州市", "苏州市", "南通市", "连云港市", "淮安市",
                  "盐城市", "扬州市", "镇江市", "泰州市", "宿迁市"]


def test_all_provincial_level_units_are_loaded():
    provinces = list(selectors.province_list())
    assert len(provinces) == 34
    names = [region.name for region in provinces]
    assert names[:2] == ["北京市", "天津市"]
    assert {"江苏省", "新疆维吾尔自治区", "台湾省", "香港特别行政区", "澳门特别行政区"} <= set(names)


def test_all_current_prefectures_of_china():
    assert Region.objects.filter(level=Region.Level.PREFECTURE).count() == 333
    assert selectors.region_get("330100").full_name == "浙江省杭州市"
    assert selectors.region_get("421300").name == "随州市"  # prefecture since 2000


def test_jiangsu_has_its_thirteen_cities_in_code_order():
    assert [city.name for city in selectors.jiangsu_cities()] == JIANGSU_CITIES


def test_every_current_jiangsu_county_and_no_placeholder():
    counties = Region.objects.filter(level=Region.Level.COUNTY, code__startswith="32")
    assert counties.count() == 95
    names = set(counties.values_list("name", flat=True))
    assert not names & {"市辖区", "县", "市区", "郊区"}
    assert not Region.objects.filter(name="市辖区").exists()
    nanjing = [region.name for region in selectors.region_children("320100")]
    assert nanjing == ["玄武区", "秦淮区", "建邺区", "鼓楼区", "浦口区", "栖霞区", "雨花台区",
                       "江宁区", "六合区", "溧水区", "高淳区"]


def test_known_codes():
    xuanwu = selectors.region_get("320102")
    assert (xuanwu.name, xuanwu.level, xuanwu.full_name) == ("玄武区", "county", "江苏省南京市玄武区")
    assert selectors.region_get("320613").full_name == "江苏省南通市崇川区"  # 2020 code
    for retired in ["320103", "320602", "320584", "321284"]:  # 白下区, old 崇川区, 吴江市, 姜堰市
        with pytest.raises(Region.DoesNotExist):
            selectors.region_get(retired)


def test_counties_are_loaded_only_for_jiangsu():
    assert not selectors.region_children("330100").exists()  # 杭州市: prefecture is the leaf
    assert not Region.objects.filter(level="county", parent__code__startswith="33").exists()


def test_municipalities_have_no_placeholder_prefectures():
    for code in ["110000", "120000", "310000", "500000"]:
        assert not selectors.region_children(code).exists()
    assert not Region.objects.filter(code__in=["110100", "500100", "500200"]).exists()


def test_county_level_units_directly_under_a_province_sit_beside_its_prefectures():
    hubei = {region.name: region for region in selectors.region_children("420000")}
    assert hubei["仙桃市"].code == "429004"
    assert hubei["神农架林区"].code == "429021"
    assert "林区" not in hubei and "省直辖县级行政单位" not in hubei
    assert [region.name for region in hubei.values()].count("随州市") == 1
    assert [r.name for r in selectors.region_path("429004")] == ["湖北省", "仙桃市"]


def test_region_path():
    assert [r.code for r in selectors.region_path("320582")] == ["320000", "320500", "320582"]
    assert [r.name for r in selectors.region_path("320500")] == ["江苏省", "苏州市"]
    assert [r.name for r in selectors.region_path("110000")] == ["北京市"]
    with pytest.raises(Region.DoesNotExist):
        selectors.region_path("999999")


@pytest.mark.parametrize("code", ["", "32", "3201020", "' OR 1=1 --", "<script>", "\x00320102",
                                  "x" * 10_000, None, 320102])
def test_selectors_take_any_string(code):
    assert list(selectors.region_children(code)) == []
    with pytest.raises(Region.DoesNotExist):
        selectors.region_get(code)


def test_committed_csv_is_what_build_regions_writes(tmp_path):
    output = tmp_path / "regions.csv"
    call_command("build_regions", output=str(output), stdout=io.StringIO())
    assert output.read_text(encoding="utf-8") == datafiles.REGIONS_CSV.read_text(encoding="utf-8")
    with open(output, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == Region.objects.count()
    # Parents always come before their children, so the rows load in one pass.
    seen = set()
    for row in rows:
        assert row["parent"] == "" or row["parent"] in seen
        seen.add(row["code"])
