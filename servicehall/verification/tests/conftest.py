"""Helpers the verification tests share: registry files as departments send them, an operator
logged in as operators log in, and an import run the way the hall runs it (the task after the
upload commits; the tests' task backend runs it at once)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from servicehall.cards.tests.factories import xlsx_bytes
from servicehall.verification.models import RegistryBatch
from tests.clients import staff_client
from tests.people import resident_id

# People in the registries (valid ID numbers) and one the registries do not know.
LISTED_ID = resident_id("32010220040315003")  # the `person` fixture: 张晓明
OTHER_ID = resident_id("32010220050101991")
STATUS_HEADER = ["证件号码", "姓名", "有效期起", "有效期至"]


def csv_bytes(rows, *, header=STATUS_HEADER, encoding="utf-8") -> bytes:
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(data: bytes, name="名单.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def form(registry="subsistence_allowance", *, data: bytes, name="名单.csv", **overrides) -> dict:
    from servicehall.verification.registries import spec_for

    spec = spec_for(registry)
    posted = {"file": upload(data, name), "source": spec.department, "data_date": "2026-09-01"}
    posted.update({f"column_{field}": header for field, header in spec.headers.items()})
    if spec.has_province:
        posted["province"] = "江苏省"
    posted.update(overrides)
    return posted


@pytest.fixture
def operator_client(operator, sms_code):
    return staff_client(operator, sms_code, address="10.0.0.5")


@pytest.fixture
def import_registry(operator_client, django_capture_on_commit_callbacks):
    """Post an import as the operator does and return the finished batch."""

    def run(registry="subsistence_allowance", *, data: bytes, name="名单.csv", **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            response = operator_client.post(
                reverse("verification:import", args=[registry]),
                form(registry, data=data, name=name, **overrides),
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        return RegistryBatch.objects.order_by("-pk").first()

    return run


def days(n: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


__all__ = ["xlsx_bytes"]
