"""我要问 (issue 17) across two browsers: a person asks from the subsidy's guide with the hall set
to 南京; a Nanjing bureau officer answers from the workbench; the person reads the answer from 我的
消息. Desktop and phone, axe on every page."""

from playwright.sync_api import expect

from servicehall.reference.preferences import REGION_COOKIE

from .conftest import PASSWORD, check_page, log_in_person, log_in_staff

WORDS = "毕业后才办的社会保障卡可以申报吗？"
ANSWER = "可以。申报时社会保障卡已开通金融功能即可。"


def test_a_question_and_its_answer(live_server, new_context, viewport_name, sms_code, person, world):
    base, vp = live_server.url, viewport_name
    asker = new_context().new_page()
    asker.context.add_cookies([{"name": REGION_COOKIE, "value": "320100", "url": base}])
    log_in_person(asker, base, person.mobile, PASSWORD)
    asker.goto(base + "/services/job-seeking-subsidy/")
    asker.get_by_role("link", name="我要问").click()
    expect(asker.get_by_role("heading", level=1)).to_have_text("咨询服务（我要问）")
    expect(asker.locator("#id_service option:checked")).to_have_text("求职创业补贴个人申报")
    check_page(asker, shot="consult", viewport=vp)
    asker.get_by_role("button", name="提交咨询").click()
    expect(asker.locator("#field-text .field__error")).to_contain_text("请填写咨询内容")
    check_page(asker, viewport=vp)
    asker.get_by_label("咨询内容").fill(WORDS)
    asker.get_by_role("button", name="提交咨询").click()
    expect(asker.locator(".notices")).to_contain_text("南京市人力资源和社会保障局将在5个工作日内答复")
    expect(asker.locator("main")).to_contain_text(WORDS)
    check_page(asker, viewport=vp)

    officer = new_context().new_page()
    log_in_staff(officer, base, sms_code, world["first"])
    officer.get_by_role("link", name="咨询答复").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("咨询答复")
    check_page(officer, viewport=vp)
    officer.locator("table tbody tr").first.get_by_role("link").click()
    expect(officer.locator("main")).to_contain_text(WORDS)
    officer.get_by_label("答复内容").fill(ANSWER)
    officer.get_by_role("button", name="提交答复").click()
    expect(officer.locator(".notices")).to_contain_text("答复已发送")
    check_page(officer, viewport=vp)

    asker.goto(base + "/messaging/inbox/")
    asker.get_by_role("link", name="咨询已答复").first.click()
    asker.get_by_role("link", name="查看详情").or_(asker.locator("main a[href^='/consult/']")).first.click()
    expect(asker.locator("main")).to_contain_text(ANSWER)
    check_page(asker, viewport=vp)
