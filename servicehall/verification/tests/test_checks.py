"""The checks where people meet them: the application form says "系统已核验，无需上传" for a person
in the registry and names the document otherwise; submission runs every check in the background
(each with its sentence); reviewers see the checks, filter their queue by result, check again on
demand, and cannot approve past a failed employment or prior-grant check without a written,
audited override."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from servicehall.accounts import services as accounts
from servicehall.accounts.models import IdType
from servicehall.accounts.tests.factories import PersonFactory
from servicehall.audit.models import AuditEntry
from servicehall.cards.services import demo_card_for
from servicehall.subsidy import selectors as subsidy_selectors
from servicehall.subsidy import services as subsidy
from servicehall.subsidy.check_models import CheckResult
from servicehall.subsidy.checks import checks_run
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.forms import ApplicationForm
from servicehall.subsidy.models import Application
from servicehall.subsidy.tests.factories import form_data
from servicehall.verification.models import Outcome, Rule
from tests.files import png
from tests.people import PASSWORD

from .conftest import LISTED_ID, OTHER_ID, csv_bytes, days

pytestmark = pytest.mark.django_db

# The two schools, two bureaus and their reviewers of the subsidy's own tests.
LOW = "subsistence_allowance"
APPLY = reverse("subsidy:apply")
QUEUE = reverse("subsidy:review_queue")
GRANT_HEADER = ["证件号码", "姓名", "发放年度"]
JOB_HEADER = ["证件号码", "姓名", "参保开始日期", "参保终止日期"]


@pytest.fixture
def unlisted(db):
    return accounts.person_create_verified(
        id_type=IdType.RESIDENT,
        id_number=OTHER_ID,
        name="王小红",
        mobile="13800000009",
        password=PASSWORD,
    )


@pytest.fixture
def low_list(import_registry):
    """民政's 低保 list with the `person` fixture (张晓明) on it, valid for a year."""
    return import_registry(data=csv_bytes([[LISTED_ID, "张晓明", days(-200), days(300)]]))


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def apply(client, django_capture_on_commit_callbacks, category=LOW, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(APPLY, form_data(category, **extra))


def application_of(user) -> Application:
    return subsidy_selectors.application_active_for(user)


def submitted_for(applicant, *, category=LOW, attach=False) -> Application:
    """Submitted through the services, the way submit_for does, for `category`."""
    demo_card_for(id_number=applicant.id_number, name=applicant.name)
    application = subsidy.application_start(applicant=applicant).application
    year = subsidy_selectors.window_open().graduation_year
    categories = list(subsidy_selectors.categories_for(year))
    form = ApplicationForm(form_data(category), categories=categories)
    assert form.is_valid(), form.errors
    if attach:
        chosen = next(c for c in categories if c.code == category)
        requirement = chosen.materials.get()
        material = subsidy.material_store(owner=applicant, upload=png(), field="m")
        subsidy.application_attach(
            applicant=applicant,
            application=application,
            requirement_id=requirement.pk,
            material=material,
            category=chosen,
        )
    return subsidy.application_submit(
        applicant=applicant,
        application=application,
        data=form.valid_data(),
        graduation_year=year,
        pledged=True,
    ).application


def results(application) -> dict[str, CheckResult]:
    return {r.rule: r for r in CheckResult.objects.filter(application=application)}


# --- The applicant --------------------------------------------------------------------------


def test_a_listed_student_is_told_no_upload_is_needed_and_submits_without_it(
    person, open_window, low_list, django_capture_on_commit_callbacks
):
    demo_card_for(id_number=person.id_number, name=person.name)
    client = logged_in(person)
    client.get(APPLY)  # starts the draft
    part = client.get(reverse("subsidy:category_materials"), {"category": LOW}).content.decode()
    assert "系统已核验，无需上传" in part
    today = timezone.localdate().isoformat()
    assert f"民政城乡低保名单（{today} 导入）中查到本人，有效期至 {days(300)}" in part
    response = apply(client, django_capture_on_commit_callbacks)
    application = application_of(person)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert application.state == S.SCHOOL_REVIEW
    found = results(application)  # checked in the background once the submission committed
    assert set(found) == {Rule.CATEGORY, Rule.NOT_EMPLOYED, Rule.NOT_GRANTED}
    assert found[Rule.CATEGORY].outcome == Outcome.PASSED
    assert found[Rule.CATEGORY].sentence.startswith("民政城乡低保名单（")
    with translation.override("en"):  # stored untranslated: read in the reader's language
        assert found[Rule.CATEGORY].sentence.startswith("The applicant was found in Urban and rural")
        assert found[Rule.CATEGORY].batch_label.endswith(f"(民政) (imported {today})")
    assert found[Rule.NOT_EMPLOYED].outcome == Outcome.NOT_FOUND  # no employment list imported


def test_a_student_not_listed_is_told_what_to_upload_and_cannot_submit_without_it(
    unlisted, open_window, low_list, django_capture_on_commit_callbacks
):
    demo_card_for(id_number=unlisted.id_number, name=unlisted.name)
    client = logged_in(unlisted)
    client.get(APPLY)
    part = client.get(reverse("subsidy:category_materials"), {"category": LOW}).content.decode()
    assert "系统未能核验您的毕业生类型" in part and "中未查到本人" in part and "请上传低保证明" in part
    assert "系统已核验，无需上传" not in part
    response = apply(client, django_capture_on_commit_callbacks, mobile="13800000009")
    assert response.status_code == 200
    assert "请上传低保证明" in response.content.decode()
    assert application_of(unlisted).state == S.DRAFT


def test_a_listed_name_that_differs_is_not_verified(person, open_window, import_registry):
    import_registry(data=csv_bytes([[LISTED_ID, "张小明", "", ""]]))
    demo_card_for(id_number=person.id_number, name=person.name)
    client = logged_in(person)
    client.get(APPLY)
    part = client.get(reverse("subsidy:category_materials"), {"category": LOW}).content.decode()
    assert "中查到该证件号码，但姓名与申请人不一致" in part and "请上传低保证明" in part


# --- The reviewer ---------------------------------------------------------------------------


@pytest.fixture
def employed(person, open_window, low_list, import_registry):
    """张晓明 is on the 低保 list and, for 60 days, insured as an employee: submitted."""
    import_registry("employment", data=csv_bytes([[LISTED_ID, "张晓明", days(-60), ""]], header=JOB_HEADER))
    application = submitted_for(person)
    checks_run(applications=Application.objects.filter(pk=application.pk))
    return application


def test_the_reviewer_sees_every_check_with_its_sentence(world, employed):
    text = (
        logged_in(world["school"]).get(reverse("subsidy:review_detail", args=[employed.pk])).content.decode()
    )
    assert "数据比对" in text
    for words in (
        "毕业生类型核验",
        "未就业核验",
        "未领取过补贴核验",
        "中查到本人",
        "以职工身份参保",
        "尚未导入求职创业补贴发放名单",
    ):
        assert words in text, words


def test_the_applicant_reads_the_checks_on_their_case_page_and_nobody_else_does(person, employed):
    text = logged_in(person).get(reverse("subsidy:case", args=[employed.pk])).content.decode()
    assert "系统核验结果" in text
    for words in ("毕业生类型核验", "未就业核验", "中查到本人", "以职工身份参保"):
        assert words in text, words
    other = PersonFactory(index=7)
    assert logged_in(other).get(reverse("subsidy:case", args=[employed.pk])).status_code == 404


def test_a_failed_employment_check_blocks_approval_until_overridden_with_a_reason(world, employed):
    school = logged_in(world["school"])
    detail = reverse("subsidy:review_detail", args=[employed.pk])
    response = school.post(detail, {"decision": "approve", "opinion": "", "state": S.SCHOOL_REVIEW})
    assert response.status_code == 200
    assert "比对未通过，暂不能通过审核" in response.content.decode()
    assert Application.objects.get(pk=employed.pk).state == S.SCHOOL_REVIEW

    override = reverse("subsidy:review_check_override", args=[employed.pk])
    school.post(override, {"rule": Rule.NOT_EMPLOYED, "reason": "离职"})  # too short
    assert not results(employed)[Rule.NOT_EMPLOYED].is_overridden
    reason = "已核实离职证明，2026年8月31日已解除劳动关系"
    school.post(override, {"rule": Rule.NOT_EMPLOYED, "reason": reason})
    result = results(employed)[Rule.NOT_EMPLOYED]
    assert (
        result.is_overridden and result.override_reason == reason and result.overridden_by == world["school"]
    )
    audit = AuditEntry.objects.get(action="verification.override")
    assert audit.target_id == str(employed.pk) and audit.detail == {
        "rule": Rule.NOT_EMPLOYED,
        "check": result.pk,
    }
    assert reason in school.get(detail).content.decode()

    school.post(detail, {"decision": "approve", "opinion": "", "state": S.SCHOOL_REVIEW})
    assert Application.objects.get(pk=employed.pk).state == S.AWAITING_PUBLICITY


def test_an_override_survives_a_recheck_on_the_same_evidence_but_not_a_new_list(
    world, employed, import_registry
):
    school = logged_in(world["school"])
    school.post(
        reverse("subsidy:review_check_override", args=[employed.pk]),
        {"rule": Rule.NOT_EMPLOYED, "reason": "已核实离职证明，已解除劳动关系"},
    )
    school.post(reverse("subsidy:review_recheck", args=[employed.pk]))
    assert results(employed)[Rule.NOT_EMPLOYED].is_overridden
    import_registry("employment", data=csv_bytes([[LISTED_ID, "张晓明", days(-90), ""]], header=JOB_HEADER))
    school.post(reverse("subsidy:review_recheck", args=[employed.pk]))
    assert not results(employed)[Rule.NOT_EMPLOYED].is_overridden


def test_batch_approval_refuses_while_a_selected_application_is_blocked(world, employed):
    response = logged_in(world["school"]).post(
        reverse("subsidy:review_batch"), {"action": "approve", "ids": [employed.pk]}, follow=True
    )
    assert "就业或领取比对未通过" in response.content.decode()
    assert Application.objects.get(pk=employed.pk).state == S.SCHOOL_REVIEW


def test_a_prior_grant_in_another_province_blocks_approval(world, person, open_window, import_registry):
    import_registry(
        "prior_grant", data=csv_bytes([[LISTED_ID, "张晓明", "2025"]], header=GRANT_HEADER), province="浙江省"
    )
    application = submitted_for(person, category="disabled", attach=True)
    checks_run(applications=Application.objects.filter(pk=application.pk))
    found = results(application)[Rule.NOT_GRANTED]
    assert found.outcome == Outcome.FAILED and "浙江省求职创业补贴发放名单" in found.sentence
    response = logged_in(world["school"]).post(
        reverse("subsidy:review_detail", args=[application.pk]),
        {"decision": "approve", "opinion": "", "state": S.SCHOOL_REVIEW},
    )
    assert "浙江省求职创业补贴发放名单" in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == S.SCHOOL_REVIEW


def test_the_queue_filters_by_check_result(world, employed, unlisted):
    other = submitted_for(unlisted, attach=True)
    checks_run(applications=Application.objects.filter(pk=other.pk))
    school = logged_in(world["school"])

    def listed(check):
        return {
            a
            for a in (employed.record_number, other.record_number)
            if a in school.get(QUEUE, {"check": check}).content.decode()
        }

    assert listed("blocked") == {employed.record_number}
    assert listed("category_passed") == {employed.record_number}
    assert listed("category_other") == {other.record_number}
    assert listed("unchecked") == set()
    assert listed("") == {employed.record_number, other.record_number}
    text = school.get(QUEUE).content.decode()
    assert "就业或领取未通过" in text and "类型需看材料" in text


def test_rechecking_all_of_a_school_checks_its_applications_only(world, employed, unlisted):
    other = submitted_for(unlisted, attach=True)
    assert not CheckResult.objects.filter(application=other).exists()
    response = logged_in(world["school"]).post(reverse("subsidy:review_recheck_all"), follow=True)
    assert "已开始按最新名单重新比对本单位的2笔申请" in response.content.decode()
    assert results(other)[Rule.CATEGORY].outcome == Outcome.NOT_FOUND
    outsider = logged_in(world["other_school"])
    assert outsider.post(reverse("subsidy:review_recheck", args=[other.pk])).status_code == 404
    assert (
        outsider.post(
            reverse("subsidy:review_check_override", args=[employed.pk]),
            {"rule": Rule.NOT_EMPLOYED, "reason": "已核实离职证明"},
        ).status_code
        == 404
    )


def test_the_check_date_is_the_submission_date(world, employed):
    Application.objects.filter(pk=employed.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=400)
    )
    checks_run(applications=Application.objects.filter(pk=employed.pk))
    found = results(employed)
    assert found[Rule.NOT_EMPLOYED].outcome == Outcome.PASSED  # insured only for 60 days
    assert found[Rule.NOT_EMPLOYED].checked_on == timezone.localdate() - datetime.timedelta(days=400)


def test_the_bureau_cannot_approve_past_a_failed_check_either(world, person, open_window, import_registry):
    from servicehall.core.errors import DomainError
    from servicehall.subsidy import review
    from servicehall.subsidy.tests.factories import to_first_review

    application = submitted_for(person, category="disabled", attach=True)
    to_first_review(world, application)
    import_registry("employment", data=csv_bytes([[LISTED_ID, "张晓明", days(-60), ""]], header=JOB_HEADER))
    checks_run(applications=Application.objects.filter(pk=application.pk))
    with pytest.raises(DomainError) as refused:
        review.application_decide(
            decision="approve_first", actor=world["first"], application_id=application.pk
        )
    assert refused.value.code == "check_failed" and "以职工身份参保" in refused.value.message
    assert Application.objects.get(pk=application.pk).state == S.FIRST_REVIEW


def test_a_recheck_names_the_category_by_its_index_or_else_decrypts_it(person, low_list, open_window):
    """checks_run reads the category's blind index and names it from the categories' codes; an
    application whose index is missing (written past the services) is checked on its category
    all the same."""
    application = submitted_for(person)
    checks_run(applications=Application.objects.filter(pk=application.pk))
    assert results(application)[Rule.CATEGORY].outcome == Outcome.PASSED
    Application.objects.filter(pk=application.pk).update(category_index="")
    CheckResult.objects.filter(application=application).delete()
    checks_run(applications=Application.objects.filter(pk=application.pk))
    assert results(application)[Rule.CATEGORY].outcome == Outcome.PASSED
