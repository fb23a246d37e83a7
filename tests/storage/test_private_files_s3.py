"""Private files on an S3-compatible bucket (issue 18, beyond one machine): every file reaches the
bucket encrypted by the hall, is read back through the hall's own scoped views decrypted and never
cached, is removed through the storage when the hall removes it, and is readable from a second
node. The bucket and its objects grant nothing to the public, and no storage URL is handed out."""

import datetime
import io

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from servicehall.accounts import services as accounts
from servicehall.accounts.models import AccountAppeal
from servicehall.accounts.tests.factories import PersonFactory, photo, submit_appeal
from servicehall.core.crypto import decrypt_bytes
from servicehall.core.storage import PrivateFileURLError
from servicehall.core.storage_s3 import PrivateS3Storage
from servicehall.subsidy import services as subsidy
from servicehall.subsidy.models import Application, Material, RequiredMaterial
from servicehall.subsidy.tests.factories import form_data, refused_by_school
from servicehall.verification.models import RegistryBatch
from servicehall.verification.registries import spec_for
from tests.clients import staff_client
from tests.files import png
from tests.people import resident_id

from .conftest import storages_from_environment

pytestmark = pytest.mark.django_db

APPLY = reverse("subsidy:apply")
PUBLIC_GRANTEES = ("http://acs.amazonaws.com/groups/global/AllUsers",
                   "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _upload_material(client, upload):
    requirement = RequiredMaterial.objects.get(category__code="disabled", category__graduation_year_id=2027)
    client.get(APPLY)
    client.post(APPLY, {**form_data(action="upload"), f"material_{requirement.pk}": upload})


def _private(grants) -> bool:
    return not any(grant["Grantee"].get("URI") in PUBLIC_GRANTEES for grant in grants)


# --- Settings -----------------------------------------------------------------------------------


def test_the_environment_naming_a_bucket_puts_private_files_in_it(monkeypatch):
    local = storages_from_environment(monkeypatch, {})
    assert local["default"]["BACKEND"] == "servicehall.core.storage.PrivateFileSystemStorage"
    assert local["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    shared = storages_from_environment(monkeypatch, {
        "AWS_STORAGE_BUCKET_NAME": "servicehall-private", "AWS_S3_ENDPOINT_URL": "https://oss.internal",
        "AWS_S3_REGION_NAME": "cn-east-1", "AWS_LOCATION": "hall", "AWS_S3_ADDRESSING_STYLE": "path",
    })
    assert shared["default"]["BACKEND"] == "servicehall.core.storage_s3.PrivateS3Storage"
    assert shared["default"]["OPTIONS"] == {
        "bucket_name": "servicehall-private", "endpoint_url": "https://oss.internal",
        "region_name": "cn-east-1", "location": "hall", "addressing_style": "path",
        "signature_version": "s3v4", "max_memory_size": 8 * 1024 * 1024,
    }
    assert shared["staticfiles"] == local["staticfiles"]  # nginx serves /static/ from each node
    assert not any("KEY" in option.upper() for option in shared["default"]["OPTIONS"])


def test_objects_stay_private_and_have_no_url_whatever_the_options_say(bucket):
    node = PrivateS3Storage(
        **bucket.storages["default"]["OPTIONS"], default_acl="public-read", file_overwrite=True
    )
    assert node.default_acl is None and node.file_overwrite is False
    with pytest.raises(PrivateFileURLError):
        node.url("materials/x.bin")
    with pytest.raises(PrivateFileURLError):
        default_storage.url("materials/x.bin")


# --- Materials ----------------------------------------------------------------------------------


def test_a_material_lands_in_the_bucket_as_ciphertext_and_the_owner_and_the_school_read_it(
    client, person, card, open_window, world, bucket, django_capture_on_commit_callbacks
):
    plain = png("残疾人证.png", size=(120, 90)).read()
    client.force_login(person)
    _upload_material(client, png("残疾人证.png", size=(120, 90)))
    material = Material.objects.get(owner=person)
    key = f"hall/{material.file.name}"
    assert key in bucket.keys("hall/materials/")
    stored = bucket.read(key)
    assert plain not in stored and b"\x89PNG" not in stored
    assert decrypt_bytes(stored) == plain

    mine = client.get(reverse("subsidy:material_file", args=[material.pk]))
    assert mine.status_code == 200 and _body(mine) == plain
    assert mine["Cache-Control"] == "private, no-store" and mine["Content-Type"] == "image/png"

    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(APPLY, form_data())
    application = Application.objects.get(applicant=person)
    assert submitted.url == reverse("subsidy:submitted", args=[application.pk])
    school = Client()
    school.force_login(world["school"])
    viewer = school.get(reverse("subsidy:review_material", args=[application.pk, material.pk]))
    assert viewer.status_code == 200 and _body(viewer) == plain
    assert viewer["Cache-Control"] == "private, no-store"
    download = school.get(
        reverse("subsidy:review_material", args=[application.pk, material.pk]), {"download": "1"}
    )
    assert download["Content-Disposition"].startswith("attachment") and _body(download) == plain

    other = Client()
    other.force_login(world["other_school"])
    viewer_url = reverse("subsidy:review_material", args=[application.pk, material.pk])
    assert other.get(viewer_url).status_code == 404


def test_deleting_a_material_in_my_materials_removes_its_object(
    client, person, card, open_window, bucket, django_capture_on_commit_callbacks
):
    client.force_login(person)
    # Kept in 我的材料 but attached to nothing (an upload on the apply page is attached at once).
    unused = subsidy.material_store(owner=person, upload=png("不用的.png"), field="m")
    key = f"hall/{unused.file.name}"
    assert key in bucket.keys()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("subsidy:material_delete", args=[unused.pk]), follow=True)
    assert "已删除该材料" in response.content.decode()
    assert key not in bucket.keys()
    assert client.get(reverse("subsidy:material_file", args=[unused.pk])).status_code == 404


def test_the_retention_purge_removes_the_objects_of_a_long_concluded_case(
    world, year, bucket, django_capture_on_commit_callbacks
):
    old = refused_by_school(world, PersonFactory(index=1))
    long_ago = timezone.now() - datetime.timedelta(days=4000)
    Application.objects.filter(pk=old.pk).update(state_changed_at=long_ago)
    kept = refused_by_school(world, PersonFactory(index=2))
    old_key = f"hall/{Material.objects.get(owner=old.applicant).file.name}"
    kept_key = f"hall/{Material.objects.get(owner=kept.applicant).file.name}"
    assert {old_key, kept_key} <= set(bucket.keys())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired_data", stdout=io.StringIO())
    assert old_key not in bucket.keys() and kept_key in bucket.keys()


def test_a_second_node_reads_what_the_first_wrote_and_the_other_way_round(client, person, card, open_window,
                                                                          bucket):
    client.force_login(person)
    _upload_material(client, png("证明.png"))
    material = Material.objects.get(owner=person)
    node_b = PrivateS3Storage(**bucket.storages["default"]["OPTIONS"])
    with node_b.open(material.file.name, "rb") as stored:
        assert decrypt_bytes(stored.read()).startswith(b"\x89PNG")
    # A name node B takes is not overwritten by node A: each gets its own object.
    written = node_b.save("materials/shared.bin", png().file)
    again = default_storage.save("materials/shared.bin", png().file)
    assert written != again and default_storage.exists(written) and node_b.exists(again)


def test_the_bucket_and_its_objects_grant_nothing_to_the_public(client, person, card, open_window, bucket):
    client.force_login(person)
    _upload_material(client, png())
    (key,) = bucket.keys("hall/materials/")
    assert _private(bucket.client.get_bucket_acl(Bucket=bucket.name)["Grants"])
    assert _private(bucket.client.get_object_acl(Bucket=bucket.name, Key=key)["Grants"])
    with pytest.raises(ClientError) as no_policy:
        bucket.client.get_bucket_policy(Bucket=bucket.name)
    assert no_policy.value.response["Error"]["Code"] == "NoSuchBucketPolicy"
    # No page links to the bucket: the owner's list points at the hall's own view.
    listing = client.get(reverse("subsidy:materials")).content.decode()
    assert bucket.name not in listing and "X-Amz" not in listing


# --- Appeal photos ------------------------------------------------------------------------------


def test_an_appeal_photo_is_kept_encrypted_and_the_operator_sees_it(
    client, person, operator, sms_code, bucket
):
    submit_appeal(client, person, sms_code)
    appeal = AccountAppeal.objects.get()
    assert appeal.id_photo_encrypted
    stored = bucket.read(f"hall/{appeal.id_photo.name}")
    plain = decrypt_bytes(stored)
    assert plain.startswith(b"\xff\xd8") and not stored.startswith(b"\xff\xd8") and plain not in stored

    staff = staff_client(operator, sms_code)
    response = staff.get(reverse("accounts:appeal_photo", args=[appeal.pk]))
    assert response.status_code == 200 and _body(response) == plain
    assert response["Content-Type"] == "image/jpeg" and response["Cache-Control"] == "private, no-store"


def test_a_photo_kept_plain_before_is_still_shown_and_can_be_encrypted(
    client, person, operator, sms_code, bucket, django_capture_on_commit_callbacks
):
    submit_appeal(client, person, sms_code)
    appeal = AccountAppeal.objects.get()
    plain = photo().read()
    legacy = default_storage.save("appeals/2025/01/legacy.jpg", photo().file)
    AccountAppeal.objects.filter(pk=appeal.pk).update(id_photo=legacy, id_photo_encrypted=False)
    staff = staff_client(operator, sms_code)
    assert _body(staff.get(reverse("accounts:appeal_photo", args=[appeal.pk]))) == plain

    with django_capture_on_commit_callbacks(execute=True):
        assert accounts.appeal_photos_encrypt() == 1
    appeal.refresh_from_db()
    assert appeal.id_photo_encrypted and appeal.id_photo.name != legacy
    assert f"hall/{legacy}" not in bucket.keys()
    assert decrypt_bytes(bucket.read(f"hall/{appeal.id_photo.name}")) == plain
    assert _body(staff.get(reverse("accounts:appeal_photo", args=[appeal.pk]))) == plain
    assert accounts.appeal_photos_encrypt() == 0


# --- Registry imports ---------------------------------------------------------------------------


LISTED = resident_id("32010220040315003")
IMPORT = reverse("verification:import", args=["subsistence_allowance"])


def _registry_form() -> dict:
    data = f"证件号码,姓名,有效期起,有效期至\r\n{LISTED},张晓明,2026-01-01,2027-06-30\r\n".encode()
    spec = spec_for("subsistence_allowance")
    return {
        "file": SimpleUploadedFile("名单.csv", data, content_type="text/csv"),
        "source": spec.department, "data_date": "2026-09-01",
        **{f"column_{field}": header for field, header in spec.headers.items()},
    }


def test_a_registry_import_is_spooled_encrypted_in_the_bucket_and_cleared_when_done(
    operator, sms_code, bucket, django_capture_on_commit_callbacks
):
    staff = staff_client(operator, sms_code, address="10.0.0.5")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = staff.post(IMPORT, _registry_form())
    assert response.status_code == 302, response.content.decode()[:1000]
    batch = RegistryBatch.objects.get()
    (key,) = bucket.keys("hall/registry-imports/")
    assert key == f"hall/{batch.upload_path}"
    assert LISTED.encode() not in bucket.read(key)

    for callback in queued:  # the import task, as the queue would run it after the commit
        callback()
    batch.refresh_from_db()
    assert batch.state == RegistryBatch.State.DONE and batch.imported_count == 1
    assert bucket.keys("hall/registry-imports/") == []


def test_an_import_whose_upload_cannot_be_deleted_still_finishes_and_says_so_in_the_log(
    operator, sms_code, bucket, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def unreachable(self, name):
        raise EndpointConnectionError(endpoint_url="http://oss.internal")

    monkeypatch.setattr(PrivateS3Storage, "delete", unreachable)
    staff = staff_client(operator, sms_code, address="10.0.0.5")
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(IMPORT, _registry_form())
    batch = RegistryBatch.objects.get()
    assert batch.state == RegistryBatch.State.DONE and batch.upload_path == ""
    assert "the stored upload could not be deleted" in caplog.text
    assert len(bucket.keys("hall/registry-imports/")) == 1  # left to the bucket's lifecycle rule
