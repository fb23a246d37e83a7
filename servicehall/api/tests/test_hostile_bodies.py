"""Hostile bodies and Django-level errors under /api/: the one JSON error shape, never a 500
and never one of the hall's HTML pages."""

import json
from unittest import mock

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from .conftest import V1

pytestmark = pytest.mark.django_db
KEYS = {"message", "code", "fields", "errors"}


def _shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == KEYS and body["code"] == code, body
    return body


@pytest.mark.parametrize("depth", [50_000, 100])
def test_json_nested_too_deep_is_refused_as_unparseable(api, depth):
    body = "[" * depth + "]" * depth
    response = api.post(V1 + "auth/login/password", body, content_type="application/json")
    assert _shape(response, 400, "parse_error")["message"] == "请求内容无法解析，请检查格式"


def test_json_nested_within_the_limit_is_read(api):
    body = '{"identifier": "x", "password": ' + "[" * 20 + "]" * 20 + "}"
    response = api.post(V1 + "auth/login/password", body, content_type="application/json")
    assert _shape(response, 400, "invalid")["fields"] == ["password"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("auth/sms-code", '{"mobile": "13800000001", "purpose": "\\ud800"}', "purpose"),
        ("auth/register", '{"id_type": "\\udfff", "id_number": "1"}', "id_type"),
        ("auth/login/password", '{"identifier": "a\\ud83d", "password": "x"}', "identifier"),
        ("auth/login/password", '{"\\ud800": 1}', "non_field_errors"),
        ("auth/refresh", '[{"refresh": "\\ud800"}]', "0.refresh"),
    ],
)
def test_a_lone_surrogate_is_invalid_input_named_by_its_field(api, path, body, field):
    response = api.post(V1 + path, body, content_type="application/json")
    error = _shape(response, 400, "invalid")
    assert error["errors"] == {field: ["含有无法识别的字符，请检查输入"]}


def test_a_surrogate_pair_is_a_character_like_any_other(api):
    response = api.post(
        V1 + "auth/login/password", '{"identifier": "\\ud83d\\ude00", "password": "x"}',
        content_type="application/json",
    )
    assert response.status_code != 500 and response.json()["code"] != "invalid"


@pytest.mark.parametrize("body", [b'{"identifier": "\xff\xfe", "password": "x"}', b"\xed\xa0\x80", b"NaN"])
def test_bytes_that_are_not_utf8_json_are_unparseable(api, body):
    response = api.post(V1 + "auth/login/password", body, content_type="application/json")
    _shape(response, 400, "parse_error")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_json_body_over_the_upload_limit_is_413(api):
    body = '{"identifier": "' + "1" * 2000 + '", "password": "x"}'
    response = api.post(V1 + "auth/login/password", body, content_type="application/json")
    _shape(response, 413, "request_too_large")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_form_body_over_the_upload_limit_is_413_in_json(person_api):
    response = person_api.post(V1 + "materials", {"note": "x" * 5000}, format="multipart")
    _shape(response, 413, "request_too_large")


def test_percent_encoded_surrogates_in_the_query_and_path_are_no_500(api):
    response = api.get(V1 + "services/search?q=%ED%A0%80")
    assert response.status_code == 200
    _shape(api.get(V1 + "services/%ED%A0%80"), 404, "not_found")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "get"])
def test_an_unknown_path_is_404_json_for_every_method_even_with_csrf_checks(method):
    client = Client(enforce_csrf_checks=True)
    body = {} if method == "get" else {"data": "{}", "content_type": "application/json"}
    response = getattr(client, method)(V1 + "no-such-thing", **body)
    _shape(response, 404, "not_found")


def test_a_wrong_method_is_405_json(person_api):
    _shape(person_api.put(V1 + "messages/read-all"), 405, "method_not_allowed")


def test_a_csrf_failure_under_api_is_json_and_elsewhere_the_page():
    from servicehall.portal.views import csrf_failure

    client = Client()
    request = client.post(V1 + "x").wsgi_request
    _shape(csrf_failure(request, reason="CSRF cookie not set."), 403, "forbidden")
    page = client.post("/accounts/login/", {}).wsgi_request
    page_response = csrf_failure(page, reason="CSRF cookie not set.")
    assert page_response.status_code == 403 and page_response["Content-Type"].startswith("text/html")


def test_a_server_error_under_api_is_json(person_api):
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=person_api._credentials["HTTP_AUTHORIZATION"])
    with mock.patch("servicehall.api.views.me.ProfileView.get", side_effect=RuntimeError("boom")):
        response = client.get(V1 + "me")
    body = _shape(response, 500, "server_error")
    assert "boom" not in str(body)


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_a_bad_request_under_api_is_json_and_the_page_elsewhere():
    client = Client()
    _shape(client.get(V1 + "me", HTTP_HOST="evil.example"), 400, "bad_request")
    page = client.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"residence_address": 0}, "residence_address"),
        ({"school": "1"}, "school"),
        ({"major": True}, "major"),
    ],
)
@pytest.mark.usefixtures("card", "open_window")
def test_a_value_of_another_json_type_is_refused_not_coerced(person_api, body, field):
    draft = person_api.post(V1 + "application").json()
    response = person_api.patch(V1 + f"applications/{draft['id']}", body, format="json")
    assert _shape(response, 400, "invalid")["fields"] == [field]


@pytest.mark.parametrize("pledge", ["true", 1])
@pytest.mark.usefixtures("card", "open_window")
def test_the_pledge_is_a_json_boolean(person_api, pledge):
    draft = person_api.post(V1 + "application").json()
    response = person_api.post(V1 + f"applications/{draft['id']}/submit", {"pledge": pledge}, format="json")
    assert _shape(response, 400, "invalid")["fields"] == ["pledge"]


def test_an_empty_page_is_no_page_number(person_api):
    assert _shape(person_api.get(V1 + "messages?page="), 400, "invalid")["fields"] == ["page"]
    assert person_api.get(V1 + "messages").json()["page"] == 1


def test_nul_in_a_query_text_is_dropped(api):
    response = api.get(V1 + "services/search?q=%E8%A1%A5%00%E8%B4%B4")
    assert response.status_code == 200 and response.json()["query"] == "补贴"


def test_a_query_text_over_its_length_is_refused_even_if_it_ends_in_whitespace(api):
    response = api.get(V1 + "reference/regions?parent=320100%C2%85")  # 7 characters, the last NEL
    assert _shape(response, 400, "invalid")["fields"] == ["parent"]
