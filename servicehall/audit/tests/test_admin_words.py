"""The admin (管理后台) reads wholly in Chinese in the Chinese hall: its sections by the apps'
Chinese names, its models and the fields it shows by their verbose names, and the chrome Django's
Chinese catalogue leaves in English (the index's column headings, the search icon, yes/no icons)
in words."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.test import RequestFactory

from servicehall.accounts.models import User
from tests.clients import staff_client

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_app_and_registered_model_of_the_hall_has_a_chinese_name():
    for config in apps.get_app_configs():
        if config.name.startswith("servicehall.") and list(config.get_models()):
            assert HAN.search(str(config.verbose_name)), config.label
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    for model, model_admin in admin.site._registry.items():
        if not model._meta.app_config.name.startswith("servicehall."):
            continue
        assert HAN.search(str(model._meta.verbose_name)), model._meta.label
        shown = [*model_admin.get_list_display(request), *model_admin.get_readonly_fields(request)]
        for _title, fieldset in model_admin.get_fieldsets(request):
            shown += fieldset["fields"]
        for name in shown:
            if isinstance(name, str):
                assert HAN.search(str(label_for_field(name, model, model_admin))), (model._meta.label, name)


def test_the_admin_index_names_its_sections_in_chinese(client, operator, sms_code):
    staff_client(operator, sms_code, client=client)
    response = client.get("/admin/")
    sections = [str(app["name"]) for app in response.context["app_list"]]
    assert {"账户与单位", "基础数据", "求职创业补贴", "补贴发放", "审计"} <= set(sections)
    assert all(HAN.search(name) for name in sections), sections
    page = response.content.decode()
    for english in ("Accounts", "Reference", "Model name", "Add link", "Change or view list link", "Django"):
        assert english not in page, english
    assert "<title>平台管理 | 管理后台</title>" in page


def test_a_list_reads_in_chinese_with_its_icons_in_words(client, operator, sms_code):
    staff_client(operator, sms_code, client=client)
    page = client.get("/admin/reference/school/").content.decode()
    assert "选择 学校 来修改" in page
    assert 'alt="搜索"' in page and 'alt="Search"' not in page
    assert 'alt="是"' in page and 'alt="True"' not in page
