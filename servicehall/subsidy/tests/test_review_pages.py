"""The reviewers' workbench through HTTP: who may open which page, the queue's tabs, filters and
search, the decisions on one application, batch decisions, the materials viewer and 异议处理."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.accounts.selectors import id_number_index
from servicehall.audit.models import AuditEntry
from servicehall.core.moments import end_text
from servicehall.reference.workdays import SHANGHAI, deadline_at
from servicehall.subsidy import publicity, review, selectors, services
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application, Objection, ObjectionState, Publicity
from servicehall.subsidy.tests.factories import clone, to_first_review
from tests.files import png
from tests.people import resident_id

pytestmark = pytest.mark.django_db

QUEUE = reverse("subsidy:review_queue")
BATCH = reverse("subsidy:review_batch")
OBJECTIONS = reverse("subsidy:review_objections")


def detail_url(application):
    return reverse("subsidy:review_detail", args=[application.pk])


def material_url(application, material_id):
    return reverse("subsidy:review_material", args=[application.pk, material_id])


def first_material(application):
    return next(m for ids in selectors.materials_map(application).values() for m in ids)


def page_text(response) -> str:
    return response.content.decode()


def confirm_fields(response) -> dict[str, list[str]]:
    """The fields the confirmation of 批量通过 posts with 确认批量通过, as a test client sends them."""
    form = page_text(response).split('action="/subsidy/review/batch/"')[1].split("</form>")[0]
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(html.unescape(value))
    return fields


def rows(response) -> list[str]:
    """The record numbers the queue lists, in order."""
    return re.findall(r'<a href="/subsidy/review/\d+/">(\d{16})</a>', page_text(response))


# --- Who may open what ----------------------------------------------------------------------


def _every_page(application):
    return [
        QUEUE,
        QUEUE + "?tab=returned",
        reverse("subsidy:review_export"),
        OBJECTIONS,
        detail_url(application),
        material_url(application, first_material(application)),
    ]


def test_someone_logged_out_is_sent_to_the_organisation_login(client, world, submitted):
    for url in _every_page(submitted):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login_staff")), url
    response = client.post(BATCH, {"action": "approve", "ids": [submitted.pk]})
    assert response.url.startswith(reverse("accounts:login_staff"))
    assert Application.objects.get(pk=submitted.pk).state == S.SCHOOL_REVIEW


def test_an_applicant_is_sent_to_the_personal_centre(client, world, submitted, person):
    client.force_login(person)
    for url in _every_page(submitted):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("portal:center"), url


def test_staff_who_do_not_review_get_403(client, world, submitted, operator):
    client.force_login(operator)
    for url in _every_page(submitted):
        assert client.get(url).status_code == 403, url


def test_a_bureau_reviewer_neither_handles_objections_nor_publishes_nor_batches_a_schools_step(
    client, world, submitted
):
    client.force_login(world["first"])
    assert client.get(OBJECTIONS).status_code == 403
    assert client.post(BATCH, {"action": "publish", "ids": [submitted.pk]}).status_code == 403
    response = client.post(BATCH, {"action": "approve", "ids": [submitted.pk]}, follow=True)
    assert "没有可以批量通过的申请" in page_text(response)
    school_tab = {"action": "approve", "ids": [submitted.pk], "back": "tab=pending"}
    response = client.post(BATCH, school_tab, follow=True)
    assert "这一栏不能批量通过" in page_text(response)
    assert Application.objects.get(pk=submitted.pk).state == S.SCHOOL_REVIEW


@pytest.mark.parametrize("who", ["other_school", "other_bureau"])
def test_another_school_or_bureau_finds_nothing(client, world, submitted, who):
    to_first_review(world, submitted)
    client.force_login(world[who])
    for tab in ("pending", "passed", "first", "second"):
        response = client.get(QUEUE, {"tab": tab})
        assert response.status_code == 200
        assert submitted.record_number not in page_text(response)
    assert client.get(detail_url(submitted)).status_code == 404
    assert client.get(material_url(submitted, first_material(submitted))).status_code == 404
    assert not AuditEntry.objects.filter(action__in=["subsidy.view", "subsidy.material_view"]).exists()


def test_another_school_cannot_batch_approve_ours(client, world, submitted):
    client.force_login(world["other_school"])
    response = client.post(BATCH, {"action": "approve", "ids": [submitted.pk]}, follow=True)
    assert "没有可以批量通过的申请" in page_text(response)
    # A confirmation forged for our application does nothing either.
    forged = {"confirm": "1", "as_of": timezone.now().isoformat(), "counted": "1"}
    response = client.post(BATCH, {"action": "approve", "ids": [submitted.pk], **forged}, follow=True)
    assert "已通过0笔" in page_text(response)
    assert Application.objects.get(pk=submitted.pk).state == S.SCHOOL_REVIEW


@pytest.mark.parametrize(
    ("who", "present", "absent"),
    [
        ("school", ["学校审核", "异议处理"], ["人社初审"]),
        ("first", ["人社初审", "人社复审"], ["学校审核", "异议处理"]),
    ],
)
def test_the_staff_home_links_to_the_reviewers_pages(client, world, who, present, absent):
    client.force_login(world[who])
    page = page_text(client.get(reverse("accounts:staff_home")))
    for text in present:
        assert text in page
    for text in absent:
        assert text not in page
    if who == "first":
        assert f'href="{QUEUE}?tab=first"' in page and f'href="{QUEUE}?tab=second"' in page


# --- The queue ------------------------------------------------------------------------------


def test_the_school_queue_lists_masked_rows_with_counts_and_due_dates(client, world, submitted):
    clone(submitted, 2, state=S.RETURNED)
    clone(submitted, 1, state=S.REFUSED, start=10)
    client.force_login(world["school"])
    response = client.get(QUEUE)
    page = page_text(response)
    assert response.status_code == 200
    assert rows(response) == [submitted.record_number]
    for label, count in [
        ("待审核", 1),
        ("已退回", 2),
        ("待公示", 0),
        ("公示中", 0),
        ("已通过", 0),
        ("不予受理", 1),
    ]:
        assert re.search(rf"{label}<span class=\"review-tabs__count\">（{count}笔）", page), label
    assert "张*明" in page and "张晓明" not in page
    assert "2212***01" in page and "221250001" not in page
    assert "残疾" in page and "计算机学院" in page and "软件工程" in page
    due = deadline_at(submitted.state_changed_at, submitted.graduation_year.school_review_days)
    last_day = (due.astimezone(SHANGHAI) - datetime.timedelta(microseconds=1)).date()
    assert f"{last_day:%Y-%m-%d}" in page
    assert "已超期" not in page
    assert 'name="ids"' in page and "批量通过" in page
    assert reverse("subsidy:review_objections") in page


def test_a_row_past_its_time_limit_says_so(client, world, submitted):
    Application.objects.filter(pk=submitted.pk).update(
        state_changed_at=timezone.now() - datetime.timedelta(days=40)
    )
    client.force_login(world["school"])
    assert "已超期" in page_text(client.get(QUEUE))


def test_each_school_tab_lists_its_states(client, world, submitted):
    clone(submitted, 1, state=S.AWAITING_PUBLICITY, start=1)
    clone(submitted, 1, state=S.AWAITING_PAYMENT, start=2)
    clone(submitted, 1, state=S.DRAFT, start=3)  # never listed to a reviewer
    client.force_login(world["school"])
    assert rows(client.get(QUEUE, {"tab": "to_publish"})) == ["2999010100000001"]
    assert rows(client.get(QUEUE, {"tab": "passed"})) == ["2999010100000002"]
    assert rows(client.get(QUEUE, {"tab": "publicity"})) == []
    page = page_text(client.get(QUEUE, {"tab": "to_publish"}))
    assert "发布公示" in page
    assert "2999010100000003" not in page_text(client.get(QUEUE, {"tab": "returned"}))


def test_the_bureau_queue_has_its_own_tabs(client, world, submitted):
    to_first_review(world, submitted)
    clone(submitted, 1, state=S.SECOND_REVIEW, start=1)
    returned_by_school = clone(submitted, 1, state=S.RETURNED, start=2)[0]
    client.force_login(world["first"])
    response = client.get(QUEUE)
    page = page_text(response)
    assert rows(response) == [submitted.record_number]  # 初审 is the bureau's first tab
    for label in ("初审", "复审", "已通过", "已退回", "不通过"):
        assert f">{label}<span" in page
    assert 'name="ids"' in page and "选择全部符合条件的1笔" in page  # 初审 has its 批量通过
    assert rows(client.get(QUEUE, {"tab": "second"})) == ["2999010100000001"]
    # 已退回 lists what the bureau sent back, not what the school did.
    assert returned_by_school.record_number not in page_text(client.get(QUEUE, {"tab": "returned"}))
    review.application_decide(
        decision="return_by_bureau", actor=world["first"], application_id=submitted.pk, opinion="补材料"
    )
    assert rows(client.get(QUEUE, {"tab": "returned"})) == [submitted.record_number]


def test_search_by_record_number_name_or_whole_id_number(client, world, submitted, person):
    others = clone(submitted, 3, name="王小二")
    someone = resident_id("32010219990101001")
    Application.objects.filter(pk=others[0].pk).update(
        id_number=someone, id_number_index=id_number_index(someone)
    )
    client.force_login(world["school"])

    def found(q):  # the search is POSTed and comes back as a token (test_review_search.py)
        return set(rows(client.post(QUEUE, {"tab": "pending", "q": q}, follow=True)))

    assert found(submitted.record_number) == {submitted.record_number}
    assert found(submitted.record_number[:10]) == set()  # a record number is matched whole
    assert found("王小") == {a.record_number for a in others}
    assert found("晓明") == {submitted.record_number}
    assert found(person.id_number) == {submitted.record_number}
    assert found(person.id_number.lower()) == {submitted.record_number}
    assert found(someone) == {others[0].record_number}
    assert found(someone[:14]) == set()  # the column is encrypted: no partial match


def test_filters_by_category_department_major_and_dates(client, world, submitted):
    zero = clone(submitted, 1, start=1, department="外国语学院", major="英语")[0]
    Application.objects.filter(pk=zero.pk).update(
        category_code="zero_employment",
        category_index=selectors.category_index("zero_employment"),
        submitted_at=timezone.now() - datetime.timedelta(days=10),
    )
    client.force_login(world["school"])

    def found(**filters):
        response = client.get(QUEUE, filters)
        assert response.status_code == 200
        return set(rows(response))

    assert found() == {submitted.record_number, zero.record_number}
    assert found(category="zero_employment") == {zero.record_number}
    assert found(category="disabled") == {submitted.record_number}
    assert found(department="外国语") == {zero.record_number}
    assert found(major="软件") == {submitted.record_number}
    today = timezone.localdate()
    assert found(submitted_from=f"{today:%Y-%m-%d}") == {submitted.record_number}
    assert found(submitted_to=f"{today - datetime.timedelta(days=5):%Y-%m-%d}") == {zero.record_number}
    # Counts follow the filters, and a wrong date is said beside its field, not ignored silently.
    page = page_text(client.get(QUEUE, {"department": "外国语"}))
    assert '待审核<span class="review-tabs__count">（1笔）' in page
    page = page_text(client.get(QUEUE, {"submitted_from": "2026-13-40"}))
    assert "请按“2026-09-01”的格式填写日期" in page


def test_fifty_a_page_newest_first_and_the_filters_kept_in_the_links(client, world, submitted):
    copies = clone(submitted, 60, department="计算机学院")
    base = timezone.now() - datetime.timedelta(hours=1)
    for i, copy in enumerate(copies):
        Application.objects.filter(pk=copy.pk).update(state_changed_at=base + datetime.timedelta(seconds=i))
    client.force_login(world["school"])
    first = client.get(QUEUE, {"department": "计算机"})
    listed = rows(first)
    assert len(listed) == 50
    assert listed[0] == submitted.record_number  # changed last, so newest
    assert listed[1:3] == ["2999010100000059", "2999010100000058"]
    assert "department=%E8%AE%A1%E7%AE%97%E6%9C%BA&amp;page=2" in page_text(first)
    second = client.get(QUEUE, {"department": "计算机", "page": 2})
    assert len(rows(second)) == 11
    assert not set(listed) & set(rows(second))


def test_the_queue_costs_the_same_queries_for_five_rows_or_fifty(client, world, submitted):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["school"])
    client.get(QUEUE)  # what is read once per data version (the header's cities) is read
    clone(submitted, 4)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    clone(submitted, 50, start=10)
    with CaptureQueriesContext(connection) as many:
        client.get(QUEUE)
    assert len(many) == len(few)
    counts = [q["sql"] for q in many.captured_queries if 'AS "pending"' in q["sql"]]
    assert len(counts) == 1  # every tab's count in one aggregate


# --- One application ------------------------------------------------------------------------


def test_the_detail_shows_every_field_masked_materials_and_timeline_and_is_audited(client, world, submitted):
    client.force_login(world["school"])
    response = client.get(detail_url(submitted))
    page = page_text(response)
    assert response.status_code == 200
    application = Application.objects.get(pk=submitted.pk)
    assert application.id_number not in page and application.id_number[:4] + "**********" in page
    assert "138****0001" in page and "13800000001" not in page
    for text in (
        "张晓明",
        "221250001",
        "计算机学院",
        "软件工程",
        "残疾",
        "汉族",
        "南京大学",
        "核准标志",
        "未核准",
    ):
        assert text in page, text
    assert "瑞金路1号" in page and "汉口路22号" in page
    material = first_material(application)
    assert f'<img class="review-material__image" src="{material_url(application, material)}"' in page
    assert "中华人民共和国残疾人证" in page
    assert "提交申请" in page  # the timeline
    assert 'value="refuse"' in page and 'value="return"' in page and 'value="approve"' in page
    assert "frame-src 'self'" in response["Content-Security-Policy"]
    entry = AuditEntry.objects.get(action="subsidy.view")
    assert entry.actor == world["school"] and entry.target_id == str(submitted.pk)


def _decide(client, application, decision, opinion="", state=S.SCHOOL_REVIEW, **kwargs):
    return client.post(
        detail_url(application), {"decision": decision, "opinion": opinion, "state": state}, **kwargs
    )


@pytest.mark.parametrize(
    ("decision", "opinion", "state", "said"),
    [
        ("approve", "", S.AWAITING_PUBLICITY, "已审核通过，请在“待公示”中发布公示"),
        ("return", "请补充院系全称", S.RETURNED, "已退回修改，申请人会收到短信"),
        ("refuse", "非本年度毕业生", S.REFUSED, "不予受理，申请人会收到短信"),
    ],
)
def test_the_school_decides_and_is_told_what_happened(
    client, world, submitted, decision, opinion, state, said
):
    client.force_login(world["school"])
    response = _decide(client, submitted, decision, opinion)
    assert response.status_code == 302
    assert response.url == QUEUE + "?tab=pending"
    assert Application.objects.get(pk=submitted.pk).state == state
    assert said in page_text(client.get(response.url))
    event = Application.objects.get(pk=submitted.pk).timeline.last()
    assert (event.action, event.opinion, event.actor) == (decision, opinion, world["school"])


@pytest.mark.parametrize("decision", ["return", "refuse"])
def test_returning_or_refusing_without_an_opinion_says_so_beside_the_field(
    client, world, submitted, decision
):
    client.force_login(world["school"])
    response = _decide(client, submitted, decision, "   ")
    page = page_text(response)
    assert response.status_code == 200
    assert Application.objects.get(pk=submitted.pk).state == S.SCHOOL_REVIEW
    field = re.search(r'<div class="field field--error" id="field-opinion">.*?</div>\s*</div>', page, re.S)
    assert field and "请填写审核意见，申请人会看到它" in field.group(0)
    assert '<a href="#id_opinion">' in page  # and in the summary at the top


def test_a_decision_on_an_application_someone_else_moved_says_so(client, world, submitted):
    # Another member of the school's staff (or the same one in another tab) decides first.
    review.application_decide(
        decision="approve_by_school", actor=world["school"], application_id=submitted.pk
    )
    client.force_login(world["school"])
    response = _decide(client, submitted, "refuse", "迟到的决定")
    page = page_text(response)
    assert response.status_code == 200
    assert "已被他人处理" in page and "待公示" in page
    assert Application.objects.get(pk=submitted.pk).state == S.AWAITING_PUBLICITY
    assert 'value="refuse"' not in page  # no decision left to take here


def test_the_bureau_first_and_second_review_never_by_the_same_person(client, world, submitted):
    to_first_review(world, submitted)
    client.force_login(world["first"])
    response = _decide(client, submitted, "approve", "", S.FIRST_REVIEW)
    assert response.url == QUEUE + "?tab=first"
    assert Application.objects.get(pk=submitted.pk).state == S.SECOND_REVIEW

    page = page_text(client.get(detail_url(submitted)))
    assert "复审须由其他审核人员办理" in page and 'value="approve"' not in page
    response = _decide(client, submitted, "approve", "", S.SECOND_REVIEW)
    assert response.status_code == 200
    assert "复审不能由初审人办理" in page_text(response)
    assert Application.objects.get(pk=submitted.pk).state == S.SECOND_REVIEW

    client.force_login(world["second"])
    response = _decide(client, submitted, "approve", "同意", S.SECOND_REVIEW, follow=True)
    assert "复审已通过，已核准" in page_text(response)
    done = Application.objects.get(pk=submitted.pk)
    assert done.state == S.AWAITING_PAYMENT and done.approved_flag == "已核准"
    assert "已核准" in page_text(client.get(detail_url(submitted)))


def test_a_stale_first_review_page_does_not_approve_the_second_review(client, world, submitted):
    to_first_review(world, submitted)
    review.application_decide(decision="approve_first", actor=world["first"], application_id=submitted.pk)
    client.force_login(world["second"])
    response = _decide(client, submitted, "approve", "", S.FIRST_REVIEW)
    assert "已被他人处理" in page_text(response) and "人社复审中" in page_text(response)
    assert Application.objects.get(pk=submitted.pk).state == S.SECOND_REVIEW


@pytest.mark.parametrize("decision", ["return", "reject"])
def test_a_return_from_a_page_drawn_before_a_colleagues_decision_is_not_taken(
    client, world, submitted, decision
):
    # 退回 and 不通过 are open at both reviews, so the service alone would take them: the page
    # says which state the reviewer saw, and a moved application is reported, not acted on.
    to_first_review(world, submitted)
    review.application_decide(decision="approve_first", actor=world["first"], application_id=submitted.pk)
    client.force_login(world["second"])
    response = _decide(client, submitted, decision, "材料不全", S.FIRST_REVIEW)
    assert "已被他人处理" in page_text(response)
    assert Application.objects.get(pk=submitted.pk).state == S.SECOND_REVIEW


@pytest.mark.parametrize(("decision", "state"), [("return", S.RETURNED), ("reject", S.REJECTED)])
def test_the_bureau_returns_or_rejects_with_an_opinion(client, world, submitted, decision, state):
    to_first_review(world, submitted)
    client.force_login(world["first"])
    response = _decide(client, submitted, decision, "", S.FIRST_REVIEW)
    assert "请填写审核意见" in page_text(response)
    response = _decide(client, submitted, decision, "已就业", S.FIRST_REVIEW)
    assert response.status_code == 302
    assert Application.objects.get(pk=submitted.pk).state == state


def test_the_school_cannot_take_the_bureaus_decisions(client, world, submitted):
    to_first_review(world, submitted)
    client.force_login(world["school"])
    response = _decide(client, submitted, "approve", "", S.FIRST_REVIEW)
    assert response.status_code == 200
    assert Application.objects.get(pk=submitted.pk).state == S.FIRST_REVIEW
    assert 'value="approve"' not in page_text(response)


# --- The materials viewer --------------------------------------------------------------------


def test_a_material_is_served_for_the_in_page_viewer_and_audited(client, world, submitted):
    material = first_material(submitted)
    client.force_login(world["school"])
    response = client.get(material_url(submitted, material))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == "inline"
    entry = AuditEntry.objects.get(action="subsidy.material_view")
    assert entry.detail == {"material": material} and entry.target_id == str(submitted.pk)
    download = client.get(material_url(submitted, material), {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment")


def test_the_viewer_refuses_a_material_the_application_does_not_list(client, world, submitted, person):
    from servicehall.accounts import services as accounts
    from servicehall.accounts.models import IdType
    from tests.people import PASSWORD

    # The applicant's own file, but not attached to this application.
    loose = services.material_store(owner=person, upload=png("另一张.png"), field="m")
    # Someone else's file.
    other = accounts.person_create_verified(
        id_type=IdType.RESIDENT,
        id_number=resident_id("32010220030101011"),
        name="李四",
        mobile="13800000111",
        password=PASSWORD,
    )
    foreign = services.material_store(owner=other, upload=png(), field="m")
    client.force_login(world["school"])
    for material_id in (loose.pk, foreign.pk, "00000000-0000-0000-0000-000000000000"):
        assert client.get(material_url(submitted, material_id)).status_code == 404
    # Listed in the map but owned by someone else: still refused.
    Application.objects.filter(pk=submitted.pk).update(materials_json=f'{{"1": ["{foreign.pk}"]}}')
    assert client.get(material_url(submitted, foreign.pk)).status_code == 404
    assert not AuditEntry.objects.filter(action="subsidy.material_view").exists()


# --- Batch decisions --------------------------------------------------------------------------


def test_a_thousand_approved_in_one_post(client, world, submitted, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
    copies = clone(submitted, 999)
    ids = [submitted.pk] + [c.pk for c in copies]
    for pk in ids[:3]:  # someone got there first
        review.application_decide(decision="approve_by_school", actor=world["school"], application_id=pk)
    client.force_login(world["school"])
    searched = client.post(QUEUE, {"tab": "pending", "q": "晓明"}).url  # every copy is 张晓明
    token = re.search(r"s=([\w-]+)", searched).group(1)
    back = f"tab=pending&s={token}&q=x"
    confirmation = client.post(BATCH, {"action": "approve", "ids": ids, "back": back})
    assert confirmation.status_code == 200
    fields = confirm_fields(confirmation)
    assert fields["counted"] == ["997"] and len(fields["ids"]) == 1000
    response = client.post(BATCH, fields)
    assert response.status_code == 302
    assert response.url == QUEUE + f"?tab=pending&s={token}"  # a search text is never put in a URL
    assert Application.objects.filter(pk__in=ids, state=S.AWAITING_PUBLICITY).count() == 1000
    assert "已通过997笔。" in page_text(client.get(response.url))


def test_a_thousand_ids_need_the_raised_field_limit(client, world, submitted, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
    client.force_login(world["school"])
    response = client.post(BATCH, {"action": "approve", "ids": list(range(1, 1001))})
    assert response.status_code == 400


def test_batch_without_a_choice_says_so_and_the_back_link_stays_on_the_queue(client, world, submitted):
    client.force_login(world["school"])
    response = client.post(BATCH, {"action": "approve", "back": "tab=pending&next=https://evil.example/"})
    assert response.url == QUEUE + "?tab=pending"
    assert "请先勾选要办理的申请" in page_text(client.get(response.url))


def test_publishing_the_approved_as_one_publicity(client, world, submitted):
    copies = clone(submitted, 2, state=S.AWAITING_PUBLICITY)
    client.force_login(world["school"])
    response = client.post(
        BATCH, {"action": "publish", "ids": [c.pk for c in copies], "back": "tab=to_publish"}
    )
    item = Publicity.objects.get()
    assert set(item.applications.values_list("pk", flat=True)) == {c.pk for c in copies}
    page = page_text(client.get(response.url))
    assert "已发布公示，共2人" in page
    assert f'<a href="{reverse("notices:detail", args=[item.notice_id])}">查看公示</a>' in page
    assert set(rows(client.get(QUEUE, {"tab": "publicity"}))) == {c.record_number for c in copies}
    assert rows(client.get(QUEUE, {"tab": "to_publish"})) == []
    # The period's end reads the same on the notice, in its text and on the case page: its last
    # day at 24:00, never the next day at 00:00.
    closes = end_text(item.closes_at)
    assert closes.endswith(" 24:00")
    notice = page_text(client.get(reverse("notices:detail", args=[item.notice_id])))
    case = page_text(client.get(reverse("subsidy:review_detail", args=[copies[0].pk])))
    assert notice.count(closes) >= 2 and f"查看公示（至{closes}）" in case
    next_day = f"{item.closes_at.astimezone(SHANGHAI):%Y-%m-%d} 00:00"
    assert next_day not in notice and next_day not in case


def test_publishing_nothing_eligible_is_refused_in_words(client, world, submitted):
    client.force_login(world["school"])
    response = client.post(BATCH, {"action": "publish", "ids": [submitted.pk]}, follow=True)
    assert "请选择要公示的申请" in page_text(response)
    assert not Publicity.objects.exists()


# --- 异议处理 ---------------------------------------------------------------------------------


def _objection(world, application, reason="该生已就业"):
    item = Publicity.objects.filter(applications=application).first()
    if item is None:
        review.application_decide(
            decision="approve_by_school", actor=world["school"], application_id=application.pk
        )
        item = publicity.publicity_publish(actor=world["school"], application_ids=[application.pk])
    return publicity.objection_raise(
        actor=world["first"], publicity=item, application_id=application.pk, reason=reason
    )


def test_objections_are_listed_masked_open_first_and_answered(client, world, submitted):
    first = _objection(world, submitted, "第一条：该生已就业")
    second = _objection(world, submitted, "第二条：家庭情况不符")
    client.force_login(world["school"])
    page = page_text(client.get(OBJECTIONS))
    assert "张*明" in page and "张晓明" not in page and "2212***01" in page
    assert "第一条：该生已就业" in page and "第二条：家庭情况不符" in page
    assert page.count("异议不成立</button>") == 2

    response = client.post(
        OBJECTIONS, {"objection": first.pk, "decision": "dismiss", f"objection-{first.pk}-response": ""}
    )
    assert response.status_code == 200
    assert "请填写处理意见" in page_text(response)
    assert Objection.objects.get(pk=first.pk).state == ObjectionState.OPEN

    response = client.post(
        OBJECTIONS,
        {"objection": first.pk, "decision": "dismiss", f"objection-{first.pk}-response": "经核实未就业"},
        follow=True,
    )
    assert "异议不成立，公示期满后该申请转人社初审" in page_text(response)
    assert Objection.objects.get(pk=first.pk).state == ObjectionState.DISMISSED
    page = page_text(response)
    assert page.index("第二条") < page.index("第一条")  # the open one first
    assert page.count("异议不成立</button>") == 1

    response = client.post(
        OBJECTIONS,
        {"objection": second.pk, "decision": "uphold", f"objection-{second.pk}-response": "情况属实"},
        follow=True,
    )
    assert "异议成立，该申请已退回学校审核" in page_text(response)
    assert Application.objects.get(pk=submitted.pk).state == S.SCHOOL_REVIEW


def test_another_school_cannot_answer_our_objections(client, world, submitted):
    objection = _objection(world, submitted)
    client.force_login(world["other_school"])
    assert "该生已就业" not in page_text(client.get(OBJECTIONS))
    response = client.post(
        OBJECTIONS,
        {"objection": objection.pk, "decision": "uphold", f"objection-{objection.pk}-response": "x"},
    )
    assert response.status_code == 404
    assert Objection.objects.get(pk=objection.pk).state == ObjectionState.OPEN


def test_the_detail_shows_open_objections(client, world, submitted):
    _objection(world, submitted, "该生已在某公司就业")
    client.force_login(world["school"])
    page = page_text(client.get(detail_url(submitted)))
    assert "待处理的异议" in page and "该生已在某公司就业" in page


def test_the_full_id_number_is_shown_when_asked_and_each_time_audited(client, world, submitted):
    client.force_login(world["school"])
    application = Application.objects.get(pk=submitted.pk)
    page = page_text(client.get(detail_url(submitted)))
    assert application.id_number not in page and "查看完整号码" in page
    assert not AuditEntry.objects.filter(action="subsidy.reveal_id_number").exists()
    page = page_text(client.get(detail_url(submitted), {"reveal": "id_number"}))
    assert application.id_number in page and "查看完整号码" not in page
    entry = AuditEntry.objects.get(action="subsidy.reveal_id_number")
    assert entry.actor == world["school"] and entry.target_id == str(submitted.pk)
    assert entry.organisation == world["school"].organisation
    client.get(detail_url(submitted), {"reveal": "id_number"})
    assert AuditEntry.objects.filter(action="subsidy.reveal_id_number").count() == 2
    # Another school's reviewer gets nothing, and nothing is written.
    client.force_login(world["other_school"])
    assert client.get(detail_url(submitted), {"reveal": "id_number"}).status_code == 404
    assert AuditEntry.objects.filter(action="subsidy.reveal_id_number").count() == 2


def _queue_counted(client) -> tuple[str, bool]:
    """The queue page, and whether its tab counts were counted for it (not taken as kept)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        page = page_text(client.get(QUEUE))
    return page, any(' AS "pending"' in q["sql"] or ' AS "first"' in q["sql"] for q in seen.captured_queries)


def _tab_count(page: str, label: str) -> int:
    return int(re.search(rf">{label}<span[^>]*>（(\d+)笔）<", page).group(1))


def _decides(actor, decision, application) -> None:
    review.application_decide(decision=decision, actor=actor, application_id=application.pk, opinion="")


def test_a_decision_at_another_school_leaves_a_schools_tab_counts_kept(client, world, submitted):
    """In September decisions are taken all over the province every second: a school's counts
    are kept under its own school's version, and only its own applications' moves count them
    again."""
    [elsewhere] = clone(submitted, 1, school=world["other_school"].organisation.school)
    client.force_login(world["school"])
    client.get(QUEUE)
    _decides(world["other_school"], "approve_by_school", elsewhere)
    page, counted = _queue_counted(client)
    assert not counted
    assert _tab_count(page, "待审核") == 1
    _decides(world["school"], "approve_by_school", submitted)
    page, counted = _queue_counted(client)
    assert counted
    assert (_tab_count(page, "待审核"), _tab_count(page, "待公示")) == (0, 1)


def test_a_bureaus_tab_counts_follow_its_city_and_its_assigned_schools_only(client, world, submitted):
    """A bureau's counts are kept under its city's version and its assigned schools': a decision
    in another city leaves them counted; one in its city, or at a school assigned to it from
    elsewhere, shows at once."""
    from servicehall.reference.models import School

    ours = clone(submitted, 2, state=S.FIRST_REVIEW)
    suzhou_school = School.objects.filter(region__code__startswith="3205", is_active=True).first()
    [theirs, later] = clone(submitted, 2, state=S.FIRST_REVIEW, start=10, school=suzhou_school)
    client.force_login(world["first"])
    assert _tab_count(_queue_counted(client)[0], "初审") == 2
    _decides(world["other_bureau"], "approve_first", theirs)
    page, counted = _queue_counted(client)
    assert not counted
    assert _tab_count(page, "初审") == 2
    _decides(world["first"], "approve_first", ours[0])
    assert _tab_count(_queue_counted(client)[0], "初审") == 1
    world["nanjing"].assigned_schools.add(suzhou_school)  # 苏州's school now reviewed in 南京
    assert _tab_count(_queue_counted(client)[0], "初审") == 2
    _decides(world["first"], "approve_first", later)
    assert _tab_count(_queue_counted(client)[0], "初审") == 1


def test_the_tab_counts_are_counted_once_until_a_state_moves(client, world, submitted):
    """100,000 rows in scope were counted on every view of the queue; now once per change of
    state, in every process. A decision shows in the counts at once."""
    clone(submitted, 3)
    client.force_login(world["school"])
    assert ">待审核<span" in page_text(client.get(QUEUE))
    page, counted = _queue_counted(client)
    assert not counted
    assert _tab_count(page, "待审核") == 4
    _decides(world["school"], "approve_by_school", submitted)
    assert _tab_count(_queue_counted(client)[0], "待审核") == 3
    # A filtered queue is counted as filtered, never from the whole queue's kept counts.
    filtered = page_text(client.get(QUEUE, {"department": "没有这个院系"}))
    assert re.search(r">待审核<span[^>]*>（0笔）<", filtered), filtered
