"""办件进度查询 without logging in (issue 17): from the home page, a wrong name is answered beside
the form with what was typed kept; the right ID number shows the masked case and its steps, with
no officer's opinion. Desktop and phone, axe on every page."""

import pytest
from playwright.sync_api import expect

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.subsidy.tests.factories import refused_by_school

from .conftest import check_page


@pytest.fixture
def refused(world):
    return refused_by_school(world, PersonFactory(index=53), opinion="学号与学籍记录不符")


def test_anyone_with_the_receipt_follows_the_case(page, live_server, viewport_name, refused):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="办件进度查询（免登录）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("办件进度查询")
    check_page(page, viewport=viewport_name)

    page.get_by_label("申报编号").fill(refused.record_number)
    page.get_by_label("申请人公民身份号码或姓名").fill("王某某")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("main")).to_contain_text("没有查到这笔办件")
    expect(page.get_by_label("申请人公民身份号码或姓名")).to_have_value("王某某")
    check_page(page, viewport=viewport_name)

    page.get_by_label("申请人公民身份号码或姓名").fill(refused.id_number)
    page.get_by_role("button", name="查询").click()
    found = page.locator("#progress-found")
    expect(found).to_contain_text(refused.record_number)
    expect(found).to_contain_text("不予受理")
    expect(found.locator("ol.timeline > li")).to_have_count(6)
    expect(found).not_to_contain_text("学号与学籍记录不符")
    expect(found).not_to_contain_text(refused.name)
    expect(page.get_by_label("申请人公民身份号码或姓名")).to_have_value("")
    check_page(page, shot="progress-lookup", viewport=viewport_name)

    # The receipt's QR code opens the page with the number filled in.
    page.goto(f"{live_server.url}/subsidy/progress/?number={refused.record_number}")
    expect(page.get_by_label("申报编号")).to_have_value(refused.record_number)
    check_page(page, viewport=viewport_name)
