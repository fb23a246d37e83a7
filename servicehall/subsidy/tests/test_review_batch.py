"""批量通过 at every approving step (学校审核, 人社初审, 人社复审) through HTTP and the service: the
confirmation's count, total and filter; all that match the filter across pages; the cap of 1,000;
only the reviewer's own school's or bureau's rows; tampered forms refused in words; rows someone
else moved meanwhile skipped and counted; a repeated submission doing nothing twice; and a fixed
number of statements however many rows."""

import datetime

import pytest
from django.utils import timezone

from servicehall.audit.models import AuditEntry
from servicehall.messaging.models import SmsMessage
from servicehall.subsidy import review
from servicehall.subsidy.check_models import CheckResult
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application, TimelineEvent
from servicehall.subsidy.review_queue import BATCH_MAX, Selection
from servicehall.verification.models import Outcome, Rule
from tests.people import make_staff

from .test_review_pages import BATCH, QUEUE, clone, confirm_fields, page_text

pytestmark = pytest.mark.django_db


def _confirm(client, data):
    """Press 批量通过 (the confirmation, 200), and return it with the fields 确认批量通过 posts."""
    response = client.post(BATCH, {"action": "approve", **data})
    assert response.status_code == 200, response.headers.get("Location")
    return response, confirm_fields(response)


def _notices(client, response) -> str:
    assert response.status_code == 302
    return page_text(client.get(response.url))


def _states(applications) -> set:
    listed = Application.objects.filter(pk__in=[a.pk for a in applications])
    return set(listed.values_list("state", flat=True))


def _block(application) -> None:
    """A failed 未就业核验 that no one has overridden: the single decision refuses approval."""
    CheckResult.objects.create(
        application=application,
        rule=Rule.NOT_EMPLOYED,
        outcome=Outcome.FAILED,
        checked_on=timezone.localdate(),
    )


# --- The confirmation ------------------------------------------------------------------------


def test_ticked_rows_are_confirmed_with_their_count_and_total_before_anything_is_done(
    client, world, submitted
):
    copies = clone(submitted, 2)
    ticked = [submitted.pk, copies[0].pk, copies[1].pk]
    client.force_login(world["school"])
    confirmation, fields = _confirm(client, {"ids": ticked, "back": "tab=pending"})
    page = page_text(confirmation)
    assert "<h1>确认批量通过</h1>" in page
    assert '<dd id="batch-count">3笔</dd>' in page
    assert '<span class="batch-confirm__total" id="batch-total">4,500.00 元</span>' in page
    assert "2027届：3笔 × 1,500.00 元" in page
    assert "“待审核”中勾选的申请" in page and "学校审核" in page
    assert "确认批量通过</button>" in page and ">返回</a>" in page
    assert _states([submitted, *copies]) == {S.SCHOOL_REVIEW}  # nothing done yet

    response = client.post(BATCH, fields)
    assert response.url == QUEUE + "?tab=pending"
    assert "已通过3笔。请在“待公示”中发布公示。" in _notices(client, response)
    assert _states([submitted, *copies]) == {S.AWAITING_PUBLICITY}


def test_all_that_match_the_filter_across_pages(client, world, submitted):
    clone(submitted, 59, start=0, department="数学系")  # 60 with 数学系: two pages of the queue
    others = clone(submitted, 5, start=100, department="物理系")
    Application.objects.filter(pk=submitted.pk).update(department="数学系")
    client.force_login(world["school"])
    queue = page_text(client.get(QUEUE, {"tab": "pending", "department": "数学系"}))
    assert "选择全部符合条件的60笔" in queue and "第 1 页，共 2 页" in queue

    confirmation, fields = _confirm(client, {"all": "1", "back": "tab=pending&department=数学系&page=2"})
    page = page_text(confirmation)
    assert '<dd id="batch-count">60笔</dd>' in page and "90,000.00 元" in page
    assert "“待审核”中符合筛选条件的全部申请（含其他页）" in page
    assert "<li>所在院系：数学系</li>" in page
    assert "ids" not in fields and fields["all"] == ["1"]

    with_department = Application.objects.filter(department="数学系")
    response = client.post(BATCH, fields)
    assert response.url == QUEUE + "?tab=pending&department=%E6%95%B0%E5%AD%A6%E7%B3%BB&page=2"
    assert "已通过60笔。" in _notices(client, response)
    assert set(with_department.values_list("state", flat=True)) == {S.AWAITING_PUBLICITY}
    assert _states(others) == {S.SCHOOL_REVIEW}  # outside the filter: untouched
    events = TimelineEvent.objects.filter(action="approve", from_state=S.SCHOOL_REVIEW)
    assert events.count() == 60 and set(events.values_list("actor", flat=True)) == {world["school"].pk}
    entries = AuditEntry.objects.filter(action="subsidy.approve")
    assert entries.count() == 60 and entries.first().detail["batch"] is True
    # The tab counts follow at once (their versions were raised).
    assert "待审核<span class=\"review-tabs__count\">（5笔）" in page_text(client.get(QUEUE))


def test_more_than_a_thousand_take_the_first_thousand_in_the_queues_order(client, world, submitted, settings):
    made = clone(submitted, BATCH_MAX + 4)  # with submitted: 1,005 waiting
    client.force_login(world["school"])
    confirmation, fields = _confirm(client, {"all": "1", "back": "tab=pending"})
    page = page_text(confirmation)
    assert f'<dd id="batch-count">{BATCH_MAX}笔</dd>' in page and "1,500,000.00 元" in page
    assert (
        "符合条件的申请共1005笔，一次最多批量通过1000笔：本次办理列表中排在前面的1000笔（第1至20页），"
        "其余5笔可在本次办理后再次批量通过。"
    ) in page
    # Applications arriving after the confirmation are not taken in its place.
    late = clone(submitted, 3, start=5000)
    response = client.post(BATCH, fields)
    assert "已通过1000笔。" in (notices := _notices(client, response))
    assert "列表中还有8笔符合条件的申请，可再次批量通过。" in notices
    # The queue lists newest first (same moment: the highest ids first): those are the ones done.
    newest = sorted([submitted, *made], key=lambda a: -a.pk)
    assert _states(newest[:BATCH_MAX]) == {S.AWAITING_PUBLICITY}
    assert _states(newest[BATCH_MAX:]) == {S.SCHOOL_REVIEW}
    assert _states(late) == {S.SCHOOL_REVIEW}


def test_more_than_a_thousand_ticked_ids_are_refused(world, submitted):
    with pytest.raises(review.DomainError) as refused:
        review.applications_approve(
            actor=world["school"],
            decision="approve_by_school",
            selection=Selection(ids=tuple(range(1, BATCH_MAX + 2))),
        )
    assert refused.value.code == "too_many" and "一次最多批量通过1000笔" in refused.value.message


# --- Whose rows ------------------------------------------------------------------------------


def test_another_schools_rows_are_never_included(client, world, submitted):
    from servicehall.reference.models import School

    ours = clone(submitted, 2)
    theirs = clone(submitted, 3, start=10, school=School.objects.get(name="东南大学"))
    client.force_login(world["school"])
    confirmation, fields = _confirm(client, {"all": "1", "back": "tab=pending"})
    assert '<dd id="batch-count">3笔</dd>' in page_text(confirmation)
    # Their ids ticked by hand are not ours to take either.
    _confirmation, forged = _confirm(client, {"ids": [submitted.pk, theirs[0].pk], "back": "tab=pending"})
    assert '<dd id="batch-count">1笔</dd>' in page_text(_confirmation)
    forged["ids"] = [str(a.pk) for a in theirs]
    client.post(BATCH, forged)
    assert _states(theirs) == {S.SCHOOL_REVIEW}
    client.post(BATCH, fields)
    assert _states([submitted, *ours]) == {S.AWAITING_PUBLICITY}
    assert _states(theirs) == {S.SCHOOL_REVIEW}

    client.force_login(world["other_school"])
    confirmation, _fields = _confirm(client, {"all": "1", "back": "tab=pending"})
    assert '<dd id="batch-count">3笔</dd>' in page_text(confirmation)


def test_a_bureau_takes_its_own_jurisdiction_only(client, world, submitted):
    from servicehall.reference.models import School

    nanjing = clone(submitted, 4, state=S.FIRST_REVIEW)
    suzhou_school = School.objects.filter(region__code__startswith="3205").first()
    suzhou = clone(submitted, 2, state=S.FIRST_REVIEW, start=10, school=suzhou_school)
    client.force_login(world["other_bureau"])  # 苏州
    confirmation, fields = _confirm(client, {"all": "1", "back": "tab=first"})
    assert '<dd id="batch-count">2笔</dd>' in page_text(confirmation)
    client.post(BATCH, fields)
    assert _states(suzhou) == {S.SECOND_REVIEW} and _states(nanjing) == {S.FIRST_REVIEW}


# --- 人社初审 and 复审 -------------------------------------------------------------------------


def test_first_and_second_review_in_batches_never_by_the_same_person(client, world, submitted):
    waiting = clone(submitted, 55, state=S.FIRST_REVIEW)  # two pages
    client.force_login(world["first"])
    queue = page_text(client.get(QUEUE, {"tab": "first"}))
    assert "选择全部符合条件的55笔" in queue and 'name="ids"' in queue
    confirmation, fields = _confirm(client, {"all": "1", "back": "tab=first"})
    assert "人社初审" in page_text(confirmation) and "82,500.00 元" in page_text(confirmation)
    response = client.post(BATCH, fields)
    assert "已通过55笔。已转入复审，复审须由其他审核人员办理。" in _notices(client, response)
    moved = Application.objects.filter(pk__in=[a.pk for a in waiting])
    assert set(moved.values_list("state", "first_reviewer", "approved_flag")) == {
        (S.SECOND_REVIEW, world["first"].pk, "")
    }

    # The 初审 reviewer is offered nothing to confirm at 复审: every one is their own.
    confirmation, fields = _confirm(client, {"all": "1", "back": "tab=second"})
    page = page_text(confirmation)
    assert "其中55笔是您本人初审的，复审须由其他审核人员办理，不会通过。" in page
    assert "确认批量通过</button>" not in page
    response = client.post(BATCH, fields)  # sent anyway
    assert "55笔是您本人初审的" in _notices(client, response)
    assert set(moved.values_list("state", flat=True)) == {S.SECOND_REVIEW}

    client.force_login(world["second"])
    confirmation, fields = _confirm(client, {"all": "1", "back": "tab=second"})
    response = client.post(BATCH, fields)
    assert "已通过55笔。已核准，等待发放。" in _notices(client, response)
    assert set(moved.values_list("state", "approved_flag")) == {(S.AWAITING_PAYMENT, review.APPROVED_FLAG)}


def test_a_failed_check_leaves_its_application_and_says_which(client, world, submitted):
    copies = clone(submitted, 3)
    _block(copies[1])
    client.force_login(world["school"])
    confirmation, fields = _confirm(client, {"all": "1", "back": "tab=pending"})
    page = page_text(confirmation)
    assert '<dd id="batch-count">3笔</dd>' in page and "4,500.00 元" in page
    assert f"其中1笔就业或领取比对未通过，不会通过，须逐笔打开核实后办理：{copies[1].record_number}" in page
    notices = _notices(client, client.post(BATCH, fields))
    assert "已通过3笔。" in notices and "1笔就业或领取比对未通过，没有通过" in notices
    assert _states([copies[1]]) == {S.SCHOOL_REVIEW}
    assert _states([submitted, copies[0], copies[2]]) == {S.AWAITING_PUBLICITY}


# --- Meanwhile, and twice --------------------------------------------------------------------


def test_rows_someone_else_moved_meanwhile_are_skipped_and_counted(client, world, submitted):
    colleague = make_staff(world["school"].organisation, "nju.reviewer2", "school_reviewer", "13900000013")
    copies = clone(submitted, 5)
    client.force_login(world["school"])
    _confirmation, fields = _confirm(client, {"all": "1", "back": "tab=pending"})
    for application in copies[:2]:
        review.application_decide(
            decision="approve_by_school", actor=colleague, application_id=application.pk
        )
    review.application_decide(
        decision="return_by_school", actor=colleague, application_id=copies[2].pk, opinion="请补材料"
    )
    notices = _notices(client, client.post(BATCH, fields))
    assert "已通过3笔。3笔已被他人处理。" in notices
    assert Application.objects.get(pk=copies[2].pk).state == S.RETURNED


def test_an_application_that_came_back_since_the_confirmation_is_not_taken(client, world, submitted):
    """Returned and resubmitted after the confirmation counted it: the reviewer has not seen
    what changed, so the batch leaves it."""
    client.force_login(world["school"])
    _confirmation, fields = _confirm(client, {"ids": [submitted.pk], "back": "tab=pending"})
    later = timezone.now() + datetime.timedelta(seconds=1)
    Application.objects.filter(pk=submitted.pk).update(state_changed_at=later)
    notices = _notices(client, client.post(BATCH, fields))
    assert "已通过0笔。1笔已被他人处理。" in notices
    assert Application.objects.get(pk=submitted.pk).state == S.SCHOOL_REVIEW


def test_a_repeated_submission_does_nothing_twice(
    client, world, submitted, django_capture_on_commit_callbacks
):
    copies = clone(submitted, 3)
    client.force_login(world["school"])
    _confirmation, fields = _confirm(client, {"all": "1", "back": "tab=pending"})
    sms_before = SmsMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(BATCH, fields)
    assert SmsMessage.objects.count() == sms_before + 4  # each applicant told once, after commit
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(BATCH, fields)
    assert "已通过0笔。4笔此前已由您通过，没有重复办理。" in _notices(client, again)
    assert first.url == again.url
    assert SmsMessage.objects.count() == sms_before + 4
    assert TimelineEvent.objects.filter(action="approve").count() == 4
    assert AuditEntry.objects.filter(action="subsidy.approve").count() == 4
    assert _states([submitted, *copies]) == {S.AWAITING_PUBLICITY}


# --- Tampered forms --------------------------------------------------------------------------


BAD_FILTER = "筛选条件有误，请返回列表改正筛选条件后再批量通过。"
SEARCH_GONE = "搜索条件已过期，请返回列表重新搜索后再批量通过。"
STALE = "这份确认已失效，请返回列表重新选择后再批量通过。"
CONFIRMED = {"all": "1", "confirm": "1", "as_of": "2026-09-01T08:00:00+08:00", "counted": "1"}


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"all": "1", "back": "tab=pending&category=no-such"}, BAD_FILTER),
        ({"all": "1", "back": "tab=pending&submitted_from=2026-13-45"}, BAD_FILTER),
        ({"all": "1", "back": "tab=pending&department=" + "系" * 61}, BAD_FILTER),
        ({"all": "1", "back": "tab=pending&s=not-a-token"}, SEARCH_GONE),
        ({"all": "1", "back": "tab=returned"}, "这一栏不能批量通过，请返回列表。"),
        ({"all": "1", "back": "tab=nowhere"}, "这一栏不能批量通过，请返回列表。"),
        ({"ids": ["12a"], "back": "tab=pending"}, "所选申请有误，请返回列表重新勾选。"),
        ({"ids": ["9" * 30], "back": "tab=pending"}, "所选申请有误，请返回列表重新勾选。"),
        ({"back": "tab=pending"}, "请先勾选要办理的申请，或选择全部符合条件的申请。"),
        ({**CONFIRMED, "as_of": "yesterday"}, STALE),
        ({**CONFIRMED, "counted": "-1"}, STALE),
        ({**CONFIRMED, "through_pk": "x"}, STALE),
        ({**CONFIRMED, "through_at": "2026-02-30T00:00:00", "through_pk": "1"}, STALE),
    ],
)
def test_a_tampered_form_is_refused_in_words(client, world, submitted, data, said):
    client.force_login(world["school"])
    response = client.post(BATCH, {"action": "approve", **data})
    assert response.status_code == 302
    assert said in _notices(client, response)
    assert Application.objects.get(pk=submitted.pk).state == S.SCHOOL_REVIEW


# --- A fixed number of statements -----------------------------------------------------------


@pytest.mark.parametrize("decision", ["approve_by_school", "approve_first", "approve_second"])
def test_a_batch_runs_the_same_statements_for_ten_rows_or_two_hundred(
    world, submitted, decision, django_assert_max_num_queries
):
    state, actor = {
        "approve_by_school": (S.SCHOOL_REVIEW, world["school"]),
        "approve_first": (S.FIRST_REVIEW, world["first"]),
        "approve_second": (S.SECOND_REVIEW, world["second"]),
    }[decision]
    counts = []
    for size, start in ((10, 0), (200, 1000)):
        made = clone(submitted, size, state=state, start=start, department=f"院系{size}")
        _block(made[0])
        selection = Selection(filters={"department": f"院系{size}"})
        summary = review.batch_summary_for(actor, decision=decision, selection=selection)
        assert (summary.count, summary.blocked) == (size - 1, (made[0].record_number,))
        with django_assert_max_num_queries(10) as captured:
            result = review.applications_approve(actor=actor, decision=decision, selection=summary.selection)
        assert result.done == size - 1
        counts.append(len(captured))
    assert counts[0] == counts[1]
