"""The operator sets up next year in the admin: 以所选年度为模板设立下一毕业年度 copies 2027 to 2028,
the operator opens 2028's window around today, adds a category (孤儿) and stops one (特困人员);
the applicant's form then offers exactly the new year's categories. Every change is audited with
its values. Desktop and phone, axe on every page."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from servicehall.audit.models import AuditEntry
from servicehall.cards.services import demo_card_for
from servicehall.subsidy.models import HardshipCategory

from .conftest import assert_accessible, check_page, log_in_person, log_in_staff


def test_next_year_is_set_up_and_the_form_offers_its_categories(
    live_server, new_context, viewport_name, sms_code, operator, person, year
):
    base, vp = live_server.url, viewport_name
    demo_card_for(id_number=person.id_number, name=person.name)
    today = timezone.localdate()

    admin = new_context().new_page()
    log_in_staff(admin, base, sms_code, operator)
    admin.goto(base + "/admin/subsidy/graduationyear/")
    admin.locator("input[name=_selected_action][value='2027']").check()
    admin.locator("select[name=action]").select_option("set_up_next_year")
    admin.locator("button[name=index]").click()
    expect(admin.locator(".messagelist")).to_contain_text("已设立2028毕业年度")
    assert_accessible(admin)

    # 2028's main window opens around today.
    admin.goto(base + "/admin/subsidy/graduationyear/2028/change/")
    admin.locator("#id_windows-0-opens_on").fill((today - datetime.timedelta(days=1)).isoformat())
    admin.locator("#id_windows-0-closes_on").fill((today + datetime.timedelta(days=29)).isoformat())
    assert_accessible(admin)
    admin.locator("input[name=_save]").click()
    expect(admin.locator(".messagelist")).to_be_visible()

    # A new category with its material, and one stopped.
    admin.goto(base + "/admin/subsidy/hardshipcategory/add/")
    admin.locator("#id_graduation_year").select_option("2028")
    admin.locator("#id_code").fill("orphan")
    admin.locator("#id_name").fill("孤儿")
    admin.locator("#id_order").fill("9")
    admin.locator("#id_materials-0-name").fill("孤儿证明")
    admin.locator("#id_materials-0-note").fill("由民政部门出具")
    assert_accessible(admin)
    admin.locator("input[name=_save]").click()
    expect(admin.locator(".messagelist")).to_be_visible()
    stopped = HardshipCategory.objects.get(graduation_year_id=2028, code="extreme_poverty")
    admin.goto(f"{base}/admin/subsidy/hardshipcategory/{stopped.pk}/change/")
    admin.locator("#id_is_active").uncheck()
    admin.locator("input[name=_save]").click()
    expect(admin.locator(".messagelist")).to_be_visible()

    # 数据保存期限: one row, set by the operator.
    admin.goto(base + "/admin/subsidy/retentionpolicy/add/")
    admin.locator("#id_draft_days").fill("400")
    assert_accessible(admin)
    admin.locator("input[name=_save]").click()
    expect(admin.locator(".messagelist")).to_be_visible()
    assert_accessible(admin)

    assert AuditEntry.objects.filter(action="config.add", target_type="subsidy.graduationyear").exists()
    assert AuditEntry.objects.filter(action="config.add", target_type="subsidy.retentionpolicy").exists()
    change = AuditEntry.objects.get(action="config.change", target_type="subsidy.hardshipcategory")
    assert change.detail["changes"]["is_active"] == {"before": True, "after": False}
    assert AuditEntry.objects.filter(action="config.add", target_type="subsidy.requiredmaterial").exists()

    # The applicant's form offers 2028's categories.
    page = new_context().new_page()
    log_in_person(page, base, person.mobile)
    page.goto(base + "/subsidy/apply/")
    options = page.locator("#id_category option")
    expect(options.filter(has_text="孤儿")).to_have_count(1)
    expect(options.filter(has_text="特困人员")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(re.compile("2028"))
    check_page(page, viewport=vp)
