"""用户申诉: someone registered with another person's ID number; the real owner appeals with a
photo, an operator approves it and releases the binding, and the owner registers."""

import re

from PIL import Image, ImageDraw
from playwright.sync_api import expect

from servicehall.accounts.models import AccountAppeal
from servicehall.messaging.models import SmsMessage

from .conftest import check_page, log_in_staff, request_code, screenshot

APPELLANT_MOBILE = "13700000002"
APPELLANT_PASSWORD = "Own#Id2026pw"


def _id_photo(tmp_path):
    path = tmp_path / "id-front.png"
    image = Image.new("RGB", (480, 300), "#e8eef5")
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 24, 160, 200), fill="#9fb3c8")
    draw.text((190, 60), "ID 3201 0220 0403 1500 3X", fill="#111111")
    image.save(path, format="PNG")
    return path


def _fill_register(page, id_number):
    page.get_by_label("证件号码").fill(id_number)
    page.get_by_label("姓名").fill("张晓明")
    page.get_by_label("移动电话").fill(APPELLANT_MOBILE)
    page.locator("#id_password").fill(APPELLANT_PASSWORD)
    page.locator("#id_password_confirm").fill(APPELLANT_PASSWORD)


def test_appeal_releases_bound_id(
    page, visit, live_server, viewport_name, sms_code, new_context, person, operator, tmp_path
):
    id_number = person.id_number
    # The real owner of the ID number tries to register and finds it taken.
    visit("/accounts/register/")
    _fill_register(page, id_number)
    register_code = request_code(page, sms_code, APPELLANT_MOBILE)
    page.get_by_label("短信验证码").fill(register_code)
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page.locator(".error-summary")).to_contain_text("该证件号码已被其他账号绑定")
    expect(page.locator("#field-id_number .field__error")).to_contain_text(
        "该证件号码已被其他账号绑定。如非本人注册，请通过用户申诉解除绑定"
    )
    check_page(page, shot="register-id-bound", viewport=viewport_name)
    page.get_by_role("link", name="证件号码被他人绑定？点此进行用户申诉").click()

    # 用户申诉
    expect(page.get_by_role("heading", level=1)).to_have_text("用户申诉")
    check_page(page, viewport=viewport_name)
    expect(page.get_by_label("证件类型")).to_have_value("resident")
    page.get_by_label("证件号码").fill(id_number)
    page.get_by_label("姓名").fill("张晓明")
    page.get_by_label("联系电话").fill(APPELLANT_MOBILE)
    page.get_by_label("短信验证码").fill(request_code(page, sms_code, APPELLANT_MOBILE))
    page.get_by_label("身份证人像面照片").set_input_files(_id_photo(tmp_path))
    page.get_by_label("申诉说明").fill("本人从未注册过该账号，手机号码也不是本人的。")
    check_page(page, shot="appeal", viewport=viewport_name)
    page.get_by_role("button", name="提交申诉").click()

    expect(page).to_have_url(re.compile(r"/accounts/appeal/done/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("申诉已提交")
    expect(page.get_by_role("status")).to_contain_text("审核结果将以短信通知您")
    check_page(page, viewport=viewport_name)

    # An operator, on another device, reviews it.
    staff = new_context().new_page()
    log_in_staff(staff, live_server.url, sms_code, operator)
    staff.get_by_role("link", name="用户申诉审核").click()
    row = staff.locator("table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("张*明")
    expect(row).to_contain_text("3201**********" + id_number[-4:])
    expect(row).to_contain_text("待审核")
    check_page(staff, viewport=viewport_name)
    row.get_by_role("link", name=re.compile("^审核")).click()

    expect(staff.get_by_role("heading", level=1)).to_have_text("申诉详情")
    details = staff.locator("dl.info-list")
    expect(details).to_contain_text("本人从未注册过该账号")
    expect(details).to_contain_text("张*明，手机 138****0001")  # the account holding the ID
    photo = staff.get_by_role("img", name="申诉人上传的证件照片")
    expect(photo).to_be_visible()
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth") > 0, "the appeal photo did not load"
    check_page(staff, shot="appeal-detail", viewport=viewport_name)
    staff.get_by_label("审核意见").fill("照片与证件信息一致")
    staff.get_by_role("button", name="通过并解除绑定").click()

    expect(staff).to_have_url(re.compile(r"/accounts/org/appeals/$"))
    expect(staff.locator(".notices")).to_contain_text("申诉已通过，原账号的证件绑定已解除")
    expect(staff.locator(".empty-state")).to_have_text("没有该状态的申诉。")
    check_page(staff, viewport=viewport_name)
    staff.get_by_role("link", name="已通过").click()
    expect(staff.locator("table tbody tr")).to_contain_text("已通过")
    check_page(staff, viewport=viewport_name)

    person.refresh_from_db()
    assert person.id_number == ""
    # Both people were told by SMS.
    texts = [m.text for m in SmsMessage.objects.order_by("id")]
    assert any("您的用户申诉已通过" in t for t in texts), texts
    assert any("证件号码已解除绑定" in t for t in texts), texts

    # The owner registers with the released ID number (the code from before is still valid).
    page.goto(live_server.url + "/accounts/register/")
    _fill_register(page, id_number)
    page.get_by_label("短信验证码").fill(register_code)
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page).to_have_url(re.compile(r"/center/$"))
    expect(page.locator("dl.info-list")).to_contain_text("3201**********" + id_number[-4:])
    expect(page.locator("dl.info-list")).to_contain_text("137****0002")
    check_page(page, viewport=viewport_name)
    screenshot(page, "appeal-registered", viewport_name)


def test_appeal_photo_is_kept_after_a_form_error(
    page, visit, viewport_name, sms_code, person, tmp_path
):
    """A person who forgot the code does not have to choose the photo again."""
    visit("/accounts/appeal/")
    page.get_by_label("证件号码").fill(person.id_number)
    page.get_by_label("姓名").fill("张晓明")
    page.get_by_label("联系电话").fill(APPELLANT_MOBILE)
    page.get_by_label("身份证人像面照片").set_input_files(_id_photo(tmp_path))
    page.get_by_role("button", name="提交申诉").click()

    expect(page.locator(".error-summary")).to_contain_text("请输入短信验证码")
    expect(page.locator(".error-summary")).not_to_contain_text("身份证人像面照片")
    expect(page.get_by_role("status")).to_contain_text("已上传照片：id-front.png")
    expect(page.get_by_label("证件号码")).to_have_value(person.id_number)
    check_page(page, viewport=viewport_name)

    page.get_by_label("短信验证码").fill(request_code(page, sms_code, APPELLANT_MOBILE))
    page.get_by_role("button", name="提交申诉").click()
    expect(page).to_have_url(re.compile(r"/accounts/appeal/done/$"))
    appeal = AccountAppeal.objects.get()
    assert appeal.id_photo.size > 0
