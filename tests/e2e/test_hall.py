"""The hall's frame and the pages around the catalog: 长辈版, the region switch, every page of
the hall once on each viewport, and the skip link."""

import re

from playwright.sync_api import expect

from servicehall.notices.services import notice_publish

from .conftest import check_page, log_in_person

SUBSIDY = "求职创业补贴个人申报"


def body_font_size(page) -> float:
    return page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")


def test_care_mode(page, visit, viewport_name):
    """长辈版: larger text on every page until it is turned off, remembered across pages."""
    visit("/")
    body = page.locator("body")
    expect(body).not_to_have_class(re.compile(r"\bcare-mode\b"))
    normal = body_font_size(page)
    assert normal < 20, normal

    page.get_by_role("button", name="长辈版").click()
    expect(body).to_have_class(re.compile(r"\bcare-mode\b"))
    expect(page).to_have_url(re.compile(r"/$"))
    assert body_font_size(page) >= 20, body_font_size(page)
    check_page(page, viewport=viewport_name)

    # The next page remembers it.
    visit("/personal/?category=employment&group=employment-subsidy")
    expect(body).to_have_class(re.compile(r"\bcare-mode\b"))
    assert body_font_size(page) >= 20, body_font_size(page)
    expect(page.get_by_role("button", name="退出长辈版")).to_be_visible()
    visit("/services/job-seeking-subsidy/")
    expect(body).to_have_class(re.compile(r"\bcare-mode\b"))

    page.get_by_role("button", name="退出长辈版").click()
    expect(page).to_have_url(re.compile(r"/services/job-seeking-subsidy/$"))
    expect(body).not_to_have_class(re.compile(r"\bcare-mode\b"))
    assert body_font_size(page) == normal
    expect(page.get_by_role("button", name="长辈版")).to_be_visible()
    visit("/")
    expect(body).not_to_have_class(re.compile(r"\bcare-mode\b"))


def test_region_switch(page, visit, viewport_name):
    """厅本级 → 南京市 in the top bar (on a phone too): the guides give 南京's 12333 line."""
    visit("/services/job-seeking-subsidy/")
    phone = page.locator("dl.info-list dt:text-is('咨询电话') + dd")
    expect(phone).to_have_text("12333")
    switch = page.locator(".topbar details.region-switch")
    summary = switch.locator("summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("厅本级")

    summary.click()
    expect(switch).to_have_js_property("open", True)
    options = switch.get_by_role("button")
    expect(options).to_have_count(14)  # 厅本级 and the 13 cities
    expect(options.first).to_have_text("厅本级")
    expect(options.first).to_have_attribute("aria-current", "true")
    check_page(page, viewport=viewport_name)  # the open panel fits the screen and passes axe
    switch.get_by_role("button", name="南京市").click()

    expect(page).to_have_url(re.compile(r"/services/job-seeking-subsidy/$"))
    expect(summary).to_contain_text("南京市")
    expect(phone).to_have_text(re.compile(r"^025-12333\s*（南京市）$"))
    check_page(page, viewport=viewport_name)

    # Remembered on the next page; 厅本级 brings back the province's number.
    visit("/")
    expect(summary).to_contain_text("南京市")
    visit("/services/job-seeking-subsidy/")
    summary.click()
    expect(switch.get_by_role("button", name="南京市")).to_have_attribute("aria-current", "true")
    switch.get_by_role("button", name="厅本级").click()
    expect(summary).to_contain_text("厅本级")
    expect(phone).to_have_text("12333")


CONTRAST = """el => {
    const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = c => {
        const [r, g, b] = rgb(c).map(v => v / 255)
            .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const style = getComputedStyle(el);
    const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
}"""
LINES = """el => { const r = document.createRange(); r.selectNodeContents(el);
    return new Set([...r.getClientRects()].map(rect => Math.round(rect.top))).size; }"""


def test_header_search_box(page, visit, viewport_name):
    """The words typed in the header's search box can be read (axe does not look at what is
    typed into a field), and 搜索 stays on one line beside it."""
    visit("/search/?q=求职创业")
    box = page.locator("#site-search-q")
    expect(box).to_have_value("求职创业")
    ratio = box.evaluate(CONTRAST)
    assert ratio >= 4.5, f"the search words are {ratio:.2f}:1 against the box (need 4.5:1)"
    button = page.get_by_role("search").first.get_by_role("button", name="搜索")
    assert button.evaluate(LINES) == 1, "搜索 breaks over two lines"


def test_every_page_logged_out(page, visit, viewport_name):
    notice = notice_publish(actor=None, title="关于开展2026年求职创业补贴申报工作的通知",
                            body="各有关高校：\n\n申报时间为9月1日至9月30日。",
                            publisher="江苏省人力资源和社会保障厅")
    h1 = page.get_by_role("heading", level=1)
    main = page.locator("main")

    visit("/")
    expect(h1).to_have_text("大厅首页")
    expect(page.get_by_role("navigation", name="我是")).to_be_visible()
    expect(main.get_by_role("heading", name="个人登录")).to_be_visible()
    for block in ("社会保障卡", "工伤保险", "城乡居民服务", "公示公告"):
        expect(main.get_by_role("heading", level=2, name=block)).to_be_visible()
    if viewport_name == "desktop":
        account = page.get_by_role("navigation", name="账号")
        expect(account.get_by_role("link", name="您好！请登录")).to_be_visible()
        expect(account.get_by_role("link", name="立即注册")).to_be_visible()
        expect(page.get_by_role("navigation", name="主导航").get_by_role("link")).to_have_text(
            ["大厅首页", "个人办事", "单位办事", "查询服务", "服务清单", "主题服务", "公示公告"]
        )
    else:
        expect(page.get_by_role("navigation", name="账号")).to_be_hidden()
        expect(page.get_by_role("navigation", name="底部导航").get_by_role("link")).to_have_text(
            ["首页", "服务", "我的"]
        )

    visit("/personal/", shot="personal")
    expect(h1).to_have_text("个人办事")
    expect(page.get_by_role("navigation", name="服务类别").get_by_role("link", name="全部")) \
        .to_have_attribute("aria-current", "page")
    expect(main.locator("details.svc-group[open]")).to_have_count(0)  # closed until searched

    visit("/organisation/")
    expect(h1).to_have_text("单位办事")
    expect(main).to_contain_text("用人单位社会保险登记")
    expect(main).not_to_contain_text(SUBSIDY)

    visit("/query/")
    expect(h1).to_have_text("查询服务")
    expect(main.locator("details.svc-group").first).to_have_js_property("open", True)
    expect(main.get_by_role("link", name=re.compile(r"^查询\s*办件进度查询"))).to_have_attribute(
        "href", "/services/case-progress/apply/"
    )

    visit("/catalog/")
    expect(h1).to_have_text("服务清单")
    expect(page.locator(".site-nav [aria-current=page]")).to_have_text(["服务清单"])
    expect(main.locator("tbody tr").filter(has_text=SUBSIDY)).to_contain_text("本大厅网上办理")

    visit("/themes/")
    expect(h1).to_have_text("主题服务")
    main.get_by_role("link", name=re.compile("^高校毕业生")).click()
    expect(page).to_have_url(re.compile(r"/themes/graduates/$"))
    visit("/themes/graduates/")
    expect(h1).to_have_text("我是高校毕业生")
    expect(main.locator("li.svc").filter(has_text=SUBSIDY)).to_be_visible()

    visit("/services/")
    expect(h1).to_have_text("服务")
    expect(main.locator(".tile__title")).to_have_text(["就业", "社保", "人才", "劳动", "社保卡"])

    visit("/my/", shot="my")
    expect(h1).to_have_text("我的")
    expect(main.get_by_role("link", name="登录", exact=True)).to_have_attribute(
        "href", "/accounts/login/?next=/my/"
    )
    expect(main.get_by_role("link", name="注册", exact=True)).to_be_visible()
    menu = page.get_by_role("navigation", name="我的服务")
    expect(menu.locator(".menu-list__item").first).to_contain_text("电子社保卡")
    expect(menu.locator(".menu-list__item").last).to_contain_text("公示公告")
    expect(menu.get_by_role("link", name="电子社保卡")).to_have_attribute("href", "/cards/my/")
    expect(menu.locator(".menu-list__item--off").filter(has_text="我的证照")).to_contain_text("暂未开通")
    expect(menu.get_by_role("link", name="我的收藏")).to_be_visible()

    visit("/notices/")
    expect(h1).to_have_text("公示公告")
    visit(f"/notices/{notice.pk}/")
    expect(h1).to_have_text(notice.title)

    visit("/search/")
    expect(h1).to_have_text("搜索服务")
    expect(main.get_by_role("heading", name="热门服务")).to_be_visible()
    expect(main.locator(".link-list a").first).to_have_text(SUBSIDY)


def test_pages_logged_in(page, visit, live_server, viewport_name, person):
    log_in_person(page, live_server.url, person.mobile)
    main = page.locator("main")

    visit("/")
    expect(main.get_by_role("heading", name="您好，张*明")).to_be_visible()
    if viewport_name == "desktop":
        account = page.get_by_role("navigation", name="账号")
        expect(account).to_contain_text("您好！张*明")
        expect(account.get_by_role("link", name="个人中心")).to_be_visible()
        expect(account.get_by_role("button", name="退出")).to_be_visible()

    visit("/my/")
    expect(main.locator(".my-head__name")).to_have_text("您好，张*明")
    expect(main.get_by_role("link", name="个人中心")).to_have_attribute("href", "/center/")
    expect(main.get_by_role("link", name="登录", exact=True)).to_have_count(0)
    if viewport_name == "phone":
        expect(page.get_by_role("navigation", name="底部导航").get_by_role("link", name="我的")) \
            .to_have_attribute("aria-current", "page")

    visit("/center/favourites/")
    expect(page.get_by_role("heading", level=1)).to_have_text("个人中心")
    expect(main.locator(".empty-state")).to_contain_text("您还没有收藏服务")
    main.locator(".empty-state").get_by_role("link", name="个人办事").click()
    expect(page).to_have_url(re.compile(r"/personal/$"))

    # 我的 has its own 退出 (the header's is hidden on a phone).
    visit("/my/")
    main.get_by_role("button", name="退出").click()
    visit("/my/")
    expect(main.get_by_role("link", name="登录", exact=True)).to_be_visible()


def test_skip_link(page, visit, viewport_name):
    """Tab from the top of the page reaches 跳到主要内容 first; it moves focus to main."""
    visit("/")
    page.locator("body").focus()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)"), \
        "the next Tab after the skip link should stay in the main content"
