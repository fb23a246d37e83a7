"""The API's docs page (Swagger UI from the hall's own static files) renders the schema under
the hall's CSP: no CSP error in the console, no request to another site, and axe finds nothing
serious."""

import re

from playwright.sync_api import expect

from .conftest import check_page


def test_the_api_docs_render_under_the_csp(page, live_server, viewport_name):
    console, foreign = [], []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("request", lambda request: None if request.url.startswith(live_server.url)
            or request.url.startswith("data:") else foreign.append(request.url))
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator("#main")).to_contain_text("应用接口（API）文档")
    # Swagger UI has fetched the schema and drawn the operations under its title (the h1).
    expect(page.get_by_role("heading", level=1)).to_contain_text("江苏人社网上办事服务大厅 API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/auth/login/password")).to_have_count(1)
    expect(page.locator(".opblock-tag", has_text="申报")).to_be_visible()
    check_page(page, viewport=viewport_name)
    csp = [line for line in console if re.search(r"Content Security Policy|Refused to", line)]
    assert not csp, csp
    assert not [line for line in console if line.startswith("error")], console
    assert not foreign, foreign
