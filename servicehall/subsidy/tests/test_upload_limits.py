"""Limits on what a person can upload through the apply page and keep in 我的材料: the request
body, the number and size of files kept, the rate, and files dressed as another type."""

import types

import pytest
from asgiref.sync import async_to_sync
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import AsyncClient
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart
from django.urls import reverse

from servicehall.core import ratelimit
from servicehall.portal.request_limits import body_limit
from servicehall.subsidy import services
from servicehall.subsidy.models import Material, RequiredMaterial
from servicehall.subsidy.tests.factories import form_data
from tests.files import POLYGLOT, UnreadableBody, pdf_bytes, pdf_file, png

APPLY = reverse("subsidy:apply")
MATERIALS = reverse("subsidy:materials")
MB = 1024 * 1024
pytestmark = pytest.mark.django_db


def _slot() -> str:
    requirement = RequiredMaterial.objects.get(category__code="disabled", category__graduation_year_id=2027)
    return f"material_{requirement.pk}"


def _upload(client, *files, **typed):
    data = {**form_data(action="upload"), **typed, _slot(): list(files)}
    return client.post(APPLY, data).content.decode()


@pytest.fixture
def on_the_form(client, person, card, open_window):
    client.force_login(person)
    client.get(APPLY)
    return client


@pytest.fixture
def one_minute(monkeypatch):
    """The rate counter's clock held still, so that a test never straddles two windows."""
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_010.0))


# --- The request body -------------------------------------------------------------------------


def test_a_body_declared_over_the_limit_gets_a_413_page_without_being_read(on_the_form):
    response = on_the_form.post(
        APPLY,
        form_data(action="upload"),
        CONTENT_LENGTH=str(50 * MB),
        HTTP_REFERER="http://testserver" + APPLY,
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "一次提交的内容不能超过21MB（每个文件不超过10MB）" in page
    assert f'href="http://testserver{APPLY}"' in page  # the way back to the form
    assert not Material.objects.exists()


def test_the_way_back_from_the_413_page_never_leaves_the_site(on_the_form):
    response = on_the_form.post(
        APPLY, {}, CONTENT_LENGTH=str(body_limit() + 1), HTTP_REFERER="https://evil.example/x",
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413 and 'href="/"' in response.content.decode()


def test_a_body_just_under_the_limit_is_read(on_the_form):
    page = _upload(on_the_form, png("残疾人证.png"))
    assert "残疾人证.png" in page and Material.objects.count() == 1


def _lying_asgi_post(client, path, fields, *, declared: int, headers=()):
    """A multipart body much larger than its Content-Length says, through the ASGI handler: the
    ASGI server hands Django the whole body, so only the upload handler can stop it."""
    body = encode_multipart(BOUNDARY, fields)
    scope_headers = [
        (b"host", b"testserver"),
        (b"content-type", MULTIPART_CONTENT.encode()),
        (b"content-length", str(declared).encode()),
        *headers,
    ]
    return async_to_sync(client.request)(
        method="POST", path=path, headers=scope_headers, _body_file=FakePayload(body)
    )


def test_a_body_growing_past_its_declared_length_is_cut_off_with_413(person, card, open_window):
    client = AsyncClient()
    client.force_login(person)
    big = SimpleUploadedFile("残疾人证.jpg", b"\xff\xd8\xff\xe0" + bytes(body_limit() + MB))
    response = _lying_asgi_post(
        client, APPLY, {**form_data(action="upload"), _slot(): big}, declared=1000
    )
    assert response.status_code == 413
    assert "一次提交的内容不能超过21MB" in response.content.decode()
    assert not Material.objects.exists()


# --- Quota and rate -----------------------------------------------------------------------------


def test_the_file_quota_counts_unattached_uploads_and_is_shown_beside_the_field(
    on_the_form, person, settings
):
    settings.MATERIAL_QUOTA_FILES = 3
    services.material_store(owner=person, upload=png("旧的.png"), field="m")  # in 我的材料, unattached
    _upload(on_the_form, png("一.png"), png("二.png"))
    page = _upload(on_the_form, png("三.png"), student_number="221259999")
    assert Material.objects.filter(owner=person).count() == 3
    assert "您保存的材料已达上限（最多3个文件、合计100MB）" in page
    assert "请到“我的材料”删除不再需要的文件后再上传" in page
    assert 'value="221259999"' in page  # what was typed is kept


def test_the_byte_quota_refuses_a_file_that_would_pass_it(on_the_form, person, settings):
    settings.MATERIAL_QUOTA_BYTES = 1 * MB
    services.material_store(owner=person, upload=pdf_file("合同.pdf", pdf_bytes() + b" " * 1000), field="m")
    Material.objects.update(size=MB - 100)
    page = _upload(on_the_form, png("证明.png"))
    assert "最多30个文件、合计1MB" in page
    assert Material.objects.count() == 1


def test_the_upload_rate_is_limited_per_person(on_the_form, person, settings, one_minute):
    settings.MATERIAL_UPLOADS_PER_MINUTE = 2
    _upload(on_the_form, png("一.png"), png("二.png"))
    page = _upload(on_the_form, png("三.png"))
    assert "上传过于频繁：每分钟最多上传2个文件" in page
    assert Material.objects.count() == 2


def test_deleting_an_unused_file_in_my_materials_makes_room(
    on_the_form, person, settings, django_capture_on_commit_callbacks
):
    settings.MATERIAL_QUOTA_FILES = 2
    unused = services.material_store(owner=person, upload=png("不用的.png"), field="m")
    _upload(on_the_form, png("残疾人证.png"))  # attached to the application
    attached = Material.objects.exclude(pk=unused.pk).get()
    listing = on_the_form.get(MATERIALS).content.decode()
    assert "每人最多保存2个文件、合计100MB" in listing
    assert reverse("subsidy:material_delete", args=[unused.pk]) in listing
    assert reverse("subsidy:material_delete", args=[attached.pk]) not in listing
    assert "已达上限" in _upload(on_the_form, png("新的.png"))

    stored = unused.file.name
    with django_capture_on_commit_callbacks(execute=True):
        deleted = on_the_form.post(reverse("subsidy:material_delete", args=[unused.pk]), follow=True)
    assert "已删除该材料" in deleted.content.decode()
    assert not Material.objects.filter(pk=unused.pk).exists()
    assert not unused.file.storage.exists(stored)
    assert "新的.png" in _upload(on_the_form, png("新的.png"))


def test_a_file_an_application_uses_cannot_be_deleted(on_the_form, person):
    _upload(on_the_form, png("残疾人证.png"))
    attached = Material.objects.get()
    response = on_the_form.post(reverse("subsidy:material_delete", args=[attached.pk]), follow=True)
    assert "该材料已用于您的申请，不能删除" in response.content.decode()
    assert Material.objects.filter(pk=attached.pk).exists()


def test_someone_elses_file_cannot_be_deleted(on_the_form, django_user_model):
    from servicehall.accounts.models import IdType
    from servicehall.accounts.services import person_create_verified
    from tests.people import PASSWORD, resident_id

    other = person_create_verified(
        id_type=IdType.RESIDENT, id_number=resident_id("32010519990101002"), name="李小红",
        mobile="13800000002", password=PASSWORD,
    )
    theirs = services.material_store(owner=other, upload=png(), field="m")
    assert on_the_form.post(reverse("subsidy:material_delete", args=[theirs.pk])).status_code == 404
    assert on_the_form.get(reverse("subsidy:material_delete", args=[theirs.pk])).status_code == 405
    assert Material.objects.filter(pk=theirs.pk).exists()


# --- Files dressed as another type --------------------------------------------------------------



@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf_file("低保证明.pdf", POLYGLOT), "PDF文件已损坏或无法打开"),
        (lambda: pdf_file("低保证明.pdf", pdf_bytes() + b"<html><script>alert(1)</script></html>"),
         "PDF文件中夹带了网页代码或其他内容"),
        (lambda: png("残疾人证.pdf"), "文件内容与文件名所示的类型不符"),
    ],
    ids=["html-pdf-polyglot", "html-after-eof", "png-named-pdf"],
)
def test_a_file_dressed_as_another_type_is_refused_beside_the_field(on_the_form, upload, message):
    page = _upload(on_the_form, upload(), student_number="221258888")
    assert message in page and 'value="221258888"' in page
    assert not Material.objects.exists()


# --- The one larger body: an operator's 比对名单 import ---------------------------------------

REGISTRY_IMPORT = "/verification/registries/disability/import/"


def test_only_an_operator_may_send_a_registry_import_larger_than_a_persons_upload(client, person, operator):
    from django.test import RequestFactory

    from servicehall.portal.request_limits import limit_for

    request = RequestFactory().post(REGISTRY_IMPORT)
    request.user = operator
    assert limit_for(request) == 301 * MB
    request.user = person
    assert limit_for(request) == body_limit() == 21 * MB
    client.force_login(person)
    unread = {"wsgi.input": UnreadableBody()}
    refused = client.post(REGISTRY_IMPORT, {}, CONTENT_LENGTH=str(25 * MB), **unread)
    assert refused.status_code == 413
