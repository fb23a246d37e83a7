"""What the applicant and an objector are told (issue 17): each step leaves an SMS and a 我的消息
entry titled by the step, submitting and resubmitting included; an opinion's own full stop is
not doubled; a number in an opinion is masked, never a reason to drop the message, and the
officer is told; whoever raised an objection hears its outcome."""

import pytest
from django.urls import reverse

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.core.crypto import blind_index
from servicehall.messaging.models import SiteMessage, SmsMessage
from servicehall.subsidy import publicity, review, services
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application, Objection
from servicehall.subsidy.tests.factories import submit_for

pytestmark = pytest.mark.django_db
MOBILE_IN_OPINION = "13912345678"


def _titles(user) -> list[str]:
    return list(SiteMessage.objects.filter(user=user).order_by("pk").values_list("title", flat=True))


def _sms_to(mobile: str) -> list[str]:
    index = blind_index(mobile, purpose="mobile")
    return [m.text for m in SmsMessage.objects.filter(mobile_index=index).order_by("pk")]


def _decide(client, application, decision, opinion, state=S.SCHOOL_REVIEW):
    url = reverse("subsidy:review_detail", args=[application.pk])
    return client.post(url, {"decision": decision, "opinion": opinion, "state": state}, follow=True)


def test_each_step_leaves_a_message_titled_by_the_step(client, world, django_capture_on_commit_callbacks):
    person = PersonFactory(index=41)
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_for(person)
    client.force_login(world["school"])
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client, application, "return", "请补充院系全称。")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_resubmit(
            applicant=person, application=Application.objects.get(pk=application.pk), data={}, pledged=True
        )
    assert _titles(person) == ["申请已提交", "申请被退回修改", "申请已重新提交"]
    bodies = list(SiteMessage.objects.filter(user=person).order_by("pk").values_list("body", flat=True))
    assert application.record_number in bodies[0] and "已提交" in bodies[0]
    # The officer's 。 and the text's own 。 are one.
    sms = _sms_to(application.mobile)
    assert "请补充院系全称。请登录" in bodies[1] and "。。" not in "".join(bodies + sms)
    # The SMS says what the message says.
    assert [text.removeprefix("【江苏人社】") for text in sms] == bodies


def test_a_withdrawal_is_told_too(client, django_capture_on_commit_callbacks, year):
    person = PersonFactory(index=42)
    application = submit_for(person)
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("subsidy:withdraw", args=[application.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).state == S.WITHDRAWN
    assert _titles(person)[-1] == "申请已撤回"


def test_a_mobile_number_in_an_opinion_is_masked_and_the_reviewer_told(
    client, world, django_capture_on_commit_callbacks
):
    person = PersonFactory(index=43)
    application = submit_for(person)
    client.force_login(world["school"])
    with django_capture_on_commit_callbacks(execute=True):
        opinion = f"请联系辅导员{MOBILE_IN_OPINION}补充证明"
        page = _decide(client, application, "return", opinion).content.decode()
    assert "已隐去其中部分数字" in page and "办公电话" in page  # the reviewer is told
    message = SiteMessage.objects.get(user=person, title="申请被退回修改")  # not dropped
    assert "139****5678" in message.body and MOBILE_IN_OPINION not in message.body
    assert all(MOBILE_IN_OPINION not in text for text in _sms_to(application.mobile))
    assert any("139****5678" in text for text in _sms_to(application.mobile))
    # An opinion without a number warns nobody.
    other = submit_for(PersonFactory(index=44))
    assert "已隐去" not in _decide(client, other, "return", "请补充院系全称").content.decode()


@pytest.mark.parametrize(("decision", "said"), [("dismiss", "核实不成立"), ("uphold", "核实成立")])
def test_whoever_raised_an_objection_hears_its_outcome(
    client, world, decision, said, django_capture_on_commit_callbacks
):
    application = submit_for(PersonFactory(index=45))
    review.application_decide(
        decision="approve_by_school", actor=world["school"], application_id=application.pk
    )
    item = publicity.publicity_publish(actor=world["school"], application_ids=[application.pk])
    objector = PersonFactory(index=46)
    objection = publicity.objection_raise(
        actor=objector, publicity=item, application_id=application.pk, reason="该生已就业"
    )
    client.force_login(world["school"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("subsidy:review_objections"),
            {
                "objection": objection.pk,
                "decision": decision,
                f"objection-{objection.pk}-response": f"经核实，请致电{MOBILE_IN_OPINION}了解详情。",
            },
            follow=True,
        )
    assert "已隐去其中部分数字" in response.content.decode()
    assert Objection.objects.get(pk=objection.pk).state != "open"
    message = SiteMessage.objects.get(user=objector)
    assert message.title == "异议处理结果" and said in message.body
    assert message.link == reverse("notices:detail", args=[item.notice_id])
    # The listed person is named as the 公示 names them; numbers are masked; one full stop.
    assert application.name not in message.body and application.name[0] + "*" in message.body
    assert "139****5678" in message.body and "。。" not in message.body
    assert [said in text for text in _sms_to(objector.mobile)] == [True]
