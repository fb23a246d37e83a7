"""One error shape everywhere, in Chinese; the schema and the docs page served by the hall."""

import pytest

from .conftest import V1

pytestmark = pytest.mark.django_db
KEYS = {"message", "code", "fields", "errors"}


def test_a_validation_error_names_each_field_in_chinese(api):
    response = api.post(V1 + "auth/register", {"id_number": "320102", "agree": False}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == KEYS and body["code"] == "invalid"
    assert {"name", "mobile", "password", "sms_code"} <= set(body["fields"])
    assert body["errors"]["name"] == ["该字段是必填项。"]
    assert body["message"].startswith("有") and "处填写不正确" in body["message"]


def test_the_register_rules_are_the_pages_rules(api):
    response = api.post(
        V1 + "auth/register",
        {
            "id_type": "resident",
            "id_number": "320102200403150030",
            "name": "张晓明",
            "mobile": "12345",
            "password": "short",
            "password_confirm": "short",
            "sms_code": "123456",
            "agree": False,
        },
        format="json",
    )
    errors = response.json()["errors"]
    assert "校验位" in errors["id_number"][0]
    assert errors["agree"] == ["请阅读并勾选同意《个人用户注册协议》"]
    assert errors["mobile"] == ["移动电话应为1开头的11位数字，第二位为3-9"]


def test_malformed_json_unknown_paths_and_methods(api, person_api):
    broken = api.post(V1 + "auth/login/password", "{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"
    unknown = api.get(V1 + "no-such-thing")
    assert unknown.status_code == 404 and set(unknown.json()) == KEYS
    assert person_api.delete(V1 + "me").json()["code"] == "method_not_allowed"


def test_a_domain_error_keeps_its_code_and_field(person_api):
    response = person_api.post(V1 + "application")
    assert response.status_code == 400
    assert response.json()["code"] == "card_no_card"
    assert response.json()["message"] == "补贴将发放到您的社会保障卡，请先办理社会保障卡并开通金融功能。"
    assert person_api.get(V1 + "application").json()["problem"] == "no_card"


def test_the_schema_describes_every_operation_with_examples_and_errors(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) >= 30
    for path, method, operation in operations:
        assert "401" in operation["responses"], (path, method)
        assert operation.get("summary"), (path, method)
        if "{" in path:
            assert "404" in operation["responses"], (path, method)
    # Every JSON answer or JSON request carries an example (logout, unfavourite and the file
    # itself have neither).
    for path, method, operation in operations:
        has_json = "application/json" in str(operation.get("requestBody", "")) or any(
            "application/json" in str(r.get("content", {}))
            for code, r in operation["responses"].items()
            if code.startswith("2")
        )
        if has_json:
            assert "examples" in str(operation), (path, method)


def test_the_docs_page_is_served_from_the_halls_own_static_files(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<title>API 文档 - 江苏人社网上办事服务大厅</title>" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html  # no CDN
    assert "<style" not in html and "<script>" not in html  # nothing inline for the CSP to refuse
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


@pytest.mark.parametrize("params", [{}, {"status": "all"}])
def test_the_cases_list_says_which_status_to_ask_for(person_api, params):
    response = person_api.get(V1 + "cases", params)
    assert response.status_code == 400 and response.json()["fields"] == ["status"]
    assert "in_progress（办理中）或 concluded（已办结）" in response.json()["message"]
