"""HttpGateway against a tiny HTTP server on 127.0.0.1 (no outside network)."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from servicehall.messaging.gateways import GatewayError, HttpGateway
from servicehall.messaging.models import SmsMessage, SmsStatus
from servicehall.messaging.services import sms_send

from .conftest import MOBILE


class FakeProvider:
    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.delay = 0.0
        self.redirect_to = ""

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/sms/send"

    def start(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                provider.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length),
                    }
                )
                if provider.delay:
                    time.sleep(provider.delay)
                try:
                    self.send_response(provider.status)
                    if provider.redirect_to:
                        self.send_header("Location", provider.redirect_to)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"code": 0}')
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider():
    fake = FakeProvider().start()
    yield fake
    fake.stop()


def gateway_for(provider, **kwargs) -> HttpGateway:
    return HttpGateway(url=provider.url, token="secret-token", sign="江苏人社", **kwargs)


def test_posts_json_with_bearer_token(provider):
    gateway_for(provider).send(mobile=MOBILE, text="【江苏人社】您好")

    (request,) = provider.requests
    assert request["path"] == "/sms/send"
    assert request["headers"]["Authorization"] == "Bearer secret-token"
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert json.loads(request["body"].decode("utf-8")) == {
        "mobile": MOBILE, "text": "【江苏人社】您好", "sign": "江苏人社"
    }


def test_the_message_key_goes_as_the_idempotency_key(provider, db):
    from servicehall.messaging.services import idempotency_key, sms_deliver, sms_send

    message = sms_send(mobile=MOBILE, text="【江苏人社】您好", queue=False)
    with override_settings(
        SMS_BACKEND="servicehall.messaging.gateways.HttpGateway",
        SMS_HTTP_GATEWAY_URL=provider.url, SMS_HTTP_GATEWAY_TOKEN="secret-token",
    ):
        sms_deliver(message_id=message.pk)
    (request,) = provider.requests
    assert request["headers"]["Idempotency-Key"] == idempotency_key(message)
    assert idempotency_key(message).startswith(f"hall-sms-{message.pk}-")


@pytest.mark.parametrize("status", [400, 401, 500, 503])
def test_non_2xx_is_a_gateway_error(provider, status):
    provider.status = status
    with pytest.raises(GatewayError, match=f"HTTP {status}"):
        gateway_for(provider).send(mobile=MOBILE, text="您好")
    assert len(provider.requests) == 1


def test_redirect_is_a_gateway_error(provider):
    provider.status = 302
    provider.redirect_to = "http://127.0.0.1:9/elsewhere"
    with pytest.raises(GatewayError, match="HTTP 302"):
        gateway_for(provider).send(mobile=MOBILE, text="您好")
    assert len(provider.requests) == 1


def test_2xx_other_than_200_is_accepted(provider):
    provider.status = 202
    gateway_for(provider).send(mobile=MOBILE, text="您好")


def test_timeout_is_a_gateway_error(provider):
    provider.delay = 1.0
    with pytest.raises(GatewayError) as info:
        gateway_for(provider, timeout=0.2).send(mobile=MOBILE, text="您好")
    assert MOBILE not in str(info.value)


def test_default_timeout_is_five_seconds():
    assert HttpGateway(url="http://127.0.0.1:9/").timeout == 5.0


def test_connection_refused_is_a_gateway_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nobody listens on the port any more.
    with pytest.raises(GatewayError, match="network error") as info:
        HttpGateway(url=f"http://127.0.0.1:{port}/", token="t").send(mobile=MOBILE, text="您好")
    assert MOBILE not in str(info.value)


@pytest.mark.parametrize("url", [None, "", "file:///etc/passwd", "ftp://127.0.0.1/"])
def test_missing_or_odd_url_is_a_gateway_error(url):
    with override_settings(SMS_HTTP_GATEWAY_URL=url):
        with pytest.raises(GatewayError):
            HttpGateway().send(mobile=MOBILE, text="您好")


@pytest.mark.django_db
def test_configured_http_gateway_delivers(provider, django_capture_on_commit_callbacks):
    with override_settings(
        SMS_BACKEND="servicehall.messaging.gateways.HttpGateway",
        SMS_HTTP_GATEWAY_URL=provider.url,
        SMS_HTTP_GATEWAY_TOKEN="from-settings",
        SMS_HTTP_GATEWAY_SIGN="江苏人社",
    ):
        with django_capture_on_commit_callbacks(execute=True):
            message = sms_send(mobile=MOBILE, text="您好")
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT
    assert message.gateway == "http"
    (request,) = provider.requests
    assert request["headers"]["Authorization"] == "Bearer from-settings"
    assert json.loads(request["body"])["text"] == "【江苏人社】您好"


@pytest.mark.django_db
def test_configured_http_gateway_failing(provider, django_capture_on_commit_callbacks):
    provider.status = 500
    with override_settings(
        SMS_BACKEND="servicehall.messaging.gateways.HttpGateway",
        SMS_HTTP_GATEWAY_URL=provider.url,
        SMS_HTTP_GATEWAY_TOKEN="t",
    ):
        with django_capture_on_commit_callbacks(execute=True):
            sms_send(mobile=MOBILE, text="您好")
    message = SmsMessage.objects.get()
    assert message.status == SmsStatus.FAILED
    assert message.error == "HTTP 500"
    assert len(provider.requests) == message.attempts == 3
