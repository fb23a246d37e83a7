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
