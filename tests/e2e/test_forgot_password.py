"""忘记密码: a new password set with an SMS code sent to the registered mobile."""

import re

from playwright.sync_api import expect

from .conftest import PASSWORD, check_page, request_code

NEW_PASSWORD = "Fresh#Pass2027"


def test_forgot_password(page, visit, live_server, viewport_name, sms_code, person):
    visit("/accounts/login/")
    page.get_by_role("link", name="忘记密码？").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("忘记密码")
    check_page(page, viewport=viewport_name)

    page.get_by_label("移动电话").fill(person.mobile)
    code = request_code(page, sms_code, person.mobile)
    expect(page.locator("#sms-status")).to_contain_text("验证码已发送至138****0001")
    page.get_by_label("短信验证码").fill(code)
    page.locator("#id_new_password").fill(NEW_PASSWORD)
    page.locator("#id_new_password_confirm").fill(NEW_PASSWORD)
    check_page(page, viewport=viewport_name)
    page.get_by_role("button", name="重置密码").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator(".notices")).to_contain_text("密码已重置，请使用新密码登录")
    check_page(page, viewport=viewport_name)

    # The old password no longer works; the new one does.
    page.get_by_label("证件号码/移动电话").fill(person.mobile)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("账号或密码错误")
    check_page(page, viewport=viewport_name)
    page.locator("#id_password").fill(NEW_PASSWORD)
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/center/$"))
    expect(page.locator("dl.info-list")).to_contain_text("张晓明")
