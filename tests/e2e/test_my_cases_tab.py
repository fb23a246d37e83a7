"""我的 → 我的办件 opens the tab of 个人中心's cases that has something: 已办结 when the person's
only case was withdrawn (办理中 being empty), 办理中 again once a new case is under way."""

import re

from playwright.sync_api import expect

from servicehall.subsidy import services
from servicehall.subsidy.tests.factories import submit_for

from .conftest import check_page, log_in_person
from .test_subsidy_journey import open_window  # noqa: F401 - year 2027 open today, the person's card


def _my_cases(page, live_server, viewport_name) -> None:
    """我的 (the bottom bar's tab on a phone; its address on a computer) → 我的办件."""
    if viewport_name == "phone":
        page.get_by_role("navigation", name="底部导航").get_by_role("link", name="我的").click()
    else:
        page.goto(live_server.url + "/my/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的")
    check_page(page, viewport=viewport_name)
    page.locator("main").get_by_role("link", name="我的办件").click()


def test_my_cases_opens_the_tab_that_has_the_case(page, live_server, viewport_name, person, open_window):  # noqa: F811
    withdrawn = services.application_withdraw(applicant=person, application=submit_for(person))
    log_in_person(page, live_server.url, person.mobile)

    # Only a withdrawn case: 办理中 would be empty, so 已办结 opens, with the case in it.
    _my_cases(page, live_server, viewport_name)
    expect(page).to_have_url(re.compile(r"/center/concluded/$"))
    expect(page.get_by_role("link", name="已办结")).to_have_attribute("aria-current", "page")
    expect(page.locator("table")).to_contain_text(withdrawn.record_number)
    expect(page.locator("table")).to_contain_text("已撤回")
    check_page(page, viewport=viewport_name)

    # A new case under way: 办理中 opens again.
    applied = submit_for(person)
    _my_cases(page, live_server, viewport_name)
    expect(page).to_have_url(re.compile(r"/center/in-progress/$"))
    expect(page.get_by_role("link", name="办理中")).to_have_attribute("aria-current", "page")
    expect(page.locator("table")).to_contain_text(applied.record_number)
    check_page(page, viewport=viewport_name)


def test_a_visitor_logs_in_from_my_cases_and_gets_the_tab(page, live_server, viewport_name, person,
                                                          open_window):  # noqa: F811
    from .conftest import PASSWORD

    services.application_withdraw(applicant=person, application=submit_for(person))
    page.goto(live_server.url + "/")
    _my_cases(page, live_server, viewport_name)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/center/cases/$"))
    check_page(page, viewport=viewport_name)
    page.get_by_label("证件号码/移动电话").fill(person.mobile)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/center/concluded/$"))
    check_page(page, viewport=viewport_name)
