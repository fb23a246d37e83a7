"""How a form shows its errors: a summary at the top that links to each field, and each
field's own message, in red, between its label and its input."""

import re

from playwright.sync_api import expect

from .conftest import check_page, resident_id

RED = "rgb(198, 40, 40)"  # --red in hall.css
REGISTER_FIELDS = [
    "id_number", "name", "mobile", "password", "password_confirm", "sms_code", "agree",
]


def _submit_empty_register(page, visit):
    visit("/accounts/register/")
    page.get_by_role("button", name="注册", exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    return summary


def test_register_submitted_empty(page, visit, viewport_name):
    summary = _submit_empty_register(page, visit)
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading", name="请修改以下问题后再提交")).to_be_visible()
    expect(summary).to_be_focused()  # hall.js moves focus there, so it is read out first
    check_page(page, shot="register-errors", viewport=viewport_name)

    links = summary.get_by_role("link")
    expect(links).to_have_count(len(REGISTER_FIELDS))
    for index, name in enumerate(REGISTER_FIELDS):
        link = links.nth(index)
        expect(link).to_have_attribute("href", f"#id_{name}")
        label_text, _, message = link.inner_text().partition("：")
        assert message, link.inner_text()

        field_input = page.locator(f"#id_{name}")
        expect(field_input).to_have_attribute("aria-invalid", "true")
        container = page.locator(".field--error").filter(has=field_input)
        expect(container).to_have_count(1)
        error = container.locator(".field__error")
        expect(error).to_have_count(1)
        expect(error).to_contain_text(message)
        expect(error).to_have_css("color", RED)
        expect(error).to_be_visible()

        # Beside its field: below the label (if the label is above) and just above the input.
        error_box, input_box = error.bounding_box(), field_input.bounding_box()
        assert error_box["y"] + error_box["height"] <= input_box["y"] + 1, name
        assert input_box["y"] - (error_box["y"] + error_box["height"]) < 48, name
        if name != "agree":  # the checkbox's label is beside it, not above
            label_box = container.locator(".field__label").bounding_box()
            assert label_box["y"] + label_box["height"] <= error_box["y"] + 1, name
            assert label_text.strip() in container.locator(".field__label").inner_text()

    # The fields without a problem are not marked.
    expect(page.locator("#field-id_type")).not_to_have_class(re.compile("field--error"))
    expect(page.locator("#id_id_type")).not_to_have_attribute("aria-invalid", "true")

    # A summary link takes the person to the field, ready to type.
    links.nth(1).click()
    expect(page.locator("#id_name")).to_be_focused()
    expect(page.locator("#id_name")).to_be_in_viewport()
    links.nth(5).click()
    expect(page.locator("#id_sms_code")).to_be_focused()


def test_register_wrong_values_are_explained_and_kept(page, visit, viewport_name):
    visit("/accounts/register/")
    wrong_check_digit = resident_id("32010219990521002")[:-1]
    wrong_check_digit += "1" if resident_id("32010219990521002")[-1] != "1" else "2"
    page.get_by_label("证件号码").fill(wrong_check_digit)
    page.get_by_label("姓名").fill("王小丽")
    page.get_by_label("移动电话").fill("12812345678")
    page.locator("#id_password").fill("Good#Pass2026")
    page.locator("#id_password_confirm").fill("Good#Pass2027")
    page.get_by_label("短信验证码").fill("12ab56")
    page.get_by_role("button", name="注册", exact=True).click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("证件号码校验位不正确，请核对最后一位")
    expect(summary).to_contain_text("移动电话应为1开头的11位数字，第二位为3-9")
    expect(summary).to_contain_text("两次输入的密码不一致")
    expect(summary).to_contain_text("短信验证码为6位数字")
    expect(page.locator("#field-password_confirm .field__error")).to_contain_text(
        "两次输入的密码不一致"
    )
    expect(page.locator("#field-name")).not_to_have_class(re.compile("field--error"))
    # What was typed is still there to correct.
    expect(page.get_by_label("证件号码")).to_have_value(wrong_check_digit)
    expect(page.get_by_label("姓名")).to_have_value("王小丽")
    expect(page.get_by_label("移动电话")).to_have_value("12812345678")
    expect(page.locator("#id_password")).to_have_value("Good#Pass2026")
    check_page(page, viewport=viewport_name)


def test_register_errors_are_announced_with_their_field(page, visit, viewport_name):
    _submit_empty_register(page, visit)
    for name in REGISTER_FIELDS:
        field_input = page.locator(f"#id_{name}")
        message = page.locator(".field--error").filter(has=field_input).locator(".field__error")
        text = message.inner_text().replace("错误：", "").strip()
        expect(field_input).to_have_accessible_description(
            re.compile(re.escape(text)), timeout=1000
        )
