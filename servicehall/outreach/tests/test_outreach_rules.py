"""政策找人, one test per rule: the list a school imports, the matching, the invitation, the link,
确认申请 and 不需要, the officers' scopes, and the keeping."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.utils import timezone

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.audit.models import AuditEntry
from servicehall.cards.services import demo_card_for
from servicehall.core.errors import DomainError
from servicehall.messaging.models import SiteMessage, SmsMessage
from servicehall.messaging.services import mobile_index_of
from servicehall.outreach import selectors, services
from servicehall.outreach.invitations import token_digest
from servicehall.outreach.models import Graduate, Invitation, MatchRun, MatchState
from servicehall.outreach.runs import match_run_execute, match_run_queue
from servicehall.outreach.tests.factories import line, list_file, registry_with
from servicehall.subsidy.models import TimelineEvent
from servicehall.subsidy.selectors import window_open
from servicehall.verification.models import Registry
from servicehall.verification.selectors import id_number_index
from tests.people import resident_id

pytestmark = pytest.mark.django_db

STUDENT = resident_id("32010220050601001")
OTHER = resident_id("32010220050601002")
THIRD = resident_id("32010220050601003")


@pytest.fixture
def listed(school_reviewer, operator, open_window, django_capture_on_commit_callbacks):
    """南京大学 lists three students; 王小红 is on the 低保 list, 李四 on the disability list
    without a card's financial function, 赵六 on no list."""
    registry_with(Registry.SUBSISTENCE_ALLOWANCE, [("王小红", STUDENT)], operator=operator)
    registry_with(Registry.DISABILITY, [("李四", OTHER)], operator=operator, source="残联")
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.graduate_list_import(
            actor=school_reviewer,
            graduation_year=open_window.graduation_year,
            uploaded_file=list_file(
                [
                    line("王小红", STUDENT, mobile="13800000011"),
                    line("李四", OTHER, number="221250002", mobile="13800000012"),
                    line("赵六", THIRD, number="221250003", mobile=""),
                ]
            ),
        )
    return batch


def graduate(id_number) -> Graduate:
    return Graduate.objects.get(id_number_index=id_number_index(id_number))


def invitation_of(id_number) -> Invitation:
    return Invitation.objects.get(id_number_index=id_number_index(id_number))


# --- The list ---------------------------------------------------------------------------------


def test_a_school_imports_its_class_encrypted_and_matching_follows(listed):
    assert listed.imported_count == 3 and listed.rejected_count == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, name, mobile FROM outreach_graduate")
        stored = " ".join(" ".join(row) for row in cursor.fetchall())
    assert STUDENT not in stored and "王小红" not in stored and "13800000011" not in stored
    run = MatchRun.objects.get()
    assert run.state == MatchRun.State.DONE and run.done_count == 3 and run.matched_count == 2


def test_importing_again_updates_the_school_s_own_students(listed, school_reviewer):
    services.graduate_list_import(actor=school_reviewer, graduation_year=listed.graduation_year,
                                  uploaded_file=list_file([line("王小红", STUDENT, number="9",
                                                                mobile="13900000099")]))
    again = graduate(STUDENT)
    assert (again.student_number, again.mobile, again.name) == ("9", "13900000099", "王小红")
    assert Graduate.objects.count() == 3, "the others stay listed"


def test_bad_lines_are_reported_and_the_rest_imported(school_reviewer, open_window):
    batch = services.graduate_list_import(
        actor=school_reviewer,
        graduation_year=open_window.graduation_year,
        uploaded_file=list_file(
            [
                line("王小红", STUDENT),
                line("李四", "320102200506010020"),
                line("赵六", THIRD, year=2026),
                line("钱七", STUDENT, number="2"),
                line("孙八", OTHER, mobile="12345"),
            ]
        ),
    )
    assert batch.imported_count == 1 and batch.rejected_count == 4
    reported = {row["line"]: row for row in batch.rejected_rows}
    assert set(reported) == {3, 4, 5, 6}
    assert "3201" in str(reported[3]["value"]) and "0602" not in str(reported[3]["value"]), "masked"
    assert Graduate.objects.count() == 1


def test_a_school_cannot_list_another_schools_student_nor_learn_which_school(world, open_window):
    year = open_window.graduation_year
    services.graduate_list_import(
        actor=world["other_school"], graduation_year=year, uploaded_file=list_file([line("王小红", STUDENT)])
    )
    batch = services.graduate_list_import(
        actor=world["school"], graduation_year=year, uploaded_file=list_file([line("王小红", STUDENT)])
    )
    assert batch.imported_count == 0 and "东南大学" not in json.dumps(batch.rejected_rows, ensure_ascii=False)
    with pytest.raises(PermissionDenied):
        services.graduate_list_import(
            actor=world["first"], graduation_year=year, uploaded_file=list_file([line("王小红", STUDENT)])
        )


# --- Matching ---------------------------------------------------------------------------------


def test_a_match_is_a_proposal_with_the_registrys_sentence(listed):
    found = graduate(STUDENT)
    assert found.match == MatchState.MATCHED and found.category_code == "subsistence_allowance"
    invitation = invitation_of(STUDENT)
    assert "民政城乡低保名单" in selectors.invitation_reason(
        invitation
    ) and "查到本人" in selectors.invitation_reason(invitation)
    assert graduate(THIRD).match == MatchState.NOT_MATCHED


def test_someone_paid_before_is_excluded_with_the_reason(school_reviewer, operator, open_window):
    registry_with(Registry.SUBSISTENCE_ALLOWANCE, [("王小红", STUDENT)], operator=operator)
    registry_with(
        Registry.PRIOR_GRANT, [("王小红", STUDENT)], operator=operator, source="人社", grant_year=2025
    )
    services.graduate_list_import(
        actor=school_reviewer,
        graduation_year=open_window.graduation_year,
        uploaded_file=list_file([line("王小红", STUDENT)]),
    )
    match_run_execute(run_id=MatchRun.objects.get().pk)
    found = graduate(STUDENT)
    assert found.match == MatchState.EXCLUDED and "2025年已领取" in json.dumps(
        json.loads(found.reason)["values"]
    ) + str(
        __import__("servicehall.verification.rules", fromlist=["Sentence"]).Sentence.from_json(
            json.loads(found.reason)
        )
    )
    assert not Invitation.objects.exists()


# --- Invitations ------------------------------------------------------------------------------


def test_each_match_gets_one_sms_and_a_site_message_when_it_has_an_account(
    school_reviewer, operator, open_window, django_capture_on_commit_callbacks
):
    owner = PersonFactory(index=7)
    registry_with(Registry.SUBSISTENCE_ALLOWANCE, [(owner.name, owner.id_number)], operator=operator)
    with django_capture_on_commit_callbacks(execute=True):
        services.graduate_list_import(
            actor=school_reviewer,
            graduation_year=open_window.graduation_year,
            uploaded_file=list_file([line(owner.name, owner.id_number, mobile="13800000011")]),
        )
    sms = SmsMessage.objects.get(mobile_index=mobile_index_of("13800000011"))
    assert "您可能符合求职创业补贴条件" in sms.text and "/outreach/link/" in sms.text and sms.status == "sent"
    message = SiteMessage.objects.get(user=owner)
    assert message.title == "您可能符合求职创业补贴条件" and message.link.startswith("/outreach/invitations/")
    assert selectors.invitation_waiting_for(owner) is not None


def test_never_invited_twice_for_a_window(listed, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        match_run_queue(actor=operator, graduation_year=listed.graduation_year)
    assert Invitation.objects.count() == 2
    assert SmsMessage.objects.filter(text__isnull=False).count() == 2


def test_a_person_without_a_usable_card_is_told_where_to_get_one_first(listed):
    sms = SmsMessage.objects.get(pk=invitation_of(OTHER).sms_id)
    assert sms.text.index("社会保障卡服务网点") < sms.text.index("确认申请") and "/cards/outlets/" in sms.text


def test_declined_is_not_asked_again_that_year(listed, operator, django_capture_on_commit_callbacks):
    person = PersonFactory(index=1, id_number=STUDENT, name="王小红")
    services.invitation_decline(user=person, invitation=invitation_of(STUDENT))
    Invitation.objects.filter(declined_at__isnull=True).delete()
    Invitation.objects.filter(declined_at__isnull=False).update(window=window_open())
    with django_capture_on_commit_callbacks(execute=True):
        match_run_queue(actor=operator, graduation_year=listed.graduation_year)
    assert Invitation.objects.filter(id_number_index=id_number_index(STUDENT)).count() == 1
    assert AuditEntry.objects.filter(action="outreach.invitation.decline").count() == 1


# --- The link ---------------------------------------------------------------------------------


def test_the_link_is_bound_to_its_owner_and_tells_someone_else_nothing(listed, client):
    invitation = invitation_of(STUDENT)
    token = "known-token-for-test"
    Invitation.objects.filter(pk=invitation.pk).update(token_digest=token_digest(token))
    anonymous = client.get(f"/outreach/link/{token}/")
    assert anonymous.status_code == 200 and "王小红" not in anonymous.text and "低保" not in anonymous.text
    stranger = PersonFactory(index=3)
    client.force_login(stranger)
    refused = client.get(f"/outreach/link/{token}/")
    made_up = client.get("/outreach/link/made-up/")
    assert refused.status_code == made_up.status_code == 404 and "王小红" not in refused.text
    owner = PersonFactory(index=1, id_number=STUDENT, name="王小红")
    client.force_login(owner)
    assert client.get(f"/outreach/link/{token}/").url == f"/outreach/invitations/{invitation.pk}/"
    assert client.get(f"/outreach/link/{token}/").url == f"/outreach/invitations/{invitation.pk}/", "again"
    client.force_login(stranger)
    assert client.get(f"/outreach/link/{token}/").status_code == 404
    assert AuditEntry.objects.filter(action="outreach.link.refused").count() == 2


def test_the_link_expires_with_the_window(listed, client):
    invitation = invitation_of(STUDENT)
    Invitation.objects.filter(pk=invitation.pk).update(
        token_digest=token_digest("t"), expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client.force_login(PersonFactory(index=1, id_number=STUDENT, name="王小红"))
    assert client.get("/outreach/link/t/").status_code == 404


# --- 确认申请 ---------------------------------------------------------------------------------


def test_confirm_fills_the_application_and_its_timeline_says_it_began_from_an_invitation(listed):
    owner = PersonFactory(index=1, id_number=STUDENT, name="王小红")
    demo_card_for(id_number=STUDENT, name="王小红")
    application = services.invitation_confirm(user=owner, invitation=invitation_of(STUDENT))
    assert application.state == "draft" and application.school.name == "南京大学"
    assert application.student_number == "221250001" and application.category_code == "subsistence_allowance"
    assert application.mobile == owner.mobile and application.education_level.name == "大学本科"
    event = TimelineEvent.objects.get(application=application)
    assert event.action == "invited" and "民政城乡低保名单" in event.opinion
    again = services.invitation_confirm(user=owner, invitation=invitation_of(STUDENT))
    assert again.pk == application.pk and TimelineEvent.objects.filter(application=application).count() == 1
    assert selectors.figures_for(owner, listed.graduation_year).total.of("confirmed") == 0, (
        "a person sees no figures"
    )


def test_confirm_asks_for_a_card_first(listed):
    owner = PersonFactory(index=1, id_number=STUDENT, name="王小红")
    with pytest.raises(DomainError) as refused:
        services.invitation_confirm(user=owner, invitation=invitation_of(STUDENT))
    assert refused.value.code.startswith("card") and "社会保障卡" in refused.value.message


def test_the_personal_centre_shows_the_waiting_invitation_until_it_is_answered(listed, client):
    owner = PersonFactory(index=1, id_number=STUDENT, name="王小红")
    client.force_login(owner)
    assert f"/outreach/invitations/{invitation_of(STUDENT).pk}/" in client.get("/center/").text
    page = client.get(f"/outreach/invitations/{invitation_of(STUDENT).pk}/")
    assert "民政城乡低保名单" in page.text and "确认申请" in page.text and invitation_of(STUDENT).opened_at
    client.post(f"/outreach/invitations/{invitation_of(STUDENT).pk}/", {"action": "decline"})
    assert invitation_of(STUDENT).declined_at is not None
    assert "/outreach/invitations/" not in client.get("/center/").text
    stranger = PersonFactory(index=3)
    client.force_login(stranger)
    assert client.get(f"/outreach/invitations/{invitation_of(STUDENT).pk}/").status_code == 404


def test_someone_else_cannot_confirm_or_decline(listed):
    stranger = PersonFactory(index=3)
    for call in (services.invitation_confirm, services.invitation_decline):
        with pytest.raises(DomainError):
            call(user=stranger, invitation=invitation_of(STUDENT))


# --- The officers -----------------------------------------------------------------------------


def test_each_officer_sees_their_own_scope(listed, world, operator):
    year = listed.graduation_year
    assert selectors.figures_for(world["school"], year).total.of("listed") == 3
    assert selectors.figures_for(world["other_school"], year).total.of("listed") == 0
    assert selectors.figures_for(world["first"], year).total.of("listed") == 3, "南京's bureau: 南京大学"
    assert selectors.figures_for(world["other_bureau"], year).total.of("listed") == 0
    figures = selectors.figures_for(operator, year)
    assert (figures.total.of("matched"), figures.total.of("invited")) == (2, 2)
    assert {row.label: row.of("matched") for row in figures.by_category}["城乡低保家庭"] == 1
    assert selectors.not_reached_for(world["other_school"], year).count() == 0
    assert selectors.not_reached_for(world["school"], year).count() == 2


def test_the_officers_page_and_export_are_masked_and_audited(listed, world, client, sms_code):
    from tests.clients import staff_client

    reviewer = staff_client(world["school"], sms_code, client=client)
    page = reviewer.get(f"/outreach/?year={listed.graduation_year_id}")
    assert page.status_code == 200 and "王*红" in page.text and STUDENT not in page.text
    total = page.text.split('class="table__total"')[1].split("</tr>")[0]
    assert '<td data-label="符合条件">2</td>' in total, "each figure names its column on a phone"
    export = reviewer.get(f"/outreach/export/?year={listed.graduation_year_id}")
    assert export.status_code == 200 and STUDENT.encode() not in export.content
    assert AuditEntry.objects.filter(action="outreach.list.view").count() == 1
    assert reviewer.get(f"/outreach/import/{listed.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="outreach.list.view", target_id=str(listed.pk)).exists()
    other = staff_client(world["other_school"], sms_code, client=Client())
    assert other.get(f"/outreach/import/{listed.pk}/").status_code == 404, "another school's report"
    assert AuditEntry.objects.filter(action="outreach.export").get().detail["rows"] == 2


# --- Keeping ----------------------------------------------------------------------------------


def test_lists_go_after_the_last_window_and_the_keeping(listed):
    assert services.graduate_lists_purge() == 0
    later = timezone.now() + datetime.timedelta(days=400)
    assert services.graduate_lists_purge(now=later) == 3
    assert not Graduate.objects.exists() and not Invitation.objects.exists()
    assert AuditEntry.objects.get(action="outreach.list.purge").detail["graduates"] == 3
