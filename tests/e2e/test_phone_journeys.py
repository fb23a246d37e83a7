"""The training manual's APP chapters, step by step, in a phone viewport: APP注册登录 (我的 → 注册
→ fill → 注册; 我的 → 登录 → choose the way → log in), APP申请 (search 求职创业补贴, or 服务 →
就业 → 就业补贴 → the service → fill → 上传材料 → 提交), and APP查看办件 (我的 → 我的办件 →
办件进度). axe scans every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, check_page, htmx_idle, log_out, request_code, resident_id
from .test_subsidy_journey import (
    CHOSEN,
    HUKOU,
    HUKOU_ADDRESS,
    PROOF,
    RESIDENCE,
    RESIDENCE_ADDRESS,
    SUBSIDY,
    TYPED,
    _card_photo,
    choose_region,
    material_slot,
    open_window,  # noqa: F401 - the fixture: year 2027 open today and the person's card
)

PHONE = pytest.mark.parametrize("viewport_name", ["phone"])
ID_NUMBER = resident_id("32010219990521002")
MOBILE = "13812345678"


def tab(page, name: str) -> None:
    """A tab of the bottom bar (首页 / 服务 / 我的)."""
    page.get_by_role("navigation", name="底部导航").get_by_role("link", name=name).click()


def open_my(page) -> None:
    tab(page, "我的")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的")
    check_page(page, viewport="phone")


def log_in_from_my(page, identifier: str) -> None:
    """我的 → 登录 → 账号密码 → 登录, back on 我的."""
    open_my(page)
    page.locator("main").get_by_role("link", name="登录", exact=True).click()
    expect(page.get_by_role("link", name="账号密码")).to_have_attribute("aria-current", "page")
    page.get_by_label("证件号码/移动电话").fill(identifier)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/my/$"))


@PHONE
def test_app_register_and_log_in(page, live_server, viewport_name, sms_code):
    page.goto(live_server.url + "/")
    check_page(page, viewport=viewport_name)
    # 我的 → 注册: fill, tick 已阅读, 注册.
    open_my(page)
    page.locator("main").get_by_role("link", name="注册", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("用户注册")
    check_page(page, viewport=viewport_name)
    page.get_by_label("证件号码").fill(ID_NUMBER)
    page.get_by_label("姓名").fill("王小丽")
    page.get_by_label("移动电话").fill(MOBILE)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password_confirm").fill(PASSWORD)
    page.get_by_label("短信验证码").fill(request_code(page, sms_code, MOBILE))
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.locator(".notices")).to_contain_text("注册成功")
    check_page(page, viewport=viewport_name)
    log_out(page, viewport_name)
    expect(page.locator(".notices")).to_contain_text("您已安全退出")

    # 我的 → 登录 → 账号密码.
    log_in_from_my(page, ID_NUMBER)
    expect(page.locator(".my-head__name")).to_contain_text("王*丽")
    check_page(page, viewport=viewport_name)
    log_out(page, viewport_name)

    # 我的 → 登录 → 手机动态码.
    open_my(page)
    page.locator("main").get_by_role("link", name="登录", exact=True).click()
    page.get_by_role("link", name="手机动态码").click()
    expect(page.get_by_role("link", name="手机动态码")).to_have_attribute("aria-current", "page")
    check_page(page, viewport=viewport_name)
    page.get_by_label("移动电话").fill(MOBILE)
    page.get_by_label("短信验证码").fill(request_code(page, sms_code, MOBILE))
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/my/$"))
    expect(page.locator(".my-head__name")).to_contain_text("王*丽")
    check_page(page, viewport=viewport_name)


def find_by_search(page) -> None:
    """The search box at the top of the page: 求职创业补贴 → 就业补贴 opened → 申报."""
    box = page.locator("#site-search-q")
    box.fill("求职创业补贴")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    check_page(page, viewport="phone")
    row = page.locator("li.svc").filter(has=page.locator(".svc__name", has_text=SUBSIDY))
    expect(row).to_have_class(re.compile("svc--match"))
    row.get_by_role("link", name=re.compile("^申报")).click()


def find_by_service_tab(page) -> None:
    """【服务】 → 就业 → 就业补贴 (opened with its triangle) → 求职创业补贴个人申报 → 申报."""
    tab(page, "服务")
    expect(page.get_by_role("heading", level=1)).to_have_text("服务")
    check_page(page, viewport="phone")
    page.locator("a.tile", has=page.locator(".tile__title", has_text="就业")).first.click()
    expect(page).to_have_url(re.compile(r"/personal/\?category=employment$"))
    check_page(page, viewport="phone")
    group = page.locator("details.svc-group").filter(has_text="就业补贴").first
    group.locator("summary").click()
    expect(group).to_have_attribute("open", "")
    row = group.locator("li.svc").filter(has=page.locator(".svc__name", has_text=SUBSIDY))
    row.get_by_role("link", name=re.compile("^申报")).click()


def fill_upload_submit(page, tmp_path) -> str:
    """The form: 毕业生类型 and the rest, 上传材料, the pledge, 提交. Returns the record number."""
    expect(page).to_have_url(re.compile(r"/subsidy/apply/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBSIDY)
    check_page(page, viewport="phone")
    for label, value in TYPED.items():
        page.get_by_label(label).fill(value)
    for selector, label in CHOSEN.items():
        page.locator(selector).select_option(label=label)
        htmx_idle(page)
    choose_region(page, "hukou_region", *HUKOU)
    choose_region(page, "residence_region", *RESIDENCE)
    page.get_by_label("户籍地址").fill(HUKOU_ADDRESS)
    page.get_by_label("居住地址").fill(RESIDENCE_ADDRESS)
    slot = material_slot(page)
    slot.get_by_label(f"选择文件（{PROOF}）").set_input_files(_card_photo(tmp_path))
    slot.get_by_role("button", name="上传材料").click()
    expect(material_slot(page).locator(".material-list__item")).to_contain_text("残疾人证.png")
    check_page(page, viewport="phone")
    page.get_by_role("checkbox", name="我已阅读并了解以上内容").check()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申请已提交")
    check_page(page, viewport="phone")
    return page.locator(".record-number").inner_text().strip()


def view_case(page, record_number: str) -> None:
    """我的 → 我的办件 → 查看进度 (办件进度)."""
    open_my(page)
    page.get_by_role("link", name="我的办件").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("个人中心")
    check_page(page, viewport="phone")
    row = page.locator("table tbody tr").filter(has_text=record_number)
    expect(row).to_contain_text("学校审核中")
    row.get_by_role("link", name=re.compile("^查看进度")).click()
    steps = page.locator("ol.timeline > li")
    expect(steps).to_have_count(6)
    expect(steps.nth(0)).to_have_class(re.compile("timeline__item--done"))
    expect(steps.nth(1)).to_have_class(re.compile("timeline__item--current"))
    expect(page.locator("dl.info-list")).to_contain_text(record_number)
    check_page(page, viewport="phone")


@PHONE
@pytest.mark.parametrize("way", ["search", "service_tab"])
def test_app_apply_and_view_the_case(page, live_server, viewport_name, person, open_window, tmp_path, way):  # noqa: F811
    page.goto(live_server.url + "/")
    log_in_from_my(page, person.mobile)
    tab(page, "首页")
    (find_by_search if way == "search" else find_by_service_tab)(page)
    record_number = fill_upload_submit(page, tmp_path)
    assert re.fullmatch(r"\d{16}", record_number), record_number
    view_case(page, record_number)
