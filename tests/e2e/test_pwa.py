"""The installable app: the service worker takes over, keeps no page but the offline page (and
that one without the visitor's name), and shows it when the network is gone."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from .conftest import check_page

pytestmark = pytest.mark.e2e

OFFLINE_H1 = "网络连接已断开"

CACHED_URLS = """async () => {
    const urls = [];
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) { urls.push(request.url); }
    }
    return urls;
}"""

KEPT_OFFLINE_PAGE = """async (url) => {
    const response = await caches.match(url, {ignoreVary: true});
    return response ? await response.text() : null;
}"""


def logged_in_context(new_context, live_server, person):
    """A browser that is signed in as `person` before it has seen a single page, so the worker
    installs (and keeps its offline page) while the visitor's cookies are there."""
    client = Client()
    client.force_login(person, backend="servicehall.accounts.backends.IdentifierPasswordBackend")
    context = new_context(service_workers="allow")
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])
    return context


def wait_for_worker(page) -> None:
    """Until the worker is active and answers for this page (a reload when it took over too late
    to see this page load)."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    try:
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=5000)
    except PlaywrightTimeout:  # a page loaded before the worker took over stays uncontrolled
        page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=5000)


def test_offline_page_when_the_network_is_gone(new_context, live_server, viewport_name, person):
    context = logged_in_context(new_context, live_server, person)
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.locator("body")).to_contain_text(person.masked_name)  # really signed in
    wait_for_worker(page)
    page.goto(live_server.url + "/center/")  # a page full of personal data, through the worker
    expect(page.locator("body")).to_contain_text(person.masked_name)

    # The worker keeps the hall's static files and the offline page, and no other page.
    kept = page.evaluate(CACHED_URLS)
    offline_url = live_server.url + "/offline/"
    assert offline_url in kept
    assert live_server.url + settings.STATIC_URL + "hall/css/hall.css" in kept
    pages = [url for url in kept if url != offline_url
             and not url.startswith(live_server.url + settings.STATIC_URL)]
    assert pages == [], f"the service worker stored pages: {pages}"
    # ... and the offline page it keeps is anybody's, not this visitor's.
    copy = page.evaluate(KEPT_OFFLINE_PAGE, offline_url)
    assert OFFLINE_H1 in copy
    assert person.masked_name not in copy and "您好！请登录" in copy

    context.set_offline(True)
    for path in ("/", "/personal/"):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_H1)
        expect(page).to_have_url(live_server.url + path)  # the address stays what was asked for
        expect(page.locator("main")).to_contain_text("检查")
    check_page(page, shot="offline", viewport=viewport_name)
    expect(page.locator("body")).not_to_contain_text(person.masked_name)

    # Back online, 重新加载 opens the hall again.
    context.set_offline(False)
    page.get_by_role("link", name="重新加载").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(OFFLINE_H1)
    expect(page.locator("body")).to_contain_text(person.masked_name)
