"""Every task run twice has one effect: a queue runs a task at least once (RQ retries, a sweep
re-enqueues, a worker killed after the effect and before its end runs it again). The delivery of
an SMS, the payment jobs and the registry imports have their own tests of a killed worker
(messaging/tests/test_sweep.py, payments/tests/test_jobs.py, verification's); here the tasks
that tell people, and those that recompute."""

from types import SimpleNamespace

import pytest

from servicehall.core.models import DoneOnce
from servicehall.core.once import once
from servicehall.messaging.models import SiteMessage, SmsMessage
from servicehall.payments import services as payment_services
from servicehall.payments import tasks as payment_tasks
from servicehall.subsidy import tasks as subsidy_tasks
from servicehall.subsidy.check_models import CheckResult

pytestmark = pytest.mark.django_db


def _run(run_id: str):
    return SimpleNamespace(task_result=SimpleNamespace(id=run_id))


def test_once_lets_one_run_through_and_keeps_nothing_of_a_rolled_back_one(db):
    with once("k") as first:
        assert first
    with once("k") as first:
        assert not first
    with pytest.raises(RuntimeError), once("dies") as first:  # a run killed before its commit
        assert first
        raise RuntimeError
    with once("dies") as first:
        assert first  # ... is done by the next run
    assert DoneOnce.objects.count() == 2


def test_notify_applicants_run_twice_tells_each_person_once(submitted):
    sms, site = SmsMessage.objects.count(), SiteMessage.objects.count()
    ids = [submitted.pk]
    assert subsidy_tasks.notify_applicants.func(_run("r1"), ids, "returned") == 1
    assert subsidy_tasks.notify_applicants.func(_run("r1"), ids, "returned") == 0  # a retry
    assert SmsMessage.objects.count() == sms + 1
    assert SiteMessage.objects.count() == site + 1
    # Another decision (another run) is another notice.
    assert subsidy_tasks.notify_applicants.func(_run("r2"), ids, "returned") == 1
    assert SmsMessage.objects.count() == sms + 2


def test_notify_settled_run_twice_tells_each_line_once(db, monkeypatch):
    told = []
    settled = {1, 2}

    def notices_send(item_ids):
        told.extend(item_ids)
        return sum(1 for i in item_ids if i in settled)

    monkeypatch.setattr(payment_services, "notices_send", notices_send)
    assert payment_tasks.notify_settled.func([1, 2, 3]) == 2
    assert payment_tasks.notify_settled.func([1, 2, 3]) == 0
    assert told == [1, 2, 3, 3]  # line 3 (not settled) is left for a later run, 1 and 2 told once
    settled.add(3)
    assert payment_tasks.notify_settled.func([3]) == 1


def test_check_applications_run_twice_keeps_one_result_per_rule(submitted):
    subsidy_tasks.check_applications.func([submitted.pk])
    first = sorted(CheckResult.objects.filter(application=submitted).values_list("rule", "outcome"))
    subsidy_tasks.check_applications.func([submitted.pk])
    again = sorted(CheckResult.objects.filter(application=submitted).values_list("rule", "outcome"))
    assert first and again == first


def test_reissue_fixed_cards_run_twice_moves_nothing_the_second_time(db):
    assert payment_tasks.reissue_fixed_cards.func() == payment_tasks.reissue_fixed_cards.func() == 0
