"""我的消息: a person reads the site messages the hall sent, opens one (its 未读 mark goes),
follows 查看办件, and marks the rest read."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from servicehall.messaging.models import SiteMessage
from servicehall.messaging.services import site_message_send

from .conftest import check_page, log_in_person

INBOX = "/messaging/inbox/"


def send_two(person):
    """申请已提交 (older) and 学校审核未通过 (newer, with a link to 个人中心's 办理中)."""
    submitted = site_message_send(
        user=person, title="申请已提交",
        body="您的求职创业补贴申请已提交，申报编号2026061512345678，学校将进行审核。",
        link="/center/in-progress/",
    )
    SiteMessage.objects.filter(pk=submitted.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    refused = site_message_send(
        user=person, title="学校审核未通过",
        body="您的求职创业补贴申请（2026061512345678）学校审核未通过。\n\n原因：毕业年度不符合申报条件。",
    )
    return submitted, refused


def test_inbox(page, visit, live_server, viewport_name, person):
    send_two(person)
    log_in_person(page, live_server.url, person.mobile)

    visit(INBOX, shot="inbox")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的消息")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.locator("td:nth-child(2)")).to_have_text(
        ["学校审核未通过（未读）", "申请已提交（未读）"]
    )
    expect(page.locator("main .tag", has_text="未读")).to_have_count(2)
    expect(page.locator("main strong a")).to_have_count(2)
    expect(page.get_by_text("共 2 条消息，其中 2 条未读。")).to_be_visible()

    # Opening one shows it and marks it read.
    page.get_by_role("link", name="申请已提交").click()
    expect(page).to_have_url(re.compile(r"/messaging/inbox/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("申请已提交")
    expect(page.locator("article")).to_contain_text("申报编号2026061512345678")
    expect(page.get_by_text(re.compile(r"发送时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}"))).to_be_visible()
    check_page(page, viewport=viewport_name)

    page.get_by_role("link", name="返回我的消息").click()
    expect(page).to_have_url(re.compile(r"/messaging/inbox/$"))
    opened = rows.filter(has_text="申请已提交")
    expect(opened.locator(".tag")).to_have_text("已读")
    expect(opened.locator("strong")).to_have_count(0)
    expect(rows.filter(has_text="学校审核未通过").locator(".tag")).to_have_text("未读")
    expect(page.get_by_text("共 2 条消息，其中 1 条未读。")).to_be_visible()

    # 查看办件 goes to the case's page inside the hall.
    page.get_by_role("link", name="申请已提交").click()
    page.get_by_role("link", name="查看办件").click()
    expect(page).to_have_url(re.compile(r"/center/in-progress/$"))

    # The refusal: paragraphs, no button; then 全部标为已读 (nothing left to mark).
    page.goto(live_server.url + INBOX)
    page.get_by_role("link", name="学校审核未通过").click()
    expect(page.locator("article > p:not(.notice-detail__meta)")).to_have_text(
        ["您的求职创业补贴申请（2026061512345678）学校审核未通过。", "原因：毕业年度不符合申报条件。"]
    )
    expect(page.get_by_role("link", name="查看办件")).to_have_count(0)

    send_two(person)
    visit(INBOX)
    expect(page.locator("main .tag", has_text="未读")).to_have_count(2)
    page.get_by_role("button", name="全部标为已读").click()
    expect(page).to_have_url(re.compile(r"/messaging/inbox/$"))
    expect(page.get_by_role("status")).to_contain_text("已将2条消息标为已读。")
    expect(rows).to_have_count(4)
    expect(page.locator("main .tag", has_text="未读")).to_have_count(0)
    expect(page.locator("main strong a")).to_have_count(0)
    expect(page.get_by_role("button", name="全部标为已读")).to_have_count(0)
    check_page(page, viewport=viewport_name)


def test_empty_inbox(page, visit, live_server, viewport_name, person):
    log_in_person(page, live_server.url, person.mobile)
    visit(INBOX)
    expect(page.locator("main .empty-state")).to_have_text("暂无消息。")
