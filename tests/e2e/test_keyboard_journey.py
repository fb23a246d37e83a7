"""The applicant's and the school reviewer's whole journey by keyboard alone (WCAG 2.1.1, 2.4.3,
2.4.7): no click, no fill, no select_option. Focus moves with Tab and Shift+Tab, text is typed
key by key, a choice is made with the arrow keys, a box ticked with Space, a button pressed with
Enter, a file chosen from the chooser that Space opens. Every stop on the way must show where the
focus is, and every page passes axe. Desktop and phone.

The applicant logs in, goes from the skip link to 我要申报, fills the form (a region picker that
re-renders under the focus included), uploads the proof and submits; the school reviewer logs in
with the SMS code, opens the case from 学校审核, approves it and publishes the 公示 from 待公示."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from .conftest import PASSWORD, check_page
from .test_subsidy_journey import (  # noqa: F401 - open_window is a fixture
    CHOSEN,
    HUKOU,
    HUKOU_ADDRESS,
    PROOF,
    RESIDENCE,
    RESIDENCE_ADDRESS,
    TYPED,
    open_window,
)

pytestmark = pytest.mark.usefixtures("open_window")

# Where the focus is drawn: an outline or a ring (box-shadow) on the focused element itself.
FOCUS_SHOWN = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== "none";
}"""
DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    if (!el) return "nothing";
    const name = el.getAttribute("aria-label") || el.innerText || el.name || el.id || "";
    return `${el.tagName.toLowerCase()} "${name.trim().slice(0, 40)}"`;
}"""


# --- Moving by keyboard -------------------------------------------------------------------


def has_focus(page, target) -> bool:
    return target.evaluate("el => el === document.activeElement")


def tab_to(page, target, *, limit: int = 200, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, checking at every stop that the
    focus can be seen."""
    expect(target).to_be_visible()
    for _ in range(limit):
        if has_focus(page, target):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        assert page.evaluate(FOCUS_SHOWN), f"{page.url}: focus not shown on {page.evaluate(DESCRIBE_FOCUS)}"
    pytest.fail(f"{page.url}: {limit} presses of Tab never reached {target}")


def type_into(page, target, text: str) -> None:
    tab_to(page, target)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page, select, label: str) -> None:
    """A closed select takes the arrow keys: Down until the option is chosen."""
    tab_to(page, select)
    # The list may still be coming (a region picker re-rendered for the level above).
    expect(select.locator("option").filter(has_text=re.compile(f"^{label}$"))).to_have_count(1)
    settled(page)  # htmx listens on a swapped-in select only once it has settled
    options = select.locator("option").all_inner_texts()
    for _ in range(len(options)):
        if select.locator("option:checked").inner_text() == label:
            break
        page.keyboard.press("ArrowDown")
    expect(select.locator("option:checked")).to_have_text(label)
    settled(page)


def _file_chooser_by_space(page, field):
    """Space on the focused file field opens the chooser. Headless Chromium now and then lets a
    first Space pass without one (one run in ten on a busy machine, the field focused and no
    request in flight): then the field must still have the focus and a second Space must open it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in (1, 2):
        assert has_focus(page, field), page.evaluate(DESCRIBE_FOCUS)
        try:
            with page.expect_file_chooser(timeout=5000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def settled(page) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def press(page, target, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def skip_to_main(page) -> None:
    """The first Tab on a page reaches 跳到主要内容; Enter moves the focus into the main area.
    A page reached with #main in its address (a form posted from a page scrolled there, then
    redirected: the browser keeps the fragment) already starts there."""
    if page.url.endswith("#main"):
        return
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    assert has_focus(page, skip), page.evaluate(DESCRIBE_FOCUS)
    assert page.evaluate(FOCUS_SHOWN), "the skip link does not show its focus"
    page.keyboard.press("Enter")


def _photo(tmp_path):
    path = tmp_path / "残疾人证.png"
    Image.new("RGB", (480, 320), "#f3e9d2").save(path, format="PNG")
    return path


# --- The journeys -------------------------------------------------------------------------


def log_in_by_keyboard(page, base_url: str, person) -> None:
    page.goto(base_url + "/accounts/login/")
    check_page(page)
    skip_to_main(page)
    type_into(page, page.get_by_label("证件号码/移动电话"), person.mobile)
    page.keyboard.press("Tab")
    assert has_focus(page, page.locator("#id_password")), page.evaluate(DESCRIBE_FOCUS)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/center/$"))


def choose_region_by_keyboard(page, name: str, path) -> None:
    for suffix, label in zip(("province", "city", "county"), path, strict=True):
        choose(page, page.locator(f"#id_{name}_{suffix}"), label)


def test_applicant_and_school_reviewer_by_keyboard_alone(
    browser, browser_context_args, live_server, viewport_name, person, world, sms_code, tmp_path
):
    base = live_server.url
    applicant = browser.new_context(**browser_context_args).new_page()

    # The applicant: log in, 个人中心 → the form.
    log_in_by_keyboard(applicant, base, person)
    check_page(applicant, viewport=viewport_name)
    applicant.goto(base + "/subsidy/apply/")
    check_page(applicant, viewport=viewport_name)
    skip_to_main(applicant)
    # In the order of the form, as a person going down it with Tab.
    for selector, label in CHOSEN.items():
        choose(applicant, applicant.locator(selector), label)
    for label, value in TYPED.items():
        type_into(applicant, applicant.get_by_label(label), value)
    choose_region_by_keyboard(applicant, "hukou_region", HUKOU)
    type_into(applicant, applicant.get_by_label("户籍地址"), HUKOU_ADDRESS)
    choose_region_by_keyboard(applicant, "residence_region", RESIDENCE)
    type_into(applicant, applicant.get_by_label("居住地址"), RESIDENCE_ADDRESS)

    # The proof: Space on the file field opens the chooser; Enter on 上传材料.
    slot = applicant.locator("fieldset.material-slot").filter(
        has=applicant.locator("legend", has_text=PROOF)
    )
    # Settled first: a swap landing after the Tab (the materials for the category, a region
    # picker with its autofocus) would take the focus away from the file field.
    settled(applicant)
    tab_to(applicant, slot.get_by_label(f"选择文件（{PROOF}）"))
    settled(applicant)
    chooser = _file_chooser_by_space(applicant, slot.get_by_label(f"选择文件（{PROOF}）"))
    chooser.set_files(_photo(tmp_path))
    press(applicant, slot.get_by_role("button", name="上传材料"))
    expect(slot.locator(".material-list__item")).to_contain_text("残疾人证.png")
    settled(applicant)
    check_page(applicant, viewport=viewport_name)

    # The pledge with Space, 确认提交 with Enter.
    press(applicant, applicant.get_by_role("checkbox", name="我已阅读并了解以上内容"), "Space")
    expect(applicant.get_by_role("checkbox", name="我已阅读并了解以上内容")).to_be_checked()
    press(applicant, applicant.get_by_role("button", name="确认提交"))
    expect(applicant).to_have_url(re.compile(r"/subsidy/cases/\d+/submitted/$"))
    check_page(applicant, viewport=viewport_name)
    number = applicant.locator(".record-number").inner_text().strip()

    # The school reviewer: 单位登录 with the SMS code.
    school = browser.new_context(**browser_context_args).new_page()
    reviewer = world["school"]
    school.goto(base + "/accounts/login/org/")
    check_page(school, viewport=viewport_name)
    skip_to_main(school)
    type_into(school, school.get_by_label("单位账号"), reviewer.username)
    page_password = school.locator("#id_password")
    type_into(school, page_password, PASSWORD)
    school.keyboard.press("Enter")
    expect(school).to_have_url(re.compile(r"/accounts/login/org/verify/$"))
    check_page(school, viewport=viewport_name)
    skip_to_main(school)
    type_into(school, school.get_by_label("短信验证码"), sms_code(reviewer.mobile))
    school.keyboard.press("Enter")
    expect(school).to_have_url(re.compile(r"/accounts/org/$"))
    check_page(school, viewport=viewport_name)

    # 学校审核 → the case → 通过.
    skip_to_main(school)
    press(school, school.locator("main").get_by_role("link", name="学校审核"))
    expect(school.get_by_role("heading", level=1)).to_have_text("求职创业补贴学校审核")
    check_page(school, viewport=viewport_name)
    skip_to_main(school)
    press(school, school.locator("table tbody tr").filter(has_text=number).get_by_role("link", name=number))
    expect(school.get_by_role("heading", level=1)).to_contain_text(number)
    check_page(school, viewport=viewport_name)
    skip_to_main(school)
    press(school, school.locator(".review-decision").get_by_role("button", name="通过", exact=True))
    expect(school.locator(".notices")).to_contain_text(f"申请{number}已审核通过")
    check_page(school, viewport=viewport_name)

    # 待公示: tick the case with Space, 发布公示 with Enter.
    skip_to_main(school)
    press(school, school.get_by_role("link", name=re.compile(r"^待公示")))
    expect(school).to_have_url(re.compile(r"tab=to_publish"))
    check_page(school, viewport=viewport_name)
    skip_to_main(school)
    press(school, school.get_by_label(f"选择申请{number}"), "Space")
    expect(school.get_by_label(f"选择申请{number}")).to_be_checked()
    press(school, school.get_by_role("button", name="发布公示"))
    expect(school.locator(".notices")).to_contain_text("已发布公示，共1人")
    check_page(school, viewport=viewport_name)

    # The applicant sees the step move on, reached by keyboard from the receipt page.
    applicant.goto(base + "/center/in-progress/")
    check_page(applicant, viewport=viewport_name)
    skip_to_main(applicant)
    row = applicant.locator("table tbody tr").filter(has_text=number)
    press(applicant, row.get_by_role("link", name=re.compile("^查看进度")))
    expect(applicant.locator("dl.info-list")).to_contain_text("学校公示中")
    check_page(applicant, viewport=viewport_name)
