"""No ID number, mobile or bank account in clear anywhere the hall writes: a scripted journey
(failed logins by ID number and by mobile on the person's and the staff's tabs and through the
API, SMS codes sent, a reviewer's search by ID number, successful logins), then the WHOLE
database (every table, every column, sessions decoded; SQLite's iterdump too) and every log line
the hall's handlers write (all loggers at DEBUG, request lines as Django's server prints them)
and any log file the settings name, are searched for each number."""

import io
import logging
import os
import shutil
import subprocess
from contextlib import contextmanager

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from servicehall.subsidy.tests.factories import submit_for
from tests.people import PASSWORD, resident_id

pytestmark = pytest.mark.django_db

UNKNOWN_ID = resident_id("11010519491231002")
UNKNOWN_MOBILE = "13912345678"


def _request_line(request: dict) -> None:
    """The line Django's development server logs for a request it served."""
    line = WSGIRequestHandler.__new__(WSGIRequestHandler)
    line.request = None
    query = request.get("QUERY_STRING", "")
    line.requestline = (
        f"{request['REQUEST_METHOD']} {request['PATH_INFO']}{'?' + query if query else ''} HTTP/1.1"
    )
    line.log_request(200, 100)


class ServedClient(Client):
    def request(self, **request):
        response = super().request(**request)
        _request_line(response.request)
        return response


class ServedApiClient(APIClient):
    def request(self, **request):
        response = super().request(**request)
        _request_line(response.request)
        return response


def _hall_handlers():
    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    return {
        handler for logger in loggers for handler in logger.handlers
        if not type(handler).__module__.startswith("_pytest")
    }


@contextmanager
def _everything_logged():
    """Every logger at DEBUG; what the hall's stream handlers write goes to one buffer."""
    stream = io.StringIO()
    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = [(logger, logger.level) for logger in loggers]
    streams = [
        (handler, handler.setStream(stream)) for handler in _hall_handlers()
        if type(handler) is logging.StreamHandler
    ]
    handler_levels = [(handler, handler.level) for handler in _hall_handlers()]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for handler, _level in handler_levels:
        handler.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        for logger, level in levels:
            logger.setLevel(level)
        for handler, level in handler_levels:
            handler.setLevel(level)
        for handler, old in streams:
            handler.setStream(old)


def _log_files() -> str:
    texts = []
    for handler in _hall_handlers():
        path = getattr(handler, "baseFilename", None)
        if path:
            handler.flush()
            with open(path, encoding="utf-8", errors="replace") as file:
                texts.append(file.read())
    return "\n".join(texts)


def _text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _whole_database() -> str:
    """Every row of every table (sessions also decoded), as text; on SQLite its dump as well."""
    parts = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        assert "axes_accessattempt" in tables and "django_session" in tables
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                parts.append("\t".join(_text(value) for value in row))
        cursor.execute("SELECT session_key FROM django_session")
        for (key,) in cursor.fetchall():
            parts.append(repr(SessionStore(session_key=key).load()))
    if connection.vendor == "sqlite":
        parts.extend(connection.connection.iterdump())
    return "\n".join(parts)


def _journey(person, reviewer, sms_code) -> None:
    login, staff_login = reverse("accounts:login"), reverse("accounts:login_staff")
    visitor = ServedClient()
    for typed in (person.id_number, person.id_number.lower(), person.mobile, UNKNOWN_ID, UNKNOWN_MOBILE):
        for _attempt in range(2):
            visitor.post(login + f"?next=/center/?mobile={typed}",
                         {"identifier": typed, "password": "Wrong#Pass1"})
    for typed in (reviewer.username, reviewer.mobile, person.id_number):
        visitor.post(staff_login, {"identifier": typed, "password": "Wrong#Pass1"})
    app = ServedApiClient()
    for typed in (person.id_number, person.mobile, UNKNOWN_MOBILE):
        app.post("/api/v1/auth/login/password", {"identifier": typed, "password": "Wrong#Pass1"},
                 format="json")

    # An SMS code sent and used (手机动态码), and a password login by ID number.
    phone = ServedClient()
    phone.post(reverse("accounts:send_code"), {"purpose": "login", "mobile": person.mobile})
    phone.post(reverse("accounts:login_sms"), {"mobile": person.mobile, "sms_code": sms_code(person.mobile)})
    ServedClient().post(login, {"identifier": person.id_number, "password": PASSWORD})

    # The school reviewer logs in with the second factor and searches by ID number.
    desk = ServedClient()
    desk.post(staff_login, {"identifier": reviewer.username, "password": PASSWORD})
    desk.post(reverse("accounts:login_staff_verify"), {"sms_code": sms_code(reviewer.mobile)})
    queue = desk.post(reverse("subsidy:review_queue"), {"tab": "pending", "q": person.id_number},
                      follow=True)
    assert "没有符合筛选条件的申请" not in queue.content.decode()


def _numbers(person, reviewer, application) -> dict:
    numbers = {
        "ID number": person.id_number,
        "ID number typed in lower case": person.id_number.lower(),
        "mobile": person.mobile,
        "reviewer's mobile": reviewer.mobile,
        "bank account": application.account,
        "unknown ID number": UNKNOWN_ID,
        "unknown mobile": UNKNOWN_MOBILE,
    }
    assert all(numbers.values())
    return numbers


def test_no_personal_number_in_clear_in_the_database_or_the_logs(
    person, world, sms_code, django_capture_on_commit_callbacks
):
    application = submit_for(person)
    reviewer = world["school"]
    numbers = _numbers(person, reviewer, application)
    with _everything_logged() as logged, django_capture_on_commit_callbacks(execute=True):
        _journey(person, reviewer, sms_code)
    written = logged.getvalue()
    assert '"GET /subsidy/review/?tab=pending&s=' in written  # the request lines are there
    database, files = _whole_database(), _log_files()
    found = [
        (what, where) for what, number in numbers.items()
        for where, text in (("database", database), ("logs", written), ("log files", files))
        if number in text
    ]
    assert found == [], _around(written, numbers.values())


def _around(text: str, numbers) -> list[str]:
    """Where in the logs a number was found, to say what leaked."""
    return [text[max(0, at - 300):at + 60] for number in numbers if (at := text.find(number)) >= 0][:3]


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_pg_dump_of_the_whole_database_holds_no_personal_number_in_clear(
    migrated_rows, person, world, sms_code
):
    """The same journey, committed, then PostgreSQL's own dump of the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump needs PostgreSQL (DATABASE_URL)")
    application = submit_for(person)
    reviewer = world["school"]
    numbers = _numbers(person, reviewer, application)
    _journey(person, reviewer, sms_code)
    database = connection.settings_dict
    dumped = subprocess.run(
        ["pg_dump", "--data-only", "-h", database["HOST"] or "127.0.0.1", "-p", str(database["PORT"] or 5432),
         "-U", database["USER"], database["NAME"]],
        env={**os.environ, "PGPASSWORD": database["PASSWORD"] or ""},
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    assert "axes_accessattempt" in dumped and "subsidy_application" in dumped
    assert [what for what, number in numbers.items() if number in dumped] == []
