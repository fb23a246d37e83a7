"""社会保障卡数据更新 and 申请核对 (issue 17): a person without a card in the hall's list opens the
application form; the page says when the card list was last updated and when the next is due;
they ask to be told; the next import answers them in 我的消息, and the form opens. Desktop and
phone, axe on every page."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from servicehall.cards import rechecks
from servicehall.cards.models import CardImportBatch
from servicehall.cards.services import demo_card_for

from .conftest import PASSWORD, check_page, log_in_person


def test_told_when_the_card_list_knows_the_card(
    page, live_server, viewport_name, person, operator, open_window
):
    CardImportBatch.objects.create(
        imported_by=operator, filename="cards.csv", sha256="0" * 64,
        imported_at=timezone.now() - datetime.timedelta(hours=3),
    )
    log_in_person(page, live_server.url, person.mobile, PASSWORD)
    page.goto(live_server.url + "/subsidy/apply/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申报前请先准备社会保障卡")
    updates = page.locator(".card-updates")
    expect(updates).to_contain_text("最近一次更新于")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    expect(updates).to_contain_text(f"预计下次更新：{tomorrow:%Y-%m-%d}")
    check_page(page, shot="card-precondition", viewport=viewport_name)

    page.get_by_role("button", name="数据更新后短信通知我").click()
    expect(page.locator(".notices")).to_contain_text("已收到您的核对申请")
    expect(page.locator("#card-recheck-waiting")).to_be_visible()
    expect(page.get_by_role("button", name="数据更新后短信通知我")).to_have_count(0)
    check_page(page, viewport=viewport_name)

    # The card is made; the next import answers.
    demo_card_for(id_number=person.id_number, name=person.name)
    batch = CardImportBatch.objects.create(imported_by=operator, filename="cards-2.csv", sha256="1" * 64)
    assert rechecks.card_rechecks_answer(batch_id=batch.pk) == 1
    page.goto(live_server.url + "/messaging/inbox/")
    expect(page.locator("main")).to_contain_text("社会保障卡信息核对结果")
    check_page(page, viewport=viewport_name)
    page.goto(live_server.url + "/subsidy/apply/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("申报前请先准备社会保障卡")
