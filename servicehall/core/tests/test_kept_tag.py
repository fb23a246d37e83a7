"""{% kept %} (core.templatetags.kept): a part of a page every visitor sees alike is rendered once
per data version, language and key, and a change shows on the next view."""

import pytest
from django.conf import settings
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from servicehall.core import versions

pytestmark = pytest.mark.django_db

TEMPLATE = '{% load kept %}[{% kept "test-kept" key %}{{ shown.pop }}{% endkept %}]'


def test_a_kept_part_is_rendered_once_per_version_and_key():
    template = engines["django"].from_string(TEMPLATE)
    shown = ["second", "first"]  # each rendering of the block takes the last

    def render(key):
        return template.render({"key": key, "shown": shown}, RequestFactory().get("/"))

    assert render("a") == "[first]"
    assert render("a") == "[first]"  # kept: the block did not run again
    shown += ["for b"]
    assert render("b") == "[for b]"  # another key: its own copy
    assert render("a") == "[first]"
    versions.data_changed("test-kept")
    assert render("a") == "[second]"


def test_a_kept_part_is_kept_per_language(client):
    assert "热门服务" in client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    assert "Popular services" in page and "热门服务" not in page
    with translation.override("zh-hans"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        assert "热门服务" in client.get("/").content.decode()


def test_the_guide_keeps_each_service_and_each_citys_hotline_apart(client):
    from servicehall.reference.preferences import REGION_COOKIE

    guide = "/services/job-seeking-subsidy/"
    first = client.get(guide).content.decode().split('id="channel"')[1]
    other = client.get("/services/work-injury-recognition/").content.decode().split('id="channel"')[1]
    assert "工伤" in other and "工伤" not in first
    assert "<dd>12333</dd>" in first
    client.cookies[REGION_COOKIE] = "320200"  # 无锡市
    assert "0510-12333" in client.get(guide).content.decode().split('id="channel"')[1]


def test_a_kept_service_row_follows_what_the_search_matched(client):
    """The rows of the lists and the search are kept per service and per matched part."""
    first = client.get("/search/", {"q": "求职"}).content.decode()
    second = client.get("/search/", {"q": "创业"}).content.decode()
    assert "<mark>求职</mark>" in first and "<mark>求职</mark>" not in second
    assert "<mark>创业</mark>" in second
    listing = client.get(reverse("catalog:personal")).content.decode()
    assert "<mark>" not in listing and "求职创业补贴个人申报" in listing
