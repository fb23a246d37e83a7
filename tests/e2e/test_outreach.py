"""政策找人 in a browser, desktop and phone, axe on every page visited: a school reviewer imports
the graduating class from 工作台 and reads the report, the figures, the masked not-reached list
and its Excel export; an invited person confirms from 个人中心 and submits the pre-filled form
without any upload; another says 不需要; the SMS link for nobody, for a stranger and for its
owner; the card notice first; and who of the officers sees 南京大学's students."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.cards.services import demo_card_for
from servicehall.messaging.models import SmsMessage
from servicehall.messaging.services import mobile_index_of
from servicehall.outreach import services as outreach
from servicehall.outreach.models import Invitation, MatchRun
from servicehall.outreach.tests.factories import HEADER, line, list_file, registry_with
from servicehall.subsidy.models import Application
from servicehall.verification.models import Registry
from servicehall.verification.selectors import id_number_index

from .conftest import PASSWORD, check_page, log_in_person, log_in_staff, request_code, resident_id
from .test_subsidy_journey import choose_region

DISABLED_ID = resident_id("32010220050601002")  # 李四: on the 残疾人证 list, no card
MASKED_ID = "3201**********003" + resident_id("32010220040315003")[-1]  # the `person`'s
THIRD_ID = resident_id("32010220050601003")
BAD_ID = THIRD_ID[:-1] + ("1" if THIRD_ID[-1] == "0" else "0")  # a wrong check digit
INVITED = "您可能符合求职创业补贴条件"
LOW, DISABLED = "城乡低保家庭", "残疾"
FIGURES = ["名单人数", "符合条件", "已邀请", "已查看", "已确认", "不需要", "已提交", "已发放"]


@pytest.fixture
def registries(operator, person):
    """张晓明 (the `person`) and 王芳 on the 低保 list, 李四 on the 残疾人证 list."""
    decliner = PersonFactory(index=2)  # 王芳
    demo_card_for(id_number=decliner.id_number, name=decliner.name)
    registry_with(Registry.SUBSISTENCE_ALLOWANCE,
                  [(person.name, person.id_number), (decliner.name, decliner.id_number)], operator=operator)
    registry_with(Registry.DISABILITY, [("李四", DISABLED_ID)], operator=operator, source="残联")
    return decliner


@pytest.fixture
def listed(world, open_window, registries, person, card):
    """南京大学's class imported through the service, matched and invited (tasks run at once)."""
    decliner = registries
    batch = outreach.graduate_list_import(
        actor=world["school"], graduation_year=open_window.graduation_year,
        uploaded_file=list_file([
            line(person.name, person.id_number, mobile=person.mobile),
            line("李四", DISABLED_ID, number="221250002", mobile="13800000012"),
            line(decliner.name, decliner.id_number, number="221250003", mobile=decliner.mobile),
        ]),
    )
    assert Invitation.objects.count() == 3, "matching and inviting ran on commit"
    return batch


def invitation_of(id_number) -> Invitation:
    return Invitation.objects.get(id_number_index=id_number_index(id_number))


def workbook(download):
    """The downloaded file as openpyxl reads it (Playwright keeps it without its extension)."""
    return load_workbook(io.BytesIO(Path(download.path()).read_bytes()))


def cells(row) -> list[str]:
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def open_invitation_from_centre(page, viewport: str, *, shot: str | None = None) -> None:
    """个人中心 (where log_in_person ends): the invitation first, then 查看邀请."""
    box = page.locator("section.center-invitation")
    expect(box.get_by_role("heading", level=2)).to_have_text(INVITED)
    expect(box).to_contain_text("无需上传困难证明材料")
    check_page(page, shot=shot, viewport=viewport)
    box.get_by_role("link", name="查看邀请").click()
    expect(page).to_have_url(re.compile(r"/outreach/invitations/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(INVITED)


# --- 1. The school: import, report, figures, not-reached list, export -----------------------

def test_a_school_imports_its_class_and_sees_who_is_not_reached(
        page, live_server, viewport_name, sms_code, world, open_window, registries, person, card):
    vp = viewport_name
    log_in_staff(page, live_server.url, sms_code, world["school"])
    check_page(page, viewport=vp)
    page.locator("main").get_by_role("link", name="政策找人").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("政策找人 · 南京大学")
    expect(page.locator("main")).to_contain_text("本年度还没有导入毕业生名单。")
    check_page(page, viewport=vp)
    page.locator("main").get_by_role("link", name="导入毕业生名单").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("导入毕业生名单")
    expect(page.locator(".import-header code")).to_have_text(HEADER)
    check_page(page, viewport=vp)

    csv = "\n".join([
        HEADER,
        line(person.name, person.id_number, mobile=person.mobile),
        line("李四", DISABLED_ID, number="221250002", mobile="13800000012"),
        line("赵六", BAD_ID, number="221250003", mobile=""),
    ]) + "\n"
    expect(page.get_by_label("毕业年度")).to_have_value("2027")
    page.get_by_role("button", name="上传并导入").click()  # no file chosen: said in words
    expect(page.locator(".error-summary")).to_contain_text("请选择要导入的文件")
    check_page(page, viewport=vp)
    page.get_by_label("毕业生名单文件").set_input_files(
        {"name": "南京大学2027届毕业生.csv", "mimeType": "text/csv", "buffer": csv.encode()})
    page.get_by_role("button", name="上传并导入").click()
    expect(page).to_have_url(re.compile(r"/outreach/import/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("毕业生名单导入结果")
    expect(page.locator(".notice--success")).to_contain_text("导入完成：已导入2人")
    expect(page.locator(".import-counts")).to_contain_text("数据行数3")
    expect(page.locator(".import-counts__item--rejected")).to_contain_text("未导入1")
    problems = page.locator("table tbody tr")
    expect(problems).to_have_count(1)
    assert cells(problems.first)[:2] == ["第4行", "证件号码"], cells(problems.first)
    expect(problems.first.locator("td").nth(2)).to_contain_text("校验")
    expect(problems.first.locator(".import-value")).to_have_text(BAD_ID[:4] + "*" * 10 + BAD_ID[-4:])
    expect(page.locator("main")).not_to_contain_text(BAD_ID)
    check_page(page, shot="outreach-import-report", viewport=vp)

    # The matching ran on commit (the tests' ImmediateBackend): the figures are there at once.
    page.get_by_role("link", name="返回政策找人").click()
    expect(page.locator("#outreach-run")).to_contain_text("比对2人，符合条件2人，新发邀请2人")
    assert page.locator("#table-schools thead th").all_inner_texts() == ["学校", *FIGURES]
    school_row = page.locator("#table-schools tbody tr").filter(has_text="南京大学")
    assert cells(school_row) == ["2", "2", "2", "0", "0", "0", "0", "0"], cells(school_row)
    by_category = page.locator("#table-categories tbody tr")
    assert cells(by_category.filter(has_text=LOW))[:2] == ["1", "1"]
    assert cells(by_category.filter(has_text=DISABLED))[:2] == ["1", "1"]
    rows = page.locator("#table-not-reached tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="张*明")).to_contain_text(MASKED_ID)
    expect(rows.filter(has_text="张*明")).to_contain_text("138****0001")
    expect(rows.filter(has_text="李*")).to_contain_text(DISABLED)
    for plain in (person.name, person.id_number, DISABLED_ID, person.mobile):
        expect(page.locator("main")).not_to_contain_text(plain)
    check_page(page, shot="outreach-officers", viewport=vp)

    with page.expect_download() as download:
        page.get_by_role("link", name="导出未触达名单（Excel）").click()
    assert re.fullmatch(r"outreach-not-reached-2027-\d{8}\.xlsx", download.value.suggested_filename)
    sheet = workbook(download.value).active
    values = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
    assert values[1][:4] == ["学校", "学号", "姓名", "证件号码"], values[1]
    assert sorted(row[2] for row in values[2:]) == sorted(["张*明", "李*"]), values
    mine = next(row for row in values[2:] if row[2] == "张*明")
    assert mine[:8] == ["南京大学", "221250001", "张*明", MASKED_ID, "138****0001", "计算机学院", "软件工程",
                        LOW], mine
    assert person.id_number not in str(values) and DISABLED_ID not in str(values)

    # 重新比对: the same two matches, nobody invited twice.
    page.get_by_role("button", name="重新比对").click()
    expect(page.locator("#outreach-run")).to_contain_text("比对2人，符合条件2人，新发邀请0人")
    check_page(page, viewport=vp)
    assert Invitation.objects.count() == 2 and MatchRun.objects.count() == 2


# --- 2. Invited, confirmed, completed and submitted ------------------------------------------

def fill_the_rest(page) -> None:
    """What neither the list nor the registry knows: ethnic group, regions, addresses, pledge."""
    page.locator("#id_ethnic_group").select_option(label="汉族")
    for name in ("hukou_region", "residence_region"):
        choose_region(page, name, "江苏省", "南京市", "鼓楼区")
    page.get_by_label("户籍地址").fill("江苏省南京市鼓楼区汉口路22号")
    page.get_by_label("居住地址").fill("江苏省南京市鼓楼区汉口路22号")
    page.get_by_role("checkbox", name="我已阅读并了解以上内容").check()


def test_an_invited_person_confirms_and_submits_without_uploading(
        page, live_server, viewport_name, listed, person):
    vp = viewport_name
    log_in_person(page, live_server.url, person.mobile)
    open_invitation_from_centre(page, vp, shot="outreach-center")
    facts = page.locator("dl.info-list")
    expect(facts).to_contain_text(LOW)
    expect(facts).to_contain_text("民政城乡低保名单（")
    expect(facts).to_contain_text("中查到本人")
    expect(facts).to_contain_text("南京大学")
    expect(page.get_by_role("alert")).to_have_count(0)  # the card can take the payment
    check_page(page, shot="outreach-invitation", viewport=vp)

    page.get_by_role("button", name="确认申请").click()
    expect(page).to_have_url(re.compile(r"/subsidy/apply/$"))
    expect(page.locator(".notices")).to_contain_text("已根据学校名单和有关部门的名单为您填写申请")
    expect(page.locator("#id_school option:checked")).to_have_text("南京大学")
    expect(page.locator("#id_category option:checked")).to_have_text(LOW)
    expect(page.locator("#id_education_level option:checked")).to_have_text("大学本科")
    expect(page.get_by_label("学号")).to_have_value("221250001")
    expect(page.get_by_label("所在院系")).to_have_value("计算机学院")
    expect(page.get_by_label("专业")).to_have_value("软件工程")
    expect(page.get_by_label("移动电话")).to_have_value(person.mobile)
    expect(page.locator(".check-verified")).to_contain_text("系统已核验，无需上传")
    check_page(page, viewport=vp)
    fill_the_rest(page)
    page.get_by_role("button", name="确认提交").click()
    expect(page).to_have_url(re.compile(r"/subsidy/cases/\d+/submitted/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("申请已提交")
    check_page(page, viewport=vp)
    application = Application.objects.get(applicant=person)
    assert application.submitted_at is not None and not person.materials.exists()
    assert invitation_of(person.id_number).application_id == application.pk

    page.get_by_role("link", name="查看进度").click()
    first_step = page.locator("ol.timeline > li").first
    expect(first_step).to_contain_text("根据政策找人邀请发起申请")
    expect(first_step).to_contain_text("民政城乡低保名单（")
    check_page(page, viewport=vp)


# --- 3. 不需要 -------------------------------------------------------------------------------

def test_another_invited_person_declines_and_is_not_asked_again(
        page, live_server, viewport_name, listed, registries):
    decliner = registries
    log_in_person(page, live_server.url, decliner.mobile)
    open_invitation_from_centre(page, viewport_name)
    check_page(page, viewport=viewport_name)
    page.get_by_role("button", name="不需要").click()
    expect(page).to_have_url(re.compile(r"/outreach/invitations/\d+/$"))
    expect(page.locator(".notices")).to_contain_text("已记录您的选择，本毕业年度不再向您发送此邀请。")
    state = page.locator("section.card [role=status]")
    expect(state).to_contain_text("选择不需要，本毕业年度不再向您发送此邀请")
    expect(page.get_by_role("button", name="确认申请")).to_have_count(0)
    check_page(page, viewport=viewport_name)
    assert invitation_of(decliner.id_number).declined_at is not None

    page.locator(".breadcrumb").get_by_role("link", name="个人中心").click()
    expect(page).to_have_url(re.compile(r"/center/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("个人中心")
    expect(page.locator("main")).not_to_contain_text(INVITED)
    expect(page.get_by_role("link", name="查看邀请")).to_have_count(0)
    check_page(page, viewport=viewport_name)


# --- 4. The SMS link -------------------------------------------------------------------------

def link_path(mobile: str) -> str:
    """The link as the SMS the school's mobile received carries it."""
    texts = [m.text for m in SmsMessage.objects.filter(mobile_index=mobile_index_of(mobile))]
    found = [re.search(r"/outreach/link/[A-Za-z0-9_-]+/", text) for text in texts]
    assert len([f for f in found if f]) == 1, texts
    return next(f.group() for f in found if f)


def test_the_link_names_nobody_refuses_a_stranger_and_opens_for_its_owner(
        page, live_server, viewport_name, new_context, listed, person):
    vp, url = viewport_name, live_server.url
    path = link_path(person.mobile)
    response = page.goto(url + path)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("求职创业补贴邀请")
    expect(page.locator("main")).to_contain_text("请登录后查看邀请")
    for said in (person.name, "张*明", "低保", "南京大学", "3201"):
        expect(page.locator("main")).not_to_contain_text(said)
    expect(page.locator("main").get_by_role("link", name="注册", exact=True)).to_have_attribute(
        "href", re.compile(re.escape("next=" + path)))
    check_page(page, shot="outreach-link", viewport=vp)

    stranger = new_context().new_page()
    log_in_person(stranger, url, PersonFactory(index=33).mobile)
    refused = stranger.goto(url + path)
    assert refused.status == 404
    expect(stranger.get_by_role("alert")).to_have_text("该链接无效或已过期。如您收到过邀请，请登录后在个人中心查看。")
    expect(stranger.locator("main")).not_to_contain_text("张")
    check_page(stranger, viewport=vp)

    # The owner, from the same page: 登录 comes back to the link, which opens the invitation.
    page.locator("main").get_by_role("link", name="登录", exact=True).click()
    page.get_by_label("证件号码/移动电话").fill(person.mobile)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    invitation = invitation_of(person.id_number)
    expect(page).to_have_url(re.compile(rf"/outreach/invitations/{invitation.pk}/$"))
    expect(page.locator("dl.info-list")).to_contain_text(LOW)
    check_page(page, viewport=vp)
    invitation.refresh_from_db()
    assert invitation.link_used_at is not None and invitation.user_id == person.pk
    assert stranger.goto(url + path).status == 404, "still nothing for the stranger"


# --- 5. No account and no card that can take the payment ------------------------------------

def test_registering_from_the_link_without_a_usable_card_shows_the_card_notice_first(
        page, live_server, viewport_name, sms_code, listed):
    """李四 has no account and no card: the SMS link, 注册 with the mobile that received it, the
    invitation, and before anything else on it the card notice with the outlets' link."""
    vp, path = viewport_name, link_path("13800000012")
    page.goto(live_server.url + path)
    page.locator("main").get_by_role("link", name="注册", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("用户注册")
    expect(page.locator("main form input[name=next]")).to_have_value(path)
    check_page(page, viewport=vp)
    page.get_by_label("证件号码").fill(DISABLED_ID)
    page.get_by_label("姓名").fill("李四")
    page.get_by_label("移动电话").fill("13800000012")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password_confirm").fill(PASSWORD)
    page.get_by_label("短信验证码").fill(request_code(page, sms_code, "13800000012"))
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/outreach/invitations/{invitation_of(DISABLED_ID).pk}/$"))
    notice = page.get_by_role("alert")
    expect(notice).to_contain_text("补贴将发放到您的社会保障卡。请先到社会保障卡服务网点办理")
    first = page.evaluate("document.querySelector('main h1').nextElementSibling.getAttribute('role')")
    assert first == "alert", "the card notice must be the first thing under the heading"
    expect(page.locator("dl.info-list")).to_contain_text(DISABLED)
    expect(page.locator("dl.info-list")).to_contain_text("残联")
    check_page(page, viewport=vp)

    # No 确认申请 until the card can take the payment (the service refuses it too); 不需要 stays.
    expect(page.get_by_role("button", name="确认申请")).to_have_count(0)
    expect(page.get_by_role("button", name="不需要")).to_be_visible()
    expect(page.locator("main")).to_contain_text("办好社会保障卡并开通金融功能后，请回到本页确认申请。")
    assert not Application.objects.filter(id_number_index=id_number_index(DISABLED_ID)).exists()
    notice.get_by_role("link", name="查询社会保障卡服务网点").click()
    expect(page).to_have_url(re.compile(r"/cards/outlets/"))
    check_page(page, viewport=vp)


# --- 6. Who sees what ------------------------------------------------------------------------

def test_a_bureau_sees_its_schools_and_another_school_sees_none_of_them(
        live_server, viewport_name, new_context, sms_code, world, listed):
    vp, url = viewport_name, live_server.url
    bureau = new_context().new_page()
    log_in_staff(bureau, url, sms_code, world["first"])
    bureau.locator("main").get_by_role("link", name="政策找人").click()
    expect(bureau.get_by_role("heading", level=1)).to_have_text("政策找人 · 南京市人力资源和社会保障局")
    row = bureau.locator("#table-schools tbody tr").filter(has_text="南京大学")
    assert cells(row)[:3] == ["3", "3", "3"], cells(row)
    expect(bureau.locator("#table-not-reached tbody tr")).to_have_count(3)
    expect(bureau.get_by_role("button", name="重新比对")).to_have_count(0)
    expect(bureau.get_by_role("link", name="导入毕业生名单")).to_have_count(0)
    check_page(bureau, viewport=vp)

    other = new_context().new_page()
    log_in_staff(other, url, sms_code, world["other_school"])
    other.locator("main").get_by_role("link", name="政策找人").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("政策找人 · 东南大学")
    main = other.locator("main")
    expect(main).to_contain_text("本年度还没有导入毕业生名单。")
    expect(main).to_contain_text("没有未触达的毕业生。")
    for said in ("南京大学", "张*明", "李*", "王*"):
        expect(main).not_to_contain_text(said)
    check_page(other, viewport=vp)
    with other.expect_download() as download:
        other.get_by_role("link", name="导出未触达名单（Excel）").click()
    assert workbook(download.value).active.max_row == 2, "the two header rows only"
    assert other.goto(f"{url}/outreach/import/{listed.pk}/").status == 404
    expect(other.locator("main")).not_to_contain_text("南京大学")
    check_page(other, viewport=vp)
