"""政策找人 in the app: the person's invitations, 确认申请 and 不需要, through the same services
as the pages; someone else's invitation is a 404 like a missing one."""

import pytest

from servicehall.outreach import services
from servicehall.outreach.models import Invitation
from servicehall.outreach.tests.factories import line, list_file, registry_with
from servicehall.subsidy.models import Application, TimelineEvent
from servicehall.verification.models import Registry

from .conftest import V1

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(person, school_reviewer, operator, open_window, django_capture_on_commit_callbacks):
    registry_with(Registry.SUBSISTENCE_ALLOWANCE, [(person.name, person.id_number)], operator=operator)
    with django_capture_on_commit_callbacks(execute=True):
        services.graduate_list_import(
            actor=school_reviewer,
            graduation_year=open_window.graduation_year,
            uploaded_file=list_file([line(person.name, person.id_number)]),
        )
    return Invitation.objects.get()


def test_the_app_lists_and_confirms_an_invitation(person_api, invited, card):
    listed = person_api.get(V1 + "me/invitations")
    assert listed.status_code == 200
    [row] = listed.json()
    assert row["state"] == "waiting" and row["card_ok"] is True and "民政城乡低保名单" in row["reason"]
    invited.refresh_from_db()
    assert invited.opened_at is not None, "shown in the app counts as 已查看, as on the page"
    confirmed = person_api.post(V1 + f"me/invitations/{invited.pk}/confirm")
    assert confirmed.status_code == 200
    application = Application.objects.get(pk=confirmed.json()["application_id"])
    assert application.category_code == "subsistence_allowance" and application.school.name == "南京大学"
    assert TimelineEvent.objects.filter(application=application, action="invited").exists()
    assert person_api.get(V1 + "me/invitations").json()[0]["state"] == "confirmed"
    refused = person_api.post(V1 + f"me/invitations/{invited.pk}/decline")
    assert refused.status_code == 400 and refused.json()["code"] == "confirmed"


def test_without_a_card_confirming_says_so_and_declining_is_kept(person_api, invited):
    refused = person_api.post(V1 + f"me/invitations/{invited.pk}/confirm")
    assert refused.status_code == 400 and refused.json()["code"].startswith("card_")
    assert person_api.get(V1 + "me/invitations").json()[0]["card_ok"] is False
    declined = person_api.post(V1 + f"me/invitations/{invited.pk}/decline")
    assert declined.status_code == 200 and declined.json()["state"] == "declined"


def test_someone_elses_invitation_is_not_found(other_api, invited):
    assert other_api.get(V1 + "me/invitations").json() == []
    for action in ("confirm", "decline"):
        response = other_api.post(V1 + f"me/invitations/{invited.pk}/{action}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Invitation.objects.get().declined_at is None
