"""The manifest, the service worker's source and headers, and the offline page."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from servicehall.pwa import views

PRECACHED_STATIC = ("hall/css/hall.css", "hall/js/htmx.min.js", "hall/js/hall.js", "pwa/register.js")


def static_path(url: str) -> str:
    assert url.startswith(settings.STATIC_URL), url
    return url[len(settings.STATIC_URL):]


def worker_source(client) -> str:
    return client.get(reverse("pwa:service_worker")).content.decode()


def js_function(source: str, name: str) -> str:
    """The text of a top-level `[async] function name(...) { ... }` (up to the first line that is
    a lone closing brace)."""
    found = re.search(rf"^(?:async )?function {name}\(.*?^}}$", source, re.MULTILINE | re.DOTALL)
    assert found, f"no function {name} in the service worker"
    return found.group(0)


def js_function_span(source: str, opening: str) -> tuple[int, int]:
    """Where a top-level block that starts with `opening` begins and ends (its closing line is
    the first one that starts with `}` after it)."""
    start = source.find(opening)
    assert start >= 0, f"{opening!r} is not in the service worker"
    end = re.compile(r"^\}", re.MULTILINE).search(source, start)
    assert end, f"{opening!r} never closes"
    return start, end.end()


def test_urls():
    assert reverse("pwa:manifest") == "/manifest.webmanifest"
    assert reverse("pwa:service_worker") == "/sw.js"
    assert reverse("pwa:offline") == "/offline/"


def test_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == "application/manifest+json"
    data = json.loads(response.content.decode("utf-8"))
    assert data["name"] == "江苏人社网上办事服务大厅"
    assert data["short_name"] == "江苏人社"
    assert data["start_url"] == "/"
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["background_color"] == "#ffffff"
    assert data["theme_color"] == "#1a5dad"
    assert data["lang"] == "zh-CN"


def test_manifest_name_stays_chinese_for_english_visitors(client):
    response = client.get("/manifest.webmanifest", headers={"accept-language": "en"})
    assert json.loads(response.content)["name"] == "江苏人社网上办事服务大厅"


def test_manifest_icons_exist_and_match_their_sizes(client):
    icons = json.loads(client.get("/manifest.webmanifest").content)["icons"]
    kinds = {(icon["sizes"], icon["type"], icon.get("purpose", "any")) for icon in icons}
    assert kinds == {
        ("192x192", "image/png", "any"),
        ("512x512", "image/png", "any"),
        ("512x512", "image/png", "maskable"),
        ("any", "image/svg+xml", "any"),
    }
    for icon in icons:
        found = finders.find(static_path(icon["src"]))
        assert found, f"{icon['src']} is not a static file"
        if icon["type"] == "image/png":
            with Image.open(found) as image:
                assert image.format == "PNG"
                assert "{}x{}".format(*image.size) == icon["sizes"], icon["src"]
            with open(found, "rb") as file:
                assert len(file.read()) < 40 * 1024, f"{icon['src']} is too large"
        else:
            with open(found, encoding="utf-8") as file:
                svg = file.read()
            assert svg.lstrip().startswith("<svg") and "<text" not in svg


def test_service_worker_headers(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"


def test_service_worker_only_answers_get(client):
    assert client.post("/sw.js").status_code == 405


def test_service_worker_precaches_the_offline_page_and_the_hall_assets(client):
    source = worker_source(client)
    assert f'const OFFLINE_URL = "{reverse("pwa:offline")}";' in source
    precache = re.search(r"const PRECACHE_STATIC = \[(.*?)\];", source, re.DOTALL).group(1)
    urls = re.findall(r'"([^"]+)"', precache)
    for name in PRECACHED_STATIC:
        assert settings.STATIC_URL + name in urls
    for url in urls:
        assert finders.find(static_path(url)), f"the worker precaches {url}, which does not exist"
    assert f'const CACHE = CACHE_PREFIX + "{views.cache_version()}";' in source
    # The offline page is kept as nobody in particular: fetched without cookies.
    assert re.search(r"new Request\(OFFLINE_URL, \{[^}]*credentials: \"omit\"", source)
    # No template syntax left over, and no HTML escaping of the URLs.
    assert "{%" not in source and "{{" not in source and "&amp;" not in source


def test_service_worker_never_stores_pages(client):
    source = worker_source(client)
    # Writing to a cache: put(), add() or addAll(). Only two places may: the install step (the
    # precache list and the cookie-less offline page) and the static-file handler.
    writes = [m.start() for m in re.finditer(r"\.(put|add|addAll)\(", source)]
    install = js_function_span(source, 'self.addEventListener("install"')
    static = js_function_span(source, "async function staticFromCache")
    assert writes, "the worker writes nothing to its cache at all"
    for position in writes:
        assert install[0] <= position < install[1] or static[0] <= position < static[1], (
            f"the service worker writes to the cache outside install/staticFromCache: "
            f"{source[position - 60:position + 20]!r}"
        )
    # Navigations go to pageFromNetwork, which only reads the offline page back.
    assert re.search(r'request\.mode === "navigate"\) \{\s*event\.respondWith\(pageFromNetwork\(request\)\)',
                     source)
    pages = js_function(source, "pageFromNetwork")
    assert "fetch(request)" in pages and "caches.match(OFFLINE_URL" in pages
    assert not re.search(r"\.(put|add|addAll)\(|caches\.open", pages)
    # The static handler runs only for the static prefix, and refuses HTML all the same.
    assert re.search(
        r"request\.url\.startsWith\(STATIC_URL\)\) \{\s*event\.respondWith\(staticFromCache", source
    )
    assert 'startsWith("text/html")' in js_function(source, "staticFromCache")


def test_service_worker_ignores_posts_and_other_sites(client):
    handler = js_function_span(source := worker_source(client), 'self.addEventListener("fetch"')
    body = source[handler[0]:handler[1]]
    first_answer = body.index("respondWith")
    assert -1 < body.find('request.method !== "GET"') < first_answer
    assert -1 < body.find("url.origin !== self.location.origin") < first_answer


def test_cache_version_follows_the_static_files(settings, tmp_path):
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    asset = tmp_path / "hall-extra.css"
    asset.write_text("body { color: black; }")
    first = views.compute_cache_version()
    assert views.compute_cache_version() == first  # no dates, no randomness
    asset.write_text("body { color: navy; }")
    changed = views.compute_cache_version()
    assert changed != first
    asset.unlink()
    assert views.compute_cache_version() not in (first, changed)


def test_worker_in_development_follows_static_changes_without_a_restart(client, settings, tmp_path):
    settings.DEBUG = True
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    asset = tmp_path / "hall-extra.css"
    asset.write_text("a {}")
    before = worker_source(client)
    asset.write_text("a { color: red; }")
    assert worker_source(client) != before


@pytest.mark.django_db
def test_offline_page(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<title>\s*无法连接网络 - 江苏人社网上办事服务大厅</title>", html)
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL) == ["网络连接已断开"]
    assert "检查" in html and "网络" in html and "已经提交成功" in html
    assert re.search(r'<a class="button" href="/">\s*重新加载\s*</a>', html)
    # The site's CSP allows neither inline scripts nor inline styles.
    assert "<style" not in html and " style=" not in html
    for script in re.findall(r"<script[^>]*>", html):
        assert " src=" in script, script


def test_favicon_ico_leads_to_the_halls_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
    assert "hall/img/favicon" in response["Location"]
    assert client.head("/favicon.ico").status_code == 301
    assert client.post("/favicon.ico").status_code == 405
