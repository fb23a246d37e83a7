"""数据比对 across roles, each person in a browser of their own: an operator imports 民政's 低保 list
with some bad rows and the report shows them; a student on the list applies and is told no
upload is needed; a student not on it is told which document to upload (and is refused without
it); the school's reviewer sees both checks with their sentences and filters the queue by result.
Desktop and phone, axe on every page, the registry pages included."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from servicehall.accounts import services as accounts
from servicehall.accounts.models import IdType
from servicehall.cards.services import demo_card_for
from servicehall.core.versions import data_changed
from servicehall.subsidy.models import ApplicationWindow, WindowKind
from servicehall.subsidy.selectors import SETUP_VERSION
from servicehall.subsidy.tests import factories as subsidy_setup
from servicehall.subsidy.years import graduation_year_setup

from .conftest import PASSWORD, check_page, htmx_idle, log_in_person, log_in_staff, resident_id

LOW = "城乡低保家庭"
PROOF = "低保证明"
UNLISTED_ID = resident_id("32010219990101001")
BAD_ID = resident_id("32010220050101991")[:-1] + "0"

# The two schools, two bureaus and their reviewers of the subsidy's own tests.


@pytest.fixture
def unlisted(db):
    return accounts.person_create_verified(
        id_type=IdType.RESIDENT, id_number=UNLISTED_ID, name="王晓芳", mobile="13800000002", password=PASSWORD
    )


@pytest.fixture
def window(person, unlisted):
    year = graduation_year_setup(year=subsidy_setup.YEAR)
    today = timezone.localdate()
    ApplicationWindow.objects.filter(graduation_year=year, kind=WindowKind.MAIN).update(
        opens_on=today - datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=3)
    )
    data_changed(SETUP_VERSION)  # written past the models' signals
    for someone in (person, unlisted):
        demo_card_for(id_number=someone.id_number, name=someone.name)
    return year


def low_list(person) -> bytes:
    until = (timezone.localdate() + datetime.timedelta(days=300)).isoformat()
    rows = [
        "证件号码,姓名,有效期起,有效期至",
        f"{person.id_number},张晓明,,{until}",
        f"{BAD_ID},李四,,",  # a wrong check digit
        f"{resident_id('32010220050101992')},,,",  # no name
        f"{resident_id('32010220050101993')},赵六,2026-02-30,",  # no such day
    ]
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def proof_photo() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (480, 320), "#f3e9d2").save(buffer, format="PNG")
    return {"name": "低保证.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def fill_form(page, *, mobile: str) -> None:
    page.get_by_label("学号").fill("221250001")
    page.get_by_label("所在院系").fill("计算机学院")
    page.get_by_label("专业").fill("软件工程")
    page.get_by_label("移动电话").fill(mobile)
    for selector, label in (("#id_ethnic_group", "汉族"), ("#id_education_level", "大学本科"),
                            ("#id_school", "南京大学")):
        page.locator(selector).select_option(label=label)
    for name in ("hukou_region", "residence_region"):
        for suffix, label in (("province", "江苏省"), ("city", "南京市"), ("county", "鼓楼区")):
            select = page.locator(f"#id_{name}_{suffix}")
            expect(select.locator("option", has_text=label)).to_have_count(1)
            htmx_idle(page)
            select.select_option(label=label)
            htmx_idle(page)
    page.get_by_label("户籍地址").fill("江苏省南京市鼓楼区汉口路22号")
    page.get_by_label("居住地址").fill("江苏省南京市鼓楼区汉口路22号")
    page.get_by_role("checkbox", name="我已阅读并了解以上内容").check()


def choose_low(page) -> None:
    page.locator("#id_category").select_option(label=LOW)
    htmx_idle(page)
    expect(page.locator("#materials")).to_contain_text(PROOF)


def test_verification_journey(live_server, new_context, viewport_name, sms_code, person, unlisted, window,
                              world, operator):
    url = live_server.url

    # 1. The operator imports 民政's 低保 list; the report lists the three bad rows.
    admin = new_context().new_page()
    log_in_staff(admin, url, sms_code, operator)
    admin.get_by_role("link", name="数据比对名单导入").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("数据比对名单")
    check_page(admin, viewport=viewport_name)
    admin.get_by_role("link", name=re.compile(r"^导入新版本\s*城乡低保名单$")).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("导入城乡低保名单")
    expect(admin.get_by_label("“证件号码”所在列的列名")).to_have_value("证件号码")
    check_page(admin, viewport=viewport_name)
    admin.get_by_label("名单文件").set_input_files(
        {"name": "低保名单.csv", "mimeType": "text/csv", "buffer": low_list(person)})
    admin.get_by_role("button", name="上传并导入").click()
    expect(admin).to_have_url(re.compile(r"/verification/batches/\d+/$"))
    expect(admin.locator(".notice--success")).to_contain_text("导入完成：已导入1行")
    problems = admin.locator("table tbody tr")
    expect(problems).to_have_count(3)
    expect(problems.nth(0)).to_contain_text("第3行")
    expect(problems.nth(0)).to_contain_text("证件号码校验位不正确")
    expect(problems.nth(1)).to_contain_text("请输入姓名")
    expect(problems.nth(2)).to_contain_text("有效期起")
    expect(admin.locator("main")).not_to_contain_text(BAD_ID)  # masked
    check_page(admin, viewport=viewport_name)
    admin.get_by_role("link", name="返回名单列表").click()
    expect(admin.locator("table.registry-table")).to_contain_text("民政 · ")
    check_page(admin, viewport=viewport_name)

    # 2. The student on the list: no upload needed; submitted without one.
    listed = new_context().new_page()
    log_in_person(listed, url, person.mobile)
    listed.goto(url + "/subsidy/apply/")
    choose_low(listed)
    verified = listed.locator(".check-verified")
    expect(verified).to_contain_text("系统已核验，无需上传")
    expect(verified).to_contain_text("民政城乡低保名单（")
    expect(verified).to_contain_text("中查到本人，有效期至")
    expect(listed.locator("fieldset.material-slot legend")).to_contain_text("系统已核验，无需上传")
    check_page(listed, viewport=viewport_name)
    fill_form(listed, mobile="13800000001")
    listed.get_by_role("button", name="确认提交").click()
    expect(listed).to_have_url(re.compile(r"/subsidy/cases/\d+/submitted/$"))
    check_page(listed, viewport=viewport_name)

    # 3. The student not on the list is told what to upload, and cannot submit without it.
    other = new_context().new_page()
    log_in_person(other, url, unlisted.mobile)
    other.goto(url + "/subsidy/apply/")
    choose_low(other)
    unverified = other.locator(".check-unverified")
    expect(unverified).to_contain_text("系统未能核验您的毕业生类型")
    expect(unverified).to_contain_text("中未查到本人")
    expect(unverified).to_contain_text(f"请上传{PROOF}")
    check_page(other, viewport=viewport_name)
    fill_form(other, mobile="13800000002")
    other.get_by_role("button", name="确认提交").click()
    expect(other.locator(".error-summary")).to_contain_text(f"请上传{PROOF}")
    check_page(other, viewport=viewport_name)
    slot = other.locator("fieldset.material-slot")
    slot.get_by_label(f"选择文件（{PROOF}）").set_input_files(proof_photo())
    other.get_by_role("checkbox", name="我已阅读并了解以上内容").check()
    other.get_by_role("button", name="确认提交").click()
    expect(other).to_have_url(re.compile(r"/subsidy/cases/\d+/submitted/$"))

    # 4. The school's reviewer sees both checks with their sentences and filters by result.
    school = new_context().new_page()
    log_in_staff(school, url, sms_code, world["school"])
    school.goto(url + "/subsidy/review/")
    rows = school.locator("table.review-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="张*明")).to_contain_text("部分未能比对")
    expect(rows.filter(has_text="王*芳")).to_contain_text("类型需看材料")
    check_page(school, viewport=viewport_name)

    rows.filter(has_text="张*明").get_by_role("link").first.click()
    checks = school.locator("#checks")
    expect(checks).to_contain_text("毕业生类型核验")
    expect(checks).to_contain_text("民政城乡低保名单（")
    expect(checks).to_contain_text("中查到本人，有效期至")
    expect(checks).to_contain_text("尚未导入社保参保名单，未能核验就业情况")
    check_page(school, viewport=viewport_name)
    school.go_back()
    rows.filter(has_text="王*芳").get_by_role("link").first.click()
    expect(school.locator("#checks")).to_contain_text("民政城乡低保名单（")
    expect(school.locator("#checks")).to_contain_text("中未查到本人")
    check_page(school, viewport=viewport_name)

    school.goto(url + "/subsidy/review/")
    school.locator("details.review-filters__more summary").click()
    school.get_by_label("数据比对结果").select_option(label="类型已核验")
    school.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("张*明")
    check_page(school, viewport=viewport_name)
    school.get_by_label("数据比对结果").select_option(label="类型未核验（需看材料）")
    school.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("王*芳")
