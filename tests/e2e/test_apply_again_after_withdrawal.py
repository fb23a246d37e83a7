"""Applying again after 撤回: the form starts empty and offers 使用上次撤回的申请信息填写; pressed,
the answers of the withdrawn application fill the form (saved as a draft), the proof is chosen
again from 我的材料 (never attached by itself), and the new application is submitted."""

import re

from playwright.sync_api import expect

from servicehall.subsidy import services
from servicehall.subsidy.tests.factories import submit_for

from .conftest import check_page, log_in_person
from .test_subsidy_journey import (
    HUKOU,
    HUKOU_ADDRESS,
    RESIDENCE,
    RESIDENCE_ADDRESS,
    SUBSIDY,
    TYPED,
    material_slot,
    open_window,  # noqa: F401 - the fixture: year 2027 open today and the person's card
)

OFFER = "使用上次撤回的申请信息填写"


def test_apply_again_with_the_withdrawn_answers(page, visit, live_server, viewport_name, person,
                                                open_window):  # noqa: F811
    withdrawn = services.application_withdraw(applicant=person, application=submit_for(person))
    log_in_person(page, live_server.url, person.mobile)

    # The form again: empty, with the offer (nothing is filled until the person chooses it).
    visit("/subsidy/apply/")
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBSIDY)
    offer = page.locator("section.withdrawn-offer")
    expect(offer.get_by_role("heading", name="您有一笔已撤回的申请")).to_be_visible()
    expect(offer).to_contain_text("上传的材料不会自动带入")
    for label in TYPED:
        expect(page.get_by_label(label)).to_have_value("")
    check_page(page, shot="apply-again-offer", viewport=viewport_name)

    # 使用上次撤回的申请信息填写: every answer back, saved as a draft, the offer gone.
    offer.get_by_role("button", name=OFFER).click()
    expect(page).to_have_url(re.compile(r"/subsidy/apply/$"))
    expect(page.locator(".notices")).to_contain_text("已填入上次撤回的申请中仍然有效的信息")
    expect(page.get_by_role("button", name=OFFER)).to_have_count(0)
    for label, value in TYPED.items():  # what the withdrawn application said (factories.form_data)
        expect(page.get_by_label(label)).to_have_value(value)
    expect(page.get_by_label("户籍地址")).to_have_value(HUKOU_ADDRESS)
    expect(page.get_by_label("居住地址")).to_have_value(RESIDENCE_ADDRESS)
    chosen = {
        "#id_ethnic_group": withdrawn.ethnic_group.name,
        "#id_education_level": withdrawn.education_level.name,
        "#id_school": "南京大学",
        "#id_category": "残疾",
    }
    for name, path in (("hukou_region", HUKOU), ("residence_region", RESIDENCE)):
        for suffix, label in zip(("province", "city", "county"), path, strict=True):
            chosen[f"#id_{name}_{suffix}"] = label
    for selector, label in chosen.items():
        expect(page.locator(f"{selector} option:checked")).to_have_text(label)
    check_page(page, shot="apply-again-filled", viewport=viewport_name)

    # The proof is not attached by itself: chosen again from 我的材料 beside its slot.
    slot = material_slot(page)
    expect(slot.locator(".material-list__item")).to_have_count(0)
    reuse = slot.get_by_label("或从我的材料中选择")
    reuse.select_option(index=1)
    slot.get_by_role("button", name="上传材料").click()
    expect(material_slot(page).locator(".material-list__item")).to_have_count(1)
    expect(page.locator(".error-summary")).to_have_count(0)
    check_page(page, viewport=viewport_name)

    # 确认提交: a new record number; the withdrawn one stays as it was.
    page.get_by_role("checkbox", name="我已阅读并了解以上内容").check()
    page.get_by_role("button", name="确认提交").click()
    expect(page).to_have_url(re.compile(r"/subsidy/cases/\d+/submitted/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("申请已提交")
    record_number = page.locator(".record-number").inner_text().strip()
    assert record_number != withdrawn.record_number
    check_page(page, viewport=viewport_name)
