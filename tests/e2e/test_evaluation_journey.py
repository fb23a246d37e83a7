"""好差评 in the browser: the school refuses a case (不予受理); the applicant opens the concluded
case, rates it 不满意 with a reason; the school finds the poor rating in 工作台 → 服务评价 and
answers it; the applicant sees the answer on the case page and the message in 我的消息.
Desktop and phone, axe on every page."""

from django.urls import reverse
from playwright.sync_api import expect

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.evaluation.models import Evaluation
from servicehall.subsidy import review
from servicehall.subsidy.tests import factories as subsidy_setup

from .conftest import check_page, log_in_person, log_in_staff

COMMENT = "不予受理的原因没有说清楚，不知道怎么改。"
REPLY = "经核实，您的学号与学籍系统记录不一致，请联系学院教务办更正后在补发申报期重新申报。"


def test_rate_a_concluded_case_and_the_school_answers(
    live_server, new_context, viewport_name, sms_code, world, year
):
    base, vp = live_server.url, viewport_name
    application = subsidy_setup.submit_for(PersonFactory(index=1))
    review.application_decide(
        decision="refuse_by_school",
        actor=world["school"],
        application_id=application.pk,
        opinion="学号与学籍信息不符",
    )

    # The applicant rates the concluded case from its page.
    person = new_context().new_page()
    log_in_person(person, base, application.applicant.mobile)
    person.goto(base + reverse("subsidy:case", kwargs={"pk": application.pk}))
    panel = person.locator("#evaluation")
    expect(panel.get_by_role("heading", name="服务评价")).to_be_visible()
    check_page(person, shot="evaluation-invite", viewport=vp)
    panel.get_by_label("不满意", exact=True).check()
    panel.get_by_role("button", name="提交评价").click()
    expect(person.locator("#field-poor_reasons")).to_contain_text("请勾选不满意的原因或填写意见建议")
    check_page(person, viewport=vp)
    person.get_by_label("不满意", exact=True).check()
    person.get_by_label("审核结果说明不清").check()
    person.get_by_label("意见建议").fill(COMMENT)
    person.get_by_role("button", name="提交评价").click()
    expect(person.locator("main")).to_contain_text("感谢您的评价")
    expect(person.locator("#evaluation")).to_contain_text("将于")
    check_page(person, viewport=vp)
    assert Evaluation.objects.get().status == "awaiting_reply"

    # The school answers from 工作台 → 服务评价.
    school = new_context().new_page()
    log_in_staff(school, base, sms_code, world["school"])
    school.get_by_role("link", name="服务评价（好差评）").click()
    expect(school.get_by_role("heading", level=1)).to_have_text("服务评价（好差评）")
    row = school.locator("table tbody tr").filter(has_text=application.record_number)
    expect(row).to_contain_text("不满意")
    check_page(school, shot="evaluation-list", viewport=vp)
    row.get_by_role("link").click()
    expect(school.locator("main")).to_contain_text(COMMENT)
    check_page(school, viewport=vp)
    school.get_by_label("答复内容").fill(REPLY)
    school.get_by_role("button", name="提交答复").click()
    expect(school.locator("main")).to_contain_text("答复已发送")
    check_page(school, viewport=vp)

    # The applicant sees the answer, and the message.
    person.reload()
    expect(person.locator("#evaluation")).to_contain_text(REPLY)
    check_page(person, viewport=vp)
    person.goto(base + reverse("messaging:inbox"))
    expect(person.locator("main")).to_contain_text("服务评价答复")
    check_page(person, viewport=vp)
