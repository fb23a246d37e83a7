"""A use case takes values, never the HTTP request: the actor, the object, the values, and the
client's address as `client_address` (a string the view reads once with core.http.client_ip).
So a page, the API, a background job and a management command call the same function alike.

One exception, named here: `login_by_password` hands Django's request to django-axes, which
counts failed logins and marks a locked account on the request itself; so does
`provider_bind_by_password`, which is that login followed by a binding."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.audit.models import AuditEntry
from tests.people import PASSWORD

HALL = Path(__file__).resolve().parent.parent / "servicehall"
NEEDS_THE_REQUEST = {("accounts/services.py", "login_by_password"),
                     ("accounts/provider_login.py", "provider_bind_by_password")}


def _keyword_only_functions():
    """Services are written keyword-only (`def x(*, actor, …)`); views take `request` first,
    positionally, which this scan leaves alone."""
    for path in sorted(HALL.rglob("*.py")):
        parts = path.relative_to(HALL).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.args.kwonlyargs:
                yield path.relative_to(HALL).as_posix(), node


def test_the_scan_sees_the_services():
    names = {(path, node.name) for path, node in _keyword_only_functions()}
    assert ("subsidy/review.py", "applications_approve") in names
    assert ("payments/services.py", "batch_approve") in names
    assert ("accounts/services.py", "login_by_password") in names


def test_no_service_takes_the_http_request():
    offenders = [
        f"servicehall/{path}:{node.lineno} {node.name}(request=…)"
        for path, node in _keyword_only_functions()
        if any(arg.arg == "request" for arg in node.args.kwonlyargs)
        and (path, node.name) not in NEEDS_THE_REQUEST
    ]
    assert not offenders, "Pass client_address=client_ip(request) instead:\n" + "\n".join(offenders)


@pytest.mark.django_db
def test_the_address_reaches_the_audit_trail_through_a_page(client):
    """The value the view reads is the one the audit stores (REMOTE_ADDR with no trusted proxy)."""
    person = PersonFactory()
    response = client.post(
        reverse("accounts:login"), {"identifier": person.mobile, "password": PASSWORD}, REMOTE_ADDR="10.9.8.7"
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="account.login.password", actor=person).get()
    assert entry.ip_address == "10.9.8.7"


def test_a_service_hands_the_address_on_to_every_service_it_calls():
    """Inside a function that has the client's address, every call naming an actor passes the
    address along (so the audit entry of a 公示's notice, say, carries it too), except the
    state moves of subsidy/transitions.py, which write the timeline, not the audit trail."""
    offenders = []
    for path in sorted(HALL.rglob("*.py")):
        parts = path.relative_to(HALL).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for function in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(function, ast.FunctionDef):
                continue
            if not any(arg.arg == "client_address" for arg in function.args.args + function.args.kwonlyargs):
                continue
            for call in ast.walk(function):
                if not isinstance(call, ast.Call):
                    continue
                keywords = {keyword.arg for keyword in call.keywords}
                callee = (
                    call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
                )
                if "actor" in keywords and "client_address" not in keywords and callee != "transition":
                    offenders.append(
                        f"servicehall/{path.relative_to(HALL)}:{call.lineno} {function.name} -> {callee}"
                    )
    assert not offenders, "\n".join(offenders)


# The modules that hold the use cases a person or an officer takes.
SERVICE_MODULES = [
    *sorted(p.relative_to(HALL).as_posix() for p in HALL.rglob("services.py")),
    "subsidy/review.py",
    "subsidy/publicity.py",
    "payments/jobs.py",
    "accounts/staff_accounts.py",
    "accounts/sessions.py",
    "api/tokens.py",
]


def test_every_argument_of_a_use_case_says_its_type():
    untyped = []
    for module in SERVICE_MODULES:
        tree = ast.parse((HALL / module).read_text())
        for function in tree.body:
            if isinstance(function, ast.FunctionDef) and not function.name.startswith("_"):
                if not function.args.kwonlyargs:
                    continue
                untyped += [
                    f"servicehall/{module}:{function.lineno} {function.name}({arg.arg})"
                    for arg in function.args.kwonlyargs
                    if arg.annotation is None
                ]
    assert len(SERVICE_MODULES) >= 15
    assert not untyped, "\n".join(untyped)
