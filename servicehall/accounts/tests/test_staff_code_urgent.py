"""Staff log in while the task worker is down: the second-factor code goes through the gateway
in the request, and a gateway failure is explained, never a 500 (issue 14)."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from servicehall.messaging import gateways
from servicehall.messaging.gateways import GatewayError
from servicehall.messaging.models import OneTimeCode, SmsMessage, SmsStatus
from servicehall.messaging.services import sms_deliver
from tests.clock import frozen
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db

STAFF_MOBILE = "13900000011"
RECORDING = "servicehall.accounts.tests.test_staff_code_urgent.RecordingGateway"
DOWN = "servicehall.accounts.tests.test_staff_code_urgent.DownGateway"
# A tasks backend that keeps what is enqueued and never runs it: the worker is down.
WORKER_DOWN = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class RecordingGateway(gateways.SmsGateway):
    name = "recording"
    sent: list = []

    def send(self, *, mobile, text, key=""):
        RecordingGateway.sent.append((mobile, text))


class DownGateway(gateways.SmsGateway):
    name = "down"
    calls = 0

    def send(self, *, mobile, text, key=""):
        DownGateway.calls += 1
        raise GatewayError("HTTP 503")


@pytest.fixture(autouse=True)
def _reset():
    RecordingGateway.sent = []
    DownGateway.calls = 0


def staff_password_step(client):
    return client.post(
        reverse("accounts:login_staff"), {"identifier": "nju.reviewer", "password": PASSWORD}
    )


@override_settings(
    TASKS=WORKER_DOWN, SMS_BACKEND=RECORDING
)
def test_staff_log_in_while_the_worker_is_down(client, school_reviewer, sms_code):
    response = staff_password_step(client)
    assert response.url == reverse("accounts:login_staff_verify")
    # Sent through the gateway during the request, not left in the queue.
    assert [mobile for mobile, _text in RecordingGateway.sent] == [STAFF_MOBILE]
    assert SmsMessage.objects.get().status == SmsStatus.SENT

    done = client.post(reverse("accounts:login_staff_verify"), {"sms_code": sms_code(STAFF_MOBILE)})
    assert done.url == reverse("accounts:staff_home")


@override_settings(
    TASKS=WORKER_DOWN, SMS_BACKEND=RECORDING
)
def test_only_the_staff_second_factor_skips_the_queue(client, person):
    client.post(reverse("accounts:login_sms"), {"mobile": person.mobile, "action": "send_code"})
    assert RecordingGateway.sent == []
    assert SmsMessage.objects.get().status == SmsStatus.QUEUED


@override_settings(
    TASKS=WORKER_DOWN, SMS_BACKEND=DOWN
)
def test_a_gateway_failure_is_explained_and_the_code_is_dead(client, school_reviewer):
    response = staff_password_step(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "验证码短信发送失败，请稍后重新获取" in page
    assert "_auth_user_id" not in client.session
    assert DownGateway.calls == 1
    # The code was never delivered: it does not exist, and its message is failed for good, so
    # neither a late worker nor the sweeper sends a dead code.
    assert not OneTimeCode.objects.exists()
    from servicehall.messaging.services import sms_sweep

    message = SmsMessage.objects.get()
    assert message.status == SmsStatus.FAILED
    sms_deliver(message_id=message.pk)
    sms_sweep()
    assert DownGateway.calls == 1

    # Trying again at once is allowed (no resend wait for a code that never left).
    again = staff_password_step(client)
    assert "验证码短信发送失败" in again.content.decode()
    assert DownGateway.calls == 2


def test_a_gateway_failure_on_resend_is_explained(client, school_reviewer):
    start = timezone.now()
    with override_settings(TASKS=WORKER_DOWN, SMS_BACKEND=RECORDING), frozen(start) as clock:
        staff_password_step(client)
        clock.advance(seconds=61)
        with override_settings(SMS_BACKEND=DOWN):
            response = client.post(reverse("accounts:login_staff_verify"), {"action": "resend"})
    assert response.status_code == 200
    assert "验证码短信发送失败，请稍后重新获取" in response.content.decode()
    assert DownGateway.calls == 1
    assert OneTimeCode.objects.count() == 1  # only the first, delivered code is left
