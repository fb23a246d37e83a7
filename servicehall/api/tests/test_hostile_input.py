"""Every operation of the schema, sent hostile values in its path, query and body: deep JSON,
lone surrogates, huge numbers, wrong types, arrays where objects belong, 100k strings, bytes
that are not UTF-8 and content types it does not read. None may answer 500, and every answer
that is an error has the one JSON shape."""

import json

import pytest
from rest_framework.test import APIClient

from servicehall.api.tokens import token_issue

pytestmark = pytest.mark.django_db
KEYS = {"message", "code", "fields", "errors"}
LONG = "长" * 100_000
HUGE = 10**100
DEEP = "[" * 50_000 + "]" * 50_000
PATH_VALUES = {"integer": ["9" * 30, "1", "%ED%A0%80"], "string": ["%ED%A0%80", "x" * 5000, "%00"]}


def _schema(client) -> dict:
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _body_properties(schema, operation) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        ref = media.get("schema", {}).get("$ref", "")
        if ref:
            component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
            return list(component.get("properties", {}))
    return []


def _paths(path, operation) -> list[str]:
    """The path with its parameters filled with hostile values, one kind at a time."""
    parameters = [p for p in operation.get("parameters", []) if p["in"] == "path"]
    if not parameters:
        return [path]
    filled = []
    for index in range(3):
        concrete = path
        for parameter in parameters:
            kind = parameter["schema"].get("type", "string")
            value = PATH_VALUES.get(kind, PATH_VALUES["string"])[index]
            concrete = concrete.replace("{" + parameter["name"] + "}", value)
        filled.append(concrete)
    return filled


def _queries(operation) -> list[str]:
    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    queries = [""]
    for name in names:
        queries += [f"{name}={'x' * 100_000}", f"{name}={HUGE}", f"{name}=%ED%A0%80", f"{name}=%00"]
    return queries


def _bodies(properties) -> list[tuple[bytes | str, str]]:
    as_json = "application/json"
    bodies = [
        (DEEP, as_json),
        ('{"a": "\\ud800"}', as_json),
        ("[]", as_json),
        ("[{}]", as_json),
        ('"text"', as_json),
        ("null", as_json),
        (b"\xff\xfe\x00{", as_json),
        ("{", as_json),
        ("<x/>", "application/xml"),
        ("a=1", "application/x-www-form-urlencoded"),
        ("plain", "text/plain"),
        ("--x\r\n\r\n--x--", "multipart/form-data; boundary=x"),
    ]
    for value in ("\ud800", HUGE, -HUGE, LONG, [1, 2], {"a": {"b": 1}}, True, None, 1.5e308):
        document = dict.fromkeys(properties, value)
        bodies.append((json.dumps(document, ensure_ascii=True), as_json))
    return bodies


def _check(response, label):
    assert response.status_code < 500, (label, response.status_code, response.content[:300])
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json"), (label, response["Content-Type"])
        assert set(response.json()) == KEYS, (label, response.json())


def test_every_operation_survives_hostile_input(person, api):
    schema = _schema(api)
    operations = list(_operations(schema))
    assert len(operations) >= 30
    sent = 0
    for path, method, operation in operations:
        properties = _body_properties(schema, operation)
        for concrete in _paths(path, operation):
            for query in _queries(operation):
                client = APIClient()
                client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=person, method='t').access}")
                url = concrete + (f"?{query}" if query else "")
                bodies = _bodies(properties) if method in ("post", "put", "patch") else [(None, None)]
                if query:
                    bodies = bodies[:1]  # the query's own hostility, with one body
                for body, content_type in bodies:
                    kwargs = {} if body is None else {"data": body, "content_type": content_type}
                    response = getattr(client, method)(url, **kwargs)
                    _check(response, f"{method.upper()} {url[:120]} {content_type} {str(body)[:60]!r}")
                    sent += 1
    assert sent > 500
