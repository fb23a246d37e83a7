"""查看进度: six steps, each done, current, stopped or to come."""

import pytest

from servicehall.subsidy import review
from servicehall.subsidy.models import Application
from servicehall.subsidy.progress import progress_steps

from .test_review import _to_first_review

pytestmark = pytest.mark.django_db


def _statuses(application):
    application = Application.objects.get(pk=application.pk)
    return [s.status for s in progress_steps(application, list(application.timeline.all()))]


def test_after_submit_the_school_step_is_current(submitted):
    assert _statuses(submitted) == ["done", "current", "todo", "todo", "todo", "todo"]


def test_a_returned_application_stops_at_the_school_with_the_opinion(world, submitted):
    review.application_decide(
        decision="return_by_school", actor=world["school"], application_id=submitted.pk, opinion="补院系"
    )
    application = Application.objects.get(pk=submitted.pk)
    steps = progress_steps(application, list(application.timeline.all()))
    assert [s.status for s in steps][:2] == ["done", "stopped"]
    assert steps[1].note == "已退回修改"
    assert steps[1].events[-1].opinion == "补院系"


def test_second_review_passed_leaves_only_the_payment_to_come(world, submitted):
    _to_first_review(world, submitted)
    review.application_decide(decision="approve_first", actor=world["first"], application_id=submitted.pk)
    review.application_decide(decision="approve_second", actor=world["second"], application_id=submitted.pk)
    assert _statuses(submitted) == ["done", "done", "done", "done", "done", "current"]


def test_rejected_at_the_second_review_stops_there(world, submitted):
    _to_first_review(world, submitted)
    review.application_decide(decision="approve_first", actor=world["first"], application_id=submitted.pk)
    review.application_decide(
        decision="reject_by_bureau", actor=world["second"], application_id=submitted.pk, opinion="已就业"
    )
    assert _statuses(submitted) == ["done", "done", "done", "done", "stopped", "todo"]


def test_the_case_page_shows_the_steps(client, person, submitted):
    client.force_login(person)
    page = client.get(f"/subsidy/cases/{submitted.pk}/").content.decode()
    for label in ["申报提交", "学校审核", "学校公示", "人社初审", "人社复审", "资金发放", "未开始"]:
        assert label in page, label


def test_returned_by_the_first_review_stops_there_with_the_bureau_and_its_opinion(
    client, person, world, submitted
):
    """Issue 15: after 人社初审 退回修改 the page marked 学校审核 as returned, showed only the
    school's approval under it, and said 未开始 for 学校公示 and 人社初审, which held events."""
    _to_first_review(world, submitted)
    review.application_decide(
        decision="return_by_bureau", actor=world["first"], application_id=submitted.pk, opinion="请补充证明"
    )
    application = Application.objects.get(pk=submitted.pk)
    steps = progress_steps(application, list(application.timeline.select_related("organisation")))
    assert [s.status for s in steps] == ["done", "done", "done", "stopped", "todo", "todo"]
    assert steps[3].note == "已退回修改"
    assert [e.action for e in steps[1].events] == ["approve"]
    assert steps[2].events, "学校公示 holds the end of the publicity"
    returned = steps[3].events[-1]
    assert (returned.action, returned.opinion) == ("return", "请补充证明")
    assert returned.organisation == world["first"].organisation

    client.force_login(person)
    page = client.get(f"/subsidy/cases/{submitted.pk}/").content.decode()
    first_review = page[page.index("人社初审") : page.index("人社复审")]
    assert "请补充证明" in first_review and world["first"].organisation.name in first_review


def test_the_app_shows_the_same_steps(person, world, submitted):
    from servicehall.api.presenters import case_detail_dict

    _to_first_review(world, submitted)
    review.application_decide(
        decision="return_by_bureau", actor=world["first"], application_id=submitted.pk, opinion="请补充证明"
    )
    steps = case_detail_dict(Application.objects.get(pk=submitted.pk))["steps"]
    assert [s["status"] for s in steps] == ["done", "done", "done", "stopped", "todo", "todo"]
    assert steps[3]["events"][-1]["opinion"] == "请补充证明"
