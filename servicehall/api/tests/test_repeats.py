"""A retry or a double tap is told the truth: 开始申报 answers 201 once, for the request that
created the draft, and 200 with the same draft after; 提交 answers 200 with the same record
number however often it is sent, one after the other or twenty at once (PostgreSQL)."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from servicehall.subsidy import services
from servicehall.subsidy.models import Application
from servicehall.subsidy.tests.factories import ready_draft
from tests.races import race

from .conftest import V1, bearer, log_in

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs PostgreSQL"
)


def _saved_draft(person, year) -> Application:
    application, data = ready_draft(person)
    services.application_save_draft(
        applicant=person, application=application, data=data, graduation_year=year
    )
    return application


def _submit(client, application):
    return client.post(V1 + f"applications/{application.pk}/submit", {"pledge": True}, format="json")


@pytest.mark.django_db
def test_submitting_twice_answers_the_same_submission(person, card, open_window, person_api):
    application = _saved_draft(person, open_window.graduation_year)
    first, second = _submit(person_api, application), _submit(person_api, application)
    assert first.status_code == second.status_code == 200, (first.json(), second.json())
    assert first.json()["record_number"] and first.json()["record_number"] == second.json()["record_number"]
    assert Application.objects.get().timeline.count() == 1


@pytest.mark.django_db
def test_starting_twice_is_created_once(person, card, open_window, person_api):
    first, second = person_api.post(V1 + "application"), person_api.post(V1 + "application")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]


@pytest.mark.django_db
def test_the_service_says_whether_it_did_the_step_now(person, card, open_window):
    started = services.application_start(applicant=person)
    again = services.application_start(applicant=person)
    assert (started.done_now, again.done_now) == (True, False)
    assert started.application == again.application


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
@pytest.mark.usefixtures("migrated_rows")
def test_twenty_concurrent_submits_through_the_api_all_get_the_one_submission(person, card, open_window):
    application = _saved_draft(person, open_window.graduation_year)
    access = log_in(person.mobile)["access"]
    answers = []

    def submit():
        response = _submit(bearer(APIClient(), access), application)
        answers.append((response.status_code, response.json().get("record_number")))

    assert race(20, submit) == []
    assert {status for status, _number in answers} == {200}, answers
    assert len({number for _status, number in answers}) == 1
    assert Application.objects.get().timeline.count() == 1


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
@pytest.mark.usefixtures("migrated_rows")
def test_twenty_concurrent_starts_through_the_api_create_once(person, card, open_window):
    access = log_in(person.mobile)["access"]
    answers = []

    def start():
        response = bearer(APIClient(), access).post(V1 + "application")
        answers.append((response.status_code, response.json().get("id")))

    assert race(20, start) == []
    assert sorted(status for status, _id in answers) == [200] * 19 + [201], answers
    assert len({draft for _status, draft in answers}) == 1
    assert Application.objects.count() == 1
