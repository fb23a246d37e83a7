"""`make run`'s demo of 政策找人: the outbox holds the invitations, and 王小红 confirms in one step
and submits with no document."""

import pytest
from django.core.management import call_command

from servicehall.messaging.models import SmsMessage
from servicehall.messaging.services import mobile_index_of
from servicehall.outreach import selectors, services
from servicehall.outreach.models import Graduate, Invitation, MatchState
from servicehall.portal import demo
from servicehall.subsidy.models import ApplicationWindow
from servicehall.subsidy.services import application_submit
from servicehall.subsidy.tests.factories import form_data

pytestmark = pytest.mark.django_db


def test_the_demo_invites_its_graduates_and_one_confirms_and_submits_without_documents(
    django_capture_on_commit_callbacks, django_user_model
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)
    assert Graduate.objects.filter(match=MatchState.MATCHED).count() == 2
    invited = SmsMessage.objects.filter(mobile_index=mobile_index_of(demo.GRADUATE["mobile"])).get()
    assert "您可能符合求职创业补贴条件" in invited.text and "城乡低保家庭" in invited.text
    card_less = SmsMessage.objects.get(mobile_index=mobile_index_of("13800000003"))
    assert "社会保障卡服务网点" in card_less.text

    graduate = django_user_model.objects.get(mobile_index=mobile_index_of(demo.GRADUATE["mobile"]))
    invitation = Invitation.objects.get(pk=selectors.invitation_waiting_for(graduate))
    draft = services.invitation_confirm(user=graduate, invitation=invitation)
    window = ApplicationWindow.objects.get(pk=invitation.window_id)
    answers = {
        key: value
        for key, value in form_data(category_code="subsistence_allowance").items()
        if key in ("ethnic_group", "hukou_address", "residence_address") or key.endswith("_region_county")
    }
    submitted = application_submit(
        applicant=graduate,
        application=draft,
        data=_cleaned(answers),
        graduation_year=window.graduation_year,
        pledged=True,
    )
    assert submitted.done_now and submitted.application.state == "school_review"
    assert submitted.application.school.name == "南京大学"

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)  # again: nothing doubled
    assert Invitation.objects.count() == 2 and Graduate.objects.count() == 3


def _cleaned(answers: dict) -> dict:
    from servicehall.reference.models import EthnicGroup, Region

    return {
        "ethnic_group": EthnicGroup.objects.get(pk=answers["ethnic_group"]),
        "hukou_region": Region.objects.get(code=answers["hukou_region_county"]),
        "hukou_address": answers["hukou_address"],
        "residence_region": Region.objects.get(code=answers["residence_region_county"]),
        "residence_address": answers["residence_address"],
    }
