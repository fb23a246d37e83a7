"""Applying again after 撤回: the form offers the last withdrawn application's answers (使用上次撤回
的申请信息填写), fills only the person's own, still valid answers into the fields left empty when
the person chooses it, attaches no document, and never submits. Through HTTP, page and API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.reference.models import School
from servicehall.subsidy import selectors, services
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.models import Application, ApplicationWindow, HardshipCategory
from servicehall.subsidy.tests.factories import submit_for
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db
APPLY = reverse("subsidy:apply")
FILL = reverse("subsidy:apply_fill_from_withdrawn")
OFFER = "使用上次撤回的申请信息填写"
# What submit_for's form holds (factories.form_data), as the filled form shows it.
TYPED = ["221250001", "计算机学院", "软件工程", "江苏省南京市秦淮区瑞金路1号", "江苏省南京市鼓楼区汉口路22号"]


def _withdrawn(person) -> Application:
    return services.application_withdraw(applicant=person, application=submit_for(person))


def _draft(person) -> Application:
    return Application.objects.get(applicant=person, state=ApplicationStatus.DRAFT)


@pytest.fixture
def withdrawn(person, card, open_window):
    return _withdrawn(person)


def test_the_form_offers_the_answers_and_fills_nothing_by_itself(client, person, withdrawn):
    client.force_login(person)
    page = client.get(APPLY).content.decode()
    assert OFFER in page and f'action="{FILL}"' in page
    assert "上传的材料不会自动带入" in page
    for value in TYPED:
        assert f'value="{value}"' not in page
    assert not Application.objects.filter(applicant=person, state=ApplicationStatus.DRAFT).exists()


def test_no_offer_without_a_withdrawn_application(client, person, card, open_window):
    client.force_login(person)
    assert OFFER not in client.get(APPLY).content.decode()
    response = client.post(FILL, follow=True)
    assert "没有找到您撤回的申请" in response.content.decode()
    assert not Application.objects.filter(applicant=person).exists()


def test_choosing_it_fills_a_draft_with_the_answers_and_no_document(client, person, withdrawn):
    client.force_login(person)
    response = client.post(FILL)
    assert response.status_code == 302 and response.url == APPLY
    draft = _draft(person)
    for field in services.FORM_FIELDS:
        assert getattr(draft, field) == getattr(withdrawn, field), field
    assert draft.category_code == withdrawn.category_code
    assert draft.category_index == withdrawn.category_index
    assert draft.graduation_year_id == withdrawn.graduation_year_id
    assert draft.materials_json in ("", "{}") and selectors.materials_map(withdrawn)
    assert draft.record_number is None and draft.submitted_at is None

    page = client.get(APPLY).content.decode()
    assert "已填入上次撤回的申请中仍然有效的信息" in page
    for value in TYPED:
        assert f'value="{value}"' in page
    assert OFFER not in page  # nothing left to fill
    # The withdrawn application's file is not attached, but offered in 我的材料 beside the slot.
    assert "或从我的材料中选择" in page
    assert withdrawn.state == ApplicationStatus.WITHDRAWN
    assert Application.objects.get(pk=withdrawn.pk).state == ApplicationStatus.WITHDRAWN


def test_only_answers_still_valid_are_filled(client, person, withdrawn):
    school = School.objects.get(pk=withdrawn.school_id)
    school.is_active = False
    school.save()
    category = HardshipCategory.objects.get(
        graduation_year=withdrawn.graduation_year, code=withdrawn.category_code
    )
    category.is_active = False
    category.save()
    client.force_login(person)
    client.post(FILL)
    draft = _draft(person)
    assert draft.school_id is None and draft.category_code == "" and draft.category_index == ""
    assert draft.student_number == withdrawn.student_number
    assert draft.hukou_region_id == withdrawn.hukou_region_id


def test_what_the_person_typed_is_kept(client, person, withdrawn):
    client.force_login(person)
    client.post(APPLY, {"action": "save_draft", "major": "金融学", "mobile": "13900000009"})
    page = client.get(APPLY).content.decode()
    assert OFFER in page  # the draft still leaves fields the old answers could fill
    client.post(FILL)
    draft = _draft(person)
    assert draft.major == "金融学" and draft.mobile == "13900000009"
    assert draft.department == withdrawn.department and draft.school_id == withdrawn.school_id


def test_repeating_it_fills_nothing_more(client, person, withdrawn):
    client.force_login(person)
    client.post(FILL)
    first = _draft(person)
    page = client.post(FILL, follow=True).content.decode()
    assert "上次撤回的申请中没有可以填入的信息" in page
    assert Application.objects.filter(applicant=person, state=ApplicationStatus.DRAFT).count() == 1
    assert _draft(person).updated_at == first.updated_at


def test_only_ones_own_withdrawn_application(client, person, card, open_window):
    other = PersonFactory(index=5)
    from servicehall.cards.services import demo_card_for

    demo_card_for(id_number=other.id_number, name=other.name)
    _withdrawn(other)
    client.force_login(person)
    assert OFFER not in client.get(APPLY).content.decode()
    assert "没有找到您撤回的申请" in client.post(FILL, follow=True).content.decode()


def test_an_id_number_moved_to_another_account_does_not_bring_the_old_accounts_answers(
    client, person, withdrawn
):
    """After an appeal gives the ID number to a new account, the application the old account
    withdrew has the same ID index but is not the new account's own: never offered, never read."""
    from servicehall.accounts.models import User

    index, number = person.id_number_index, person.id_number
    User.objects.filter(pk=person.pk).update(id_number_index="moved-away", id_number="")
    newcomer = PersonFactory(index=6)
    User.objects.filter(pk=newcomer.pk).update(id_number_index=index, id_number=number)
    newcomer.refresh_from_db()
    from servicehall.cards.services import demo_card_for

    demo_card_for(id_number=number, name=newcomer.name)
    client.force_login(newcomer)
    assert OFFER not in client.get(APPLY).content.decode()
    assert "没有找到您撤回的申请" in client.post(FILL, follow=True).content.decode()


def test_no_offer_outside_the_window(client, person, withdrawn, open_window):
    ApplicationWindow.objects.filter(pk=open_window.pk).update(
        opens_on=timezone.localdate() + datetime.timedelta(days=30),
        closes_on=timezone.localdate() + datetime.timedelta(days=40),
    )
    from servicehall.core.versions import data_changed

    data_changed(selectors.SETUP_VERSION)
    client.force_login(person)
    assert OFFER not in client.get(APPLY).content.decode()
    assert "不在申报期内" in client.post(FILL, follow=True).content.decode()
    assert not Application.objects.filter(applicant=person, state=ApplicationStatus.DRAFT).exists()


def test_a_returned_application_is_corrected_not_filled(client, person, withdrawn, world):
    from servicehall.subsidy import review

    case = submit_for(person)
    review.application_decide(
        actor=world["school"], application_id=case.pk, decision="return_by_school", opinion="请补充学号"
    )
    client.force_login(person)
    page = client.get(APPLY).content.decode()
    assert "您的申请被退回修改" in page and OFFER not in page
    assert "按审核意见修改" in client.post(FILL, follow=True).content.decode()


def test_only_a_post_fills(client, person, withdrawn):
    client.force_login(person)
    assert client.get(FILL).url == APPLY
    assert not Application.objects.filter(applicant=person, state=ApplicationStatus.DRAFT).exists()


def test_a_session_ended_before_the_button_comes_back_to_the_offer(client, person, withdrawn):
    response = client.post(FILL)
    assert response.url == reverse("accounts:login") + "?next=" + FILL
    client.post(response.url, {"identifier": person.mobile, "password": PASSWORD})
    assert client.get(FILL).url == APPLY
    assert OFFER in client.get(APPLY).content.decode()
    assert not Application.objects.filter(applicant=person, state=ApplicationStatus.DRAFT).exists()


def test_the_page_reads_the_withdrawn_application_in_its_one_statement(client, person, withdrawn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(person)
    client.get(APPLY)
    with CaptureQueriesContext(connection) as queries:
        client.get(APPLY)
    reading = [q["sql"] for q in queries.captured_queries if 'FROM "subsidy_application"' in q["sql"]]
    assert len(reading) == 1, reading
    assert len(queries.captured_queries) <= 5, [q["sql"] for q in queries.captured_queries]


# --- The app (API): GET application says whether there is something to fill; POST application
# {"fill_from_withdrawn": true} fills it, through the same selector and service. ---------------

def _api(person) -> APIClient:
    api = APIClient()
    tokens = api.post("/api/v1/auth/login/password", {"identifier": person.mobile, "password": PASSWORD},
                      format="json").json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return api


def test_the_app_is_offered_the_answers_and_fills_the_draft(person, withdrawn):
    api = _api(person)
    assert api.get("/api/v1/application").json()["withdrawn_answers"] is True
    created = api.post("/api/v1/application", {"fill_from_withdrawn": True}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "draft" and body["materials"] == []
    assert body["student_number"] == withdrawn.student_number and body["category"] == withdrawn.category_code
    assert body["school"] == withdrawn.school_id
    assert api.get("/api/v1/application").json()["withdrawn_answers"] is False
    again = api.post("/api/v1/application", {"fill_from_withdrawn": True}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]


def test_the_app_without_a_withdrawn_application(person, card, open_window):
    api = _api(person)
    assert api.get("/api/v1/application").json()["withdrawn_answers"] is False
    refused = api.post("/api/v1/application", {"fill_from_withdrawn": True}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "no_withdrawn"
    assert api.post("/api/v1/application").status_code == 201  # no body: an empty draft, as before


def test_the_app_starting_without_the_flag_fills_nothing(person, withdrawn):
    api = _api(person)
    started = api.post("/api/v1/application", {"fill_from_withdrawn": False}, format="json")
    assert started.status_code == 201 and started.json()["student_number"] == ""
    assert api.get("/api/v1/application").json()["withdrawn_answers"] is True


def test_the_app_flag_must_be_a_boolean(person, withdrawn):
    refused = _api(person).post("/api/v1/application", {"fill_from_withdrawn": "true"}, format="json")
    assert refused.status_code == 400 and refused.json()["fields"] == ["fill_from_withdrawn"]
    assert not Application.objects.filter(applicant=person, state=ApplicationStatus.DRAFT).exists()
