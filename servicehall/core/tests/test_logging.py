"""Every log handler the settings install blanks ID and mobile numbers, including the request
lines of Django's server (with their query strings) and django.request's messages; in the JSON
lines of the cluster (LOG_FORMAT=json) too, with their `extra` fields and tracebacks. Each line
names its request (X-Request-ID), and a task's lines the request that queued it."""

import io
import json
import logging
import logging.config
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIRequestHandler
from django.urls import reverse
from log_request_id import local
from log_request_id.filters import RequestIDFilter

from servicehall.core.logging import RedactPersonalData
from servicehall.settings.observability import logging_config

ID_NUMBER = "320102200403150038"
MOBILE = "13800000001"


def _installed_handlers():
    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if type(handler).__module__.startswith("_pytest") or isinstance(handler, logging.NullHandler):
                continue  # pytest's own capture, or a library's handler that writes nothing
            yield logger.name, handler


def test_every_installed_handler_has_the_redaction_filter():
    unfiltered = [
        (name, handler) for name, handler in _installed_handlers()
        if not any(isinstance(f, RedactPersonalData) for f in handler.filters)
    ]
    assert unfiltered == []


@contextmanager
def _configured(log_format: str):
    """The hall's logging as LOG_FORMAT=`log_format` sets it up, then the test settings' again."""
    logging.config.dictConfig(logging_config(log_format))
    try:
        yield
    finally:
        logging.config.dictConfig(settings.LOGGING)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_either_format_blanks_and_names_the_request_on_every_handler(log_format):
    with _configured(log_format):
        handlers = list(_installed_handlers())
        assert handlers
        for _name, handler in handlers:
            kinds = [type(f) for f in handler.filters]
            assert kinds == [RequestIDFilter, RedactPersonalData]  # the id is blanked too


@contextmanager
def _written():
    """What the hall's stream handlers write while the block runs."""
    stream = io.StringIO()
    handlers = [handler for _name, handler in _installed_handlers()
                if isinstance(handler, logging.StreamHandler)]
    previous = [handler.setStream(stream) for handler in handlers]
    try:
        yield stream
    finally:
        for handler, old in zip(handlers, previous, strict=True):
            handler.setStream(old)


def test_the_servers_request_lines_are_masked():
    line = WSGIRequestHandler.__new__(WSGIRequestHandler)
    line.request = None
    line.requestline = f"GET /subsidy/review/?q={ID_NUMBER}&mobile={MOBILE} HTTP/1.1"
    with _written() as written:
        line.log_request(200, 1234)
        line.log_request(404, 0)
    text = written.getvalue()
    assert "/subsidy/review/?q=******************&mobile=1**********" in text
    assert ID_NUMBER not in text and MOBILE not in text


@pytest.mark.django_db
def test_django_request_messages_are_masked(client):
    with _written() as written:
        assert client.get(f"/nowhere/{ID_NUMBER}/{MOBILE}/").status_code == 404
    text = written.getvalue()
    assert "Not Found: /nowhere/" in text
    assert ID_NUMBER not in text and MOBILE not in text


def test_a_traceback_is_masked_too():
    with _written() as written:
        try:
            raise ValueError(f"no such account: {ID_NUMBER} / {MOBILE}")
        except ValueError:
            logging.getLogger("servicehall.somewhere").exception("lookup failed")
    text = written.getvalue()
    assert "ValueError: no such account: ****************** / 1**********" in text
    assert ID_NUMBER not in text and MOBILE not in text


GRANIAN_ACCESS_LOG = """
import json, sys, time
from granian.log import LogLevels, configure_logging, log_request_builder
configure_logging(LogLevels.info, json.load(open(sys.argv[1])))
log = log_request_builder('"%(method)s %(path)s?%(query_string)s" %(status)d')
request = {"addr_remote": "10.0.0.1", "path": "/subsidy/review/", "qs": sys.argv[2],
           "method": "GET", "scheme": "https", "protocol": "HTTP/1.1"}
log(time.time(), time.perf_counter(), request, 200)
"""


def _granian_access_line(log_config: str) -> str:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", GRANIAN_ACCESS_LOG, log_config, f"q={ID_NUMBER}&mobile={MOBILE}"],
        cwd=root, capture_output=True, text=True, timeout=60, check=True,
    )
    assert ID_NUMBER not in result.stdout + result.stderr
    assert MOBILE not in result.stdout + result.stderr
    return result.stdout


def test_granians_access_log_is_masked_with_the_halls_log_config():
    """granian logs in its own process, outside Django's settings: `--log-config
    servicehall/core/granian_logging.json` gives its access log the same filter."""
    written = _granian_access_line("servicehall/core/granian_logging.json")
    assert '"GET /subsidy/review/?q=******************&mobile=1**********" 200' in written


def test_granians_json_log_config_writes_masked_json_lines():
    """`--log-config servicehall/core/granian_logging_json.json`: the cluster's web nodes."""
    [line] = [json.loads(text) for text in _granian_access_line(
        "servicehall/core/granian_logging_json.json").splitlines()]
    assert line["logger"] == "granian.access" and line["level"] == "INFO" and "timestamp" in line
    assert line["message"] == '"GET /subsidy/review/?q=******************&mobile=1**********" 200'


@pytest.fixture
def json_lines():
    """The JSON lines the hall's handlers write while the test runs, as a function that parses them."""
    with _configured("json"), _written() as written:
        yield lambda: [json.loads(line) for line in written.getvalue().splitlines()]


ID_IN_BRIEF = "320102199001011234"
MOBILE_IN_BRIEF = "13812345678"


@pytest.mark.django_db
def test_a_json_line_names_its_request_and_blanks_the_numbers(client, json_lines):
    response = client.get(f"/nowhere/{ID_IN_BRIEF}/?mobile={MOBILE_IN_BRIEF}",
                          HTTP_X_REQUEST_ID="req-0001")
    assert response.status_code == 404 and response["X-Request-ID"] == "req-0001"
    lines = json_lines()
    [line] = [line for line in lines if line["logger"] == "django.request"]
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /nowhere/******************/"
    assert line["request_id"] == "req-0001"
    assert line["timestamp"].endswith("+00:00")
    assert line["status_code"] == 404
    text = json.dumps(lines)
    assert ID_IN_BRIEF not in text and MOBILE_IN_BRIEF not in text


@pytest.mark.django_db
def test_without_a_header_a_request_gets_a_new_id(client, json_lines):
    response = client.get(f"/nowhere/{ID_IN_BRIEF}/")
    made = response["X-Request-ID"]
    assert len(made) == 32
    assert [line["request_id"] for line in json_lines() if line["logger"] == "django.request"] == [made]


def test_extra_fields_and_tracebacks_are_blanked_in_json(json_lines):
    try:
        raise LookupError(f"no account for {ID_IN_BRIEF}")
    except LookupError:
        logging.getLogger("servicehall.somewhere").exception(
            "lookup failed", extra={
                "id_number": ID_IN_BRIEF, "mobile": int(MOBILE_IN_BRIEF),
                "asked": {"numbers": [ID_IN_BRIEF, f"tel:{MOBILE_IN_BRIEF}"], "count": 2},
                "who": object.__new__(type("Person", (), {"__str__": lambda self: ID_IN_BRIEF})),
            })
    [line] = json_lines()
    assert line["message"] == "lookup failed" and line["request_id"] == "none"
    assert line["id_number"] == "******************" and line["mobile"] == "1**********"
    assert line["asked"] == {"numbers": ["******************", "tel:1**********"], "count": 2}
    assert line["who"] == "******************"
    assert "LookupError: no account for ******************" in line["exc_info"]
    assert ID_IN_BRIEF not in json.dumps(line) and MOBILE_IN_BRIEF not in json.dumps(line)


def _sent_lines(lines):
    return [line for line in lines if line["message"].startswith("sms sent id=")]


@pytest.mark.django_db(transaction=True)
def test_a_task_logs_with_the_id_of_the_request_that_queued_it(client, json_lines):
    """The Immediate backend (tests) runs the task inside the request, when its write commits
    (a transactional test, so that the commit happens where it does in production)."""
    response = client.post(reverse("accounts:send_code"),
                           {"mobile": MOBILE_IN_BRIEF, "purpose": "register"},
                           HTTP_X_REQUEST_ID="req-task-1")
    assert response.status_code == 200
    [sent] = _sent_lines(json_lines())
    assert sent["logger"] == "servicehall.messaging.services" and sent["request_id"] == "req-task-1"


@pytest.mark.django_db(transaction=True)
def test_a_worker_logs_a_queued_task_with_the_id_of_the_request_that_queued_it(client, settings, json_lines):
    """The database queue: the task runs after the request is over, in a worker (here the same
    process, as `manage.py db_worker --batch` runs it), with the id kept in the cache at enqueue.
    RQ's worker sends the same signals around the task, so it finds the id the same way."""
    from django_tasks_db.management.commands.db_worker import Worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.post(reverse("accounts:send_code"),
                           {"mobile": MOBILE_IN_BRIEF, "purpose": "register"},
                           HTTP_X_REQUEST_ID="req-task-2")
    assert response.status_code == 200
    assert _sent_lines(json_lines()) == []  # queued, not run
    assert getattr(local, "request_id", None) is None  # the request is over

    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()

    lines = json_lines()
    [sent] = _sent_lines(lines)
    assert sent["request_id"] == "req-task-2"
    [finished] = [line for line in lines
                  if line["logger"] == "django_tasks" and "SUCCESSFUL" in line["message"]]
    assert finished["request_id"] == "req-task-2"
    assert getattr(local, "request_id", None) is None  # cleared for the worker's next task
    logging.getLogger("servicehall.after").warning("between tasks")
    assert json_lines()[-1]["request_id"] == "none"


def test_redis_push_response_logger_gets_no_bare_handler():
    """redis-py adds an unfiltered stderr handler to "push_response" unless the logger exists."""
    from redis.utils import _set_info_logger

    _set_info_logger()
    assert logging.getLogger("push_response").handlers == []
    test_every_installed_handler_has_the_redaction_filter()
