"""The long form and the session's end (issue 17): five minutes before the session ends the
form says so and 继续填写 keeps it; when it has ended anyway, 保存草稿 leads to the login and,
once the same person is back, what they typed is on the form again. Desktop and phone, axe on
every page."""

import re

from playwright.sync_api import expect

from .conftest import PASSWORD, check_page, log_in_person

DEPARTMENT = "计算机科学与技术学院"
MAJOR = "软件工程"


def test_the_session_ends_while_the_person_types(page, live_server, viewport_name, person, card, open_window):
    page.clock.install()
    log_in_person(page, live_server.url, person.mobile, PASSWORD)
    page.goto(live_server.url + "/subsidy/apply/")
    page.get_by_label("院系").fill(DEPARTMENT)
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_hidden()

    # 25 minutes on: the warning, then 继续填写 moves the end on.
    page.clock.fast_forward("25:00")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("登录将在5分钟后失效")
    check_page(page, shot="session-warning", viewport=viewport_name)
    warning.get_by_role("button", name="继续填写").click()
    expect(warning).to_be_hidden()

    # The session ends anyway (away for long): the page says what happens to what was typed.
    page.context.clear_cookies(name="sessionid")
    page.clock.fast_forward("30:00")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("登录已超时")
    page.get_by_label("专业").fill(MAJOR)
    page.get_by_role("button", name="保存草稿").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/subsidy/apply/"))
    expect(page.locator(".notices")).to_contain_text("您填写的内容已为您暂存")
    check_page(page, viewport=viewport_name)

    page.get_by_label("证件号码/移动电话").fill(person.mobile)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/subsidy/apply/$"))
    expect(page.locator(".notices")).to_contain_text("已恢复您登录超时前填写的内容")
    expect(page.get_by_label("院系")).to_have_value(DEPARTMENT)
    expect(page.get_by_label("专业")).to_have_value(MAJOR)
    check_page(page, viewport=viewport_name)
