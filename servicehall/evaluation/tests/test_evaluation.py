"""好差评: the applicant rates a concluded case once, from the case page; a poor rating goes to
the organisation that concluded the case, which answers within the working days set, and the
applicant is told. Nobody else rates it or answers it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.audit.models import AuditEntry
from servicehall.core.crypto import blind_index
from servicehall.core.moments import end_text
from servicehall.evaluation import selectors, services
from servicehall.evaluation.models import Evaluation
from servicehall.messaging.models import SiteMessage, SmsMessage
from servicehall.subsidy.tests.factories import refused_by_school, submit_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused(world, year):
    """A case the school refused (不予受理): concluded, and the school answers for it."""
    return refused_by_school(world, PersonFactory(index=1), opinion="学籍信息与学校记录不符")


def _rate(client, application, **data):
    return client.post(reverse("evaluation:rate", kwargs={"pk": application.pk}), data)


def test_a_case_in_progress_has_no_rating_and_cannot_be_rated(client, world, year):
    application = submit_for(PersonFactory(index=2))
    client.force_login(application.applicant)
    page = client.get(reverse("subsidy:case", kwargs={"pk": application.pk})).content.decode()
    assert "服务评价" not in page
    response = _rate(client, application, rating="5")
    assert response.status_code == 302 and not Evaluation.objects.exists()
    assert "办结后才能评价" in client.get(response["Location"]).content.decode()


def test_a_good_rating_from_the_case_page_needs_no_answer(client, refused):
    client.force_login(refused.applicant)
    page = client.get(reverse("subsidy:case", kwargs={"pk": refused.pk})).content.decode()
    assert "服务评价" in page and "非常满意" in page and "提交评价" in page
    response = _rate(client, refused, rating="4", good_reasons=["fast", "guide_clear"], comment="很方便")
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.rating, evaluation.status, evaluation.reply_due) == (4, "closed", None)
    assert evaluation.reasons == ["fast", "guide_clear"]
    assert evaluation.organisation.school_id == refused.school_id
    page = client.get(response["Location"]).content.decode()
    assert "感谢您的评价" in page and "满意 ·" in page and "提交评价" not in page
    # Once only.
    assert _rate(client, refused, rating="1", comment="again").status_code == 302
    assert Evaluation.objects.get().rating == 4
    assert AuditEntry.objects.filter(action="evaluation.rate").count() == 1


def test_a_poor_rating_must_say_why_and_goes_to_the_school_with_a_deadline(
    client,
    refused,
    world,
    django_capture_on_commit_callbacks,
):
    client.force_login(refused.applicant)
    response = _rate(client, refused, rating="2")
    assert response.status_code == 400
    assert "请勾选不满意的原因或填写意见建议" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _rate(
            client, refused, rating="2", poor_reasons=["result_unexplained"], comment="原因没说清楚"
        )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.status == "awaiting_reply" and evaluation.reply_due > evaluation.rated_at
    # The school's staff are told at once by SMS; the other school's are not.
    told = [m.text for m in SmsMessage.objects.all() if "收到差评" in m.text]
    assert len(told) == 1 and refused.record_number in told[0] and "不满意" in told[0]
    # The time limit ends at 00:00 after its last working day: written as that day's 24:00.
    due = end_text(evaluation.reply_due)
    assert due.endswith(" 24:00") and f"于{due}前答复" in told[0]
    to_school = SmsMessage.objects.filter(mobile_index=blind_index(world["school"].mobile, purpose="mobile"))
    assert any("收到差评" in message.text for message in to_school)
    # The school sees it waiting, with its deadline; another school sees nothing.
    client.force_login(world["school"])
    listed = client.get(reverse("evaluation:list")).content.decode()
    assert refused.record_number in listed and "待答复" in listed
    assert f">{due[:10]}</td>" in listed  # the last day, not the next day's date
    detail = client.get(reverse("evaluation:detail", kwargs={"pk": evaluation.pk})).content.decode()
    assert due in detail and f"{timezone.localtime(evaluation.reply_due):%Y-%m-%d} 00:00" not in detail
    client.force_login(world["other_school"])
    assert refused.record_number not in client.get(reverse("evaluation:list")).content.decode()
    assert client.get(reverse("evaluation:detail", kwargs={"pk": evaluation.pk})).status_code == 404
    # The school answers; the applicant is told and sees the answer.
    client.force_login(world["school"])
    url = reverse("evaluation:detail", kwargs={"pk": evaluation.pk})
    assert "请填写答复内容" in client.post(url, {"reply": "  "}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reply": "经核实，您的学号与学籍系统不一致，请联系学院更正后重新申报。"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == "replied" and evaluation.replied_by == world["school"]
    assert SiteMessage.objects.filter(user=refused.applicant, title="服务评价答复").exists()
    client.force_login(refused.applicant)
    page = client.get(reverse("subsidy:case", kwargs={"pk": refused.pk})).content.decode()
    assert "请联系学院更正后重新申报" in page
    # Answered once only.
    with pytest.raises(Exception, match="已经答复过"):
        services.evaluation_reply(actor=world["school"], evaluation=evaluation, reply="again")


def test_someone_else_cannot_rate_the_case(client, refused):
    other = PersonFactory(index=3)
    client.force_login(other)
    assert _rate(client, refused, rating="5").status_code == 404
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请选择评价等级"),
        ({"rating": "9"}, "请选择评价等级"),
        ({"rating": "5", "comment": "好" * 501}, "意见建议最多500个字"),
        ({"rating": "5", "good_reasons": ["<script>"]}, "选择一个有效的选项"),
    ],
)
def test_bad_input_is_told_next_to_the_field(client, refused, data, message):
    client.force_login(refused.applicant)
    response = _rate(client, refused, **data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Evaluation.objects.exists()


def test_the_summary_counts_each_grade(refused):
    services.evaluation_rate(applicant=refused.applicant, application=refused, rating=1, comment="慢")
    summary = selectors.rating_summary(Evaluation.objects.all())
    assert summary["total"] == 1 and summary["rating_1"] == 1 and summary["satisfied_percent"] == 0.0
    assert summary["awaiting"] == 1
