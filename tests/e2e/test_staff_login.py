"""单位登录: account and password, then an SMS code to the staff member's own mobile."""

import re

from playwright.sync_api import expect

from .conftest import PASSWORD, check_page, screenshot


def _log_in(page, visit, viewport_name, sms_code, user, shot=None):
    visit("/accounts/login/")
    page.get_by_role("link", name="单位登录").click()
    expect(page.get_by_role("link", name="单位登录")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name="扫码登录")).to_have_count(0)  # no person subtabs
    check_page(page, shot=shot, viewport=viewport_name)
    page.get_by_label("单位账号").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="下一步：短信验证").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/org/verify/$"))
    masked = user.mobile[:3] + "****" + user.mobile[-4:]
    expect(page.locator("main")).to_contain_text(f"短信验证码已发送至您账号绑定的手机 {masked}")
    expect(page.locator("main")).not_to_contain_text(user.mobile)
    check_page(page, viewport=viewport_name)
    page.get_by_label("短信验证码").fill(sms_code(user.mobile))
    page.get_by_role("button", name="验证并登录").click()

    expect(page).to_have_url(re.compile(r"/accounts/org/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")


def test_school_reviewer_login(page, visit, viewport_name, sms_code, school_reviewer):
    _log_in(page, visit, viewport_name, sms_code, school_reviewer, shot="staff-login")
    info = page.locator("dl.info-list")
    expect(info).to_contain_text("李老师")
    expect(info).to_contain_text("nju.reviewer")
    expect(info).to_contain_text("南京大学")
    expect(info).to_contain_text("学校审核员")
    expect(info).to_contain_text("139****0011")
    expect(page.get_by_role("link", name="用户申诉审核")).to_have_count(0)
    expect(page.locator(".site-header")).to_contain_text("工作台")
    check_page(page, shot="staff-home", viewport=viewport_name)

    # Only operators review appeals: a school reviewer gets the 403 page.
    response = page.goto(page.url.replace("/accounts/org/", "/accounts/org/appeals/"))
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("没有权限")
    check_page(page, viewport=viewport_name)


def test_operator_login_and_appeal_list(page, visit, viewport_name, sms_code, operator):
    _log_in(page, visit, viewport_name, sms_code, operator)
    info = page.locator("dl.info-list")
    expect(info).to_contain_text("江苏省人力资源和社会保障厅")
    expect(info).to_contain_text("管理员")
    check_page(page, viewport=viewport_name)

    page.get_by_role("link", name="用户申诉审核").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("用户申诉审核")
    expect(page.locator(".empty-state")).to_have_text("没有该状态的申诉。")
    check_page(page, viewport=viewport_name)
    screenshot(page, "appeal-list-empty", viewport_name)


def test_staff_wrong_code_is_refused(page, visit, viewport_name, sms_code, school_reviewer):
    visit("/accounts/login/org/")
    page.get_by_label("单位账号").fill(school_reviewer.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="下一步：短信验证").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/org/verify/$"))
    right = sms_code(school_reviewer.mobile)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    page.get_by_label("短信验证码").fill(wrong)
    page.get_by_role("button", name="验证并登录").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#field-sms_code .field__error")).to_be_visible()
    check_page(page, viewport=viewport_name)
    expect(page).to_have_url(re.compile(r"/accounts/login/org/verify/$"))
