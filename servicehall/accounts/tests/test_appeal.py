"""用户申诉: a bound ID number, the appeal, the operator's approval, the new registration."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from servicehall.accounts.models import AccountAppeal, User
from servicehall.accounts.selectors import user_find_by_id_number
from servicehall.messaging.models import SmsMessage
from tests.clients import staff_client
from tests.people import PASSWORD, resident_id

from .factories import APPELLANT_MOBILE, appeal_form, photo, submit_appeal

pytestmark = pytest.mark.django_db


def operator_client(client, operator, sms_code):
    return staff_client(operator, sms_code, client=client)


def test_appeal_submitted_and_approved_releases_the_binding(client, person, operator, sms_code):
    response = submit_appeal(client, person, sms_code)
    assert response.url == reverse("accounts:appeal_done")
    item = AccountAppeal.objects.get()
    assert item.status == "pending" and item.id_photo_encrypted and item.id_photo.name.endswith(".bin")

    staff = operator_client(client.__class__(), operator, sms_code)
    listing = staff.get(reverse("accounts:appeal_list")).content.decode()
    assert "张*明" in listing and person.id_number not in listing
    detail = staff.get(reverse("accounts:appeal_detail", args=[item.pk]))
    assert detail.status_code == 200
    assert staff.get(reverse("accounts:appeal_photo", args=[item.pk]))["Content-Type"] == "image/jpeg"
    staff.post(reverse("accounts:appeal_decide", args=[item.pk]),
               {"decision": "approve", "opinion": "证件照片与证件号码一致"})

    item.refresh_from_db()
    holder = User.objects.get(pk=person.pk)
    assert item.status == "approved" and holder.id_number_index is None
    texts = [m.text for m in SmsMessage.objects.all()]
    assert any("申诉已通过" in t for t in texts)
    assert any("已解除绑定" in t for t in texts)


def test_the_appellant_can_then_register(client, person, operator, sms_code):
    submit_appeal(client, person, sms_code)
    staff = operator_client(client.__class__(), operator, sms_code)
    staff.post(reverse("accounts:appeal_decide", args=[AccountAppeal.objects.get().pk]),
               {"decision": "approve"})
    fresh = client.__class__()
    fresh.post(reverse("accounts:register"), {"mobile": APPELLANT_MOBILE, "action": "send_code"})
    response = fresh.post(reverse("accounts:register"), {
        "id_type": "resident", "id_number": person.id_number, "name": "张晓明",
        "mobile": APPELLANT_MOBILE, "password": PASSWORD, "password_confirm": PASSWORD,
        "sms_code": sms_code(APPELLANT_MOBILE), "agree": "on"})
    assert response.status_code == 302
    new_holder = user_find_by_id_number(person.id_number)
    assert new_holder.pk != person.pk and new_holder.mobile == APPELLANT_MOBILE


def test_reject_needs_a_reason_and_tells_the_appellant(client, person, operator, sms_code):
    submit_appeal(client, person, sms_code)
    staff = operator_client(client.__class__(), operator, sms_code)
    pk = AccountAppeal.objects.get().pk
    response = staff.post(reverse("accounts:appeal_decide", args=[pk]), {"decision": "reject"})
    assert "请填写不通过的原因" in response.content.decode()
    staff.post(reverse("accounts:appeal_decide", args=[pk]),
               {"decision": "reject", "opinion": "照片不清晰"})
    assert AccountAppeal.objects.get().status == "rejected"
    assert User.objects.get(pk=person.pk).id_number_index is not None
    assert any("照片不清晰" in m.text for m in SmsMessage.objects.all())


def test_an_unbound_id_needs_no_appeal(client, db, sms_code):
    free_id = resident_id("32010220050601002")
    client.post(reverse("accounts:appeal"), {"mobile": APPELLANT_MOBILE, "action": "send_code"})
    response = client.post(reverse("accounts:appeal"), {
        "id_type": "resident", "id_number": free_id, "name": "王小红", "mobile": APPELLANT_MOBILE,
        "sms_code": sms_code(APPELLANT_MOBILE), "id_photo": photo()})
    assert "无需申诉" in response.content.decode()


def test_a_file_that_is_not_an_image_is_refused(client, person, sms_code):
    fake = SimpleUploadedFile("id.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    response = client.post(reverse("accounts:appeal"), {**appeal_form(person), "id_photo": fake})
    assert response.status_code == 200
    assert "无法识别该照片" in response.content.decode()


def test_photo_is_kept_across_a_form_error(client, person, sms_code):
    response = client.post(reverse("accounts:appeal"),
                           {**appeal_form(person, sms_code="1"), "id_photo": photo("mine.jpg")})
    assert "已上传照片：mine.jpg" in response.content.decode()
    client.post(reverse("accounts:appeal"), {**appeal_form(person), "action": "send_code"})
    response = client.post(reverse("accounts:appeal"),
                           appeal_form(person, sms_code=sms_code(APPELLANT_MOBILE)))
    assert response.status_code == 302
    assert AccountAppeal.objects.count() == 1


def test_only_operators_see_appeals(client, person, school_reviewer, sms_code):
    submit_appeal(client, person, sms_code)
    reviewer = client.__class__()
    reviewer.post(reverse("accounts:login_staff"), {"identifier": "nju.reviewer", "password": PASSWORD})
    reviewer.post(reverse("accounts:login_staff_verify"), {"sms_code": sms_code("13900000011")})
    pk = AccountAppeal.objects.get().pk
    assert reviewer.get(reverse("accounts:appeal_list")).status_code == 403
    assert reviewer.get(reverse("accounts:appeal_photo", args=[pk])).status_code == 403
    anonymous = client.__class__()
    assert anonymous.get(reverse("accounts:appeal_detail", args=[pk])).status_code == 302
