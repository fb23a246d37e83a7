"""Every other page a visitor can reach, on both viewports, each scanned with axe; and one
form used with JavaScript turned off."""

import re

from playwright.sync_api import expect

from servicehall.messaging.services import sms_send

from .conftest import (
    PASSWORD,
    check_page,
    check_page_without_javascript,
    htmx_idle,
    log_in_person,
    request_code,
    resident_id,
)


def test_agreement(page, visit, viewport_name):
    visit("/accounts/register/")
    # The register page opens the agreement in a new tab.
    link = page.get_by_role("link", name="《个人用户注册协议》")
    expect(link).to_have_attribute("href", "/accounts/agreement/")
    visit("/accounts/agreement/", shot="agreement")
    expect(page.get_by_role("heading", level=1)).to_have_text("个人用户注册协议")
    expect(page.get_by_role("heading", level=2)).to_have_count(6)
    page.get_by_role("link", name="返回注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("用户注册")


def test_password_and_mobile_change(page, visit, live_server, viewport_name, sms_code, person):
    log_in_person(page, live_server.url, person.mobile)

    # 修改密码
    page.locator("main").get_by_role("link", name="修改密码").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("修改密码")
    check_page(page, viewport=viewport_name)
    page.get_by_label("当前密码").fill(PASSWORD)
    page.locator("#id_new_password").fill("Changed#Pw2027")
    page.locator("#id_new_password_confirm").fill("Changed#Pw2027")
    page.get_by_role("button", name="保存新密码").click()
    expect(page).to_have_url(re.compile(r"/center/$"))
    expect(page.locator(".notices")).to_contain_text("密码已修改，下次登录请使用新密码")

    # 更换手机号码: the code goes to the new number; the old one is told.
    page.get_by_role("link", name="更换手机号码").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("更换手机号码")
    expect(page.locator("main")).to_contain_text("当前手机号码：138****0001")
    check_page(page, viewport=viewport_name)
    page.get_by_label("登录密码").fill("Changed#Pw2027")
    page.get_by_label("新手机号码").fill("13911112222")
    code = request_code(page, sms_code, "13911112222")
    page.get_by_label("短信验证码").fill(code)
    check_page(page, viewport=viewport_name)
    page.get_by_role("button", name="确认更换").click()
    expect(page).to_have_url(re.compile(r"/center/$"))
    expect(page.locator(".notices")).to_contain_text("手机号码已更换")
    expect(page.locator("dl.info-list")).to_contain_text("139****2222")
    check_page(page, viewport=viewport_name)
    assert "您的账号已将手机号码更换为139****2222" in _newest_text(person.mobile)


def _newest_text(mobile):
    from servicehall.messaging.selectors import outbox_messages

    return outbox_messages(mobile, limit=1)[0].text


def test_dev_sms_outbox(page, visit, viewport_name):
    visit("/messaging/dev/sms/")
    expect(page.locator("main")).to_contain_text("还没有短信。")
    sms_send(mobile="13800000009", text="您的登录验证码为123456，5分钟内有效。")
    sms_send(mobile="13800000008", text="另一条通知。")

    page.reload()
    expect(page.locator("table caption")).to_contain_text("全部短信，共 2 条")
    check_page(page, shot="dev-sms-outbox", viewport=viewport_name)
    page.get_by_label("手机号码").fill("13800000009")
    page.get_by_role("button", name="按手机号码筛选").click()
    expect(page.locator("table caption")).to_contain_text("发往 13800000009 的短信，共 1 条")
    expect(page.locator("table tbody")).to_contain_text("【江苏人社】您的登录验证码为123456")
    check_page(page, viewport=viewport_name)

    page.get_by_label("手机号码").fill("1380000")
    page.get_by_role("button", name="按手机号码筛选").click()
    expect(page.locator(".error-summary")).to_contain_text("手机号码应为11位数字")
    check_page(page, viewport=viewport_name)


def test_region_lookup_with_htmx(page, visit, viewport_name):
    visit("/reference/regions/")
    expect(page.get_by_role("group", name=re.compile("行政区划"))).to_be_visible()
    # Each choice re-renders the picker with the next level's options (htmx).
    page.get_by_label("省", exact=True).select_option(label="江苏省")
    htmx_idle(page)
    page.get_by_label("市", exact=True).select_option(label="南京市")
    htmx_idle(page)
    page.get_by_label("区县", exact=True).select_option(label="玄武区")
    expect(page.get_by_label("省", exact=True)).to_have_value("320000")
    expect(page.get_by_label("市", exact=True)).to_have_value("320100")
    check_page(page, viewport=viewport_name)
    page.get_by_role("button", name="查询").click()

    result = page.locator(".region-result")
    expect(result.get_by_role("heading", name="查询结果")).to_be_visible()
    expect(result.locator("dd").first).to_have_text("320102")
    expect(result).to_contain_text("玄武区")
    expect(page).to_have_url(re.compile(r"region_county=320102"))
    check_page(page, shot="region-lookup", viewport=viewport_name)


def test_school_list(page, visit, viewport_name):
    visit("/reference/schools/")  # no screenshot: 165 rows make a very tall picture
    status = page.locator("#school-results [role=status]")
    expect(status).to_contain_text(re.compile(r"共 \d{3} 所学校"))
    everything = status.inner_text()
    page.get_by_label("学校名称").fill("南京大学")
    page.get_by_role("button", name="查询").click()
    expect(status).not_to_have_text(everything)
    rows = page.locator("#school-results tbody tr")
    expect(rows.first).to_contain_text("4132010284")
    for row in rows.all():
        expect(row).to_contain_text("南京大学")
    check_page(page, shot="school-list", viewport=viewport_name)

    page.get_by_role("link", name="清除条件").click()
    expect(status).to_have_text(everything)
    page.get_by_label("所在城市").select_option(label="苏州市")
    expect(status).not_to_have_text(everything)
    expect(page).to_have_url(re.compile(r"city=320500"))  # hx-push-url
    expect(page.locator("#school-results tbody")).to_contain_text("苏州大学")
    expect(page.locator("#school-results tbody")).not_to_contain_text("南京大学")
    check_page(page, viewport=viewport_name)


def test_not_found_page(page, live_server, viewport_name):
    response = page.goto(live_server.url + "/accounts/no-such-page/")
    assert response.status == 404
    check_page(page, viewport=viewport_name)
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    page.get_by_role("link", name="返回首页").click()
    expect(page).to_have_url(live_server.url + "/")


def test_appeal_done_page(page, visit):
    visit("/accounts/appeal/done/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申诉已提交")


def test_register_without_javascript(page, live_server, viewport_name, sms_code, new_context):
    """获取验证码 posts the whole form when there is no JavaScript, and keeps what was typed."""
    nojs = new_context(java_script_enabled=False).new_page()
    nojs.goto(live_server.url + "/accounts/register/")
    id_number = resident_id("32058219951105002")
    nojs.get_by_label("证件号码").fill(id_number)
    nojs.get_by_label("姓名").fill("陈静")
    nojs.get_by_label("移动电话").fill("13655556666")
    nojs.locator("#id_password").fill(PASSWORD)
    nojs.locator("#id_password_confirm").fill(PASSWORD)
    nojs.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    nojs.get_by_role("button", name="获取验证码").click()

    # A full page came back: the status is there, and so is everything typed.
    expect(nojs.locator("#sms-status")).to_contain_text("验证码已发送至136****6666")
    expect(nojs.get_by_label("证件号码")).to_have_value(id_number)
    expect(nojs.get_by_label("姓名")).to_have_value("陈静")
    expect(nojs.get_by_label("移动电话")).to_have_value("13655556666")
    expect(nojs.locator("#id_password")).to_have_value(PASSWORD)
    expect(nojs.locator("#id_password_confirm")).to_have_value(PASSWORD)
    expect(nojs.get_by_label("证件类型")).to_have_value("resident")
    expect(nojs.get_by_role("checkbox", name=re.compile("我已阅读并同意"))).to_be_checked()
    expect(nojs.locator(".error-summary")).to_have_count(0)  # not judged yet
    check_page_without_javascript(
        nojs, page, shot="register-no-javascript", viewport=viewport_name
    )

    nojs.get_by_label("短信验证码").fill(sms_code("13655556666"))
    nojs.get_by_role("button", name="注册", exact=True).click()
    expect(nojs).to_have_url(re.compile(r"/center/$"))
    expect(nojs.locator("dl.info-list")).to_contain_text("3205**********" + id_number[-4:])


def test_region_lookup_without_javascript(page, live_server, viewport_name, new_context):
    """Without htmx, 更新下级选项 reloads the form with the next level filled."""
    nojs = new_context(java_script_enabled=False).new_page()
    nojs.goto(live_server.url + "/reference/regions/")
    nojs.get_by_label("省", exact=True).select_option(label="江苏省")
    nojs.get_by_role("button", name="更新下级选项").click()
    expect(nojs.get_by_role("status")).to_contain_text("已更新下级选项")
    nojs.get_by_label("市", exact=True).select_option(label="南京市")
    nojs.get_by_role("button", name="更新下级选项").click()
    nojs.get_by_label("区县", exact=True).select_option(label="玄武区")
    nojs.get_by_role("button", name="查询").click()
    expect(nojs.locator(".region-result dd").first).to_have_text("320102")
    check_page_without_javascript(nojs, page, viewport=viewport_name)
