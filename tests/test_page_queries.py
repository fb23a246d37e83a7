"""Each page of the September peak (bench/pages.py) runs a fixed, small number of queries, whatever
the number of applications, accounts and reviews in the database (issue 16). Counted on the second
view of a page: the first fills what is kept per data version (core.versions).

Under the test settings the session lives in the database: three of each page's statements
(reading the session, and the BEGIN/UPDATE/COMMIT... of saving it) are Redis commands in
production, not SQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.subsidy.tests.factories import ApplicationFactory, submit_for
from tests.people import PASSWORD

# path: the most queries its second view may run, for an applicant with a card and no application
APPLICANT_PAGES = {
    "/offline/": 6,
    "/": 6,
    "/search/?q=求职创业": 7,
    "/services/job-seeking-subsidy/": 8,
    "/subsidy/apply/": 11,
    "/center/in-progress/": 8,
    "/my/": 6,
}


def _queries(client, path) -> list[str]:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [query["sql"] for query in queries.captured_queries]


def _crowd(count: int) -> None:
    """`count` other people, each with a submitted application at 南京大学."""
    for index in range(60, 60 + count):
        ApplicationFactory(applicant=PersonFactory(index=index))


@pytest.mark.parametrize("path", APPLICANT_PAGES)
def test_an_applicant_page_runs_a_fixed_small_number_of_queries(client, person, card, open_window, path):
    client.force_login(person)
    few = _queries(client, path)
    assert len(few) <= APPLICANT_PAGES[path], "\n".join(few)
    _crowd(20)
    assert len(_queries(client, path)) == len(few)


def test_the_login_page_runs_at_most_one_query(client, db):
    assert len(_queries(client, "/accounts/login/")) <= 1


def test_the_reviewers_queue_and_case_page_cost_the_same_with_more_cases(client, world, person):
    application = submit_for(person)
    client.force_login(world["school"])
    queue, case = "/subsidy/review/", f"/subsidy/review/{application.pk}/"
    few_queue, few_case = _queries(client, queue), _queries(client, case)
    assert len(few_queue) <= 13, "\n".join(few_queue)
    assert len(few_case) <= 14, "\n".join(few_case)
    _crowd(20)
    assert len(_queries(client, queue)) == len(few_queue)
    assert len(_queries(client, case)) == len(few_case)


def test_the_apps_me_and_cases_run_a_fixed_number_of_queries(person, card, open_window):
    submit_for(person)
    api = APIClient()
    tokens = api.post(
        "/api/v1/auth/login/password", {"identifier": person.mobile, "password": PASSWORD}, format="json"
    )
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.json()['access']}")
    me, cases = "/api/v1/me", "/api/v1/cases?status=in_progress"
    few_me, few_cases = _queries(api, me), _queries(api, cases)
    assert len(few_me) <= 1, "\n".join(few_me)
    assert len(few_cases) <= 2, "\n".join(few_cases)
    _crowd(20)
    assert len(_queries(api, me)) == len(few_me)
    assert len(_queries(api, cases)) == len(few_cases)
