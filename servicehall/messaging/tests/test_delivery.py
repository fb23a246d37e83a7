"""sms_send, sms_deliver and the deliver_sms task, through the configured gateway."""

import pytest
from django.db import connection
from django.test import override_settings

from servicehall.messaging import gateways
from servicehall.messaging.gateways import GatewayError, OutboxGateway, get_gateway
from servicehall.messaging.models import SmsMessage, SmsStatus
from servicehall.messaging.services import sms_deliver, sms_send
from servicehall.messaging.tasks import deliver_sms

from .conftest import MOBILE

pytestmark = pytest.mark.django_db

RECORDING = "servicehall.messaging.tests.test_delivery.RecordingGateway"
FAILING = "servicehall.messaging.tests.test_delivery.FailingGateway"
BROKEN = "servicehall.messaging.tests.test_delivery.BrokenGateway"


class FailingGateway(gateways.SmsGateway):
    name = "failing"
    calls = 0

    def send(self, *, mobile, text, key=""):
        FailingGateway.calls += 1
        raise GatewayError("HTTP 503")


class BrokenGateway(gateways.SmsGateway):
    name = "broken"

    def send(self, *, mobile, text, key=""):
        raise RuntimeError(f"cannot send {text} to {mobile}")


class RecordingGateway(gateways.SmsGateway):
    name = "recording"
    sent: list = []

    def send(self, *, mobile, text, key=""):
        RecordingGateway.sent.append((mobile, text))


@pytest.fixture(autouse=True)
def _reset_gateways():
    FailingGateway.calls = 0
    RecordingGateway.sent = []


def test_default_gateway_is_the_outbox():
    assert isinstance(get_gateway(), OutboxGateway)


def test_outbox_gateway_marks_the_message_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = sms_send(mobile=MOBILE, text="您的申请已提交。")
    assert len(callbacks) == 1

    message.refresh_from_db()
    assert message.status == SmsStatus.SENT
    assert message.gateway == "outbox"
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.text == "【江苏人社】您的申请已提交。"
    assert message.kind == "notice"


@override_settings(SMS_HTTP_GATEWAY_SIGN="测试签名")
def test_sign_comes_from_settings_and_is_not_doubled(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = sms_send(mobile=MOBILE, text="您好")
        second = sms_send(mobile=MOBILE, text="【江苏人社】已签名")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.text == "【测试签名】您好"
    assert second.text == "【江苏人社】已签名"


def test_nothing_is_delivered_before_commit(django_capture_on_commit_callbacks):
    with override_settings(SMS_BACKEND=RECORDING):
        with django_capture_on_commit_callbacks(execute=False):
            sms_send(mobile=MOBILE, text="您好")
        assert RecordingGateway.sent == []
        assert SmsMessage.objects.get().status == SmsStatus.QUEUED


@override_settings(SMS_BACKEND=RECORDING)
def test_gateway_gets_the_plain_number_and_text(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(mobile=MOBILE, text="您好")
    assert RecordingGateway.sent == [(MOBILE, "【江苏人社】您好")]


def test_delivery_is_idempotent(django_capture_on_commit_callbacks):
    with override_settings(SMS_BACKEND=RECORDING):
        with django_capture_on_commit_callbacks(execute=True):
            message = sms_send(mobile=MOBILE, text="您好")
        result = deliver_sms.enqueue(message.pk)
        sms_deliver(message_id=message.pk)
    assert result.return_value == "sent"
    assert len(RecordingGateway.sent) == 1
    message.refresh_from_db()
    assert message.attempts == 1


@override_settings(SMS_BACKEND=FAILING)
def test_failure_is_retried_a_bounded_number_of_times(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = sms_send(mobile=MOBILE, text="您好")
    message.refresh_from_db()
    assert FailingGateway.calls == 3
    assert message.status == SmsStatus.FAILED
    assert message.attempts == 3
    assert message.error == "HTTP 503"
    assert message.gateway == "failing"
    assert message.sent_at is None

    # A failed message is not sent again by a late task.
    deliver_sms.enqueue(message.pk)
    assert FailingGateway.calls == 3


@override_settings(SMS_BACKEND=FAILING, SMS_DELIVERY_MAX_ATTEMPTS=1)
def test_one_attempt_when_so_configured(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(mobile=MOBILE, text="您好")
    assert FailingGateway.calls == 1
    assert SmsMessage.objects.get().status == SmsStatus.FAILED


@override_settings(SMS_BACKEND=BROKEN, SMS_DELIVERY_MAX_ATTEMPTS=1)
def test_unexpected_gateway_errors_keep_no_personal_data(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = sms_send(mobile=MOBILE, text="您好")
    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED
    assert message.error == "unexpected RuntimeError"


def test_failure_then_success_on_retry(django_capture_on_commit_callbacks):
    with override_settings(SMS_BACKEND=FAILING, SMS_DELIVERY_MAX_ATTEMPTS=3):
        with django_capture_on_commit_callbacks(execute=False):
            message = sms_send(mobile=MOBILE, text="您好")
        sms_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == SmsStatus.QUEUED
    assert message.error == "HTTP 503"

    sms_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT
    assert message.error == ""
    assert message.attempts == 2


def test_message_row_holds_no_plain_number_or_text(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(mobile=MOBILE, text="您的验证码为654321")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {SmsMessage._meta.db_table}")  # noqa: S608
        raw = repr(cursor.fetchall())
    assert MOBILE not in raw
    assert "654321" not in raw


def test_delivery_logs_hold_no_number(django_capture_on_commit_callbacks, caplog):
    caplog.set_level("DEBUG", logger="servicehall.messaging")
    with override_settings(SMS_BACKEND=FAILING):
        with django_capture_on_commit_callbacks(execute=True):
            sms_send(mobile=MOBILE, text="您的验证码为654321")
    assert caplog.records
    assert MOBILE not in caplog.text
    assert "654321" not in caplog.text


@pytest.mark.parametrize("mobile", ["", "12345", "1381234567x"])
def test_sms_send_refuses_a_malformed_number(mobile):
    from servicehall.core.errors import DomainError

    with pytest.raises(DomainError):
        sms_send(mobile=mobile, text="您好")
