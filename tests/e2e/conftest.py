"""Browser-test harness: Playwright for Python driving Debian's Chromium against pytest-django's
live server, on a desktop and a phone viewport, with an axe-core scan of every page visited."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.migrated_data import ensure_catalog_data, ensure_reference_data
from tests.people import PASSWORD, resident_id  # noqa: F401 - the journeys import them from here

# Playwright's sync API runs an event loop; Django must still allow ORM calls from the tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screens"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, browser tests use a database file, not the in-memory default. Django's live
    server hands an in-memory database's one connection to every request thread, so two pages
    loading at once (a person's page and a staff login, say) interleave their transactions on
    it ("cannot start a transaction within a transaction"). With a file each thread opens its
    own connection, as the hall does when it is served."""
    from django.conf import settings

    for db_settings in settings.DATABASES.values():
        if db_settings["ENGINE"] == "django.db.backends.sqlite3":
            test_file = tmp_path_factory.mktemp("e2e-db") / "hall.sqlite3"
            db_settings.setdefault("TEST", {})["NAME"] = str(test_file)


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport_name(request):
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, viewport_name):
    return {**browser_context_args, **VIEWPORTS[viewport_name], "locale": "zh-CN"}


@pytest.fixture
def new_context(browser, browser_context_args):
    """Open further contexts (a second device: the phone that scans a QR code)."""
    opened = []

    def make(viewport: str | None = None, **extra):
        args = dict(browser_context_args)
        if viewport:
            # Drop the parametrised device first: a desktop opened from a phone test must not
            # keep is_mobile / has_touch / the scale factor.
            for key in ("viewport", "device_scale_factor", "is_mobile", "has_touch"):
                args.pop(key, None)
            args.update(VIEWPORTS[viewport])
        args.update(extra)
        context = browser.new_context(**args)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation on the page as it is now."""
    results = _axe.run(page)
    violations = [
        v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS
    ]
    if violations:
        lines = [f"{page.url}: {len(violations)} serious/critical accessibility violation(s)"]
        for v in violations:
            targets = ", ".join(str(node["target"]) for node in v["nodes"][:5])
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({targets})")
        pytest.fail("\n".join(lines))


def screenshot(page, name: str, viewport: str) -> None:
    """Save a screenshot of a main screen under docs/screens/ for readers of the repository.
    Only when asked (`make screens`): pages carry dates and record numbers, so every run would
    otherwise leave the working tree changed."""
    if not os.environ.get("HALL_SCREENSHOTS"):
        return
    SCREENS_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
    # A full-page capture draws the phone's fixed tab bar in the middle of the image: put it at
    # the end of the page for the picture (through the CSSOM, which the CSP allows).
    page.evaluate("document.querySelector('nav.tabbar')?.style.setProperty('position', 'static')")
    page.screenshot(path=str(SCREENS_DIR / f"{safe}-{viewport}.png"), full_page=True)
    page.evaluate("document.querySelector('nav.tabbar')?.style.removeProperty('position')")


@pytest.fixture
def visit(page, live_server, viewport_name):
    """Go to a path, check the page has a title and an h1, and scan it with axe."""

    def go(path: str, *, shot: str | None = None, on=None):
        target = on or page
        target.goto(live_server.url + path)
        check_page(target, shot=shot, viewport=viewport_name)
        return target

    return go


def assert_no_horizontal_scroll(page) -> None:
    """On a phone the page must reflow (WCAG 1.4.10): nothing wider than the screen, so no
    sideways scrolling. Names the widest elements that stick out when it fails."""
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return null;
            const wide = [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .map(el => {
                    const r = el.getBoundingClientRect();
                    const id = el.id ? "#" + el.id : "";
                    const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
                    return `${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(r.right)}px)`;
                });
            return {width, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(-5)};
        }"""
    )
    if overflow:
        pytest.fail(
            f"{page.url}: the page is {overflow['scrollWidth']}px wide on a "
            f"{overflow['width']}px screen (sideways scrolling); sticking out: "
            + "; ".join(overflow["wide"])
        )


def check_page(page, *, shot: str | None = None, viewport: str = "desktop") -> None:
    assert page.title().endswith("江苏人社网上办事服务大厅"), page.title()
    assert page.locator("h1").count() == 1, f"{page.url} must have exactly one h1"
    assert_accessible(page)
    if viewport == "phone":
        assert_no_horizontal_scroll(page)
    if shot:
        screenshot(page, shot, viewport)


# --- Data and steps the journeys share ----------------------------------------------------

@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Regions, schools, the catalog and the other migrated rows, back after a flush."""
    ensure_reference_data()
    ensure_catalog_data()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded appeal photos go to a temporary directory, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def request_code(page, sms_code, mobile: str) -> str:
    """Press 获取验证码 (htmx when JavaScript is on), wait for the status line, and return the
    code the outbox holds for the number, as the person would read it on the phone."""
    from playwright.sync_api import expect

    with page.expect_response(lambda r: r.url.endswith("/accounts/sms/code/")) as sent:
        page.get_by_role("button", name="获取验证码").click()
    assert sent.value.status == 200, sent.value.status
    expect(page.locator("#sms-status")).to_contain_text("验证码已发送至")
    return sms_code(mobile)


def log_in_person(page, base_url: str, identifier: str, password: str = PASSWORD) -> None:
    """个人登录 with 账号密码; ends in 个人中心."""
    from playwright.sync_api import expect

    page.goto(base_url + "/accounts/login/")
    page.get_by_label("证件号码/移动电话").fill(identifier)
    page.locator("#id_password").fill(password)
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/center/$"))


def log_in_staff(page, base_url: str, sms_code, user, password: str = PASSWORD) -> None:
    """单位登录: account and password, then the SMS code sent to the staff member's mobile;
    ends in 工作台."""
    from playwright.sync_api import expect

    page.goto(base_url + "/accounts/login/org/")
    page.get_by_label("单位账号").fill(user.username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="下一步：短信验证").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/org/verify/$"))
    page.get_by_label("短信验证码").fill(sms_code(user.mobile))
    page.get_by_role("button", name="验证并登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/org/$"))


def htmx_idle(page) -> None:
    """Wait until htmx has no request in flight and has finished swapping and settling. htmx
    attaches its triggers to swapped-in elements only when they settle (20 ms later), so a
    test that acts at once on a new element can be faster than any person."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def check_page_without_javascript(page, scanner, *, shot: str | None = None,
                                  viewport: str = "desktop") -> None:
    """check_page for a page in a context opened with java_script_enabled=False. axe cannot run
    there (its promises wait on timers, which do not fire while scripts are off), so the page's
    DOM as it is now is served again, at the same address, to `scanner` (a page whose context
    runs scripts) with the hall's own scripts blocked, and scanned there."""
    html, url = page.content(), page.url

    def serve(route):
        if route.request.url == url:
            route.fulfill(body=html, content_type="text/html; charset=utf-8")
        elif route.request.resource_type == "script":
            route.abort()
        else:
            route.continue_()

    scanner.route("**/*", serve)
    try:
        scanner.goto(url)
        check_page(scanner, viewport=viewport)
    finally:
        scanner.unroute("**/*", serve)
    if shot:
        screenshot(page, shot, viewport)


def log_out(page, viewport: str) -> None:
    """退出: in the header on a computer; on a phone the header's account links give way to
    the tab bar, so through 我的."""
    if viewport == "phone":
        page.locator("nav.tabbar").get_by_role("link", name="我的").click()
        page.locator("main").get_by_role("button", name="退出").click()
    else:
        page.locator(".site-header").get_by_role("button", name="退出").click()
