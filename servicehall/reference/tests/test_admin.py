import pytest
from django.contrib import admin

from servicehall.reference.forms import SchoolAdminForm
from servicehall.reference.models import Bank, EducationLevel, EthnicGroup, Region, School

pytestmark = pytest.mark.django_db


def school_data(**changes):
    return {"name": "测试技师学院", "code": "", "city": "", "region": "320102",
            "authority": "南京市", "level": School.Level.TECHNICAL,
            "ownership": School.Ownership.PUBLIC, "is_active": "on", **changes}


def test_every_reference_model_is_in_the_admin_with_chinese_names():
    for model in [Region, EthnicGroup, EducationLevel, Bank, School]:
        assert admin.site.is_registered(model)
    assert School._meta.verbose_name == "学校"
    school_admin = admin.site._registry[School]
    assert {"city", "level", "ownership", "is_active"} <= set(school_admin.list_filter)
    assert set(school_admin.search_fields) == {"name", "code"}


def test_regions_are_read_only(rf):
    region_admin = admin.site._registry[Region]
    request = rf.get("/")
    assert not region_admin.has_add_permission(request)
    assert not region_admin.has_change_permission(request)
    assert not region_admin.has_delete_permission(request)


def test_a_school_without_a_code_gets_its_city_from_the_region():
    form = SchoolAdminForm(school_data())
    assert form.is_valid(), form.errors
    school = form.save()
    assert (school.code, school.city) == ("", "玄武区")


@pytest.mark.parametrize("code", ["123456789", "12345678901", "413201028X", "4132 010284"])
def test_the_school_code_is_ten_digits(code):
    form = SchoolAdminForm(school_data(code=code))
    assert not form.is_valid()
    assert form.errors["code"] == ["学校标识码应为 10 位数字"]


def test_a_duplicate_code_is_refused():
    form = SchoolAdminForm(school_data(code="4132010284"))
    assert not form.is_valid()
    assert "该学校标识码已被其他学校使用" in str(form.errors)


def test_a_valid_code_is_saved():
    form = SchoolAdminForm(school_data(code="4132099999", city="南京市"))
    assert form.is_valid(), form.errors
    assert form.save().code == "4132099999"


@pytest.fixture
def operator_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("reference-operator", "x"))
    return client


def test_admin_school_list_filters_and_search(operator_client):
    url = "/admin/reference/school/"
    response = operator_client.get(url, {"q": "4132010284"})
    assert response.status_code == 200
    assert "南京大学" in response.content.decode()
    response = operator_client.get(url, {"ownership__exact": "sino_foreign"})
    assert response.content.decode().count('class="field-name"') == 3


def test_admin_adds_a_school_and_refuses_a_bad_code(operator_client):
    url = "/admin/reference/school/add/"
    response = operator_client.post(url, school_data(code="12345"))
    assert response.status_code == 200
    assert "学校标识码应为 10 位数字" in response.content.decode()
    response = operator_client.post(url, school_data())
    assert response.status_code == 302
    assert School.objects.get(name="测试技师学院").city == "玄武区"


def test_admin_cannot_edit_regions(operator_client):
    assert operator_client.get("/admin/reference/region/").status_code == 200
    assert operator_client.get("/admin/reference/region/add/").status_code == 403
    response = operator_client.get("/admin/autocomplete/", {
        "app_label": "reference", "model_name": "school", "field_name": "region", "term": "张家港",
    })
    assert response.status_code == 200
    assert "320582" in response.content.decode()
