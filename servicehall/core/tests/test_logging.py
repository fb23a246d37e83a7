"""Every log handler the settings install blanks ID and mobile numbers, including the request
lines of Django's server (with their query strings) and django.request's messages."""

import io
import logging
from contextlib import contextmanager

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

from servicehall.core.logging import RedactPersonalData

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


def test_granians_access_log_is_masked_with_the_halls_log_config():
    """granian logs in its own process, outside Django's settings: `--log-config
    servicehall/core/granian_logging.json` gives its access log the same filter."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", GRANIAN_ACCESS_LOG, "servicehall/core/granian_logging.json",
         f"q={ID_NUMBER}&mobile={MOBILE}"],
        cwd=root, capture_output=True, text=True, timeout=60, check=True,
    )
    assert '"GET /subsidy/review/?q=******************&mobile=1**********" 200' in result.stdout
    assert ID_NUMBER not in result.stdout + result.stderr
