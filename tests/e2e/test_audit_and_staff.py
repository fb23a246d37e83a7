"""Operations in the browser. An auditor finds who viewed a case's full ID number: the school's
reviewer opens 查看完整号码 on the detail page, the auditor searches 审计查询 by the record number
and the group 查看个人数据, and exports what was found. An operator opens a staff account, its
holder sets a password by SMS code and logs in, and the operator disables the leaver. Desktop and
phone, axe on every page."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from servicehall.accounts.models import User
from servicehall.accounts.tests.factories import PersonFactory
from servicehall.subsidy.tests import factories as subsidy_setup

from .conftest import PASSWORD, check_page, log_in_staff, request_code

NEW_MOBILE = "13900000077"


def test_an_auditor_finds_who_viewed_a_full_id_number(
    live_server, new_context, viewport_name, sms_code, world, year, auditor
):
    base, vp = live_server.url, viewport_name
    application = subsidy_setup.submit_for(PersonFactory(index=1))

    reviewer = new_context().new_page()
    log_in_staff(reviewer, base, sms_code, world["school"])
    reviewer.goto(base + reverse("subsidy:review_detail", args=[application.pk]))
    reviewer.get_by_role("link", name=re.compile("查看完整号码")).click()
    expect(reviewer.locator("main")).to_contain_text(application.id_number)
    check_page(reviewer, viewport=vp)

    page = new_context().new_page()
    log_in_staff(page, base, sms_code, auditor)
    page.get_by_role("link", name="审计查询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("审计查询")
    check_page(page, viewport=vp)
    page.get_by_label("申报编号").fill(application.record_number)
    page.locator("#id_action").select_option("group:personal_data")
    page.get_by_role("button", name="查询").click()
    row = page.locator("table tbody tr").filter(has_text="查看完整身份证号码")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(world["school"].name)
    expect(row).to_contain_text(world["school"].username)
    expect(row).to_contain_text("南京大学")
    expect(row).to_contain_text(f"求职创业补贴申请 {application.record_number}")
    expect(page.locator("table tbody")).not_to_contain_text("subsidy.application")
    check_page(page, shot="audit-trail", viewport=vp)
    # The submission's own entry: its detail in words, not JSON.
    page.locator("#id_action").select_option("subsidy.submit")
    page.get_by_role("button", name="查询").click()
    row = page.locator("table tbody tr").filter(has_text="提交申请")
    expect(row).to_contain_text(f"申报编号：{application.record_number}")
    expect(row).not_to_contain_text("{")
    check_page(page, viewport=vp)
    page.locator("#id_action").select_option("group:personal_data")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    assert download.value.suggested_filename.startswith("audit_")
    # A date the wrong way round is told next to the field, and the filters typed stay.
    page.get_by_label("开始日期").fill("2026-09-30")
    page.get_by_label("结束日期").fill("2026-09-01")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#field-date_to")).to_contain_text("结束日期不能早于开始日期")
    expect(page.get_by_label("申报编号")).to_have_value(application.record_number)
    check_page(page, viewport=vp)


def test_an_operator_opens_an_account_and_disables_a_leaver(
    live_server, new_context, viewport_name, sms_code, world, operator
):
    base, vp = live_server.url, viewport_name
    admin = new_context().new_page()
    log_in_staff(admin, base, sms_code, operator)
    admin.get_by_role("link", name="工作人员管理").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("工作人员管理")
    check_page(admin, shot="staff-accounts", viewport=vp)
    invite = admin.locator("form").filter(has=admin.get_by_role("button", name="开通账号"))
    invite.get_by_label("单位账号").fill("nj.reviewer3")
    invite.get_by_label("姓名").fill("周科员")
    invite.get_by_label("角色").select_option("bureau_reviewer")
    invite.get_by_label("所属单位").select_option(str(world["first"].organisation_id))
    invite.get_by_label("验证手机").fill(NEW_MOBILE)
    admin.get_by_role("button", name="开通账号").click()
    expect(admin.locator("main")).to_contain_text("已开通账号nj.reviewer3")
    check_page(admin, viewport=vp)

    # The new staff member sets a password by SMS code and logs in.
    holder = new_context().new_page()
    holder.goto(base + reverse("accounts:login_staff"))
    holder.get_by_role("link", name="设置或重置密码").click()
    expect(holder.get_by_role("heading", level=1)).to_have_text("设置或重置密码")
    holder.get_by_label("移动电话").fill(NEW_MOBILE)
    code = request_code(holder, sms_code, NEW_MOBILE)
    holder.get_by_label("短信验证码").fill(code)
    holder.locator("#id_new_password").fill(PASSWORD)
    holder.locator("#id_new_password_confirm").fill(PASSWORD)
    check_page(holder, viewport=vp)
    holder.get_by_role("button", name="设置密码").click()
    expect(holder.locator("main")).to_contain_text("密码已设置")
    log_in_staff(holder, base, sms_code, User.objects.get(username="nj.reviewer3"))
    expect(holder.locator("main")).to_contain_text("人社初审")

    # The operator disables the leaver: their next page asks them to log in.
    admin.get_by_role("button", name="停用").click()
    expect(admin.locator("main")).to_contain_text("账号已停用")
    check_page(admin, viewport=vp)
    holder.reload()
    expect(holder).to_have_url(re.compile(r"/accounts/login/org/"))
