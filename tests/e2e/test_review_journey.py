"""求职创业补贴 across every role, each person in a browser of their own: the applicant submits;
the school returns it with an opinion; the applicant corrects 所在院系 and resubmits; the school
approves it and publishes the 公示; another person objects; the school dismisses the objection;
the 公示 period ends (the scheduled step, run with a clock the test controls); the bureau's first
reviewer approves 初审 and is refused 复审; a second reviewer approves 复审; the applicant finds it
at 资金发放, and the SMS telling them so is in the outbox. Desktop and phone, axe on every page."""

import datetime
import io
import re
from unittest import mock

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from servicehall.accounts import services as accounts
from servicehall.accounts.models import IdType
from servicehall.core.crypto import blind_index
from servicehall.messaging.models import SmsMessage
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.models import Application, Objection, ObjectionState, Publicity
from servicehall.subsidy.publicity import publicities_close_due
from servicehall.subsidy.review import APPROVED_FLAG
from servicehall.subsidy.tests import factories as subsidy_setup

from .conftest import PASSWORD, check_page, log_in_person, log_in_staff, resident_id

S = ApplicationStatus
SUBSIDY = "求职创业补贴个人申报"
RETURN_OPINION = "请补充所在院系全称"
DEPARTMENT = "计算机科学与技术系"
OBJECTION = "据了解，该生已于今年7月在南京某公司签约就业，请学校核实。"
OBJECTION_RESPONSE = "经核实，该生尚未就业，签约信息不实，异议不成立。"
STEPS = ["申报提交", "学校审核", "学校公示", "人社初审", "人社复审", "资金发放"]

# The two schools, two bureaus and their reviewers of the subsidy's own tests.


@pytest.fixture
def objector(db):
    """Anyone with an account may object to a 公示: a second person."""
    return accounts.person_create_verified(
        id_type=IdType.RESIDENT, id_number=resident_id("32010219990101001"),
        name="王晓芳", mobile="13800000002", password=PASSWORD,
    )


def card_photo(name: str = "残疾人证.png", size=(40, 30)) -> SimpleUploadedFile:
    """A photo that looks like a 残疾人证, in place of the plain square submit_for uploads, so the
    reviewer's page (and its screenshot) shows a document. Takes png()'s arguments and ignores them."""
    image = Image.new("RGB", (480, 320), "#f3e9d2")
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 464, 304), outline="#8b1a1a", width=6)
    draw.rectangle((40, 60, 160, 220), fill="#b8c4d0")
    draw.text((190, 80), "No. 32010220040315003X42", fill="#111111")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("残疾人证.png", buffer.getvalue(), content_type="image/png")


# --- Steps ---------------------------------------------------------------------------------

def go(page, base_url: str, path: str, viewport: str, *, shot: str | None = None):
    page.goto(base_url + path)
    check_page(page, shot=shot, viewport=viewport)
    return page


def checked(page, viewport: str, *, shot: str | None = None):
    """check_page on the page as it is now (after a click, a redirect)."""
    check_page(page, shot=shot, viewport=viewport)
    return page


def go_to_in_progress(page, viewport: str) -> None:
    """个人中心 → 办理中: from the header on a computer; on a phone through 我的 → 我的办件."""
    if viewport == "phone":
        page.get_by_role("navigation", name="底部导航").get_by_role("link", name="我的").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("我的")
        page.get_by_role("link", name="我的办件").click()
    else:
        page.get_by_role("navigation", name="账号").get_by_role("link", name="个人中心").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("个人中心")
    tab = page.locator("ul.tabs").get_by_role("link", name="办理中", exact=True)
    tab.click()
    expect(tab).to_have_attribute("aria-current", "page")
    checked(page, viewport)


def open_case(page, viewport: str, record_number: str, state_label: str) -> None:
    """From 办理中, the row of the application and its 查看进度."""
    row = page.locator("table tbody tr").filter(has_text=record_number)
    expect(row).to_contain_text(SUBSIDY)
    expect(row).to_contain_text(state_label)
    row.get_by_role("link", name=re.compile("^查看进度")).click()
    expect(page).to_have_url(re.compile(r"/subsidy/cases/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBSIDY)
    expect(page.locator("dl.info-list")).to_contain_text(record_number)
    expect(page.locator("dl.info-list")).to_contain_text(state_label)


def expect_steps(page, *, done: int, at: int, status: str = "current") -> None:
    """The six steps of 查看进度: the first `done` done, step `at` in `status`, the rest to come."""
    steps = page.locator("ol.timeline > li")
    expect(steps).to_have_count(len(STEPS))
    for index, label in enumerate(STEPS):
        expect(steps.nth(index).locator(".timeline__title")).to_contain_text(label)
        if index < done:
            expected = "done"
        elif index == at:
            expected = status
        else:
            expected = "todo"
        expect(steps.nth(index)).to_have_class(re.compile(rf"timeline__item--{expected}\b"))


def queue_row(page, record_number: str):
    return page.locator("table.review-table tbody tr").filter(has_text=record_number)


def open_tab(page, label: str) -> None:
    tab = page.get_by_role("navigation", name="办理状态").get_by_role("link", name=re.compile(f"^{label}"))
    tab.click()
    expect(tab).to_have_attribute("aria-current", "page")


def decide(page, viewport: str, label: str, *, opinion: str = "") -> None:
    """On the review page: the opinion (if any), then the decision's button."""
    if opinion:
        page.get_by_label("审核意见").fill(opinion)
    page.locator(".review-decision").get_by_role("button", name=label, exact=True).click()
    expect(page).to_have_url(re.compile(r"/subsidy/review/\?tab=\w+$"))
    checked(page, viewport)


def sms_texts(mobile: str) -> list[str]:
    return [
        message.text
        for message in SmsMessage.objects.filter(mobile_index=blind_index(mobile, purpose="mobile"))
    ]


# --- The journey ---------------------------------------------------------------------------

def test_review_journey_across_roles(
    live_server, new_context, viewport_name, sms_code, person, objector, world
):
    base, vp = live_server.url, viewport_name
    applicant = new_context().new_page()
    school = new_context().new_page()

    # 1. A submitted application (through the services); the applicant sees 学校审核 current.
    with mock.patch.object(subsidy_setup, "png", card_photo):
        application = subsidy_setup.submit_for(person)
    number = application.record_number
    log_in_person(applicant, base, person.mobile)
    checked(applicant, vp)
    go_to_in_progress(applicant, vp)
    open_case(applicant, vp, number, "学校审核中")
    expect_steps(applicant, done=1, at=1)
    checked(applicant, vp)

    # 2. The school reviewer: 学校审核 → 待审核 → the application → 退回修改 with an opinion.
    log_in_staff(school, base, sms_code, world["school"])
    checked(school, vp)
    school.locator("main").get_by_role("link", name="学校审核").click()
    expect(school.get_by_role("heading", level=1)).to_have_text("求职创业补贴学校审核")
    expect(school.get_by_role("link", name=re.compile(r"^待审核"))).to_have_attribute("aria-current", "page")
    row = queue_row(school, number)
    expect(row).to_contain_text("张*明")
    expect(row).not_to_contain_text("张晓明")
    expect(row).to_contain_text("计算机学院")
    checked(school, vp, shot="school-queue")

    row.get_by_role("link", name=number).click()
    expect(school.get_by_role("heading", level=1)).to_contain_text(number)
    expect(school.get_by_role("img", name="中华人民共和国残疾人证（第1份）")).to_be_visible()
    school.wait_for_function(
        "() => { const i = document.querySelector('img.review-material__image'); "
        "return i && i.complete && i.naturalWidth === 480; }"
    )
    expect(school.locator(".review-material__name")).to_have_text("残疾人证.png")
    checked(school, vp, shot="review-detail")
    detail_url = school.url
    decide(school, vp, "退回修改", opinion=RETURN_OPINION)
    expect(school.locator(".notices")).to_contain_text(
        f"申请{number}已退回修改，申请人会收到短信，修改后可重新提交。"
    )
    assert any(RETURN_OPINION in text for text in sms_texts(person.mobile)), sms_texts(person.mobile)

    # 3. The applicant: 办理中 shows 已退回修改, the case page the opinion; 修改并重新提交.
    go_to_in_progress(applicant, vp)
    open_case(applicant, vp, number, "已退回修改")
    expect_steps(applicant, done=1, at=1, status="stopped")
    school_step = applicant.locator("ol.timeline > li").nth(1)
    expect(school_step).to_contain_text("已退回修改")
    expect(school_step).to_contain_text(f"意见：{RETURN_OPINION}")
    checked(applicant, vp)
    applicant.get_by_role("link", name="修改并重新提交").click()
    expect(applicant).to_have_url(re.compile(r"/subsidy/apply/$"))
    expect(applicant.locator(".notice--warning")).to_contain_text(f"审核意见：{RETURN_OPINION}")
    expect(applicant.get_by_label("所在院系")).to_have_value("计算机学院")
    checked(applicant, vp)
    applicant.get_by_label("所在院系").fill(DEPARTMENT)
    applicant.get_by_role("checkbox", name="我已阅读并了解以上内容").check()
    applicant.get_by_role("button", name="确认提交").click()
    expect(applicant).to_have_url(re.compile(r"/subsidy/cases/\d+/submitted/$"))
    expect(applicant.get_by_role("heading", level=1)).to_have_text("申请已提交")
    expect(applicant.locator(".record-number")).to_have_text(number)
    checked(applicant, vp)
    go_to_in_progress(applicant, vp)
    open_case(applicant, vp, number, "学校审核中")
    expect_steps(applicant, done=1, at=1)
    expect(applicant.locator("ol.timeline > li").first).to_contain_text("重新提交")
    checked(applicant, vp)

    # 4. The school approves it, then publishes the 公示 from 待公示.
    go(school, base, "/subsidy/review/?tab=pending", vp)
    row = queue_row(school, number)
    expect(row).to_contain_text(DEPARTMENT)
    row.get_by_role("link", name=number).click()
    expect(school).to_have_url(detail_url)
    expect(school.locator("dl.info-list")).to_contain_text(DEPARTMENT)
    checked(school, vp)
    decide(school, vp, "通过")
    expect(school.locator(".notices")).to_contain_text(f"申请{number}已审核通过，请在“待公示”中发布公示。")

    open_tab(school, "待公示")
    checked(school, vp)
    queue_row(school, number).get_by_label(f"选择申请{number}").check()
    school.get_by_role("button", name="发布公示").click()
    expect(school.locator(".notices")).to_contain_text("已发布公示，共1人")
    checked(school, vp)
    publicity = Publicity.objects.get(applications__pk=application.pk)
    notice_path = f"/notices/{publicity.notice_id}/"
    school.locator(".notices").get_by_role("link", name="查看公示").click()
    expect(school).to_have_url(re.compile(re.escape(notice_path) + "$"))
    expect(school.locator(".notice-detail")).to_contain_text("公示中")
    checked(school, vp)

    # 5. Anyone: the objector finds the 公示 among 公示公告, reads it and objects.
    other = new_context().new_page()
    log_in_person(other, base, objector.mobile)
    checked(other, vp)
    go(other, base, "/notices/", vp)
    other.get_by_role("link", name=re.compile("南京大学 2027届毕业生求职创业补贴拟发放名单公示")).click()
    expect(other).to_have_url(re.compile(re.escape(notice_path) + "$"))
    notice = other.locator("article.notice-detail")
    expect(notice.get_by_role("heading", level=1)).to_contain_text("拟发放名单公示")
    expect(notice.locator("p.tag")).to_have_text("公示中")
    table_row = notice.locator("table tbody tr")
    expect(table_row).to_have_count(1)
    expect(table_row).to_contain_text("张*明")
    expect(table_row).to_contain_text("2212***01")
    expect(table_row).to_contain_text(DEPARTMENT)
    assert "张晓明" not in other.content()
    assert "221250001" not in other.content()
    checked(other, vp, shot="publicity-notice")

    notice.get_by_role("link", name="提出异议").click()
    expect(other).to_have_url(re.compile(rf"/subsidy/publicity/{publicity.pk}/objection/$"))
    expect(other.get_by_role("heading", level=1)).to_have_text("提出异议")
    checked(other, vp)
    other.get_by_label("异议对象").select_option(label=f"1. 张*明 2212***01 {DEPARTMENT}")
    other.get_by_label("异议理由").fill(OBJECTION)
    other.get_by_role("button", name="提交异议").click()
    expect(other).to_have_url(re.compile(re.escape(notice_path) + "$"))
    expect(other.locator(".notices")).to_contain_text("异议已提交，学校将核实处理。感谢您的监督。")
    checked(other, vp)
    assert Objection.objects.get(application=application).state == ObjectionState.OPEN

    # 6. The school: 异议处理 (from the queue, which counts it), 处理意见, 异议不成立.
    go(school, base, "/subsidy/review/?tab=publicity", vp)
    expect(queue_row(school, number)).to_contain_text("学校公示中")
    school.get_by_role("link", name="异议处理（1条待处理）").click()
    expect(school.get_by_role("heading", level=1)).to_have_text("公示异议处理")
    item = school.locator("li.review-objection").filter(has_text=number)
    expect(item).to_contain_text("对 张*明 的异议")
    expect(item).to_contain_text(OBJECTION)
    expect(item).not_to_contain_text("王晓芳")  # the objector is not named to anyone
    checked(school, vp)
    item.get_by_label("处理意见").fill(OBJECTION_RESPONSE)
    item.get_by_role("button", name="异议不成立").click()
    expect(school).to_have_url(re.compile(r"/subsidy/review/objections/$"))
    expect(school.locator(".notices")).to_contain_text(
        f"已处理：对{number}的异议不成立，公示期满后该申请转人社初审。"
    )
    item = school.locator("li.review-objection").filter(has_text=number)
    expect(item).to_contain_text("不成立")
    expect(item).to_contain_text(OBJECTION_RESPONSE)
    expect(item.get_by_role("button")).to_have_count(0)
    checked(school, vp)

    # 7. Time passes: the scheduled step, run with the test's clock past the end of the 公示.
    publicity.refresh_from_db()
    later = publicity.closes_at + datetime.timedelta(minutes=1)
    assert publicities_close_due(now=later) == 1
    publicity.refresh_from_db()
    assert publicity.closed_at == later
    assert Application.objects.get(pk=application.pk).state == S.FIRST_REVIEW
    # The objection form goes by the 公示's own record: closed.
    go(other, base, f"/subsidy/publicity/{publicity.pk}/objection/", vp)
    expect(other.locator("main")).to_contain_text("公示期已结束，不能再提出异议。")
    expect(other.get_by_role("button", name="提交异议")).to_have_count(0)
    # The notice page compares its end with the server's clock: show it at the same moment
    # (someone not logged in, as a 30-minute session would not survive the jump).
    reader = new_context().new_page()
    with time_machine.travel(later, tick=False):
        go(reader, base, notice_path, vp)
        notice = reader.locator("article.notice-detail")
        expect(notice.locator("p.tag")).to_have_text("公示已结束")
        expect(notice.get_by_role("link", name="提出异议")).to_have_count(0)
        expect(notice.locator("table tbody tr")).to_contain_text("张*明")

    # 8. The bureau: reviewer 1 approves 初审, and may not do 复审; reviewer 2 approves 复审.
    first = new_context().new_page()
    log_in_staff(first, base, sms_code, world["first"])
    checked(first, vp)
    first.locator("main").get_by_role("link", name="人社初审").click()
    expect(first.get_by_role("heading", level=1)).to_have_text("求职创业补贴人社审核")
    expect(first.get_by_role("link", name=re.compile(r"^初审"))).to_have_attribute("aria-current", "page")
    row = queue_row(first, number)
    expect(row).to_contain_text("人社初审中")
    expect(row).to_contain_text("张*明")
    checked(first, vp)
    row.get_by_role("link", name=number).click()
    expect(first.get_by_role("heading", level=1)).to_contain_text(number)
    expect(first.locator("main")).to_contain_text("公示期满")
    expect(first.locator("main")).to_contain_text(RETURN_OPINION)
    checked(first, vp)
    bureau_detail = first.url
    decide(first, vp, "通过")
    expect(first.locator(".notices")).to_contain_text(
        f"申请{number}初审已通过，转入复审，复审须由其他审核人员办理。"
    )

    open_tab(first, "复审")
    queue_row(first, number).get_by_role("link", name=number).click()
    expect(first).to_have_url(bureau_detail)
    decision = first.locator(".review-decision")
    expect(decision).to_contain_text("您办理了这笔申请的初审，复审须由其他审核人员办理，您不能通过")
    expect(decision.get_by_role("button", name="通过", exact=True)).to_have_count(0)
    expect(decision.get_by_role("button", name="退回修改", exact=True)).to_be_visible()
    expect(decision.get_by_role("button", name="不通过", exact=True)).to_be_visible()
    checked(first, vp)
    # A 通过 posted anyway (a button added to the form) is refused by the service.
    decision.locator("form").evaluate(
        """form => {
            const button = document.createElement("button");
            button.type = "submit"; button.name = "decision"; button.value = "approve";
            button.textContent = "通过"; button.id = "forged-approve";
            form.querySelector(".form-actions").append(button);
        }"""
    )
    first.locator("#forged-approve").click()
    expect(first.locator(".review-problem")).to_have_text("复审不能由初审人办理，请交其他审核人员复审。")
    expect(first).to_have_url(bureau_detail)
    checked(first, vp)
    assert Application.objects.get(pk=application.pk).state == S.SECOND_REVIEW

    second = new_context().new_page()
    log_in_staff(second, base, sms_code, world["second"])
    checked(second, vp)
    second.locator("main").get_by_role("link", name="人社复审").click()
    expect(second.get_by_role("link", name=re.compile(r"^复审"))).to_have_attribute("aria-current", "page")
    row = queue_row(second, number)
    expect(row).to_contain_text("人社复审中")
    checked(second, vp)
    row.get_by_role("link", name=number).click()
    expect(second).to_have_url(bureau_detail)
    expect(second.locator(".review-decision")).not_to_contain_text("您办理了这笔申请的初审")
    checked(second, vp)
    decide(second, vp, "通过")
    expect(second.locator(".notices")).to_contain_text(f"申请{number}复审已通过，已核准，等待发放。")
    open_tab(second, "已通过")
    row = queue_row(second, number)
    expect(row).to_contain_text("待发放")
    checked(second, vp)
    row.get_by_role("link", name=number).click()
    expect(second.locator("dl.info-list")).to_contain_text(APPROVED_FLAG)
    expect(second.locator(".review-decision")).to_contain_text("您没有需要办理的审核")
    checked(second, vp)

    # 9. The applicant: 人社复审 done, 资金发放 current, 待发放; the SMS is in the outbox.
    go_to_in_progress(applicant, vp)
    open_case(applicant, vp, number, "待发放")
    expect_steps(applicant, done=5, at=5)
    steps = applicant.locator("ol.timeline > li")
    expect(steps.nth(2)).to_contain_text("公示期满")
    expect(steps.nth(4)).to_contain_text("南京市人力资源和社会保障局")
    checked(applicant, vp, shot="timeline")
    approved = Application.objects.get(pk=application.pk)
    assert approved.state == S.AWAITING_PAYMENT
    assert approved.get_state_display() == "待发放"
    assert approved.approved_flag == APPROVED_FLAG
    assert approved.first_reviewer_id == world["first"].pk
    texts = sms_texts(person.mobile)
    assert any("复审通过" in text and number in text for text in texts), texts
