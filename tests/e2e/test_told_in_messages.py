"""What an applicant is told (issue 17), in the browser: a school reviewer returns an application
with an opinion that quotes a mobile number and ends in 。; the page tells the reviewer the number
is masked in the messages; the applicant's 我的消息 holds 申请已提交 and 申请被退回修改, the number
masked and no doubled 。. Desktop and phone, axe on every page."""

from playwright.sync_api import expect

from .conftest import PASSWORD, check_page, log_in_person, log_in_staff

MOBILE = "13912345678"
OPINION = f"请补充院系全称，联系辅导员{MOBILE}。"


def test_the_reviewer_is_told_and_the_applicant_reads_it(
    live_server, new_context, viewport_name, sms_code, world, person, card, open_window
):
    from servicehall.subsidy.tests.factories import submit_for

    base, vp = live_server.url, viewport_name
    application = submit_for(person)
    school = new_context().new_page()
    log_in_staff(school, base, sms_code, world["school"])
    school.goto(f"{base}/subsidy/review/{application.pk}/")
    school.get_by_label("审核意见").fill(OPINION)
    school.locator("main form").get_by_role("button", name="退回修改").click()
    expect(school.locator(".notices")).to_contain_text("已隐去其中部分数字")
    check_page(school, viewport=vp)

    applicant = new_context().new_page()
    log_in_person(applicant, base, person.mobile, PASSWORD)
    applicant.goto(base + "/messaging/inbox/")
    inbox = applicant.locator("main")
    expect(inbox).to_contain_text("申请被退回修改")
    expect(inbox).to_contain_text("申请已提交")
    check_page(applicant, viewport=vp)
    applicant.get_by_role("link", name="申请被退回修改").first.click()
    message = applicant.locator("main")
    expect(message).to_contain_text("139****5678")
    expect(message).not_to_contain_text(MOBILE)
    expect(message).not_to_contain_text("。。")
    check_page(applicant, viewport=vp)
