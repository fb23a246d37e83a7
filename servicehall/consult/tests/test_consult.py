"""我要问 (issue 17): a person asks about a service from its guide; the bureau of the city the hall
is set to answers (the province when none is set), within the working days set; the person is
told by SMS and in 我的消息; nobody else reads the question."""

import pytest
from django.urls import reverse

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.audit.models import AuditEntry
from servicehall.consult.models import Question
from servicehall.core.crypto import blind_index
from servicehall.core.moments import end_text
from servicehall.messaging.models import SiteMessage, SmsMessage
from servicehall.reference.preferences import REGION_COOKIE

pytestmark = pytest.mark.django_db
INDEX = reverse("consult:index")
INBOX = reverse("consult:inbox")
SUBSIDY = "job-seeking-subsidy"
WORDS = "毕业后才办的社会保障卡可以申报吗？"


def _ask(client, text=WORDS, service=SUBSIDY, **extra):
    return client.post(INDEX, {"service": service, "text": text}, **extra)


def test_the_guide_leads_to_the_question_form_with_its_service(client, person):
    guide = client.get(reverse("catalog:guide", args=[SUBSIDY])).content.decode()
    assert f'href="{INDEX}?service={SUBSIDY}"' in guide
    page = client.get(INDEX, {"service": SUBSIDY}).content.decode()
    assert "登录后咨询" in page and "<textarea" not in page  # asking needs a login
    client.force_login(person)
    page = client.get(INDEX, {"service": SUBSIDY}).content.decode()
    assert f'<option value="{SUBSIDY}" selected>' in page


def test_the_city_bureau_answers_and_the_person_is_told(
    client, person, world, django_capture_on_commit_callbacks
):
    client.force_login(person)
    client.cookies[REGION_COOKIE] = "320100"
    response = _ask(client, follow=True)
    question = Question.objects.get()
    assert question.organisation == world["nanjing"] and question.asker == person
    page = response.content.decode()
    assert "咨询已提交，南京市人力资源和社会保障局将在5个工作日内答复" in page and WORDS in page
    assert end_text(question.due_at) in page
    assert AuditEntry.objects.filter(action="consult.ask", target_id=str(question.pk)).exists()

    # Another bureau and another person see nothing of it.
    client.force_login(world["other_bureau"])
    assert WORDS not in client.get(INBOX).content.decode()
    assert client.get(reverse("consult:detail", args=[question.pk])).status_code == 404
    client.force_login(PersonFactory(index=91))
    assert client.get(reverse("consult:detail", args=[question.pk])).status_code == 404

    client.force_login(world["first"])
    inbox = client.get(INBOX).content.decode()
    assert "待答复" in inbox and person.name not in inbox and person.masked_name in inbox
    detail = reverse("consult:detail", args=[question.pk])
    assert "请填写答复内容" in client.post(detail, {"answer": "  "}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail, {"answer": "可以。申报时卡已开通金融功能即可。"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == "answered" and question.answered_by == world["first"]
    message = SiteMessage.objects.get(user=person)
    assert message.title == "咨询已答复" and message.link == detail
    texts = SmsMessage.objects.filter(mobile_index=blind_index(person.mobile, purpose="mobile"))
    assert any("求职创业补贴个人申报" in m.text for m in texts)
    client.force_login(person)
    assert "申报时卡已开通金融功能即可" in client.get(detail).content.decode()
    # Answered once only.
    client.force_login(world["second"])
    assert "提交答复" not in client.get(detail).content.decode()


def test_without_a_city_the_province_answers(client, person, operator, world):
    client.force_login(person)
    _ask(client)
    assert Question.objects.get().organisation == operator.organisation
    client.force_login(operator)
    assert WORDS in client.get(reverse("consult:detail", args=[Question.objects.get().pk])).content.decode()


@pytest.mark.parametrize(("service", "text", "said"), [
    (SUBSIDY, "", "请填写咨询内容"),
    (SUBSIDY, "问" * 501, "咨询内容"),
    ("no-such-service", WORDS, "请选择"),
    ("", WORDS, "请选择咨询事项"),
    (SUBSIDY + "\x00", WORDS, "请选择"),
])
def test_bad_questions_are_answered_beside_their_field(client, person, operator, service, text, said):
    client.force_login(person)
    response = _ask(client, text=text, service=service)
    assert response.status_code == 200 and said in response.content.decode()
    assert not Question.objects.exists()


def test_the_question_is_kept_encrypted_and_staff_cannot_ask(client, person, operator, school_reviewer):
    from django.db import connection

    client.force_login(person)
    _ask(client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM consult_question")
        assert WORDS not in cursor.fetchone()[0]
    client.force_login(school_reviewer)
    assert client.get(INDEX).status_code == 302  # staff go to their inbox (or the workbench)
    assert client.get(INBOX).status_code == 403  # a school does not answer questions


def test_a_person_asks_at_most_ten_a_day(client, person, operator):
    client.force_login(person)
    for _ in range(10):
        _ask(client)
    assert "今天提交的咨询已达10条" in _ask(client).content.decode()
    assert Question.objects.count() == 10
