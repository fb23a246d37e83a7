"""A new person registers (htmx 获取验证码), lands in 个人中心, logs out, logs in with 账号密码,
logs out, and logs in with 手机动态码: the training manual's 前置步骤1-3."""

import re

from playwright.sync_api import expect

from .conftest import PASSWORD, check_page, log_out, request_code, resident_id, screenshot

ID_NUMBER = resident_id("32010219990521002")  # 南京市玄武区, 1999-05-21
MOBILE = "13812345678"


def test_register_logout_login_password_logout_login_sms(
    page, visit, live_server, viewport_name, sms_code
):
    # 大厅首页 → 【请登录】 → 【立即注册】
    visit("/", shot="home")
    page.locator("main").get_by_role("link", name="请登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    check_page(page, shot="login", viewport=viewport_name)
    page.locator("main").get_by_role("link", name="立即注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("用户注册")
    check_page(page, viewport=viewport_name)

    # 用户注册: the 证件类型 starts as 居民身份证.
    expect(page.get_by_label("证件类型")).to_have_value("resident")
    expect(page.get_by_label("证件类型").locator("option:checked")).to_have_text("居民身份证")
    page.get_by_label("证件号码").fill(ID_NUMBER)
    page.get_by_label("姓名").fill("王小丽")
    page.get_by_label("移动电话").fill(MOBILE)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password_confirm").fill(PASSWORD)

    # 获取验证码 posts with htmx: the status appears in place and the button counts down.
    code = request_code(page, sms_code, MOBILE)
    expect(page.locator("#sms-status")).to_contain_text("验证码已发送至138****5678")
    button = page.locator("#send-code-button")
    expect(button).to_be_disabled()
    expect(button).to_have_text(re.compile(r"^获取验证码（\d+s）$"))
    expect(page).to_have_url(re.compile(r"/accounts/register/$"))  # no page load
    expect(page.get_by_label("姓名")).to_have_value("王小丽")

    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    check_page(page, shot="register", viewport=viewport_name)
    page.get_by_role("button", name="注册", exact=True).click()

    # 个人中心 → 我的信息, with the ID number and mobile masked.
    expect(page).to_have_url(re.compile(r"/center/$"))
    expect(page.locator(".notices")).to_contain_text("注册成功")
    info = page.locator("dl.info-list")
    expect(info).to_contain_text("王小丽")
    expect(info).to_contain_text("3201**********" + ID_NUMBER[-4:])
    expect(info).to_contain_text("138****5678")
    expect(info).to_contain_text("1999年5月21日")
    expect(info).not_to_contain_text(ID_NUMBER)
    expect(info).not_to_contain_text(MOBILE)
    check_page(page, shot="personal-center", viewport=viewport_name)

    # 办理中 and 已办结
    page.get_by_role("link", name="办理中").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("办理中")
    expect(page.get_by_role("link", name="办理中")).to_have_attribute("aria-current", "page")
    check_page(page, viewport=viewport_name)
    page.get_by_role("link", name="已办结").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("已办结")
    check_page(page, viewport=viewport_name)

    # 退出 → 登录 with 账号密码 (the ID number)
    log_out(page, viewport_name)
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".notices")).to_contain_text("您已安全退出")
    check_page(page, viewport=viewport_name)
    page.locator("main").get_by_role("link", name="请登录", exact=True).click()
    expect(page.get_by_role("link", name="账号密码")).to_have_attribute("aria-current", "page")
    page.get_by_label("证件号码/移动电话").fill(ID_NUMBER)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/center/$"))
    expect(page.locator("main")).to_contain_text("王小丽")

    # 退出 → 手机动态码
    log_out(page, viewport_name)
    expect(page.locator(".notices")).to_contain_text("您已安全退出")
    page.locator("main").get_by_role("link", name="请登录", exact=True).click()
    page.get_by_role("link", name="手机动态码").click()
    expect(page.get_by_role("link", name="手机动态码")).to_have_attribute("aria-current", "page")
    check_page(page, viewport=viewport_name)
    page.get_by_label("移动电话").fill(MOBILE)
    code = request_code(page, sms_code, MOBILE)
    check_page(page, viewport=viewport_name)
    page.get_by_label("短信验证码").fill(code)
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/center/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("个人中心")
    expect(page.locator("dl.info-list")).to_contain_text("3201**********" + ID_NUMBER[-4:])
    screenshot(page, "personal-center-after-sms-login", viewport_name)
