"""schemathesis against /api/schema/ through the WSGI app: every operation, a bounded number
of generated requests each (valid ones, then invalid ones), a person's token on every one, and
neither a server error nor a response the schema does not describe.

The operations are driven one by one with Hypothesis rather than through schemathesis' pytest
plugin, whose lazy loader does not run under pytest 9."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from servicehall.api.tokens import token_issue
from servicehall.messaging.services import site_message_send
from servicehall.subsidy import services
from servicehall.subsidy.tests.conftest import png
from servicehall.wsgi import application

pytestmark = pytest.mark.django_db
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def api_schema(person, card, open_window):
    """The person has a draft, a material and a message, so that requests naming real objects
    reach the code behind them, not only "not found"."""
    draft = services.application_start(applicant=person).application
    services.material_store(owner=person, upload=png(), field="file")
    site_message_send(
        user=person, title="申请已退回修改", body="请补充院系全称", link=f"/subsidy/cases/{draft.pk}/"
    )
    # Requests go through the real WSGI handler, whose request signals would close the test's
    # database connection (and its transaction): disconnected, as Django's test client does.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _exercise(operation, person, mode) -> list[str]:
    failures = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode], deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case):
        # A fresh token each time: a generated logout revokes only its own.
        access = token_issue(user=person, method="test").access
        case.call_and_validate(headers={"Authorization": f"Bearer {access}"}, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        pass  # nothing invalid to send (an operation without parameters or body)
    except Exception as exc:  # every operation's failure is reported together
        failures.append(f"{operation.label} ({mode.value}): {exc}")
    return failures


def test_the_api_keeps_to_its_schema(api_schema, person):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 30, [op.label for op in operations]
    failures = []
    for operation in operations:
        for mode in EXAMPLES:
            failures += _exercise(operation, person, mode)
    assert not failures, "\n\n".join(failures)
