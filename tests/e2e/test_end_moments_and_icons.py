"""Smaller things a full run found (issue 17), in the browser: a publicity period's end reads as
its last day at 24:00 on the notice and on the school's case page, never the next day at 00:00;
the admin's pages name the hall's icon and /favicon.ico leads to it; the dashboard's cross-check
rate says 未导入名单 while no registry list is imported. Desktop and phone, axe on every page."""

import re

from playwright.sync_api import expect

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.core.moments import end_text
from servicehall.subsidy import publicity, review
from servicehall.subsidy.check_models import CheckResult
from servicehall.subsidy.tests.factories import submit_for

from .conftest import check_page, log_in_staff


def test_a_periods_end_the_icon_and_an_empty_rate(live_server, new_context, viewport_name, sms_code, world,
                                                   operator):
    base, vp = live_server.url, viewport_name
    application = submit_for(PersonFactory(index=95))
    review.application_decide(
        decision="approve_by_school", actor=world["school"], application_id=application.pk
    )
    item = publicity.publicity_publish(actor=world["school"], application_ids=[application.pk])
    closes = end_text(item.closes_at)
    assert closes.endswith(" 24:00")

    school = new_context().new_page()
    log_in_staff(school, base, sms_code, world["school"])
    school.goto(f"{base}/notices/{item.notice_id}/")
    expect(school.locator("main")).to_contain_text(f"公示截止：{closes}")
    expect(school.locator("main")).not_to_contain_text(" 00:00")
    check_page(school, viewport=vp)
    school.goto(f"{base}/subsidy/review/{application.pk}/")
    expect(school.locator("main")).to_contain_text(f"查看公示（至{closes}）")
    check_page(school, viewport=vp)

    admin = new_context().new_page()
    log_in_staff(admin, base, sms_code, operator)
    admin.goto(base + "/admin/")
    icon = re.compile(r"/static/hall/img/favicon")
    expect(admin.locator('link[rel="icon"]')).to_have_attribute("href", icon)
    answer = admin.request.get(base + "/favicon.ico", max_redirects=0)
    assert answer.status == 301 and "/static/hall/img/favicon" in answer.headers["location"]

    assert CheckResult.objects.filter(application=application).exists()  # checked at submission
    admin.goto(base + "/stats/")
    expect(admin.locator('[data-figure="checks"]')).to_have_text("未导入名单")
    expect(admin.locator("#checks-no-lists")).to_be_visible()
    check_page(admin, viewport=vp)
