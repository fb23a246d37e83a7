import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from servicehall.core.errors import DomainError
from servicehall.reference import selectors
from servicehall.reference.models import Bank, EducationLevel, EthnicGroup, Region, School
from servicehall.reference.services import reference_data_sync, school_save

pytestmark = pytest.mark.django_db


def test_fifty_six_ethnic_groups_in_gb3304_order():
    groups = list(selectors.ethnic_group_list())
    assert len(groups) == 56
    assert [(g.code, g.name, g.romanization) for g in groups[:3]] == [
        ("01", "汉族", "Han"), ("02", "蒙古族", "Mongol"), ("03", "回族", "Hui"),
    ]
    assert (groups[-1].code, groups[-1].name, groups[-1].romanization) == ("56", "基诺族", "Jino")
    assert [g.code for g in groups] == [f"{n:02d}" for n in range(1, 57)]


def test_education_levels():
    assert [(level.code, level.name) for level in selectors.education_level_list()] == [
        ("10", "研究生"), ("11", "博士研究生"), ("14", "硕士研究生"), ("21", "大学本科"),
        ("31", "大学专科"), ("40", "中等职业教育"), ("41", "中等专科"), ("44", "职业高中"),
        ("47", "技工学校"),
    ]
    selectable = [level.code for level in selectors.education_level_list(selectable_only=True)]
    assert "10" not in selectable and "40" not in selectable and "21" in selectable


def test_banks():
    banks = {bank.code: bank.name for bank in selectors.bank_list_active()}
    assert banks["102"] == "中国工商银行"
    assert {"中国农业银行", "中国银行", "中国建设银行", "交通银行", "中国邮政储蓄银行", "江苏银行",
            "南京银行", "苏州银行"} <= set(banks.values())
    Bank.objects.filter(code="102").update(is_active=False)
    assert "102" not in {bank.code for bank in selectors.bank_list_active()}


def test_the_ministry_list_of_jiangsu_schools_is_loaded():
    assert School.objects.count() == 165
    assert selectors.school_list_active().count() == 165
    nju = School.objects.get(code="4132010284")
    assert (nju.name, nju.city, nju.region_id, nju.authority, nju.level, nju.ownership) == (
        "南京大学", "南京市", "320100", "教育部", School.Level.UNDERGRADUATE, School.Ownership.PUBLIC,
    )
    assert str(nju) == "南京大学"
    assert School.objects.filter(ownership=School.Ownership.PRIVATE).count() == 49
    assert School.objects.filter(ownership=School.Ownership.SINO_FOREIGN).count() == 3
    assert School.objects.filter(level=School.Level.JUNIOR_COLLEGE).count() == 88
    assert School.objects.get(region_id="320582").city == "张家港市"


def test_load_reference_is_idempotent_and_keeps_operator_choices():
    total = (Region.objects.count() + EthnicGroup.objects.count() + EducationLevel.objects.count()
             + Bank.objects.count() + School.objects.count())
    School.objects.filter(code="4132010284").update(name="南京大学（旧名）", is_active=False)
    Bank.objects.filter(code="102").update(is_active=False)
    School.objects.create(name="测试中等专业学校", city="南京市", region_id="320104",
                          authority="南京市", level=School.Level.SECONDARY_VOCATIONAL)

    report = reference_data_sync()
    assert (report.created, report.updated, report.unchanged) == (0, 1, total - 1)
    nju = School.objects.get(code="4132010284")
    assert nju.name == "南京大学" and nju.is_active is False
    assert Bank.objects.get(code="102").is_active is False
    assert School.objects.filter(name="测试中等专业学校").exists()

    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert f"0 created, 0 updated, {total} unchanged" in out.getvalue()


def test_load_reference_fills_an_empty_database():
    School.objects.all().delete()
    Region.objects.filter(level="county").delete()
    report = reference_data_sync()
    assert report.created == 165 + 95 + 32  # schools, Jiangsu counties, directly-governed units
    assert Region.objects.get(code="320102").parent_id == "320100"


def test_school_code_is_unique_when_set_and_may_be_empty():
    for name in ["甲技工学校", "乙技工学校"]:  # two schools without a code are fine
        School.objects.create(name=name, city="南京市", region_id="320100", authority="南京市",
                              level=School.Level.TECHNICAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        School.objects.create(code="4132010284", name="重复标识码学院", city="南京市",
                              region_id="320100", authority="江苏省", level=School.Level.UNDERGRADUATE)


@pytest.mark.parametrize("code", ["123", "41320102840", "413201028A", "４１３２０１０２８４"])
def test_school_code_format(code):
    school = School(code=code, name="新学校", city="南京市", region_id="320100",
                    authority="江苏省", level=School.Level.UNDERGRADUATE)
    with pytest.raises(DomainError) as error:
        school_save(school=school)
    assert "学校标识码应为 10 位数字" in error.value.message
    assert "code" in error.value.fields
    with pytest.raises(ValidationError):
        school.full_clean()


def test_school_save_reports_a_duplicate_code():
    school = School(code="4132010284", name="新学校", city="南京市", region_id="320100",
                    authority="江苏省", level=School.Level.UNDERGRADUATE)
    with pytest.raises(DomainError) as error:
        school_save(school=school)
    assert "该学校标识码已被其他学校使用" in error.value.message
