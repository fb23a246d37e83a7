"""A visitor who presses 申报 on the subsidy's guide is asked to log in; without an account they
follow 立即注册, register (htmx 获取验证码), and land on the page they were going to, not in
个人中心. A hostile `next` typed into the address falls back to 个人中心."""

import re
from urllib.parse import quote

from playwright.sync_api import expect

from .conftest import PASSWORD, check_page, request_code, resident_id

GUIDE = "/services/job-seeking-subsidy/"
APPLY_ENTRY = GUIDE + "apply/"


def _register(page, sms_code, *, id_number: str, mobile: str) -> None:
    page.get_by_label("证件号码").fill(id_number)
    page.get_by_label("姓名").fill("王小丽")
    page.get_by_label("移动电话").fill(mobile)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password_confirm").fill(PASSWORD)
    page.get_by_label("短信验证码").fill(request_code(page, sms_code, mobile))
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="注册", exact=True).click()


def test_registering_from_the_apply_login_lands_on_the_apply_page(page, visit, live_server, viewport_name,
                                                                   sms_code):
    # 办事指南 → 【申报】: not logged in, so 请登录, remembering where the person was going.
    visit(GUIDE)
    page.locator("main").get_by_role("link", name="申报", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=" + re.escape(quote(APPLY_ENTRY, safe="/"))))
    check_page(page, viewport=viewport_name)

    # 没有账号？【立即注册】 carries the destination to 用户注册 and through 获取验证码.
    page.locator("main").get_by_role("link", name="立即注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("用户注册")
    expect(page).to_have_url(re.compile(r"/accounts/register/\?next="))
    expect(page.locator("main form input[name=next]")).to_have_value(APPLY_ENTRY)
    expect(page.locator("main").get_by_role("link", name="去登录")).to_have_attribute(
        "href", "/accounts/login/?next=" + quote(APPLY_ENTRY, safe="/"))
    check_page(page, viewport=viewport_name)
    _register(page, sms_code, id_number=resident_id("32010219990521002"), mobile="13812345678")

    # Registered and logged in, the person is where 申报 leads: with no card yet, the page that
    # says to get one first (not 个人中心).
    expect(page).to_have_url(re.compile(r"/subsidy/apply/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("申报前请先准备社会保障卡")
    expect(page.locator(".notices")).to_contain_text("注册成功")
    check_page(page, viewport=viewport_name)


def test_a_hostile_next_falls_back_to_the_centre(page, visit, live_server, viewport_name, sms_code):
    visit("/accounts/register/?next=" + quote("//evil.example/", safe=""))
    expect(page.locator("main form input[name=next]")).to_have_count(0)
    _register(page, sms_code, id_number=resident_id("32010219990521003"), mobile="13812345679")
    expect(page).to_have_url(live_server.url + "/center/")
    expect(page.get_by_role("heading", level=1)).to_have_text("个人中心")
    check_page(page, viewport=viewport_name)
