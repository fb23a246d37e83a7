"""Each page of the September peak (bench/pages.py) runs a fixed, small number of queries, whatever
the number of applications, accounts and reviews in the database (issue 16). Counted on the second
view of a page: the first fills what is kept per data version (core.versions).

Under the test settings the session lives in the database: the first of each logged-in page's
statements (reading the session) is a Redis command in production, not SQL. The session is
saved only when it changes or once a minute (accounts.idle_sessions), not by these views."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.subsidy.tests.factories import ApplicationFactory, api_submit_body, ready_draft, submit_for
from tests.people import PASSWORD

# path: the most queries its second view may run, for an applicant with a card and no application
APPLICANT_PAGES = {
    "/offline/": 2,
    "/": 2,
    "/search/?q=求职创业": 2,
    "/services/job-seeking-subsidy/": 3,
    "/subsidy/apply/": 4,
    "/center/": 3,
    "/center/in-progress/": 3,
    "/my/": 2,
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


def _within_and_flat(client, budgets: dict[str, int]) -> None:
    """Each path runs at most its budget of queries, and exactly as many again after 20 more
    applicants (with accounts and submitted applications) are in the database."""
    few = {path: _queries(client, path) for path in budgets}
    for path, budget in budgets.items():
        assert len(few[path]) <= budget, "\n".join(few[path])
    _crowd(20)
    for path in budgets:
        assert len(_queries(client, path)) == len(few[path]), path


@pytest.mark.parametrize("path", APPLICANT_PAGES)
def test_an_applicant_page_runs_a_fixed_small_number_of_queries(client, person, card, open_window, path):
    client.force_login(person)
    _within_and_flat(client, {path: APPLICANT_PAGES[path]})


def test_the_login_page_runs_at_most_one_query(client, db):
    assert len(_queries(client, "/accounts/login/")) <= 1


def test_the_reviewers_queue_and_case_page_cost_the_same_with_more_cases(client, world, person):
    application = submit_for(person)
    client.force_login(world["school"])
    _within_and_flat(client, {"/subsidy/review/": 8, f"/subsidy/review/{application.pk}/": 10})


def test_the_apps_me_and_cases_run_a_fixed_number_of_queries(person, card, open_window):
    submit_for(person)
    api = APIClient()
    tokens = api.post(
        "/api/v1/auth/login/password", {"identifier": person.mobile, "password": PASSWORD}, format="json"
    )
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.json()['access']}")
    _within_and_flat(api, {"/api/v1/me": 1, "/api/v1/cases?status=in_progress": 2})


def _submit_statements(person) -> list[str]:
    from servicehall.api.tokens import token_issue
    from servicehall.cards.services import demo_card_for

    demo_card_for(id_number=person.id_number, name=person.name)
    application, data = ready_draft(person)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=person, method='password').access}")
    with CaptureQueriesContext(connection) as queries:
        response = api.post(
            f"/api/v1/applications/{application.pk}/submit", api_submit_body(data), format="json"
        )
    assert response.status_code == 200, response.content
    return [query["sql"] for query in queries.captured_queries]


def test_a_submission_through_the_api_runs_a_fixed_number_of_statements(person, open_window):
    """The September rush's one write: the token, the draft, the card, the move with its
    timeline row, audit entry and SMS, and the answer. The form's choices (ethnic group, education
    level, school, regions), the category with its materials and the reference rows the answer
    names come from the kept copies (no query each), filled by a first submission. (In a test the
    transaction is a savepoint, two statements more, and the SMS, queued after the commit, is not
    written.)"""
    _submit_statements(PersonFactory(index=91))
    first = _submit_statements(person)
    assert len(first) <= 15, "\n".join(first)
    kept = (
        "reference_bank", "reference_region", "reference_school", "reference_ethnicgroup",
        "subsidy_hardshipcategory",
    )
    assert not [sql for sql in first if any(f'FROM "{table}"' in sql for table in kept)]
    _crowd(20)
    assert len(_submit_statements(PersonFactory(index=90))) == len(first)


def test_the_lists_of_ones_cases_read_no_encrypted_column(client, person, card, open_window):
    """办理中, 已办结 and the app's 我的办件 show the record number, the state and the time: no
    personal number is read (nor decrypted) for them."""
    from servicehall.core.fields import EncryptedTextField
    from servicehall.subsidy.models import Application

    submit_for(person)
    encrypted = [f.column for f in Application._meta.fields if isinstance(f, EncryptedTextField)]
    client.force_login(person)
    for path in ["/center/in-progress/", "/center/concluded/"]:
        statements = [q for q in _queries(client, path) if "subsidy_application" in q]
        assert statements, path
        for sql in statements:
            assert not [c for c in encrypted if f'"{c}"' in sql], (path, sql)


def test_the_audit_list_costs_the_same_however_many_objects_its_entries_name(client, auditor, world):
    """审计查询 names each entry's object (发放批次 FF…, a case's record number, a person masked)
    and the objects its detail points at: loaded one kind at a time, not one query per row."""
    from servicehall.audit.services import audit_record

    def entries(start: int, count: int) -> None:
        for index in range(start, start + count):
            application = submit_for(PersonFactory(index=index))
            audit_record(actor=world["school"], action="subsidy.view", target=application)
            audit_record(
                actor=world["school"], action="subsidy.approve", target=application,
                detail={"from": "school_review", "to": "publicity"},
            )
            audit_record(
                actor=world["first"], action="account.staff.change", target=world["school"],
                detail={"changes": {"organisation": {"before": world["first"].organisation_id,
                                                     "after": world["school"].organisation_id}}},
            )

    entries(70, 2)
    client.force_login(auditor)
    few = _queries(client, "/audit/")
    assert len(few) <= 7, "\n".join(few)
    entries(72, 10)
    assert len(_queries(client, "/audit/")) == len(few)
