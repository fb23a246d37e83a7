"""电子社保卡 and the card data import: a person with a card shows it and its QR code, which a
checker opens; a person without one is told where to get it; an operator imports the card
system's export and reads the report."""

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from servicehall.cards import services

from .conftest import check_page, log_in_person, log_in_staff

SAMPLE = Path(__file__).resolve().parents[2] / "servicehall" / "cards" / "data" / "sample_cards.csv"


def _give_card(person):
    services.card_upsert(
        id_number=person.id_number, name=person.name, card_number="D90000101", generation=3,
        bank="中国工商银行", account="6212260000000001011", financial_active=True, status="normal",
        issued_on=date(2024, 9, 1),
    )


def test_person_shows_the_e_card_and_a_checker_scans_it(page, visit, live_server, viewport_name,
                                                      new_context, person):
    _give_card(person)
    log_in_person(page, live_server.url, person.id_number)
    visit("/cards/my/", shot="e-card")
    expect(page.get_by_role("heading", level=1)).to_have_text("电子社保卡")
    card = page.locator(".ecard")
    expect(card).to_contain_text("江苏省社会保障卡")
    expect(card).to_contain_text("第三代")
    expect(card).to_contain_text("张*明")
    expect(card).to_contain_text("D*****101")
    expect(card).to_contain_text("6212 **** **** 1011")
    expect(card).to_contain_text("金融功能已开通")
    expect(card).to_contain_text("卡状态：正常")
    expect(page.get_by_role("img", name="电子社保卡核验二维码")).to_be_visible()
    expect(page.locator("main")).to_contain_text("出示二维码可供核验卡片状态，10分钟内有效")
    assert "6212260000000001011" not in page.content()

    # What the QR code holds, opened on a checker's phone that is not logged in.
    verify_url = page.locator("[data-verify-url]").get_attribute("data-verify-url")
    assert verify_url.startswith(live_server.url + "/cards/verify/")
    checker = new_context("phone").new_page()
    checker.goto(verify_url)
    check_page(checker, viewport="phone")
    expect(checker.get_by_role("status")).to_have_text("卡片状态：有效")
    expect(checker.locator("main")).to_contain_text("张*明")
    expect(checker.locator("main")).to_contain_text("D*****101")


def test_person_without_a_card_is_told_where_to_get_one(page, visit, live_server, viewport_name,
                                                       person):
    log_in_person(page, live_server.url, person.mobile)
    visit("/cards/my/")
    help_block = page.locator(".card-help")
    expect(help_block.get_by_role("heading", level=2)).to_have_text("您还没有江苏省社会保障卡")
    expect(help_block).to_contain_text("携带本人居民身份证到就近的社会保障卡即时制卡网点办理（可现场开通金融功能）")
    expect(help_block).to_contain_text("358×441像素")
    expect(page.get_by_role("img", name="电子社保卡核验二维码")).to_have_count(0)


def test_operator_imports_the_card_data(page, visit, live_server, viewport_name, sms_code, operator):
    log_in_staff(page, live_server.url, sms_code, operator)
    visit("/cards/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("社会保障卡数据导入")

    # Nothing chosen: the form says so beside the field.
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("#field-file .field__error")).to_contain_text("请选择要导入的数据文件")
    check_page(page, viewport=viewport_name)

    page.get_by_label("数据文件").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="上传并导入").click()
    expect(page).to_have_url(re.compile(r"/cards/import/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("社会保障卡数据导入结果")
    expect(page.locator("main .notice--success")).to_contain_text("导入完成：新增6张卡，更新0张卡。")
    check_page(page, shot="card-import", viewport=viewport_name)

    # The same file again: nothing changes, and the report says so.
    page.get_by_role("link", name="继续导入").click()
    page.get_by_label("数据文件").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("main")).to_contain_text("本次导入没有改变任何卡片数据：6条有效记录与系统中已有的数据完全一致。")
    check_page(page, viewport=viewport_name)
    page.get_by_role("link", name="继续导入").click()
    expect(page.locator("main table").last).to_contain_text("sample_cards.csv")
    check_page(page, viewport=viewport_name)
