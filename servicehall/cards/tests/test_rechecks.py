"""社会保障卡数据更新 and 申请核对 (issue 17): a person without a usable card sees when the card
list was last updated and when the next is due, and asks to be told; the next card import
answers every open request once, by SMS and in 我的消息, whatever it finds."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.cards import rechecks
from servicehall.cards.models import CardImportBatch, CardRecheckRequest, SocialSecurityCard
from servicehall.cards.services import demo_card_for
from servicehall.cards.tests.factories import csv_bytes, row, upload
from servicehall.core.crypto import blind_index
from servicehall.messaging.models import SiteMessage, SmsMessage

pytestmark = pytest.mark.django_db
RECHECK = reverse("cards:recheck")
APPLY = reverse("subsidy:apply")


def _batch(operator, **fields) -> CardImportBatch:
    return CardImportBatch.objects.create(
        imported_by=operator, filename="cards.csv", sha256="0" * 64, **fields
    )


def _sms_to(person) -> list[str]:
    return list(SmsMessage.objects.filter(mobile_index=blind_index(person.mobile, purpose="mobile"))
                .values_list("text", flat=True))


def test_the_precondition_page_says_when_the_list_was_and_will_be_updated(
    client, person, operator, open_window
):
    client.force_login(person)
    page = client.get(APPLY).content.decode()
    assert "您还没有江苏省社会保障卡" in page and "本大厅还没有导入社会保障卡数据" in page
    _batch(operator, imported_at=timezone.now() - datetime.timedelta(hours=2))
    page = client.get(APPLY).content.decode()
    today = timezone.localdate()
    assert "最近一次更新于" in page and f"预计下次更新：{today + datetime.timedelta(days=1):%Y-%m-%d}" in page
    assert "数据更新已晚于计划" not in page
    CardImportBatch.objects.update(imported_at=timezone.now() - datetime.timedelta(days=3))
    assert "数据更新已晚于计划" in client.get(APPLY).content.decode()


def test_asking_twice_is_one_request_and_the_page_says_it_waits(client, person, open_window):
    client.force_login(person)
    response = client.post(RECHECK, {"next": APPLY}, follow=True)
    assert response.redirect_chain[-1][0] == APPLY
    page = response.content.decode()
    assert "已收到您的核对申请" in page and 'id="card-recheck-waiting"' in page
    client.post(RECHECK, {"next": "https://evil.example/"})
    assert CardRecheckRequest.objects.filter(user=person).count() == 1


def test_someone_whose_card_works_or_staff_cannot_ask(client, person, school_reviewer):
    demo_card_for(id_number=person.id_number, name=person.name)
    client.force_login(person)
    assert "无需申请核对" in client.post(RECHECK, follow=True).content.decode()
    client.force_login(school_reviewer)
    assert client.post(RECHECK).status_code in (302, 403)
    assert client.get(RECHECK).status_code in (302, 403, 405)
    assert not CardRecheckRequest.objects.exists()


def test_the_next_import_answers_each_request_once(person, operator, django_capture_on_commit_callbacks):
    from servicehall.accounts.tests.factories import PersonFactory

    without = PersonFactory(index=71)
    inactive = PersonFactory(index=72)
    for someone in (person, without, inactive):
        rechecks.card_recheck_request(user=someone)
    demo_card_for(id_number=person.id_number, name=person.name)
    card = demo_card_for(id_number=inactive.id_number, name=inactive.name)
    SocialSecurityCard.objects.filter(pk=card.pk).update(financial_active=False)
    batch = _batch(operator)
    assert rechecks.card_rechecks_answer(batch_id=batch.pk) == 3
    assert rechecks.card_rechecks_answer(batch_id=batch.pk) == 0  # a task run twice tells nobody twice
    answers = dict(CardRecheckRequest.objects.values_list("user_id", "answer"))
    assert answers == {person.pk: "usable", without.pk: "not_found", inactive.pk: "not_usable"}
    assert any("现在可以登录网上办事服务大厅申报" in t for t in _sms_to(person))
    assert any("仍未查到您的社会保障卡" in t for t in _sms_to(without))
    assert any("尚未开通金融功能" in t for t in _sms_to(inactive))
    for someone in (person, without, inactive):
        message = SiteMessage.objects.get(user=someone)
        assert message.title == "社会保障卡信息核对结果" and message.link == APPLY
    # Asked again after the answer: a new request, answered by the next import only.
    rechecks.card_recheck_request(user=without)
    assert rechecks.card_rechecks_answer(batch_id=batch.pk) == 0
    assert rechecks.card_rechecks_answer(batch_id=_batch(operator).pk) == 1


def test_a_card_import_through_its_page_answers_the_waiting(client, person, operator,
                                                             django_capture_on_commit_callbacks):
    rechecks.card_recheck_request(user=person)
    client.force_login(operator)
    data = csv_bytes([row(id_number=person.id_number, name=person.name)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cards:import"), {"file": upload(data)})
    assert response.status_code == 302
    assert CardRecheckRequest.objects.get(user=person).answer == "usable"
    assert any("现在可以登录网上办事服务大厅申报" in t for t in _sms_to(person))
