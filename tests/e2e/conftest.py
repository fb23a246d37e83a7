"""Browser-test harness: Playwright for Python driving Debian's Chromium against pytest-django's
live server, on a desktop and a phone viewport, with an axe-core scan of every page visited."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

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

    def make(viewport: str | None = None):
        args = dict(browser_context_args)
        if viewport:
            args.update(VIEWPORTS[viewport])
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
    """Save a screenshot of a main screen under docs/screens/ for readers of the repository."""
    SCREENS_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
    page.screenshot(path=str(SCREENS_DIR / f"{safe}-{viewport}.png"), full_page=True)


@pytest.fixture
def visit(page, live_server, viewport_name):
    """Go to a path, check the page has a title and an h1, and scan it with axe."""

    def go(path: str, *, shot: str | None = None, on=None):
        target = on or page
        target.goto(live_server.url + path)
        check_page(target, shot=shot, viewport=viewport_name)
        return target

    return go


def check_page(page, *, shot: str | None = None, viewport: str = "desktop") -> None:
    assert page.title().endswith("江苏人社网上办事服务大厅"), page.title()
    assert page.locator("h1").count() == 1, f"{page.url} must have exactly one h1"
    assert_accessible(page)
    if shot:
        screenshot(page, shot, viewport)
