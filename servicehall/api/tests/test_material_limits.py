"""POST /api/v1/materials within limits: the request body (413), the person's quota (400), the
upload rate (429), files dressed as another type (400); all in the API's one error shape."""

import types

import pytest
from asgiref.sync import async_to_sync
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import AsyncClient
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart

from servicehall.core import ratelimit
from servicehall.portal.request_limits import body_limit
from servicehall.subsidy import services
from servicehall.subsidy.models import Material
from tests.files import POLYGLOT, UnreadableBody, pdf_bytes, png

from .conftest import V1, log_in

MATERIALS = V1 + "materials"
MB = 1024 * 1024
ERROR_KEYS = {"message", "code", "fields", "errors"}
pytestmark = pytest.mark.django_db


def _post(app, upload):
    return app.post(MATERIALS, {"file": upload}, format="multipart")


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS and body["code"] == code
    return body


@pytest.fixture
def one_minute(monkeypatch):
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_010.0))


def test_a_body_declared_over_the_limit_is_refused_413_unread(person_api):
    response = person_api.post(
        MATERIALS, {"file": png()}, format="multipart",
        CONTENT_LENGTH=str(50 * MB), **{"wsgi.input": UnreadableBody()},
    )
    body = _error(response, 413, "request_too_large")
    assert body["message"] == "一次提交的内容不能超过21MB（每个文件不超过10MB），请分几次上传较小的文件。"
    assert not Material.objects.exists()


def test_the_limit_comes_from_the_environment_setting(person_api, settings):
    settings.REQUEST_BODY_MAX_BYTES = 3 * MB
    unread = {"wsgi.input": UnreadableBody()}
    declared = person_api.post(MATERIALS, {}, CONTENT_LENGTH=str(3 * MB + 1), **unread)
    assert "不能超过3MB" in _error(declared, 413, "request_too_large")["message"]


def test_a_body_growing_past_its_declared_length_is_cut_off_with_413(person):
    access = log_in(person.mobile)["access"]
    big = SimpleUploadedFile("残疾人证.jpg", b"\xff\xd8\xff\xe0" + bytes(body_limit() + MB))
    body = encode_multipart(BOUNDARY, {"file": big})
    response = async_to_sync(AsyncClient().request)(
        method="POST",
        path=MATERIALS,
        headers=[
            (b"host", b"testserver"),
            (b"content-type", MULTIPART_CONTENT.encode()),
            (b"content-length", b"1000"),
            (b"authorization", f"Bearer {access}".encode()),
        ],
        _body_file=FakePayload(body),
    )
    _error(response, 413, "request_too_large")
    assert not Material.objects.exists()


def test_the_quota_counts_unattached_materials_and_answers_400(person_api, person, settings):
    settings.MATERIAL_QUOTA_FILES = 2
    services.material_store(owner=person, upload=png("旧的.png"), field="m")
    assert _post(person_api, png("一.png")).status_code == 201
    body = _error(_post(person_api, png("二.png")), 400, "material_quota")
    assert body["message"] == (
        "您保存的材料已达上限（最多2个文件、合计100MB）。请到“我的材料”删除不再需要的文件后再上传。"
    )
    assert body["fields"] == ["file"] and body["errors"] == {"file": [body["message"]]}
    assert Material.objects.filter(owner=person).count() == 2


def test_the_byte_quota_answers_400(person_api, person, settings):
    settings.MATERIAL_QUOTA_BYTES = 2 * MB
    assert _post(person_api, png()).status_code == 201
    Material.objects.update(size=2 * MB - 10)
    assert "合计2MB" in _error(_post(person_api, png()), 400, "material_quota")["message"]


def test_the_quota_is_per_person(person_api, other_api, settings):
    settings.MATERIAL_QUOTA_FILES = 1
    assert _post(person_api, png()).status_code == 201
    assert _post(other_api, png()).status_code == 201


def test_the_upload_rate_answers_429(person_api, other_api, settings, one_minute):
    settings.MATERIAL_UPLOADS_PER_MINUTE = 3
    for _ in range(3):
        assert _post(person_api, png()).status_code == 201
    body = _error(_post(person_api, png()), 429, "material_upload_rate")
    assert body["message"].startswith("上传过于频繁：每分钟最多上传3个文件，请")
    assert _post(other_api, png()).status_code == 201  # another person has their own count


def test_twenty_quick_uploads_stop_at_the_rate(person_api, one_minute):
    """The assessor's finding: 20 uploads in a few seconds all went through."""
    statuses = [_post(person_api, SimpleUploadedFile("合同.pdf", pdf_bytes())).status_code for _ in range(20)]
    assert statuses == [201] * 10 + [429] * 10
    assert Material.objects.count() == 10


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (POLYGLOT, "低保证明.pdf", "pdf_invalid"),
        (b"\x00" * 10 + pdf_bytes(), "低保证明.pdf", "pdf_invalid"),
        (pdf_bytes() + b"<script>alert(1)</script>", "低保证明.pdf", "pdf_foreign_content"),
        (png().read(), "残疾人证.pdf", "upload_mismatch"),
    ],
    ids=["html-pdf-polyglot", "leading-bytes", "html-after-eof", "png-named-pdf"],
)
def test_a_file_dressed_as_another_type_answers_400(person_api, content, name, code):
    _error(_post(person_api, SimpleUploadedFile(name, content)), 400, code)
    assert not Material.objects.exists()


def test_the_schema_documents_413_429_and_the_codes(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    post = schema["paths"]["/api/v1/materials"]["post"]
    assert {"201", "400", "401", "413", "429"} <= set(post["responses"])
    for code in ("material_quota", "material_upload_rate", "request_too_large"):
        assert code in post["description"]
