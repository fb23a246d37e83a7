"""其他登录方式 in a browser, desktop and phone, against the local OpenID Connect provider
(devprovider, tests/provider.py): log in, unbind, bind and log in again; register and confirm
by SMS from a provider's login; and the bad answers refused in words. axe on every page the
person sees, the provider's own login page included."""

import re

import pytest
from playwright.sync_api import expect

from servicehall.accounts.tests.factories import PersonFactory
from tests.provider_flows import DEMO_PASSWORD, provider_config

from .conftest import PASSWORD, assert_accessible, check_page, log_out

BUTTON = "江苏政务服务网登录"


@pytest.fixture(autouse=True)
def _configured(settings, local_provider):
    local_provider.fault("none")
    settings.LOGIN_PROVIDERS = [provider_config(local_provider)]
    settings.LOGIN_PROVIDER_TIMEOUT = 2


def at_provider(page, username: str) -> None:
    """The provider's own login page: scanned, then filled."""
    expect(page.get_by_label("用户名", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def from_login_page(page, live_server, viewport_name, username, *, shot=None):
    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_role("heading", name="其他登录方式")).to_be_visible()
    check_page(page, shot=shot, viewport=viewport_name)
    page.get_by_role("link", name=BUTTON).click()
    at_provider(page, username)


def test_log_in_unbind_bind_and_log_in_again(page, live_server, viewport_name, person):
    from_login_page(page, live_server, viewport_name, "zhangxiaoming", shot="login-other-ways")
    expect(page).to_have_url(re.compile(r"/center/$"))
    expect(page.locator(".site-header")).to_contain_text("张*明")
    check_page(page, viewport=viewport_name)

    page.goto(live_server.url + "/accounts/bindings/")
    expect(page.locator("main")).to_contain_text("已绑定")
    check_page(page, shot="account-bindings", viewport=viewport_name)
    page.get_by_role("button", name="解绑江苏政务服务网").click()
    expect(page.locator("main")).to_contain_text("已解绑")
    check_page(page, viewport=viewport_name)

    page.get_by_role("button", name="绑定江苏政务服务网").click()
    # Still logged in at the provider, it sends the person straight back; or asks again.
    page.wait_for_url(re.compile(r"(/accounts/bindings/$|/login)"))
    if "/accounts/bindings/" not in page.url:
        at_provider(page, "zhangxiaoming")
    expect(page).to_have_url(re.compile(r"/accounts/bindings/$"))
    expect(page.locator("main")).to_contain_text("绑定成功")
    check_page(page, viewport=viewport_name)

    log_out(page, viewport_name)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_url(re.compile(r"(/center/$|/login)"))
    if not page.url.endswith("/center/"):
        at_provider(page, "zhangxiaoming")
    expect(page).to_have_url(re.compile(r"/center/$"))


def test_a_new_graduate_registers_from_the_provider(page, live_server, viewport_name, sms_code):
    from_login_page(page, live_server, viewport_name, "lisi")
    expect(page).to_have_url(re.compile(r"/accounts/login/provider/link/$"))
    expect(page.locator("main")).to_contain_text("3201**********002X")
    check_page(page, shot="provider-link", viewport=viewport_name)
    page.get_by_role("link", name="注册并绑定").click()
    expect(page.locator("main")).to_contain_text("姓名和证件号码已由江苏政务服务网核验，不能修改")
    expect(page.get_by_label("证件号码")).to_be_disabled()
    expect(page.get_by_label("证件号码")).to_have_value("32010220050601002X")
    check_page(page, shot="provider-register", viewport=viewport_name)
    page.get_by_label("移动电话").fill("13900000002")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#sms-status")).to_contain_text("验证码已发送至")
    page.get_by_label("短信验证码").fill(sms_code("13900000002"))
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password_confirm").fill(PASSWORD)
    page.locator("#id_agree").check()
    page.get_by_role("button", name="注册").click()
    expect(page).to_have_url(re.compile(r"/center/$"))
    expect(page.locator(".site-header")).to_contain_text("李*")


def test_a_verified_mobile_confirms_by_sms_and_no_account_binds_by_password(
        page, live_server, viewport_name, person, sms_code):
    from_login_page(page, live_server, viewport_name, "wangwu")
    expect(page).to_have_url(re.compile(r"/accounts/login/provider/confirm/$"))
    expect(page.locator("main")).to_contain_text("138****0001")
    check_page(page, shot="provider-confirm", viewport=viewport_name)
    page.get_by_role("button", name="获取验证码").click()  # a plain post: the number is not typed here
    expect(page.locator("#sms-status")).to_contain_text("验证码已发送至138****0001")
    page.get_by_label("短信验证码").fill(sms_code(person.mobile))
    page.get_by_role("button", name="确认绑定并登录").click()
    expect(page).to_have_url(re.compile(r"/center/$"))

    log_out(page, viewport_name)
    # Another person at the same computer (the provider's login ends too), whose identity there
    # carries nothing the hall knows: the password of their hall account binds it.
    page.context.clear_cookies()
    other = PersonFactory(index=30)
    from_login_page(page, live_server, viewport_name, "zhaoliu")
    expect(page).to_have_url(re.compile(r"/accounts/login/provider/link/$"))
    page.get_by_label("证件号码/移动电话").fill(other.mobile)
    page.locator("#id_password").fill("Wrong#Pass2026")
    page.get_by_role("button", name="登录并绑定").click()
    expect(page.locator("main")).to_contain_text("账号或密码错误")
    check_page(page, viewport=viewport_name)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="登录并绑定").click()
    expect(page).to_have_url(re.compile(r"/center/$"))


def test_bad_answers_are_refused_in_words(page, live_server, viewport_name, person, local_provider,
                                          settings):
    local_provider.fault("signature")
    from_login_page(page, live_server, viewport_name, "zhangxiaoming")
    expect(page.get_by_role("alert")).to_contain_text("返回的身份信息未通过校验，已拒绝登录")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录未成功")
    check_page(page, shot="provider-refused", viewport=viewport_name)

    page.goto(live_server.url + "/accounts/login/provider/jszwfw/callback/?code=abc&state=forged")
    expect(page.get_by_role("alert")).to_contain_text("登录请求已失效或不是从本大厅发起")
    check_page(page, viewport=viewport_name)

    local_provider.fault("issuer")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_url(re.compile(r"(/callback/|/login)"))
    if "provider/jszwfw/callback" not in page.url:
        at_provider(page, "zhangxiaoming")
    expect(page.get_by_role("alert")).to_contain_text("未通过校验")

    settings.LOGIN_PROVIDERS = [provider_config(local_provider, issuer="http://127.0.0.1:9")]
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name=BUTTON).click()
    expect(page.get_by_role("alert")).to_contain_text("江苏政务服务网暂时无法访问")
    check_page(page, viewport=viewport_name)
    page.get_by_role("link", name="返回登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


@pytest.mark.parametrize(("fault", "words"), [
    ("audience", "未通过校验"), ("nonce", "未通过校验"), ("expired_code", "授权已失效（已过期或已使用）"),
    ("slow", "响应超时")])
def test_each_other_bad_answer_is_refused(page, live_server, viewport_name, person, local_provider, fault,
                                          words):
    local_provider.fault(fault, seconds=4)
    from_login_page(page, live_server, viewport_name, "zhangxiaoming")
    expect(page.get_by_role("alert")).to_contain_text(words)
    check_page(page, viewport=viewport_name)
    expect(page.locator(".site-header")).to_contain_text("请登录")


def test_binding_an_identity_of_someone_elses_id_number_is_refused(page, live_server, viewport_name,
                                                                   person):
    other = PersonFactory(index=31)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("证件号码/移动电话").fill(other.mobile)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/center/$"))
    page.get_by_role("link", name="账号绑定").click()
    page.get_by_role("button", name="绑定江苏政务服务网").click()
    at_provider(page, "zhangxiaoming")  # 张晓明's identity, whose ID number is not this account's
    expect(page.get_by_role("heading", level=1)).to_have_text("绑定未成功")
    expect(page.get_by_role("alert")).to_contain_text("证件号码与本账号不一致，不能绑定")
    check_page(page, viewport=viewport_name)
    page.get_by_role("link", name="返回账号绑定").click()
    expect(page.locator("main")).to_contain_text("未绑定")
