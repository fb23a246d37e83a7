"""sms_sweep / manage.py sweep_sms: messages whose worker never came or died mid-delivery are
delivered, exactly once, even with two sweepers or a late worker racing (issue 14)."""

import io
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone

from servicehall.messaging import gateways
from servicehall.messaging.models import SmsKind, SmsMessage, SmsStatus
from servicehall.messaging.services import _stale_claim, sms_deliver, sms_send, sms_sweep
from servicehall.messaging.tasks import deliver_sms

from .conftest import MOBILE, frozen

pytestmark = pytest.mark.django_db

WORKER_DOWN = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
RECORDING = "servicehall.messaging.tests.test_sweep.RecordingGateway"
RACING = "servicehall.messaging.tests.test_sweep.RacingGateway"


class RecordingGateway(gateways.SmsGateway):
    name = "recording"
    sent: list = []

    def send(self, *, mobile, text, key=""):
        RecordingGateway.sent.append(text)


class RacingGateway(gateways.SmsGateway):
    """While the gateway call of one sweeper is in flight, a second sweeper and the late
    worker both try the same message."""

    name = "racing"
    sent: list = []

    def send(self, *, mobile, text, key=""):
        RacingGateway.sent.append(text)
        if len(RacingGateway.sent) == 1:
            sms_sweep()
            deliver_sms.call(SmsMessage.objects.get().pk)


@pytest.fixture(autouse=True)
def _reset():
    RecordingGateway.sent = []
    RacingGateway.sent = []


@pytest.fixture
def clock():
    with frozen(timezone.now().replace(microsecond=0)) as c:
        yield c


@pytest.fixture
def left_in_queue(django_capture_on_commit_callbacks):
    """Send while the worker is down: the task is enqueued on commit and never runs."""

    def send(text="您的申报已受理。", kind=SmsKind.NOTICE) -> SmsMessage:
        with override_settings(TASKS=WORKER_DOWN), django_capture_on_commit_callbacks(
            execute=True
        ) as callbacks:
            message = sms_send(mobile=MOBILE, text=text, kind=kind)
        assert len(callbacks) == 1
        return message

    return send


def sweep_command() -> str:
    out = io.StringIO()
    call_command("sweep_sms", stdout=out)
    return out.getvalue()


@override_settings(SMS_BACKEND=RECORDING)
def test_a_message_the_worker_never_took_is_sent_once(clock, left_in_queue):
    message = left_in_queue()
    assert SmsMessage.objects.get().status == SmsStatus.QUEUED

    assert "0 stalled" in sweep_command()  # fresh: the worker may still come
    clock.advance(seconds=_stale_claim().total_seconds() + 1)
    assert "1 stalled" in sweep_command()
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT
    assert RecordingGateway.sent == ["【江苏人社】您的申报已受理。"]

    assert "0 stalled" in sweep_command()
    deliver_sms.call(message.pk)  # the worker, back at last
    assert len(RecordingGateway.sent) == 1


@override_settings(SMS_BACKEND=RECORDING)
def test_a_message_whose_worker_died_mid_delivery_is_taken_over(clock, left_in_queue):
    message = left_in_queue()
    # A worker claimed it and died before reporting back.
    SmsMessage.objects.filter(pk=message.pk).update(
        status=SmsStatus.SENDING, attempts=1, last_attempt_at=clock.now
    )
    clock.advance(seconds=60)
    assert sms_sweep() == 0  # a worker may be slow; only a stale claim is taken over
    clock.advance(seconds=_stale_claim().total_seconds())
    assert sms_sweep() == 1
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT and message.attempts == 2
    assert len(RecordingGateway.sent) == 1


@override_settings(SMS_BACKEND=RACING)
def test_two_sweepers_and_a_late_worker_send_once(clock, left_in_queue):
    message = left_in_queue()
    clock.advance(seconds=_stale_claim().total_seconds() + 1)
    sms_sweep()
    assert len(RacingGateway.sent) == 1
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT


@override_settings(SMS_BACKEND=RECORDING)
def test_a_stale_code_is_failed_not_sent(clock, left_in_queue):
    left_in_queue("您的登录验证码为123456，5分钟内有效。", kind=SmsKind.OTP)
    clock.advance(seconds=_stale_claim().total_seconds() + 1)
    sms_sweep()
    message = SmsMessage.objects.get()
    assert message.status == SmsStatus.FAILED and message.error == "code expired before delivery"
    assert RecordingGateway.sent == []


@override_settings(SMS_BACKEND=RECORDING, SMS_DELIVERY_MAX_ATTEMPTS=2)
def test_attempts_stay_bounded(clock, left_in_queue):
    message = left_in_queue()
    SmsMessage.objects.filter(pk=message.pk).update(
        status=SmsStatus.SENDING, attempts=2, last_attempt_at=clock.now
    )
    clock.advance(seconds=_stale_claim().total_seconds() + 1)
    sms_sweep()
    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED
    assert RecordingGateway.sent == []
    assert sms_deliver(message_id=message.pk).status == SmsStatus.FAILED


def test_sent_and_failed_messages_are_left_alone(clock, left_in_queue):
    message = left_in_queue()
    SmsMessage.objects.filter(pk=message.pk).update(status=SmsStatus.SENT, sent_at=clock.now)
    clock.advance(days=1)
    assert sms_sweep() == 0
    assert timedelta(minutes=5) == _stale_claim()


class SlowGateway(gateways.SmsGateway):
    """Holds the line a moment, so concurrent sweepers overlap in the gateway call."""

    name = "slow"
    sent: list = []

    def send(self, *, mobile, text, key=""):
        SlowGateway.sent.append(text)
        time.sleep(0.3)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
@override_settings(SMS_BACKEND="servicehall.messaging.tests.test_sweep.SlowGateway")
def test_concurrent_sweepers_send_once_on_postgresql(clock):
    SlowGateway.sent = []
    with override_settings(TASKS=WORKER_DOWN):
        message = sms_send(mobile=MOBILE, text="您的申报已受理。")  # autocommit: enqueued, never run
    clock.advance(seconds=_stale_claim().total_seconds() + 1)

    barrier = threading.Barrier(3)
    errors = []

    def run(step):
        def target():
            try:
                barrier.wait()
                step()
            except Exception as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        return threading.Thread(target=target)

    threads = [
        run(sms_sweep),  # a sweeper
        run(lambda: sms_deliver(message_id=message.pk)),  # a second one, past its selection
        run(lambda: deliver_sms.call(message.pk)),  # the worker, late
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(SlowGateway.sent) == 1
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT and message.attempts == 1
