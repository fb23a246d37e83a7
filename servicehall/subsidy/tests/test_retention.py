"""数据保存期限: stale drafts, unused old uploads and the files of long-concluded cases are
removed by the scheduled purge, which records what it removed; everything else stays."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.audit.models import AuditEntry
from servicehall.subsidy import services
from servicehall.subsidy.models import Application, Material, RetentionPolicy
from servicehall.subsidy.retention import retention_purge
from servicehall.subsidy.tests.factories import refused_by_school, submit_for
from tests.files import png

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - datetime.timedelta(days=4000)


def _concluded_long_ago(world):
    application = refused_by_school(world, PersonFactory(index=1))
    Application.objects.filter(pk=application.pk).update(state_changed_at=LONG_AGO)
    return Application.objects.get(pk=application.pk)


def test_files_of_a_long_concluded_case_go_and_the_case_stays(
    world,
    year,
    django_capture_on_commit_callbacks,
):
    from django.core.files.storage import default_storage

    old = _concluded_long_ago(world)
    recent = submit_for(PersonFactory(index=2))
    stored = Material.objects.get(owner=old.applicant).file.name
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        summary = retention_purge()
    assert not default_storage.exists(stored)
    assert summary == {"drafts": 0, "files": 1, "cases": 1}
    assert not Material.objects.filter(owner=old.applicant).exists()
    assert Application.objects.filter(pk=old.pk, materials_json="").exists()
    assert Material.objects.filter(owner=recent.applicant).exists()
    assert AuditEntry.objects.filter(action="retention.purge", target_id=str(old.pk)).exists()
    summary_entry = AuditEntry.objects.get(action="retention.purge", target_id="")
    assert summary_entry.detail["files"] == 1 and summary_entry.detail["material_days"] == 1095
    # Nothing left to do the next time: nothing recorded either.
    assert retention_purge() == {"drafts": 0, "files": 0, "cases": 0}
    assert AuditEntry.objects.filter(action="retention.purge", target_id="").count() == 1


def test_a_file_reused_by_a_live_application_is_kept(world, year):
    old = _concluded_long_ago(world)
    material = Material.objects.get(owner=old.applicant)
    # The same person applies again (a later year) reusing the file from 我的材料.
    draft = services.application_start(applicant=old.applicant).application
    Application.objects.filter(pk=draft.pk).update(materials_json=f'{{"1": ["{material.pk}"]}}')
    retention_purge()
    assert Material.objects.filter(pk=material.pk).exists()


def test_stale_drafts_and_old_unused_uploads_go(person, year):
    stale = services.application_start(applicant=person).application
    Application.objects.filter(pk=stale.pk).update(updated_at=LONG_AGO)
    fresh_person = PersonFactory(index=3)
    fresh = services.application_start(applicant=fresh_person).application
    old_upload = services.material_store(owner=person, upload=png(), field="m")
    Material.objects.filter(pk=old_upload.pk).update(uploaded_at=LONG_AGO)
    new_upload = services.material_store(owner=person, upload=png(), field="m")
    summary = retention_purge()
    assert summary["drafts"] == 1 and summary["files"] == 1
    assert not Application.objects.filter(pk=stale.pk).exists()
    assert Application.objects.filter(pk=fresh.pk).exists()
    assert not Material.objects.filter(pk=old_upload.pk).exists()
    assert Material.objects.filter(pk=new_upload.pk).exists()


def test_the_operators_periods_are_obeyed_and_the_command_reports(person, year):
    draft = services.application_start(applicant=person).application
    Application.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - datetime.timedelta(days=100))
    assert retention_purge()["drafts"] == 0  # a year by default
    RetentionPolicy.objects.create(draft_days=90, material_days=365)
    out = io.StringIO()
    call_command("purge_expired_data", stdout=out)
    assert out.getvalue().startswith("1 draft(s)")
    assert not Application.objects.filter(pk=draft.pk).exists()


def test_the_database_refuses_periods_that_are_too_short():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        RetentionPolicy.objects.create(draft_days=1, material_days=365)
