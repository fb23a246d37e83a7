import pytest
from django import forms

from servicehall.reference.models import Region
from servicehall.reference.picker import RegionPickerField, region_refresh

pytestmark = pytest.mark.django_db


class HostForm(forms.Form):
    """A form like the subsidy application's: typed fields beside two pickers."""

    full_name = forms.CharField(label="姓名")
    hukou_region = RegionPickerField(label="户籍区划")
    residence_region = RegionPickerField(label="常住区划", required=False)


def picked(province="", city="", county="", **extra):
    return {"full_name": "张三", "hukou_region_province": province, "hukou_region_city": city,
            "hukou_region_county": county, **extra}


def errors_of(data):
    form = HostForm(data)
    assert not form.is_valid()
    return form.errors["hukou_region"]


def test_a_jiangsu_county_is_the_cleaned_value():
    form = HostForm(picked("320000", "320100", "320102"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hukou_region"] == Region.objects.get(code="320102")
    assert form.cleaned_data["residence_region"] is None


def test_a_prefecture_without_counties_in_the_table_is_accepted():
    form = HostForm(picked("330000", "330100"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hukou_region"].full_name == "浙江省杭州市"


def test_a_municipality_is_chosen_as_a_whole():
    form = HostForm(picked("110000"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hukou_region"].code == "110000"


def test_a_directly_governed_county_level_city():
    form = HostForm(picked("420000", "429004"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hukou_region"].full_name == "湖北省仙桃市"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (picked(), "请选择省"),
        (picked("", "320100", "320102"), "请选择省"),
        (picked("320000"), "请选择市"),
        (picked("320000", "320100"), "请选择区县"),
        (picked("320000", "320100", "320103"), "所选行政区划已撤销，请重新选择"),  # 白下区
        (picked("999999"), "所选行政区划不存在"),
        (picked("320000", "999900"), "所选行政区划不存在"),
        (picked("320000", "330100"), "所选的市不属于所选的省，请重新选择市"),
        (picked("320000", "320100", "320205"), "所选的区县不属于所选的市，请重新选择区县"),
        (picked("320100"), "所选行政区划不存在"),  # a city where the province goes
        (picked("' OR 1=1 --"), "所选行政区划不存在"),
        (picked("<script>alert(1)</script>"), "所选行政区划不存在"),
        (picked("3" * 10_000), "所选行政区划不存在"),
        (picked("320000", "3201\x0000"), "所选行政区划不存在"),
        (picked("32\x00000"), "所选行政区划不存在"),
        (picked("３２００００"), "所选行政区划不存在"),  # full-width digits
    ],
)
def test_clear_messages(data, message):
    assert errors_of(data) == [message]


def test_optional_picker_may_stay_empty_but_not_half_chosen():
    form = HostForm({**picked("320000", "320100", "320102"), "residence_region_province": "320000"})
    assert not form.is_valid()
    assert form.errors["residence_region"] == ["请选择市"]


def test_initial_value_fills_all_three_selects():
    html = HostForm(initial={"hukou_region": "320582"})["hukou_region"].as_widget()
    assert '<option value="320000" selected>江苏省</option>' in html
    assert '<option value="320500" selected>苏州市</option>' in html
    assert '<option value="320582" selected>张家港市</option>' in html


def test_has_changed_compares_the_deepest_choice():
    field = RegionPickerField()
    assert not field.has_changed("320102", ["320000", "320100", "320102"])
    assert field.has_changed("320102", ["320000", "320100", "320104"])
    assert field.has_changed(None, ["320000", "320100", "320102"])
    assert not field.has_changed(None, ["", "", ""])


def test_widget_renders_three_labelled_selects_and_the_refresh_button():
    html = HostForm(picked("320000", "320100"))["hukou_region"].as_widget()
    for select_id, label in [("province", "省"), ("city", "市"), ("county", "区县")]:
        assert f'<label class="field__label" for="id_hukou_region_{select_id}">{label}</label>' in html
        assert f'id="id_hukou_region_{select_id}"' in html
    assert '<option value="320102">玄武区</option>' in html  # counties of the chosen city
    assert 'name="region_refresh" value="hukou_region"' in html
    assert "更新下级选项" in html
    assert 'hx-get="/reference/regions/picker/?name=hukou_region&amp;id=id_hukou_region"' in html
    assert 'hx-target="#id_hukou_region_picker"' in html
    assert "required" not in html


def test_widget_for_a_bad_value_shows_only_the_provinces():
    html = HostForm(picked("<b>", "\x00", "x" * 5000))["hukou_region"].as_widget()
    assert html.count(" selected") == 0
    assert "请先选择省" in html and "请先选择市" in html
    assert "<b>" not in html


def test_region_refresh_keeps_the_typed_values_without_errors():
    form = HostForm({**picked("320000"), "full_name": "李四", "region_refresh": "hukou_region"})
    assert region_refresh(form) is True
    assert form.errors == {}
    html = form.as_div()
    assert 'value="李四"' in html
    assert '<option value="320100">南京市</option>' in html  # the cities are filled in now
    assert 'id="id_hukou_region_city" autofocus' in html
    assert "已更新下级选项" in html
    assert "已更新下级选项" not in str(form["residence_region"])


def test_region_refresh_is_false_for_a_real_submission():
    form = HostForm(picked("320000", "320100", "320102"))
    assert region_refresh(form) is False
    assert form.is_valid()
    assert region_refresh(HostForm()) is False


def test_refresh_honours_the_form_prefix():
    form = HostForm({"a-hukou_region_province": "320000", "region_refresh": "a-hukou_region"},
                    prefix="a")
    assert region_refresh(form)
    assert "已更新下级选项" in str(form["hukou_region"])


def test_a_disabled_picker_has_no_refresh_button_and_keeps_its_initial_value():
    class LockedForm(forms.Form):
        region = RegionPickerField(label="户籍区划", disabled=True)

    form = LockedForm({"region_province": "110000"}, initial={"region": "320102"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"].code == "320102"
    html = str(form["region"])
    assert html.count(" disabled") == 3
    assert "更新下级选项" not in html
