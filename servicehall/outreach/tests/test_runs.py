"""The matching as a background run: queued once per set of lists, taken up where it stopped
when its worker died, started again by an operator (every list) or a school (its own), never
by a bureau; its progress follows on the officers' page."""

import datetime

import pytest
from django.utils import timezone

from servicehall.audit.models import AuditEntry
from servicehall.outreach import runs, services
from servicehall.outreach.models import Graduate, MatchRun, MatchState
from servicehall.outreach.tests.factories import line, list_file, registry_with
from servicehall.verification.models import Registry
from tests.clients import staff_client
from tests.people import resident_id

pytestmark = pytest.mark.django_db
PEOPLE = [(f"王{'一二三四五六'[i]}", resident_id(f"32010220050602{i + 1:03d}")) for i in range(6)]


@pytest.fixture
def class_of_six(school_reviewer, operator, open_window):
    registry_with(Registry.SUBSISTENCE_ALLOWANCE, PEOPLE[:3], operator=operator)
    services.graduate_list_import(
        actor=school_reviewer,
        graduation_year=open_window.graduation_year,
        uploaded_file=list_file(
            [line(name, number, number=f"22125{i:04d}") for i, (name, number) in enumerate(PEOPLE)]
        ),
    )
    return MatchRun.objects.get()


def test_a_run_is_queued_once_for_the_same_lists(class_of_six, school_reviewer):
    again = runs.match_run_queue(
        actor=school_reviewer, graduation_year=class_of_six.graduation_year, school=class_of_six.school
    )
    assert again.pk == class_of_six.pk and MatchRun.objects.count() == 1


def test_a_run_whose_worker_died_goes_on_from_its_last_chunk(class_of_six, monkeypatch):
    monkeypatch.setattr(runs, "CHUNK", 2)
    first_two = list(Graduate.objects.order_by("pk").values_list("pk", flat=True)[:2])
    calls = {"n": 0}
    real = runs.match_chunk

    def dies_on_the_second_chunk(people, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real(people, **kwargs)

    monkeypatch.setattr(runs, "match_chunk", dies_on_the_second_chunk)
    with pytest.raises(SystemExit):
        runs.match_run_execute(run_id=class_of_six.pk)
    stalled = MatchRun.objects.get()
    assert (
        stalled.state == MatchRun.State.RUNNING
        and stalled.done_count == 2
        and stalled.last_pk == first_two[-1]
    )
    assert runs.match_runs_recover() == 0, "not stalled yet"
    later = timezone.now() + runs.STALLED_AFTER + datetime.timedelta(seconds=1)
    monkeypatch.setattr(runs, "_enqueue", lambda run_id: None)
    assert runs.match_runs_recover(now=later) == 1
    monkeypatch.setattr(runs, "match_chunk", real)
    done = runs.match_run_execute(run_id=class_of_six.pk)
    assert done.state == MatchRun.State.DONE and done.done_count == 6 and done.matched_count == 3
    assert Graduate.objects.filter(match=MatchState.MATCHED).count() == 3
    assert not Graduate.objects.filter(match=MatchState.PENDING).exists()


def test_who_may_run_the_matching_again(class_of_six, world, operator, client, sms_code):
    year = class_of_six.graduation_year_id
    runs.match_run_execute(run_id=class_of_six.pk)
    bureau = staff_client(world["first"], sms_code, client=client)
    assert bureau.post("/outreach/run/", {"year": year}).status_code == 403
    page = bureau.get(f"/outreach/?year={year}")
    assert page.status_code == 200 and "重新比对" not in page.text
    bureau.logout()
    admin = staff_client(operator, sms_code, client=client)
    assert admin.post("/outreach/run/", {"year": year}).status_code == 302
    province = MatchRun.objects.get(school__isnull=True)
    assert AuditEntry.objects.filter(action="outreach.run", target_id=str(province.pk)).exists()
    progress = admin.get(f"/outreach/run/progress/?year={year}")
    assert progress.status_code == 200 and "outreach-run" in progress.text


def test_matches_made_before_the_window_are_invited_once_it_opens(school_reviewer, operator, open_window):
    from servicehall.outreach.invitations import invitations_send_pending
    from servicehall.outreach.models import Invitation
    from servicehall.subsidy.models import ApplicationWindow

    registry_with(Registry.SUBSISTENCE_ALLOWANCE, PEOPLE[:2], operator=operator)
    closed = {"opens_on": timezone.localdate() + datetime.timedelta(days=1)}
    ApplicationWindow.objects.filter(pk=open_window.pk).update(**closed)
    services.graduate_list_import(
        actor=school_reviewer,
        graduation_year=open_window.graduation_year,
        uploaded_file=list_file([line(name, number) for name, number in PEOPLE[:3]]),
    )
    runs.match_run_execute(run_id=MatchRun.objects.get().pk)
    assert Graduate.objects.filter(match=MatchState.MATCHED).count() == 2 and not Invitation.objects.exists()
    assert invitations_send_pending() == 0, "no window open yet"
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert invitations_send_pending(now=tomorrow) == 2
    assert invitations_send_pending(now=tomorrow) == 0, "never twice"
