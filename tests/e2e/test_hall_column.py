"""The manual's right-hand column of the home page (省政务服务 … 公众号), 掌上办 with its QR code,
个人中心's 推荐, and a guide's 常见问题, on a computer and on a phone (issue 17)."""

import re

from playwright.sync_api import expect

from .conftest import check_page, log_in_person

COLUMN = ["省政务服务", "我要看", "我要办", "我要问", "我要评", "掌上办"]


def _column(page):
    return page.get_by_role("navigation", name="快捷入口")


def _entry(page, label: str):
    return _column(page).get_by_role("link", name=re.compile(f"^{label}"))


def test_the_column_on_the_home_page_and_where_it_leads(page, visit, live_server, viewport_name):
    visit("/", shot="home")
    column = _column(page)
    expect(column).to_be_visible()
    for label in COLUMN:
        expect(_entry(page, label)).to_be_visible()
    expect(column).not_to_contain_text("公众号")
    boxes = [_entry(page, label).bounding_box() for label in COLUMN]
    for box in boxes:
        assert box["height"] >= 44 and box["width"] >= 44, box
    hot = page.locator(".home-hot").bounding_box()
    if viewport_name == "desktop":
        # A column at the right of 热门服务: one entry above the next.
        assert boxes[0]["x"] > hot["x"] + hot["width"]
        assert len({round(b["x"]) for b in boxes}) == 1 and boxes[1]["y"] > boxes[0]["y"]
    else:
        # On a phone: under 热门服务, four to a row.
        assert boxes[0]["y"] > hot["y"] + hot["height"]
        assert len({round(b["y"]) for b in boxes[:4]}) == 1 and boxes[4]["y"] > boxes[0]["y"]
    expect(_entry(page, "省政务服务")).to_have_attribute("href", "https://www.jszwfw.gov.cn/")
    expect(_entry(page, "省政务服务")).not_to_have_attribute("target", "_blank")

    _entry(page, "我要看").click()
    expect(page).to_have_url(re.compile(r"/notices/$"))
    check_page(page, viewport=viewport_name)
    page.go_back()
    _entry(page, "我要办").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("个人办事")
    page.go_back()
    _entry(page, "我要问").click()
    expect(page).to_have_url(re.compile(r"/consult/$"))
    check_page(page, viewport=viewport_name)
    page.go_back()
    _entry(page, "我要评").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/center/concluded/$"))
    page.go_back()

    _entry(page, "掌上办").click()
    expect(page).to_have_url(re.compile(r"/mobile/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("掌上办")
    qr = page.get_by_role("img", name="大厅网址二维码")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 150
    expect(page.locator("main")).to_contain_text(live_server.url + "/")
    for heading in ("安卓手机", "苹果手机（iPhone、iPad）"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    # Where the browser offers to install the hall (Chromium does), one button asks for it.
    install = page.get_by_role("button", name="立即安装")
    expect(install).to_have_count(1)
    check_page(page, shot="mobile", viewport=viewport_name)


def test_the_wechat_account_when_the_hall_has_one(page, visit, settings):
    settings.HALL_WECHAT_ACCOUNT = "测试人社公众号"
    visit("/")
    expect(_column(page)).to_contain_text("公众号")
    expect(_column(page)).to_contain_text("微信搜索“测试人社公众号”")


def test_recommended_services_in_the_personal_center(page, live_server, viewport_name, person):
    log_in_person(page, live_server.url, person.mobile)
    block = page.get_by_role("region", name="推荐")
    expect(block).to_be_visible()
    tiles = block.get_by_role("link")
    expect(tiles).to_have_count(6)
    expect(tiles.first).to_contain_text("求职创业补贴个人申报")
    check_page(page, shot="center-recommend", viewport=viewport_name)
    tiles.nth(1).click()
    expect(page).to_have_url(re.compile(r"/services/[a-z-]+/$"))
    expect(page.get_by_role("heading", name="常见问题")).to_be_visible()
    check_page(page, viewport=viewport_name)


def test_a_guide_that_had_no_questions_answers_some_now(page, visit):
    visit("/services/ss-card-status/")
    expect(page.get_by_role("heading", name="常见问题")).to_be_visible()
    expect(page.locator(".faq dt")).to_have_count(2)
