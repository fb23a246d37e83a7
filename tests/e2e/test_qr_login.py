"""扫码登录: the computer shows a QR code and polls (htmx, every 2 s); a phone that is logged in
opens the code's address and confirms or refuses."""

import re

from playwright.sync_api import expect

from .conftest import PASSWORD, check_page, screenshot

QR_WAIT_MS = 10_000  # two or three polls


def _show_qr(page, live_server, viewport_name, shot=None) -> str:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="扫码登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/qr/$"))
    expect(page.get_by_role("link", name="扫码登录")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("img", name="扫码登录二维码")).to_be_visible()
    check_page(page, shot=shot, viewport=viewport_name)
    url = page.locator("#qr-box").get_attribute("data-qr-url")
    assert url and url.startswith(live_server.url + "/accounts/qr/"), url
    return url


def _phone_opens(new_context, live_server, qr_url, person):
    """The phone opens the scanned address, is sent to log in first, and comes back to it."""
    phone = new_context("phone").new_page()
    phone.goto(qr_url)
    expect(phone).to_have_url(re.compile(r"/accounts/login/\?next="))
    phone.get_by_label("证件号码/移动电话").fill(person.mobile)
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(phone).to_have_url(qr_url)
    expect(phone.locator(".lead")).to_have_text("确认在电脑上登录？")
    expect(phone.locator("main")).to_contain_text("将以 张*明 的身份在电脑上登录")
    return phone


def test_qr_login_confirmed(page, live_server, viewport_name, new_context, person):
    qr_url = _show_qr(page, live_server, viewport_name, shot="qr-login")

    phone = _phone_opens(new_context, live_server, qr_url, person)
    check_page(phone, shot="qr-confirm" if viewport_name == "phone" else None, viewport="phone")
    phone.get_by_role("button", name="确认登录").click()
    expect(phone.get_by_role("status")).to_contain_text("已确认，电脑上的页面将自动登录")
    check_page(phone, viewport="phone")

    # The computer's page notices on its next poll and goes to 个人中心 by itself.
    expect(page).to_have_url(re.compile(r"/center/$"), timeout=QR_WAIT_MS)
    expect(page.get_by_role("heading", level=1)).to_have_text("个人中心")
    expect(page.locator(".site-header")).to_contain_text("您好！张*明")
    check_page(page, viewport=viewport_name)

    # The code is used up: opening it again on the phone says so at once, with no buttons.
    phone.goto(qr_url)
    expect(phone.get_by_role("alert")).to_contain_text("该二维码已使用")
    expect(phone.get_by_role("button", name="确认登录")).to_have_count(0)
    check_page(phone, viewport="phone")


def test_qr_login_refused(page, live_server, viewport_name, new_context, person):
    qr_url = _show_qr(page, live_server, viewport_name)

    phone = _phone_opens(new_context, live_server, qr_url, person)
    phone.get_by_role("button", name="取消登录").click()
    expect(phone.get_by_role("status")).to_contain_text("已取消，本次电脑登录不会进行")
    check_page(phone, viewport="phone")

    box = page.locator("#qr-box")
    expect(box).to_contain_text("您已在手机上取消本次登录", timeout=QR_WAIT_MS)
    expect(page).to_have_url(re.compile(r"/accounts/login/qr/$"))
    expect(page.locator(".site-header")).to_contain_text("您好！请登录")
    check_page(page, viewport=viewport_name)
    screenshot(page, "qr-login-refused", viewport_name)

    # 刷新二维码 gives a new code that the phone has not seen.
    page.get_by_role("link", name="刷新二维码").click()
    expect(page.get_by_role("img", name="扫码登录二维码")).to_be_visible()
    new_url = page.locator("#qr-box").get_attribute("data-qr-url")
    assert new_url != qr_url
