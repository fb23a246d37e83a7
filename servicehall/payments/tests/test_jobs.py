"""Long payment steps in the task worker: above PAYMENTS_INLINE_LIMIT lines the officer's
request queues a PaymentJob, the worker runs the same service, and the waiting page leads to
the result (or says why it failed). Here the limit is 0, so every step goes to the worker; the
tests' task backend runs a task when the request's transaction commits."""

import pytest
from django.conf import settings
from django.urls import reverse

from servicehall.audit.models import AuditEntry
from servicehall.payments import jobs, services
from servicehall.payments.models import PaymentBatch, PaymentJob, ReturnImport
from servicehall.payments.tests.factories import return_for
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def background(settings):
    settings.PAYMENTS_INLINE_LIMIT = 0


def _follow_job(client, response):
    assert response.status_code == 302
    job_url = response["Location"]
    assert job_url.startswith("/payments/jobs/")
    return job_url


def test_a_large_build_runs_in_the_background_and_leads_to_its_batch(
    client, world, officers, awaiting, year, django_capture_on_commit_callbacks
):
    awaiting(2)
    client.force_login(officers["maker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payments:batch_list"), {"graduation_year": year.pk})
    job_url = _follow_job(client, response)
    job = PaymentJob.objects.get()
    assert job.kind == "build" and job.status == "done" and job.created_by == officers["maker"]
    batch = PaymentBatch.objects.get()
    assert batch.item_count == 2 and batch.created_by == officers["maker"]
    assert AuditEntry.objects.filter(action="payments.batch_build", ip_address="127.0.0.1").exists()
    # The htmx poll is told to reload; the page itself leads to the batch with the message.
    polled = client.get(job_url, headers={"HX-Request": "true"})
    assert polled.status_code == 204 and polled["HX-Redirect"] == job_url
    page = client.get(job_url, follow=True)
    assert page.redirect_chain[-1][0] == reverse("payments:batch_detail", kwargs={"pk": batch.pk})
    assert f"已生成批次{batch.number}：2笔" in page.content.decode()
    # Worded when read: an officer using the hall in English reads it in English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(job_url, follow=True).content.decode()
    assert f"Batch {batch.number} created: 2 payments" in page and "已生成批次" not in page


def test_a_queued_job_shows_that_it_is_working_and_polls(client, world, officers, awaiting, year):
    awaiting(1)
    client.force_login(officers["maker"])
    # Without running the on-commit callbacks the job stays queued, as it does until a worker takes it.
    response = client.post(reverse("payments:batch_list"), {"graduation_year": year.pk})
    job_url = _follow_job(client, response)
    page = client.get(job_url).content.decode()
    assert "正在后台处理" in page and 'hx-trigger="every 2s"' in page
    assert "后台处理中的任务" in client.get(reverse("payments:batch_list")).content.decode()
    polled = client.get(job_url, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and 'id="job-status"' in polled.content.decode()
    # The worker runs it once: a second run of the same job does nothing.
    job = PaymentJob.objects.get()
    assert jobs.job_run(job.pk) == "done"
    assert jobs.job_run(job.pk) == ""
    assert PaymentBatch.objects.count() == 1


def test_a_build_whose_applications_were_taken_meanwhile_fails_with_a_way_back(
    client, world, officers, awaiting, year
):
    awaiting(1)
    client.force_login(officers["maker"])
    job_url = _follow_job(client, client.post(reverse("payments:batch_list"), {"graduation_year": year.pk}))
    # Before the worker takes the job, a colleague's batch takes the only application.
    services.batch_build(actor=officers["checker"], graduation_year=year)
    assert jobs.job_run(PaymentJob.objects.get().pk) == "failed"
    page = client.get(job_url).content.decode()
    assert "没有符合条件的待发放申请" in page and "返回重新办理" in page
    assert f"graduation_year={year.pk}" in page and 'role="alert"' in page
    assert "后台处理中的任务" in client.get(reverse("payments:batch_list")).content.decode()
    # The way back keeps the choice made.
    form = client.get(reverse("payments:batch_list"), {"graduation_year": year.pk}).content.decode()
    assert f'value="{year.pk}" selected' in form


def test_approve_and_return_import_in_the_background(
    client, world, officers, awaiting, year, django_capture_on_commit_callbacks
):
    applications = awaiting(2)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    client.force_login(officers["checker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payments:batch_approve", kwargs={"pk": batch.pk}))
    page = client.get(_follow_job(client, response), follow=True).content.decode()
    assert "批次已审批" in page
    assert set(Application.objects.values_list("state", flat=True)) == {S.PAYING}

    bank = applications[0].bank_id
    _name, data = services.bank_file_export(actor=officers["checker"], batch=batch, bank=bank)
    answer = return_for(data, failed={applications[1].record_number: "卡片已挂失"})
    upload = {"bank": bank, "file": _file(answer)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payments:return_import", kwargs={"pk": batch.pk}), upload)
    job = PaymentJob.objects.get(kind="return_import")
    assert job.status == "done" and bytes(job.upload) == b""  # the file is not kept
    page = client.get(_follow_job(client, response), follow=True)
    imported = ReturnImport.objects.get()
    assert page.redirect_chain[-1][0].endswith(f"?import={imported.pk}#import-result")
    assert "发放成功1笔，发放失败1笔" in page.content.decode()
    # The same file again: the job finds the earlier import and says nothing changed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("payments:return_import", kwargs={"pk": batch.pk}), {"bank": bank, "file": _file(answer)}
        )
    page = client.get(_follow_job(client, response), follow=True).content.decode()
    assert "这份回盘文件已导入过" in page and ReturnImport.objects.count() == 1


def test_a_maker_approving_in_the_background_is_refused_with_the_reason(
    client, world, officers, awaiting, year, django_capture_on_commit_callbacks
):
    awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    client.force_login(officers["maker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payments:batch_approve", kwargs={"pk": batch.pk}))
    page = client.get(_follow_job(client, response)).content.decode()
    assert "制单人不能审批自己生成的批次" in page
    assert PaymentBatch.objects.get().status == "draft"


def test_a_job_of_another_bureau_is_not_found(client, world, officers, awaiting, year):
    awaiting(1)
    client.force_login(officers["maker"])
    job_url = _follow_job(client, client.post(reverse("payments:batch_list"), {"graduation_year": year.pk}))
    client.force_login(officers["other"])
    assert client.get(job_url).status_code == 404
    client.force_login(world["first"])
    assert client.get(job_url).status_code == 403


def test_an_unexpected_error_fails_the_job_without_changes(officers, awaiting, year, monkeypatch):
    awaiting(1)
    job = jobs.job_start(
        actor=officers["maker"], kind="build", params={"graduation_year": year.pk}
    )

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "batch_build", broken)
    assert jobs.job_run(job.pk) == "failed"
    job.refresh_from_db()
    assert "系统错误" in job.message and "disk full" not in job.message
    assert PaymentBatch.objects.count() == 0


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("return.csv", data, content_type="text/csv")


def test_a_job_a_dead_worker_left_running_is_run_again_once(
    client, world, officers, awaiting, year, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    awaiting(3)
    client.force_login(officers["maker"])
    client.post(reverse("payments:batch_list"), {"graduation_year": year.pk})  # queued, no worker yet
    job = PaymentJob.objects.get()
    # A worker took it and died: its transaction was rolled back, the job says running.
    PaymentJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now())
    assert jobs.jobs_recover() == 0  # a job running for a moment is a worker at work
    PaymentJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - timedelta(seconds=settings.PAYMENT_JOB_STALE_SECONDS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recover_payment_jobs")
    job.refresh_from_db()
    assert job.status == "done"
    assert PaymentBatch.objects.get().item_count == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.jobs_recover() == 0  # nothing left behind, nothing run twice
    assert PaymentBatch.objects.count() == 1
