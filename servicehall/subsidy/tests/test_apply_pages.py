"""The applicant's journey through HTTP: preconditions, the form, drafts, uploads, submit,
the receipt, one claim per person, withdraw."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from servicehall.audit.models import AuditEntry
from servicehall.messaging.models import SmsMessage
from servicehall.reference.workdays import SHANGHAI
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.models import Application, RequiredMaterial
from servicehall.subsidy.tests.factories import form_data
from tests.files import png

APPLY = reverse("subsidy:apply")
pytestmark = pytest.mark.django_db


def _disabled_requirement():
    return RequiredMaterial.objects.get(category__code="disabled", category__graduation_year_id=2027)


def _submit_complete(client):
    client.get(APPLY)
    key = f"material_{_disabled_requirement().pk}"
    client.post(APPLY, {**form_data(action="upload"), key: png()})
    return client.post(APPLY, form_data())


def test_logged_out_goes_to_login(client):
    response = client.get(APPLY)
    assert response.url.startswith(reverse("accounts:login"))


def test_the_catalog_apply_button_leads_here(client, person, card, open_window):
    client.force_login(person)
    response = client.get(reverse("catalog:apply", args=["job-seeking-subsidy"]))
    assert response.url == APPLY


def test_without_a_card_the_person_is_told_what_to_do(client, person, open_window):
    client.force_login(person)
    page = client.get(APPLY).content.decode()
    assert "申报前请先准备社会保障卡" in page
    assert "即时制卡网点" in page
    assert not Application.objects.exists()


# The 2027 class's default windows are 1-30 September 2026 and 1-31 May 2027 (years.py): these
# tests set the clock, so that they mean the same whatever day they run on.
BETWEEN_WINDOWS = datetime.datetime(2026, 7, 15, 10, 0, tzinfo=SHANGHAI)
IN_THE_MAIN_WINDOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=SHANGHAI)
IN_THE_SUPPLEMENTARY_WINDOW = datetime.datetime(2027, 5, 12, 10, 0, tzinfo=SHANGHAI)


def test_outside_the_window_the_page_names_the_next_one(client, person, card, year, time_machine):
    time_machine.move_to(BETWEEN_WINDOWS, tick=False)
    client.force_login(person)
    page = client.get(APPLY).content.decode()
    assert "现在不在申报期内" in page
    assert "下一个申报期：2027届毕业生" in page and "尚未公布" not in page
    assert not Application.objects.exists()


@pytest.mark.parametrize("moment", [IN_THE_MAIN_WINDOW, IN_THE_SUPPLEMENTARY_WINDOW])
def test_inside_a_default_window_the_form_is_open(client, person, card, year, time_machine, moment):
    time_machine.move_to(moment, tick=False)
    client.force_login(person)
    page = client.get(APPLY).content.decode()
    assert "现在不在申报期内" not in page and 'name="pledge"' in page


def test_the_form_shows_the_card_masked_and_the_account_data_read_only(client, person, card, open_window):
    client.force_login(person)
    page = client.get(APPLY).content.decode()
    assert card.masked_account in page
    assert card.account not in page
    assert person.id_number not in page
    for label in [
        "民族",
        "学历",
        "毕业学校",
        "毕业年度",
        "毕业生类型",
        "学号",
        "所在院系",
        "专业",
        "开户银行",
        "开户名称",
        "银行账号",
        "移动电话",
        "户籍区划",
        "户籍地址",
        "常住区划",
        "居住地址",
        "核准标志",
        "我已阅读并了解以上内容",
        "确认提交",
        "保存草稿",
    ]:
        assert label in page, label


def test_a_draft_keeps_what_was_typed_across_logout(client, person, card, open_window):
    client.force_login(person)
    client.get(APPLY)
    response = client.post(
        APPLY, {"action": "save_draft", "student_number": "A-2025001", "major": "社会工作"}
    )
    assert response.status_code == 302
    client.logout()
    client.force_login(person)
    page = client.get(APPLY).content.decode()
    assert 'value="A-2025001"' in page and 'value="社会工作"' in page


def test_a_draft_with_a_bad_value_saves_the_good_ones_and_says_what_is_wrong(
    client, person, card, open_window
):
    client.force_login(person)
    client.get(APPLY)
    page = client.post(
        APPLY, {"action": "save_draft", "student_number": "学号!!", "major": "社会工作", "mobile": "12345"}
    ).content.decode()
    assert "学号只能包含字母、数字和短横线" in page
    assert "移动电话应为1开头的11位数字" in page
    assert 'value="学号!!"' in page  # kept on the page to correct
    assert Application.objects.get().major == "社会工作"


def test_submitting_an_incomplete_form_names_each_missing_field_and_keeps_values(
    client, person, card, open_window
):
    client.force_login(person)
    client.get(APPLY)
    page = client.post(APPLY, form_data(student_number="", major="", pledge=None)).content.decode()
    assert "请填写学号" in page and "请填写专业" in page
    assert "请阅读上面的承诺，并勾选此项" in page
    assert 'value="计算机学院"' in page
    assert Application.objects.get().state == ApplicationStatus.DRAFT


def test_submitting_without_the_categorys_document_asks_for_it(client, person, card, open_window):
    client.force_login(person)
    client.get(APPLY)
    page = client.post(APPLY, form_data()).content.decode()
    assert "请上传中华人民共和国残疾人证" in page
    assert Application.objects.get().state == ApplicationStatus.DRAFT


def test_a_refused_upload_says_why_and_loses_nothing_else(client, person, card, open_window):
    client.force_login(person)
    client.get(APPLY)
    key = f"material_{_disabled_requirement().pk}"
    fake = png("残疾人证.jpg")
    fake.file = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200)
    page = client.post(APPLY, {**form_data(action="upload"), key: fake}).content.decode()
    assert "只能上传JPG、PNG图片或PDF文件" in page
    assert 'value="221250001"' in page


def test_submit_creates_the_case_with_a_record_number_an_sms_and_an_audit_entry(
    client, person, card, open_window, django_capture_on_commit_callbacks
):
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit_complete(client)
    application = Application.objects.get()
    assert response.url == reverse("subsidy:submitted", args=[application.pk])
    assert application.state == ApplicationStatus.SCHOOL_REVIEW
    assert re.fullmatch(r"\d{16}", application.record_number)
    assert application.account == card.account and application.bank == card.bank
    assert application.timeline.get().to_state == ApplicationStatus.SCHOOL_REVIEW
    assert any(application.record_number in m.text for m in SmsMessage.objects.all())
    assert AuditEntry.objects.filter(action="subsidy.submit", target_id=str(application.pk)).exists()
    page = client.get(response.url).content.decode()
    assert application.record_number in page and "学校将在5个工作日内审核" in page
    in_progress = client.get(reverse("portal:in_progress")).content.decode()
    assert application.record_number in in_progress and "学校审核中" in in_progress


def test_submitting_twice_gives_one_application(client, person, card, open_window):
    client.force_login(person)
    _submit_complete(client)
    again = client.post(APPLY, form_data())  # a double tap: the same confirmation again
    assert Application.objects.count() == 1
    assert again.url == reverse("subsidy:submitted", args=[Application.objects.get().pk])
    assert Application.objects.get().timeline.count() == 1


def test_the_receipt_is_a_pdf_with_the_record_number(client, person, card, open_window):
    client.force_login(person)
    _submit_complete(client)
    application = Application.objects.get()
    response = client.get(reverse("subsidy:receipt", args=[application.pk]))
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert application.record_number in text


def test_another_person_sees_nothing_of_it(client, person, card, open_window, django_user_model):
    from servicehall.accounts import services
    from servicehall.accounts.models import IdType
    from tests.people import PASSWORD, resident_id

    client.force_login(person)
    _submit_complete(client)
    application = Application.objects.get()
    material = application.applicant.materials.get()
    other = services.person_create_verified(
        id_type=IdType.RESIDENT,
        id_number=resident_id("32010219990101001"),
        name="李四",
        mobile="13800000002",
        password=PASSWORD,
    )
    client.force_login(other)
    for url in [
        reverse("subsidy:case", args=[application.pk]),
        reverse("subsidy:receipt", args=[application.pk]),
        reverse("subsidy:submitted", args=[application.pk]),
        reverse("subsidy:material_file", args=[material.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_withdraw_concludes_the_case_and_frees_the_claim(client, person, card, open_window):
    client.force_login(person)
    _submit_complete(client)
    application = Application.objects.get()
    case = reverse("subsidy:case", args=[application.pk])
    client.post(reverse("subsidy:withdraw", args=[application.pk]))  # not confirmed
    assert Application.objects.get().state == ApplicationStatus.SCHOOL_REVIEW
    client.post(reverse("subsidy:withdraw", args=[application.pk]), {"confirm": "yes"})
    assert Application.objects.get().state == ApplicationStatus.WITHDRAWN
    assert "已撤回" in client.get(reverse("portal:concluded")).content.decode()
    assert "我确认撤回这笔申请" not in client.get(case).content.decode()
    assert 'name="pledge"' in client.get(APPLY).content.decode()  # the form is open again
    client.post(APPLY, {"action": "save_draft"})
    assert Application.objects.filter(state=ApplicationStatus.DRAFT).count() == 1


def test_opening_the_form_writes_nothing(client, person, card, open_window):
    """Issue 15: a GET of the form used to create a draft. Now the first POST starts it."""
    client.force_login(person)
    for _ in range(2):
        page = client.get(APPLY)
        assert page.status_code == 200 and 'name="pledge"' in page.content.decode()
    assert not Application.objects.exists()
    client.post(APPLY, {"action": "save_draft", "student_number": "221250001"})
    assert Application.objects.get().student_number == "221250001"


def test_a_second_application_shows_the_first(client, person, card, open_window):
    client.force_login(person)
    _submit_complete(client)
    response = client.get(APPLY, follow=True)
    assert "每人只能申领一次" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("subsidy:case", args=[Application.objects.get().pk])


def test_materials_are_encrypted_on_disk_and_listed_in_my_materials(client, person, card, open_window):
    client.force_login(person)
    _submit_complete(client)
    material = person.materials.get()
    with material.file.open("rb") as stored:
        assert not stored.read().startswith(b"\x89PNG")
    served = client.get(reverse("subsidy:material_file", args=[material.pk]))
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    assert "证明.png" in client.get(reverse("subsidy:materials")).content.decode()


def test_removing_an_attached_file(client, person, card, open_window):
    client.force_login(person)
    client.get(APPLY)
    requirement = _disabled_requirement()
    client.post(APPLY, {**form_data(action="upload"), f"material_{requirement.pk}": png()})
    material = person.materials.get()
    client.post(
        APPLY, {**form_data(action="save_draft"), "remove_material": f"{requirement.pk}:{material.pk}"}
    )
    page = client.post(APPLY, form_data()).content.decode()
    assert "请上传中华人民共和国残疾人证" in page


def test_staff_are_sent_to_their_workbench(client, school_reviewer, open_window):
    client.force_login(school_reviewer)
    assert client.get(APPLY).url == reverse("accounts:staff_home")


def test_a_file_from_my_materials_can_be_used_again(client, person, card, open_window):
    from servicehall.subsidy import services

    material = services.material_store(owner=person, upload=png("旧的残疾人证.png"), field="m")
    client.force_login(person)
    client.get(APPLY)
    requirement = _disabled_requirement()
    client.post(APPLY, {**form_data(action="upload"), f"reuse_{requirement.pk}": str(material.pk)})
    response = client.post(APPLY, form_data())
    assert response.status_code == 302
    assert Application.objects.get().state == ApplicationStatus.SCHOOL_REVIEW


def test_someone_elses_material_cannot_be_reused(client, person, card, open_window):
    client.force_login(person)
    client.get(APPLY)
    requirement = _disabled_requirement()
    page = client.post(
        APPLY,
        {**form_data(action="upload"), f"reuse_{requirement.pk}": "00000000-0000-0000-0000-000000000000"},
    ).content.decode()
    assert "找不到所选的材料" in page
    page = client.post(APPLY, {**form_data(action="upload"), f"reuse_{requirement.pk}": "not-a-uuid"}).content
    assert "找不到所选的材料" in page.decode()
