"""个人中心's 办理中: the draft waiting to be finished and the cases under way, read in one go."""

from django.urls import reverse

from servicehall.subsidy.tests.factories import ready_draft, submit_for


def test_in_progress_offers_the_draft_and_lists_the_cases_under_way(client, person, card, open_window):
    client.force_login(person)
    empty = client.get(reverse("portal:in_progress")).content.decode()
    assert "您当前没有正在办理的业务。" in empty and "继续填写" not in empty
    ready_draft(person)
    drafted = client.get(reverse("portal:in_progress")).content.decode()
    assert "继续填写" in drafted and "您当前没有正在办理的业务。" in drafted  # a draft is not a case
    case = submit_for(person)
    submitted = client.get(reverse("portal:in_progress")).content.decode()
    assert case.record_number in submitted and "继续填写" not in submitted


# 我的 → 我的办件 opens the tab of cases that has something (subsidy.selectors.case_tab_for).

def _cases(client) -> str:
    response = client.get(reverse("portal:cases"))
    assert response.status_code == 302
    return response.url


def _withdraw(person):
    from servicehall.subsidy import services

    case = submit_for(person)
    return services.application_withdraw(applicant=person, application=case)


def test_my_cases_link_goes_through_the_chooser(client, person):
    page = client.get(reverse("portal:my")).content.decode()
    assert f'href="{reverse("portal:cases")}">我的办件' in page


def test_nothing_anywhere_opens_in_progress(client, person):
    client.force_login(person)
    assert _cases(client) == reverse("portal:in_progress")


def test_only_a_concluded_case_opens_concluded(client, person, card, open_window):
    withdrawn = _withdraw(person)
    client.force_login(person)
    assert _cases(client) == reverse("portal:concluded")
    assert withdrawn.record_number in client.get(reverse("portal:concluded")).content.decode()


def test_a_case_under_way_opens_in_progress_even_beside_a_concluded_one(client, person, card, open_window):
    _withdraw(person)
    case = submit_for(person)
    client.force_login(person)
    assert _cases(client) == reverse("portal:in_progress")
    assert case.record_number in client.get(reverse("portal:in_progress")).content.decode()


def test_a_draft_to_finish_opens_in_progress(client, person, card, open_window):
    _withdraw(person)
    ready_draft(person)
    client.force_login(person)
    assert _cases(client) == reverse("portal:in_progress")
    assert "继续填写" in client.get(reverse("portal:in_progress")).content.decode()


def test_only_ones_own_cases_count(client, person, card, open_window):
    from servicehall.accounts.tests.factories import PersonFactory

    submit_for(PersonFactory(index=7))
    _withdraw(person)
    client.force_login(person)
    assert _cases(client) == reverse("portal:concluded")


def test_a_visitor_logs_in_first_and_then_gets_the_tab(client, person, card, open_window):
    from tests.people import PASSWORD

    _withdraw(person)
    response = client.get(reverse("portal:cases"))
    assert response.url == reverse("accounts:login") + "?next=" + reverse("portal:cases")
    login = client.post(response.url, {"identifier": person.mobile, "password": PASSWORD})
    assert login.url == reverse("portal:cases")
    assert _cases(client) == reverse("portal:concluded")


def test_staff_go_to_their_workbench(client, school_reviewer):
    client.force_login(school_reviewer)
    assert _cases(client) == reverse("accounts:staff_home")


def test_choosing_the_tab_costs_one_query_and_reads_no_encrypted_column(client, person, card, open_window):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _withdraw(person)
    client.force_login(person)
    _cases(client)
    with CaptureQueriesContext(connection) as queries:
        _cases(client)
    chooser = [q["sql"] for q in queries.captured_queries if "subsidy_application" in q["sql"]]
    assert len(chooser) == 1
    assert "id_number" not in chooser[0] and "mobile" not in chooser[0]
