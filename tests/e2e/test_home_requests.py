"""The home page loads one HTML document and the hall's own static files: nothing from another
site (no CDN, no analytics, no web fonts). bench/home_page_weight.py measures the bytes."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e


def test_home_page_makes_one_html_request_and_none_to_another_site(page, live_server):
    requests = []
    page.on("request", lambda request: requests.append(request))
    page.goto(live_server.url + "/", wait_until="networkidle")
    origin = urlsplit(live_server.url).netloc
    documents = [r.url for r in requests if r.resource_type == "document"]
    foreign = [r.url for r in requests if urlsplit(r.url).netloc != origin and not r.url.startswith("data:")]
    assert documents == [live_server.url + "/"]
    assert foreign == []
    static = [r for r in requests if r.resource_type in {"stylesheet", "script", "image", "manifest"}]
    assert static, "the page's own stylesheet and scripts should have been requested"
    assert all(urlsplit(r.url).path.startswith(("/static/", "/manifest.webmanifest")) for r in static)
