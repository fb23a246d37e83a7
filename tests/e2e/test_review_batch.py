"""批量通过 across pages in the browser: a school reviewer chooses all 60 applications waiting in
待审核 (two pages), reads the confirmation's count and total, goes back, then confirms; a bureau's
初审 reviewer filters the queue by 所在院系 and passes all that match, with JavaScript off (a
plain form round trip). Desktop and phone, axe on every page; the confirmation's screenshot is
docs/screens/batch-confirm-*.png."""

import re

from playwright.sync_api import expect

from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.models import Application
from servicehall.subsidy.tests.factories import clone, submit_for

from .conftest import check_page, check_page_without_javascript, log_in_staff

S = ApplicationStatus


def _states() -> dict[str, int]:
    found: dict[str, int] = {}
    for state in Application.objects.values_list("state", flat=True):
        found[state] = found.get(state, 0) + 1
    return found


def test_a_school_passes_all_sixty_waiting_across_two_pages(
    page, live_server, viewport_name, sms_code, world, person
):
    submitted = submit_for(person)
    clone(submitted, 59)
    log_in_staff(page, live_server.url, sms_code, world["school"])
    page.locator("main").get_by_role("link", name="学校审核").click()
    expect(page.get_by_role("navigation", name="分页")).to_contain_text("第 1 页，共 2 页")
    all_matching = page.get_by_label("选择全部符合条件的60笔")
    all_matching.check()
    # With JavaScript the rows of this page are ticked too; un-ticking one un-ticks the choice.
    first_row = page.locator("table.review-table tbody tr").first.locator("input[name=ids]")
    expect(first_row).to_be_checked()
    first_row.uncheck()
    expect(all_matching).not_to_be_checked()
    all_matching.check()
    check_page(page, viewport=viewport_name)

    page.get_by_role("button", name="批量通过").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("确认批量通过")
    expect(page.locator("#batch-count")).to_have_text("60笔")
    expect(page.locator("#batch-total")).to_have_text("90,000.00 元")
    main = page.locator("main")
    expect(main).to_contain_text("“待审核”中符合筛选条件的全部申请（含其他页）")
    expect(main).to_contain_text("未设筛选条件（全部申请）")
    expect(main).to_contain_text("2027届：60笔 × 1,500.00 元")
    check_page(page, shot="batch-confirm", viewport=viewport_name)

    # 返回 does nothing.
    page.get_by_role("link", name="返回", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("求职创业补贴学校审核")
    assert _states() == {S.SCHOOL_REVIEW: 60}

    page.get_by_label("选择全部符合条件的60笔").check()
    page.get_by_role("button", name="批量通过").click()
    page.get_by_role("button", name="确认批量通过").click()
    expect(page).to_have_url(re.compile(r"/subsidy/review/(\?tab=pending)?$"))
    expect(page.locator(".notices")).to_contain_text("已通过60笔。请在“待公示”中发布公示。")
    expect(page.locator(".empty-state")).to_have_text("这里暂时没有申请。")
    check_page(page, viewport=viewport_name)
    assert _states() == {S.AWAITING_PUBLICITY: 60}


def test_a_bureau_passes_all_that_match_a_filter_without_javascript(
    page, live_server, new_context, viewport_name, sms_code, world, person
):
    submitted = submit_for(person)
    Application.objects.filter(pk=submitted.pk).update(state=S.FIRST_REVIEW, department="数学系")
    clone(submitted, 54, state=S.FIRST_REVIEW, department="数学系")
    clone(submitted, 3, state=S.FIRST_REVIEW, start=100, department="物理系")
    log_in_staff(page, live_server.url, sms_code, world["first"])

    plain = new_context(java_script_enabled=False)
    plain.add_cookies(page.context.cookies())
    queue = plain.new_page()
    # The pages are scanned in a context of their own: the logged-in page's service worker would
    # fetch the confirmation's address itself (a GET, which that address does not answer).
    scanner = new_context().new_page()
    queue.goto(live_server.url + "/subsidy/review/?tab=first")
    queue.locator("details.review-filters__more summary").click()
    queue.get_by_label("所在院系").fill("数学系")
    queue.locator("details.review-filters__more").get_by_role("button", name="筛选").click()
    expect(queue.get_by_role("navigation", name="分页")).to_contain_text("第 1 页，共 2 页")
    queue.get_by_label("选择全部符合条件的55笔").check()
    expect(queue.locator("table.review-table tbody tr").first.locator("input[name=ids]")).not_to_be_checked()
    check_page_without_javascript(queue, scanner, viewport=viewport_name)

    queue.get_by_role("button", name="批量通过").click()
    expect(queue.get_by_role("heading", level=1)).to_have_text("确认批量通过")
    expect(queue.locator("#batch-count")).to_have_text("55笔")
    expect(queue.locator("#batch-total")).to_have_text("82,500.00 元")
    expect(queue.locator("main")).to_contain_text("人社初审")
    expect(queue.locator("main")).to_contain_text("所在院系：数学系")
    check_page_without_javascript(queue, scanner, viewport=viewport_name)

    queue.get_by_role("button", name="确认批量通过").click()
    expect(queue.locator(".notices")).to_contain_text("已通过55笔。已转入复审，复审须由其他审核人员办理。")
    expect(queue.locator("table.review-table tbody tr")).to_have_count(0)
    check_page_without_javascript(queue, scanner, viewport=viewport_name)
    assert _states() == {S.SECOND_REVIEW: 55, S.FIRST_REVIEW: 3}
