"""Task workers killed (SIGKILL, both at once) in the middle of their work: an SMS the gateway had
taken but the hall had not yet marked sent, and a payment batch being built. After the restart,
the recovery sweeps the scheduler runs every five minutes (run here at once) finish each exactly
once: the person gets one SMS, the batch holds each application once."""

import time

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse

from .helpers import (
    NGINX,
    api_session,
    cluster,
    new_applicant,
    post_form,
    run_cluster,
    staff_session,
    wait_for,
)
from .journeys import png_bytes, start_and_fill, submit, upload_and_attach

GATEWAY = f"http://{cluster.HOST}:{cluster.PORTS['sms']}"
STALE_SECONDS = int(cluster.hall_env()["SMS_STALE_CLAIM_SECONDS"])
BUILD_LINES = 40_000  # about ten seconds of building on this machine


@pytest.fixture
def workers_back():
    yield
    for name in ("worker-1", "worker-2"):
        run_cluster("restart", name)


def _kill_workers() -> None:
    for name in ("worker-1", "worker-2"):
        run_cluster("kill", name)


def _restart_workers() -> None:
    for name in ("worker-1", "worker-2"):
        run_cluster("restart", name)


def test_a_worker_killed_during_an_sms_delivery_sends_it_once(applicant, workers_back):
    from servicehall.core.crypto import blind_index
    from servicehall.messaging.models import SmsMessage, SmsStatus
    from servicehall.messaging.services import idempotency_key

    app = api_session(NGINX, applicant["mobile"])
    draft = start_and_fill(app, NGINX)
    upload_and_attach(app, NGINX, draft, png_bytes())
    # The gateway takes the next message and then is slow to answer (4 s, under the hall's 5 s).
    requests.post(GATEWAY + "/_slow", json={"seconds": 4, "count": 1}, timeout=5)
    submitted = submit(app, NGINX, draft)
    assert submitted.status_code == 200, submitted.text
    record = submitted.json()["record_number"]

    def the_notice():
        for message in SmsMessage.objects.filter(
            mobile_index=blind_index(applicant["mobile"], purpose="mobile")
        ):
            if record in message.text:
                return message
        return None

    message = wait_for(the_notice, what="the submission's SMS")
    key = idempotency_key(message)
    accepted = lambda: requests.get(GATEWAY + "/_accepted", timeout=5).json()  # noqa: E731
    wait_for(lambda: key in accepted(), what="the gateway took it")
    _kill_workers()  # while the gateway is still answering: the hall never heard it was taken
    message.refresh_from_db()
    assert message.status == SmsStatus.SENDING

    _restart_workers()
    time.sleep(STALE_SECONDS + 1)
    call_command("sweep_sms")
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT
    assert accepted()[key] == 2  # offered twice
    sent = [m for m in cluster.sms_to(applicant["mobile"]) if record in m["text"]]
    assert len(sent) == 1  # and sent once


def _awaiting_payment(count: int) -> list[int]:
    """`count` applications of 南京大学 awaiting payment, made in bulk (as bench/payments_scale.py
    makes them): the officer's build then takes long enough to be interrupted."""
    from django.utils import timezone

    from servicehall.reference.models import School
    from servicehall.subsidy.constants import ApplicationStatus
    from servicehall.subsidy.models import Application, GraduationYear

    person = new_applicant()
    year = GraduationYear.objects.order_by("-year").first()
    school = School.objects.get(name="南京大学")
    now = timezone.now()
    stamp = f"{time.time_ns() % 10**8:08d}"
    made = Application.objects.bulk_create(
        [
            Application(
                applicant=person["person"], record_number=f"9{stamp[:3]}{i:012d}",
                state=ApplicationStatus.AWAITING_PAYMENT, graduation_year=year, name="周小雨",
                id_number=person["id_number"], id_number_index=f"cluster-{stamp}-{i}",
                mobile=person["mobile"], school=school, student_number=f"C{i:07d}", bank_id="102",
                account=f"6212{i:015d}", account_name="周小雨", submitted_at=now, state_changed_at=now,
            )
            for i in range(count)
        ],
        batch_size=5000,
    )
    return [a.pk for a in made]


def test_a_worker_killed_during_a_batch_build_builds_it_once(workers_back):
    from servicehall.payments.models import PaymentBatch, PaymentItem, PaymentJob
    from servicehall.subsidy.models import GraduationYear

    ids = _awaiting_payment(BUILD_LINES)
    officer = staff_session(NGINX, "nj.finance")
    year = GraduationYear.objects.order_by("-year").first()
    started = post_form(officer, NGINX + reverse("payments:batch_list"), {"graduation_year": year.pk})
    assert started.status_code == 302 and "/payments/jobs/" in started.headers["Location"], started.text[:300]
    job = PaymentJob.objects.order_by("-pk").first()

    running = lambda: PaymentJob.objects.get(pk=job.pk).status == "running"  # noqa: E731
    wait_for(running, every=0.05, what="the build running")
    _kill_workers()
    assert PaymentJob.objects.get(pk=job.pk).status == "running"
    assert not PaymentItem.objects.filter(application_id__in=ids[:100]).exists()  # rolled back with it

    _restart_workers()
    time.sleep(int(cluster.hall_env()["PAYMENT_JOB_STALE_SECONDS"]) + 1)
    call_command("recover_payment_jobs")
    wait_for(lambda: PaymentJob.objects.get(pk=job.pk).status == "done", timeout=180, what="the build done")
    batch = PaymentBatch.objects.get(pk=PaymentJob.objects.get(pk=job.pk).batch_id)
    assert batch.item_count == BUILD_LINES
    lines = PaymentItem.objects.filter(application_id__in=ids)
    assert lines.count() == BUILD_LINES
    assert lines.values("application_id").distinct().count() == BUILD_LINES
    # The officer's page leads to the batch.
    page = officer.get(NGINX + started.headers["Location"], timeout=30)
    assert page.status_code == 200 and batch.number in page.text
