"""schemathesis against /api/schema/ through the WSGI app, in the four phases of
`schemathesis run`: the schema's examples, the coverage phase (the edges of every parameter and
field, valid and invalid), fuzzing (valid, then invalid requests) and a stateful run following
the links between operations. Every check schemathesis has (its registry: status codes, content
types, headers, response schemas, negative data rejected, positive data accepted, methods and
their Allow header, authentication ignored, resources used after deletion ...) runs on every
response, with a person's token on every request.

The operations are driven one by one with Hypothesis rather than through schemathesis' pytest
plugin, whose lazy loader does not run under pytest 9. Time is bounded by the number of cases
per operation and phase (about two minutes on two cores); a failure names the operation and
phase and carries schemathesis' own reproduction."""

import itertools

import pytest
import schemathesis
import schemathesis.specs.openapi.checks  # registers the OpenAPI checks
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS

from servicehall.api.tokens import token_issue
from servicehall.messaging.services import site_message_send
from servicehall.subsidy import services
from servicehall.wsgi import application
from tests.files import png

pytestmark = pytest.mark.django_db
ALL_CHECKS = CHECKS.get_all()
FUZZING = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 5}
COVERAGE_CASES = 30  # per operation: the coverage phase's first cases, valid and invalid
FAILURES = (Exception, BaseExceptionGroup)  # schemathesis' FailureGroup is an exception group
QUICK = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
STATEFUL = settings(QUICK, max_examples=15, stateful_step_count=6)


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


def _headers(person) -> dict:
    # A fresh token each time: a generated logout revokes only its own.
    return {"Authorization": f"Bearer {token_issue(user=person, method='test').access}"}


def _call(case, person) -> None:
    case.call_and_validate(headers=_headers(person), checks=ALL_CHECKS)


def _failure(operation, phase: str, exc: Exception) -> str:
    return f"{operation.label} ({phase}): {exc}"


def _examples(operation, person) -> list[str]:
    strategies = operation.get_strategies_from_examples()
    if not strategies:
        return []

    @given(case=st.one_of(strategies))
    @settings(QUICK, max_examples=len(strategies) * 2)
    def run(case):
        _call(case, person)

    try:
        run()
    except FAILURES as exc:
        return [_failure(operation, "examples", exc)]
    return []


def _coverage(operation, person) -> list[str]:
    config = operation.schema.config.generation_for(operation=operation, phase="coverage")
    cases = operation.schema.iter_coverage_cases(
        operation, generation_modes=list(GenerationMode), generation_config=config
    )
    failures = []
    for case in itertools.islice(cases, COVERAGE_CASES):
        try:
            _call(case, person)
        except FAILURES as exc:
            failures.append(_failure(operation, "coverage", exc))
    return failures


def _fuzzing(operation, person, mode) -> list[str]:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(QUICK, max_examples=FUZZING[mode])
    def run(case):
        _call(case, person)

    try:
        run()
    except Unsatisfiable:
        pass  # nothing invalid to send (an operation without parameters or body)
    except FAILURES as exc:
        return [_failure(operation, f"fuzzing, {mode.value}", exc)]
    return []


def test_the_api_keeps_to_its_schema(api_schema, person):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 30, [op.label for op in operations]
    assert len(ALL_CHECKS) >= 14, ALL_CHECKS  # every check schemathesis has, not a chosen few
    failures = []
    for operation in operations:
        failures += _examples(operation, person)
        failures += _coverage(operation, person)
        for mode in FUZZING:
            failures += _fuzzing(operation, person, mode)
    assert not failures, "\n\n".join(failures)


def test_the_api_keeps_to_its_schema_across_linked_calls(api_schema, person):
    """The stateful phase: sequences of calls following the links schemathesis infers from the
    schema (a material listed, then read, then its file; a message listed, then opened ...)."""

    class Hall(api_schema.as_state_machine()):
        # Each scenario starts from the same data: what one scenario created or submitted is
        # rolled back, and the rate limits' counters with it. Otherwise the links a scenario can
        # follow depend on the ones before it, and Hypothesis, replaying a choice that found
        # different objects, stops with FlakyStrategyDefinition ("depending on external state").
        def setup(self):
            self._savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self._savepoint)
            cache.clear()

        def get_call_kwargs(self, case):
            return {"headers": _headers(person)}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response, checks=ALL_CHECKS, headers=kwargs.get("headers"), transport_kwargs=kwargs
            )

    Hall.run(settings=STATEFUL)
