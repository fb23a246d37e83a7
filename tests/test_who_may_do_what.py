"""Who may open which page: every role against every protected page, pinned. The answers come
from one table (accounts/permissions.py) through core.decorators.action_required; this matrix
was recorded from the seven decorators it replaced, so the change let no one in or out."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    "accounts:staff_home",
    "accounts:staff_list",
    "accounts:appeal_list",
    "cards:import",
    "cards:outlet_import",
    "verification:registries",
    "subsidy:review_queue",
    "subsidy:review_objections",
    "payments:batch_list",
    "payments:totals",
    "stats:dashboard",
    "evaluation:list",
    "audit:entry_list",
    "subsidy:apply",
    "messaging:inbox",
]

PERSON_PAGES = {"subsidy:apply", "messaging:inbox"}
STATISTICS = "stats:dashboard"
EVALUATIONS = "evaluation:list"
# role -> the pages it opens (200). Anyone logged out is sent to a login (302); a person is sent
# to 个人中心 from staff pages and staff to 工作台 from a person's (302); other staff get 403.
# The one change from the decorators it replaced: an auditor no longer opens 服务评价, which
# the 工作台 never offered them (the menu and the page disagreed).
OPENS = {
    "applicant": PERSON_PAGES,
    "school_reviewer": {
        "accounts:staff_home",
        "subsidy:review_queue",
        "subsidy:review_objections",
        STATISTICS,
        EVALUATIONS,
    },
    "bureau_reviewer": {"accounts:staff_home", "subsidy:review_queue", STATISTICS, EVALUATIONS},
    "payment_officer": {
        "accounts:staff_home",
        "payments:batch_list",
        "payments:totals",
        STATISTICS,
        EVALUATIONS,
    },
    "operator": {
        "accounts:staff_home",
        "accounts:staff_list",
        "accounts:appeal_list",
        "cards:import",
        "cards:outlet_import",
        "verification:registries",
        STATISTICS,
        EVALUATIONS,
        "audit:entry_list",
    },
    "auditor": {"accounts:staff_home", "audit:entry_list"},
}


def _expected(role: str) -> dict[str, str]:
    if role == "anonymous":
        return dict.fromkeys(PAGES, "302")
    answers = {}
    for page in PAGES:
        if page in OPENS[role]:
            answers[page] = "200"
        elif role == "applicant" or page in PERSON_PAGES:
            answers[page] = "302"
        else:
            answers[page] = "403"
    return answers


def _answer(response) -> str:
    if response.status_code == 302:
        return "302"
    return str(response.status_code)


def test_every_role_gets_the_same_answer_from_every_page(client, world, officers, operator, auditor, person):
    accounts = {
        "anonymous": None,
        "applicant": person,
        "school_reviewer": world["school"],
        "bureau_reviewer": world["first"],
        "payment_officer": officers["maker"],
        "operator": operator,
        "auditor": auditor,
    }
    found = {}
    for role, user in accounts.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        found[role] = {page: _answer(client.get(reverse(page))) for page in PAGES}
    assert found == {role: _expected(role) for role in accounts}
