"""掌上办: the hall on the phone - its address as a QR code, and how to add it to the home screen."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _page(client, **extra) -> str:
    response = client.get(reverse("pwa:mobile"), **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_is_at_mobile_and_answers_a_visitor(client):
    assert reverse("pwa:mobile") == "/mobile/"
    page = _page(client)
    assert "<h1>掌上办</h1>" in page
    assert client.post(reverse("pwa:mobile")).status_code == 405


def test_a_qr_code_of_the_halls_own_address(client):
    page = _page(client)
    assert '<svg role="img" aria-label="大厅网址二维码"' in page
    assert "http://testserver/" in page
    other = _page(client, HTTP_HOST="127.0.0.1")
    assert "http://127.0.0.1/" in other and "http://testserver/" not in other


def test_the_install_steps_for_android_and_iphone(client):
    page = _page(client)
    for words in ("安卓手机", "添加到主屏幕", "安装应用", "苹果手机", "Safari", "分享", "在浏览器打开"):
        assert words in page, words
    # The browser's own install prompt is offered by a button that scripts show when they can.
    assert "data-install hidden" in page


def test_no_app_store_link_unless_one_is_configured(client, settings):
    settings.HALL_APP_DOWNLOAD_URL = ""
    page = _page(client)
    assert "下载手机App" not in page
    settings.HALL_APP_DOWNLOAD_URL = "https://app.example.gov.cn/download"
    assert '<a href="https://app.example.gov.cn/download">下载手机App</a>' in _page(client)


def test_nothing_is_loaded_from_another_site(client):
    page = _page(client)
    assert 'src="http' not in page and "<img" not in page.split('<main')[1]
