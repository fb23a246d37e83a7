"""The operator's admin (管理后台): reached from 工作台 after 单位登录, schools edited there."""

import re

from playwright.sync_api import expect

from .conftest import assert_accessible, log_in_staff


def test_operator_edits_a_school_in_the_admin(page, live_server, viewport_name, sms_code,
                                             operator):
    log_in_staff(page, live_server.url, sms_code, operator)
    page.get_by_role("link", name=re.compile("管理后台")).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    # Its sections by the apps' Chinese names, never the app labels (ACCOUNTS, REFERENCE).
    content = page.locator("#content-main")
    for section in ("账户与单位", "基础数据", "求职创业补贴", "补贴发放", "审计"):
        expect(content.get_by_role("link", name=section, exact=True)).to_be_visible()
    expect(content).not_to_contain_text(re.compile("accounts|reference", re.IGNORECASE))
    assert_accessible(page)

    page.goto(live_server.url + "/admin/reference/school/?q=南京大学")
    expect(page.locator("#result_list")).to_contain_text("4132010284")
    expect(page.get_by_role("heading", level=1)).to_have_text("选择 学校 来修改")
    expect(page.locator("#result_list img[alt='是']").first).to_be_attached()
    assert_accessible(page)
    page.locator("#result_list").get_by_role("link", name="南京大学", exact=True).click()
    expect(page.locator("#id_name")).to_have_value("南京大学")
    assert_accessible(page)
    page.locator("#id_authority").fill("教育部")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert_accessible(page)


def test_the_sms_log_is_searched_by_a_full_number_that_never_enters_an_address(
    page, live_server, viewport_name, sms_code, operator
):
    from servicehall.accounts.models import User

    User.objects.filter(pk=operator.pk).update(is_superuser=True)  # the SMS log is theirs only
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    log_in_staff(page, live_server.url, sms_code, operator)  # its SMS code is in the log
    page.goto(live_server.url + "/admin/messaging/smsmessage/")
    page.locator("#searchbar").fill(operator.mobile)
    page.locator("#changelist-search").get_by_role("button", name=re.compile("搜索|Search")).click()
    expect(page).to_have_url(re.compile(r"/admin/messaging/smsmessage/\?s=[\w-]+$"))
    masked = operator.mobile[:3] + "****" + operator.mobile[-4:]
    expect(page.locator("#result_list")).to_contain_text(masked)
    expect(page.locator("#changelist-search")).to_contain_text(masked)
    assert_accessible(page)
    assert requested and not [url for url in requested if operator.mobile in url]
