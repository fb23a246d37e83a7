"""求职创业补贴个人申报 from the applicant's side: search → 申报 → a form sent back with errors →
a material uploaded → 保存草稿 → 确认提交 → the receipt PDF → 个人中心 → the case page → 撤回; and
the two pages that stand in front of the form (no card, no open window)."""

import datetime
import os
import re
import shutil
import subprocess

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect
from pypdf import PdfReader

from servicehall.cards.services import demo_card_for
from servicehall.core.versions import data_changed
from servicehall.subsidy.models import ApplicationWindow
from servicehall.subsidy.selectors import SETUP_VERSION
from servicehall.subsidy.years import graduation_year_setup

from .conftest import SCREENS_DIR, check_page, htmx_idle, log_in_person

YEAR = 2027
SUBSIDY = "求职创业补贴个人申报"
PROOF = "中华人民共和国残疾人证"
# What the applicant types and chooses: label → value.
TYPED = {
    "学号": "221250001",
    "所在院系": "计算机学院",
    "专业": "软件工程",
}
CHOSEN = {
    "#id_ethnic_group": "汉族",
    "#id_education_level": "大学本科",
    "#id_school": "南京大学",
    "#id_category": "残疾",
}
HUKOU = ("江苏省", "南京市", "秦淮区")
RESIDENCE = ("江苏省", "南京市", "鼓楼区")
HUKOU_ADDRESS = "江苏省南京市秦淮区瑞金路1号"
RESIDENCE_ADDRESS = "江苏省南京市鼓楼区汉口路22号"


# --- Set-up --------------------------------------------------------------------------------

@pytest.fixture
def open_window(open_window, card):
    """Graduation year 2027 with its main window open today, and the person's card."""
    return open_window.graduation_year


def _card_photo(tmp_path):
    path = tmp_path / "残疾人证.png"
    image = Image.new("RGB", (480, 320), "#f3e9d2")
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 464, 304), outline="#8b1a1a", width=6)
    draw.rectangle((40, 60, 160, 220), fill="#b8c4d0")
    draw.text((190, 80), "No. 32010220040315003X42", fill="#111111")
    image.save(path, format="PNG")
    return path


# --- Steps ---------------------------------------------------------------------------------

def choose_region(page, name: str, province: str, city: str, county: str) -> None:
    """省, then 市, then 区县: with JavaScript each choice re-renders the picker (htmx) with the
    next select filled, so wait for the option before choosing it."""
    for suffix, label in (("province", province), ("city", city), ("county", county)):
        select = page.locator(f"#id_{name}_{suffix}")
        expect(select.locator("option", has_text=label)).to_have_count(1)
        htmx_idle(page)
        select.select_option(label=label)
        htmx_idle(page)
    for suffix, label in (("province", province), ("city", city), ("county", county)):
        expect(page.locator(f"#id_{name}_{suffix} option:checked")).to_have_text(label)


def expect_chosen(page, selector: str, label: str) -> None:
    expect(page.locator(f"{selector} option:checked")).to_have_text(label)


def expect_part_kept(page) -> None:
    """Everything step 2 typed and chose is still on the form."""
    for label, value in TYPED.items():
        expect(page.get_by_label(label)).to_have_value(value)
    for selector, label in CHOSEN.items():
        expect_chosen(page, selector, label)
    for name, path in (("hukou_region", HUKOU), ("residence_region", RESIDENCE)):
        for suffix, label in zip(("province", "city", "county"), path, strict=True):
            expect_chosen(page, f"#id_{name}_{suffix}", label)
    expect(page.get_by_label("移动电话")).to_have_value("13800000001")  # from the account


def material_slot(page):
    return page.locator("fieldset.material-slot").filter(has=page.locator("legend", has_text=PROOF))


def go_to_center_tab(page, viewport_name: str, tab: str) -> None:
    """个人中心 from the header on a desktop; on a phone, where the header's account links give
    way to the bottom tab bar, 我的 → 我的办件. Then the tab."""
    if viewport_name == "phone":
        page.get_by_role("navigation", name="底部导航").get_by_role("link", name="我的").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("我的")
        page.get_by_role("link", name="我的办件").click()
    else:
        page.get_by_role("navigation", name="账号").get_by_role("link", name="个人中心").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("个人中心")
    page.locator("ul.tabs").get_by_role("link", name=tab, exact=True).click()
    expect(page.locator("ul.tabs").get_by_role("link", name=tab, exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    check_page(page, viewport=viewport_name)


def case_row(page, record_number: str):
    return page.locator("table tbody tr").filter(has_text=record_number)


# --- Journeys ------------------------------------------------------------------------------

def test_apply_submit_and_withdraw(page, live_server, viewport_name, person, open_window, tmp_path):
    # 1. Logged in, the header search finds the subsidy; 申报 opens the form.
    log_in_person(page, live_server.url, person.mobile)
    box = page.locator("#site-search-q")
    expect(box).to_be_visible()
    box.fill("求职创业补贴")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    check_page(page, viewport=viewport_name)
    row = page.locator("li.svc").filter(has=page.locator(".svc__name", has_text=SUBSIDY))
    row.get_by_role("link", name=re.compile("^申报")).click()

    expect(page).to_have_url(re.compile(r"/subsidy/apply/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBSIDY)
    expect(page.locator(".apply-who")).to_contain_text("张晓明")
    expect(page.locator(".apply-who")).to_contain_text("3201**********" + person.id_number[-4:])
    expect(page.locator("dl.apply-fixed")).to_contain_text(str(YEAR))
    expect(page.locator("#materials")).to_contain_text("请先选择毕业生类型")
    check_page(page, shot="apply-form", viewport=viewport_name)

    # 2. Part of the form, 户籍地址 and 居住地址 left empty, the pledge not ticked: 确认提交.
    for label, value in TYPED.items():
        page.get_by_label(label).fill(value)
    for selector, label in CHOSEN.items():
        page.locator(selector).select_option(label=label)
        htmx_idle(page)
    # Choosing 残疾 brings its upload slot in place (htmx).
    expect(material_slot(page)).to_be_visible()
    choose_region(page, "hukou_region", *HUKOU)
    choose_region(page, "residence_region", *RESIDENCE)
    page.get_by_role("button", name="确认提交").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("户籍地址：请填写户籍地址")
    expect(summary).to_contain_text("居住地址：请填写居住地址")
    expect(summary).to_contain_text("请阅读上面的承诺，并勾选此项")
    # The missing proof is only judged once the form itself is complete.
    expect(summary).not_to_contain_text("请上传")
    expect(page.locator("#field-hukou_address .field__error")).to_have_text(re.compile("请填写户籍地址"))
    expect(page.locator("#field-residence_address .field__error")).to_have_text(re.compile("请填写居住地址"))
    expect(page.locator("#field-pledge .field__error")).to_contain_text("请阅读上面的承诺")
    expect(page.get_by_label("户籍地址")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-student_number .field__error")).to_have_count(0)
    # The summary's links lead to the fields.
    summary.get_by_role("link", name=re.compile("户籍地址")).click()
    expect(page.get_by_label("户籍地址")).to_be_focused()
    expect_part_kept(page)
    expect(page.get_by_role("checkbox", name="我已阅读并了解以上内容")).not_to_be_checked()
    check_page(page, shot="apply-error", viewport=viewport_name)

    # The addresses filled and the pledge ticked, only the missing proof is left.
    page.get_by_label("户籍地址").fill(HUKOU_ADDRESS)
    page.get_by_label("居住地址").fill(RESIDENCE_ADDRESS)
    page.get_by_role("checkbox", name="我已阅读并了解以上内容").check()
    page.get_by_role("button", name="确认提交").click()
    expect(summary).to_contain_text(f"请上传{PROOF}")
    expect(summary.locator("li")).to_have_count(1)
    expect(page.locator("#field-pledge .field__error")).to_have_count(0)
    expect_part_kept(page)
    expect(page.get_by_label("户籍地址")).to_have_value(HUKOU_ADDRESS)
    check_page(page, viewport=viewport_name)

    # 3. Upload the 残疾人证 photo, 保存草稿, come back: everything is still there.
    slot = material_slot(page)
    slot.get_by_label(f"选择文件（{PROOF}）").set_input_files(_card_photo(tmp_path))
    slot.get_by_role("button", name="上传材料").click()
    item = material_slot(page).locator(".material-list__item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("残疾人证.png")
    thumb = item.locator("img.material-list__thumb")
    expect(thumb).to_be_visible()
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("img => img.naturalWidth") == 480, "the thumbnail did not load"
    expect(page.locator(".error-summary")).to_have_count(0)
    expect_part_kept(page)
    check_page(page, viewport=viewport_name)

    page.get_by_role("button", name="保存草稿").click()
    expect(page).to_have_url(re.compile(r"/subsidy/apply/$"))
    expect(page.locator(".notices")).to_contain_text("草稿已保存")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBSIDY)
    expect_part_kept(page)
    expect(page.get_by_label("户籍地址")).to_have_value(HUKOU_ADDRESS)
    expect(page.get_by_label("居住地址")).to_have_value(RESIDENCE_ADDRESS)
    expect(material_slot(page).locator(".material-list__item")).to_contain_text("残疾人证.png")
    check_page(page, viewport=viewport_name)

    # 4. The pledge is given on each submission, not kept with the draft: tick it, 确认提交.
    pledge = page.get_by_role("checkbox", name="我已阅读并了解以上内容")
    expect(pledge).not_to_be_checked()
    pledge.check()
    page.get_by_role("button", name="确认提交").click()
    expect(page).to_have_url(re.compile(r"/subsidy/cases/\d+/submitted/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("申请已提交")
    record_number = page.locator(".record-number").inner_text().strip()
    assert re.fullmatch(r"\d{16}", record_number), record_number
    assert record_number.startswith(f"{timezone.localdate():%Y%m%d}"), record_number
    check_page(page, shot="apply-submitted", viewport=viewport_name)

    # 5. The receipt.
    with page.expect_download() as info:
        page.click("text=下载回执（PDF）")
    download = info.value
    # The view names it receipt-<record number>.pdf, but sends no Content-Disposition (a
    # FileResponse over an iterator never sets it), so the browser names it after the URL.
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    receipt = tmp_path / "receipt.pdf"
    download.save_as(receipt)
    assert receipt.read_bytes().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(receipt).pages)
    assert record_number in text, text
    if viewport_name == "desktop" and shutil.which("pdftoppm") and os.environ.get("HALL_SCREENSHOTS"):
        SCREENS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-singlefile", str(receipt), str(SCREENS_DIR / "receipt")],
            check=True, capture_output=True, timeout=60,
        )

    # 5b. 我的消息 holds the submission too, titled by its step (the SMS says the same).
    page.goto(live_server.url + "/messaging/inbox/")
    expect(page.locator("main")).to_contain_text("申请已提交")
    check_page(page, viewport=viewport_name)

    # 6. 个人中心 → 办理中 → 查看进度: the case page with its timeline.
    go_to_center_tab(page, viewport_name, "办理中")
    row = case_row(page, record_number)
    expect(row).to_contain_text(SUBSIDY)
    expect(row).to_contain_text("学校审核中")
    row.get_by_role("link", name=re.compile("^查看进度")).click()
    expect(page).to_have_url(re.compile(r"/subsidy/cases/\d+/$"))
    case_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBSIDY)
    details = page.locator("dl.info-list")
    expect(details).to_contain_text(record_number)
    expect(details).to_contain_text("学校审核中")
    expect(details).to_contain_text("南京大学")
    expect(details).to_contain_text("残疾")
    steps = page.locator("ol.timeline > li")
    expect(steps).to_have_count(6)
    expect(steps.nth(0)).to_have_class(re.compile(r"timeline__item--done"))
    expect(steps.nth(1)).to_contain_text("学校审核")
    expect(steps.nth(1)).to_have_class(re.compile(r"timeline__item--current"))
    expect(steps.nth(2)).to_contain_text("未开始")
    check_page(page, shot="case", viewport=viewport_name)

    # 7. The form again: one claim per person, so it shows the claim already made.
    page.goto(live_server.url + "/subsidy/apply/")
    expect(page).to_have_url(case_url)
    expect(page.locator(".notices")).to_contain_text("每人只能申领一次")
    expect(page.locator("dl.info-list")).to_contain_text(record_number)
    check_page(page, viewport=viewport_name)

    # 8. 撤回: confirmed with the checkbox; then 已办结 lists it as 已撤回.
    page.get_by_role("checkbox", name="我确认撤回这笔申请").check()
    page.get_by_role("button", name="撤回", exact=True).click()
    expect(page).to_have_url(case_url)
    expect(page.locator(".notices")).to_contain_text("申请已撤回")
    expect(page.locator("dl.info-list")).to_contain_text("已撤回")
    expect(page.locator("ol.timeline > li").nth(1)).to_contain_text("已撤回")
    expect(page.get_by_role("button", name="撤回", exact=True)).to_have_count(0)
    check_page(page, viewport=viewport_name)

    go_to_center_tab(page, viewport_name, "已办结")
    row = case_row(page, record_number)
    expect(row).to_contain_text("已撤回")
    expect(row.get_by_role("link", name=re.compile("^查看进度"))).to_be_visible()


def test_apply_needs_a_card_and_an_open_window(page, visit, live_server, viewport_name, person):
    """Before the form: first the 社会保障卡 the money goes to, then a window open today."""
    log_in_person(page, live_server.url, person.mobile)
    visit("/subsidy/apply/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申报前请先准备社会保障卡")
    expect(page.get_by_role("link", name="查看办事指南")).to_be_visible()

    demo_card_for(id_number=person.id_number, name=person.name)
    graduation_year_setup(year=YEAR)
    # Whatever the date, none of its windows is open today.
    today = timezone.localdate()
    ApplicationWindow.objects.filter(opens_on__lte=today, closes_on__gte=today).update(
        opens_on=today + datetime.timedelta(days=30), closes_on=today + datetime.timedelta(days=60)
    )
    data_changed(SETUP_VERSION)  # written past the models' signals
    visit("/subsidy/apply/")
    expect(page.get_by_role("heading", level=1)).to_have_text("现在不在申报期内")
    expect(page.locator("main .notice")).to_contain_text("下一个申报期")
    expect(page.locator("main .notice")).to_contain_text(f"{YEAR}届毕业生")
