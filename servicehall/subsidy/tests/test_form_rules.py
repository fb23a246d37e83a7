"""Every field of the application form: what it accepts and what it says when it does not."""

import pytest

from servicehall.subsidy import selectors
from servicehall.subsidy.forms import ApplicationForm
from servicehall.subsidy.tests.factories import form_data

pytestmark = pytest.mark.django_db


def _errors(year, **overrides):
    form = ApplicationForm(form_data(**overrides), categories=list(selectors.categories_for(year)))
    form.is_valid()
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def test_a_complete_form_is_valid(year):
    assert _errors(year) == {}


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("category", "请选择毕业生类型"),
        ("ethnic_group", "请选择民族"),
        ("education_level", "请选择学历"),
        ("school", "请选择毕业学校"),
        ("student_number", "请填写学号"),
        ("department", "请填写所在院系"),
        ("major", "请填写专业"),
        ("mobile", "请填写移动电话"),
        ("hukou_address", "请填写户籍地址"),
        ("residence_address", "请填写居住地址"),
    ],
)
def test_each_required_field_names_itself_when_empty(year, field, message):
    assert _errors(year, **{field: ""})[field] == [message]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("category", "registered_poor", "请从列表中选择毕业生类型"),
        ("ethnic_group", "99", "请从列表中选择民族"),
        ("education_level", "999", "请从列表中选择学历"),
        ("school", "999999", "请从列表中选择毕业学校"),
        ("student_number", "学号123", "学号只能包含字母、数字和短横线，长度2到30位"),
        ("student_number", "-123", "学号只能包含字母、数字和短横线，长度2到30位"),
        ("student_number", "1" * 31, "学号最多填写 30 个字"),
        ("department", "院" * 61, "所在院系最多填写 60 个字"),
        ("major", "软件\x07工程", "不能包含控制字符"),
        ("mobile", "1380000000", "移动电话应为1开头的11位数字，第二位为3-9"),
        ("mobile", "12800000001", "移动电话应为1开头的11位数字，第二位为3-9"),
        ("hukou_address", "路" * 121, "户籍地址最多填写 120 个字"),
        ("residence_address", "x\x00y", "不能包含控制字符"),
        ("pledge", "", "请阅读上面的承诺，并勾选此项"),
    ],
)
def test_each_rule_has_its_own_message(year, field, value, message):
    assert message in _errors(year, **{field: value})[field]


def test_the_mobile_accepts_spaces_and_the_country_code(year):
    form = ApplicationForm(
        form_data(mobile="+86 138 0000 0001"), categories=list(selectors.categories_for(year))
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["mobile"] == "13800000001"


def test_a_heading_education_level_cannot_be_chosen(year):
    from servicehall.reference.models import EducationLevel

    heading = EducationLevel.objects.filter(is_selectable=False).first()
    assert "请从列表中选择学历" in _errors(year, education_level=heading.pk)["education_level"]


def test_region_pickers_must_go_down_to_the_county_in_jiangsu(year):
    errors = _errors(year, hukou_region_county="")
    assert errors["hukou_region"] == ["请选择区县"]
    errors = _errors(year, residence_region_city="320200")  # 无锡市 with a 南京 county
    assert errors["residence_region"] == ["所选的区县不属于所选的市，请重新选择区县"]


def test_a_draft_drops_only_the_empty_field_messages(year):
    form = ApplicationForm(
        {"student_number": "学号!", "major": ""}, draft=True, categories=list(selectors.categories_for(year))
    )
    form.is_valid()
    assert set(form.errors) == {"student_number"}
