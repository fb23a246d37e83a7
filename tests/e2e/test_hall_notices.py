"""公示公告: the list, newest first, 15 to a page, the filter tabs, and one notice."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from servicehall.notices.models import NoticeKind
from servicehall.notices.services import notice_publish

from .conftest import check_page

PUBLISHER = "江苏省人力资源和社会保障厅"


def publish_notices(count: int = 20):
    """Notices 第1号 (oldest) to 第20号 (newest), an hour apart; 第18号 is a 公示."""
    now = timezone.now()
    return [
        notice_publish(
            actor=None, title=f"测试公告第{n}号", publisher=PUBLISHER,
            body=f"这是第{n}号测试公告的第一段。\n\n第二段：请相互转告。",
            kind=NoticeKind.PUBLICITY if n == 18 else NoticeKind.ANNOUNCEMENT,
            published_at=now - datetime.timedelta(hours=count - n),
        )
        for n in range(1, count + 1)
    ]


def test_notices(page, visit, viewport_name):
    publish_notices()
    # The home page shows the five newest.
    visit("/")
    newest = page.locator("section[aria-labelledby=notices-title] li a")
    expect(newest).to_have_text([f"测试公告第{n}号" for n in range(20, 15, -1)])

    page.get_by_role("link", name="更多公示公告").click()
    expect(page).to_have_url(re.compile(r"/notices/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("公示公告")
    titles = page.locator(".notice-list__item > a")
    expect(titles).to_have_text([f"测试公告第{n}号" for n in range(20, 5, -1)])
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("第 1 页，共 2 页")
    expect(page.get_by_role("link", name="全部")).to_have_attribute("aria-current", "page")
    # Only 公示公告 is marked in the blue nav (服务清单's page is also called "list").
    expect(page.locator(".site-nav [aria-current=page]")).to_have_text(["公示公告"])
    check_page(page, shot="notices", viewport=viewport_name)

    page.get_by_role("navigation", name="分页").get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"/notices/\?page=2$"))
    expect(titles).to_have_text([f"测试公告第{n}号" for n in range(5, 0, -1)])
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("第 2 页，共 2 页")
    expect(page.get_by_role("link", name="下一页")).to_have_count(0)
    expect(page).to_have_title(re.compile("第2页"))
    check_page(page, viewport=viewport_name)

    # 公示 alone: the one publicity notice, no paging.
    page.locator("main .subtabs").get_by_role("link", name="公示").click()
    expect(page).to_have_url(re.compile(r"/notices/\?kind=publicity$"))
    expect(titles).to_have_text(["测试公告第18号"])
    expect(page.get_by_role("navigation", name="分页")).to_have_count(0)
    check_page(page, viewport=viewport_name)

    titles.first.click()
    expect(page).to_have_url(re.compile(r"/notices/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("测试公告第18号")
    detail = page.locator("article.notice-detail")
    expect(detail).to_contain_text(f"发布单位：{PUBLISHER}")
    expect(detail.locator("> p:not(.notice-detail__meta)")).to_have_text(
        ["这是第18号测试公告的第一段。", "第二段：请相互转告。"]
    )
    check_page(page, viewport=viewport_name)
    page.get_by_role("link", name="返回公示公告").click()
    expect(page).to_have_url(re.compile(r"/notices/$"))
