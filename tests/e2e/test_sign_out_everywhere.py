"""退出所有设备: from 我的信息 (desktop) or 我的 (phone), a confirmation, then this browser, the
person's other browsers and the app's tokens are all logged out."""

import re

from playwright.sync_api import expect
from rest_framework.test import APIClient

from .conftest import check_page, log_in_person


def test_sign_out_of_all_devices(page, visit, live_server, viewport_name, person, new_context):
    tokens = APIClient().post(
        "/api/v1/auth/login/password", {"identifier": person.mobile, "password": "Good#Pass2026"},
        format="json",
    ).json()
    other = new_context("desktop").new_page()
    log_in_person(other, live_server.url, person.mobile)
    log_in_person(page, live_server.url, person.mobile)

    visit("/center/" if viewport_name == "desktop" else "/my/")
    page.get_by_role("link", name="退出所有设备").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("退出所有设备")
    check_page(page, viewport=viewport_name)
    page.get_by_role("button", name="确认退出所有设备").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator(".notices")).to_contain_text("已退出所有设备")
    check_page(page, viewport=viewport_name)
    # This browser and the other one are logged out; the app's token is refused.
    page.goto(live_server.url + "/center/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    other.goto(live_server.url + "/center/")
    expect(other).to_have_url(re.compile(r"/accounts/login/"))
    me = APIClient(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}").get("/api/v1/me")
    assert me.status_code == 401
