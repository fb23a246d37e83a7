"""Hostile query strings and forms on the operations pages (audit, staff accounts, statistics,
好差评, cross-check registries, payment jobs): a page or a message, never a server error."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
HOSTILE = [
    "",
    "x",
    "-1",
    "99999999999999999999",
    "' OR 1=1--",
    "<script>",
    "\x00",
    "2026-02-30",
    "group:nope",
    "１２",
]
URLS = {
    "auditor": ["/audit/", "/audit/export/"],
    "operator": [
        "/accounts/org/staff/",
        "/stats/",
        "/stats/export/",
        "/evaluation/",
        "/verification/registries/",
    ],
}
PARAMS = [
    "person",
    "case",
    "action",
    "date_from",
    "date_to",
    "page",
    "q",
    "role",
    "active",
    "year",
    "city",
    "school",
    "tab",
    "status",
]


def test_operations_pages_answer_hostile_input_without_a_server_error(auditor, operator):
    for who, urls in URLS.items():
        client = Client(raise_request_exception=False)
        client.force_login(auditor if who == "auditor" else operator)
        for url in urls:
            for value in HOSTILE:
                r = client.get(url, {p: value for p in PARAMS})
                assert r.status_code < 500, (url, value, r.status_code)
    client.force_login(operator)
    for path in ["/payments/jobs/999999/", "/evaluation/999999/", "/accounts/org/staff/999999/"]:
        assert client.get(path).status_code < 500
    r = client.post(
        "/accounts/org/staff/",
        {"new-username": "\x00", "new-organisation": "abc", "new-role": "x", "new-mobile": "\x00"},
    )
    assert r.status_code < 500
