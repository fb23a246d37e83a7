"""Every reviewer move: allowed from its states by its role in its organisation, refused
otherwise, with the timeline, the audit trail and the applicant's SMS."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicehall.audit.models import AuditEntry
from servicehall.core.errors import DomainError
from servicehall.messaging.models import SmsMessage
from servicehall.subsidy import publicity, review
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application, ObjectionState
from servicehall.subsidy.review_queue import Selection
from servicehall.subsidy.review_selectors import application_list_for_reviewer
from servicehall.subsidy.tests.factories import to_first_review

pytestmark = pytest.mark.django_db


def _state(application):
    return Application.objects.get(pk=application.pk).state


def _to_first_review(world, application):
    review.application_decide(
        decision="approve_by_school", actor=world["school"], application_id=application.pk
    )
    notice = publicity.publicity_publish(actor=world["school"], application_ids=[application.pk])
    publicity.publicities_close_due(now=notice.closes_at + datetime.timedelta(seconds=1))
    assert _state(application) == S.FIRST_REVIEW


def test_the_school_approves_returns_or_refuses_its_own(world, submitted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review.application_decide(
            decision="return_by_school",
            actor=world["school"],
            application_id=submitted.pk,
            opinion="请补充院系全称",
        )
    assert _state(submitted) == S.RETURNED
    event = submitted.timeline.last()
    assert (event.action, event.opinion, event.organisation.name) == ("return", "请补充院系全称", "南京大学")
    assert AuditEntry.objects.filter(action="subsidy.return", target_id=str(submitted.pk)).exists()
    assert any("请补充院系全称" in m.text for m in SmsMessage.objects.all())


@pytest.mark.parametrize("move", ["return_by_school", "refuse_by_school"])
def test_returning_and_refusing_need_an_opinion(world, submitted, move):
    with pytest.raises(DomainError) as error:
        review.application_decide(
            decision=move, actor=world["school"], application_id=submitted.pk, opinion="  "
        )
    assert error.value.code == "opinion_required"
    assert _state(submitted) == S.SCHOOL_REVIEW


@pytest.mark.parametrize("who", ["other_school", "first", "other_bureau"])
def test_no_one_else_can_act_for_the_school(world, submitted, who):
    with pytest.raises(DomainError) as error:
        review.application_decide(decision="approve_by_school", actor=world[who], application_id=submitted.pk)
    assert error.value.code in {"not_found", "forbidden"}
    assert _state(submitted) == S.SCHOOL_REVIEW


def test_scopes_school_sees_its_own_and_bureau_its_citys(world, submitted):
    assert list(application_list_for_reviewer(world["school"])) == [submitted]
    assert list(application_list_for_reviewer(world["first"])) == [submitted]
    for who in ("other_school", "other_bureau"):
        assert not application_list_for_reviewer(world[who]).exists()


def test_a_school_assigned_to_another_bureau_leaves_the_citys(world, submitted):
    from servicehall.reference.models import School

    world["other_bureau"].organisation.assigned_schools.add(School.objects.get(name="南京大学"))
    assert not application_list_for_reviewer(world["first"]).exists()
    assert list(application_list_for_reviewer(world["other_bureau"])) == [submitted]


def test_a_decision_on_a_moved_application_says_someone_else_handled_it(world, submitted):
    review.application_decide(
        decision="approve_by_school", actor=world["school"], application_id=submitted.pk
    )
    with pytest.raises(DomainError) as error:
        review.application_decide(
            decision="refuse_by_school", actor=world["school"], application_id=submitted.pk, opinion="x"
        )
    assert error.value.code == "already_handled"
    assert "已被他人处理" in error.value.message
    assert submitted.timeline.count() == 2


def test_the_whole_way_to_awaiting_payment(world, submitted):
    _to_first_review(world, submitted)
    review.application_decide(decision="approve_first", actor=world["first"], application_id=submitted.pk)
    assert _state(submitted) == S.SECOND_REVIEW
    with pytest.raises(DomainError) as error:
        review.application_decide(
            decision="approve_second", actor=world["first"], application_id=submitted.pk
        )
    assert error.value.code == "same_reviewer"
    done = review.application_decide(
        decision="approve_second", actor=world["second"], application_id=submitted.pk
    )
    assert done.state == S.AWAITING_PAYMENT and done.approved_flag == "已核准"
    assert [e.action for e in done.timeline.all()] == [
        "submit",
        "approve",
        "publish",
        "end_publicity",
        "approve",
        "approve",
    ]


@pytest.mark.parametrize("state", [S.FIRST_REVIEW, S.SECOND_REVIEW])
def test_the_bureau_returns_or_rejects_at_either_review(world, submitted, state):
    _to_first_review(world, submitted)
    if state == S.SECOND_REVIEW:
        review.application_decide(decision="approve_first", actor=world["first"], application_id=submitted.pk)
    review.application_decide(
        decision="reject_by_bureau", actor=world["second"], application_id=submitted.pk, opinion="已就业"
    )
    assert _state(submitted) == S.REJECTED


def test_bureau_moves_are_refused_to_other_bureaus_and_schools(world, submitted):
    _to_first_review(world, submitted)
    for who in ("other_bureau", "school"):
        with pytest.raises(DomainError):
            review.application_decide(decision="approve_first", actor=world[who], application_id=submitted.pk)
    assert _state(submitted) == S.FIRST_REVIEW


def test_a_returned_application_resubmitted_starts_again_at_the_school(world, submitted, person):
    from servicehall.subsidy import services

    _to_first_review(world, submitted)
    review.application_decide(
        decision="return_by_bureau", actor=world["first"], application_id=submitted.pk, opinion="补材料"
    )
    application = Application.objects.get(pk=submitted.pk)
    services.application_resubmit(applicant=person, application=application, data={}, pledged=True)
    assert _state(submitted) == S.SCHOOL_REVIEW


def test_the_school_cannot_act_at_the_bureau_steps_nor_the_bureau_at_the_schools(world, submitted):
    with pytest.raises(DomainError):
        review.application_decide(decision="approve_first", actor=world["first"], application_id=submitted.pk)
    assert _state(submitted) == S.SCHOOL_REVIEW


def test_batch_approval_takes_the_same_queries_for_one_or_many(world, person, django_user_model):
    from servicehall.accounts import services as accounts
    from servicehall.accounts.models import IdType
    from servicehall.subsidy.tests.factories import submit_for
    from tests.people import PASSWORD, resident_id

    applications = [submit_for(person)]
    for i in range(5):
        applicant = accounts.person_create_verified(
            id_type=IdType.RESIDENT,
            id_number=resident_id(f"32010220030101{i:02d}1"),
            name="学生" + "甲乙丙丁戊"[i],
            mobile=f"1380000010{i}",
            password=PASSWORD,
        )
        applications.append(submit_for(applicant))
    def approve(ids):
        return review.applications_approve(
            actor=world["school"], decision="approve_by_school", selection=Selection(ids=tuple(ids))
        ).done

    with CaptureQueriesContext(connection) as one:
        assert approve([applications[0].pk]) == 1
    with CaptureQueriesContext(connection) as many:
        count = approve([a.pk for a in applications])
    assert count == 5  # the first was already approved
    assert len(many) == len(one)
    assert {_state(a) for a in applications} == {S.AWAITING_PUBLICITY}


def test_publicity_publishes_a_masked_list_and_objections_are_handled(world, submitted, client, person):
    review.application_decide(
        decision="approve_by_school", actor=world["school"], application_id=submitted.pk
    )
    item = publicity.publicity_publish(actor=world["school"], application_ids=[submitted.pk])
    notice = item.notice
    assert notice.kind == "publicity" and notice.table_rows[0][0] == "张*明"
    assert notice.table_rows[0][1] == "2212***01"
    assert notice.closes_at > timezone.now()
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "张*明" in page and "张晓明" not in page and "提出异议" in page
    objection = publicity.objection_raise(
        actor=world["first"], publicity=item, application_id=submitted.pk, reason="该生已就业"
    )
    publicity.publicities_close_due(now=item.closes_at + datetime.timedelta(minutes=1))
    assert _state(submitted) == S.PUBLICITY  # an open objection holds it
    publicity.objection_handle(
        actor=world["school"], objection_id=objection.pk, uphold=False, response="经核实未就业"
    )
    publicity.publicities_close_due(now=item.closes_at + datetime.timedelta(minutes=2))
    assert _state(submitted) == S.FIRST_REVIEW
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DISMISSED


def test_an_upheld_objection_sends_the_application_back_to_the_school(world, submitted):
    review.application_decide(
        decision="approve_by_school", actor=world["school"], application_id=submitted.pk
    )
    item = publicity.publicity_publish(actor=world["school"], application_ids=[submitted.pk])
    objection = publicity.objection_raise(
        actor=world["first"], publicity=item, application_id=submitted.pk, reason="该生已就业"
    )
    with pytest.raises(DomainError):
        publicity.objection_handle(
            actor=world["other_school"], objection_id=objection.pk, uphold=True, response="x"
        )
    publicity.objection_handle(
        actor=world["school"], objection_id=objection.pk, uphold=True, response="已就业属实"
    )
    assert _state(submitted) == S.SCHOOL_REVIEW
    assert Application.objects.get(pk=submitted.pk).publicity is None


def test_objections_after_the_period_are_refused(world, submitted):
    review.application_decide(
        decision="approve_by_school", actor=world["school"], application_id=submitted.pk
    )
    item = publicity.publicity_publish(actor=world["school"], application_ids=[submitted.pk])
    with pytest.raises(DomainError) as error:
        publicity.objection_raise(
            actor=world["first"], publicity=item, application_id=submitted.pk, reason="x", now=item.closes_at
        )
    assert error.value.code == "publicity_closed"


@pytest.mark.parametrize(
    "move",
    [
        "approve_by_school",
        "return_by_school",
        "refuse_by_school",
        "approve_first",
        "approve_second",
        "return_by_bureau",
        "reject_by_bureau",
    ],
)
def test_people_operators_and_finance_cannot_review(world, submitted, person, operator, move):
    from tests.people import make_staff

    finance = make_staff(world["nanjing"], "nj.finance", "payment_officer", "13900000031")
    for actor in (person, operator, finance):
        with pytest.raises(DomainError) as error:
            review.application_decide(decision=move, actor=actor, application_id=submitted.pk, opinion="意见")
        assert error.value.code in {"forbidden", "not_found"}
    assert _state(submitted) == S.SCHOOL_REVIEW
    assert submitted.timeline.count() == 1


def test_a_decision_taken_on_a_page_drawn_in_another_state_is_refused_under_the_lock(world, submitted):
    """The bureau's 退回修改 is allowed in 初审 and 复审; a page drawn in 初审 must not send the
    application back from 复审 (someone approved 初审 meanwhile)."""
    review.application_decide(
        decision="approve_by_school", actor=world["school"], application_id=submitted.pk
    )
    notice = publicity.publicity_publish(actor=world["school"], application_ids=[submitted.pk])
    publicity.publicities_close_due(now=notice.closes_at + datetime.timedelta(seconds=1))
    review.application_decide(decision="approve_first", actor=world["first"], application_id=submitted.pk)
    with pytest.raises(DomainError) as error:
        review.application_decide(decision="return_by_bureau", actor=world["second"],
            application_id=submitted.pk,
            opinion="请补充材料",
            expected_state="first_review",
        )
    assert error.value.code == "already_handled" and "已被他人处理" in str(error.value.message)
    assert Application.objects.get(pk=submitted.pk).state == "second_review"


def test_the_decisions_offered_are_the_ones_the_service_takes(world, submitted, operator):
    """The case page's buttons come from the table the service checks: who may take which
    decision in which state, and 复审 never offered to the case's own 初审 reviewer."""
    assert review.decisions_open(world["school"], submitted) == [
        "approve_by_school",
        "return_by_school",
        "refuse_by_school",
    ]
    assert review.decisions_open(world["first"], submitted) == []
    assert review.decisions_open(operator, submitted) == []
    to_first_review(world, submitted)
    submitted.refresh_from_db()
    assert review.decisions_open(world["first"], submitted) == [
        "approve_first",
        "return_by_bureau",
        "reject_by_bureau",
    ]
    review.application_decide(decision="approve_first", actor=world["first"], application_id=submitted.pk)
    submitted.refresh_from_db()
    assert review.decisions_open(world["first"], submitted) == ["return_by_bureau", "reject_by_bureau"]
    assert review.decisions_open(world["second"], submitted) == [
        "approve_second",
        "return_by_bureau",
        "reject_by_bureau",
    ]
    with pytest.raises(DomainError) as error:
        review.application_decide(
            decision="approve_second", actor=world["first"], application_id=submitted.pk
        )
    assert error.value.code == "same_reviewer"


def test_an_unknown_decision_is_refused(world, submitted):
    with pytest.raises(DomainError) as error:
        review.application_decide(decision="approve", actor=world["school"], application_id=submitted.pk)
    assert error.value.code == "unknown_decision"
    assert _state(submitted) == S.SCHOOL_REVIEW
