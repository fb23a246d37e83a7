"""Long payment steps in the background. Building, approving or importing the return file of a
batch takes about 10–60 seconds at 100,000 lines (bench/payments_scale.py): longer than a web
request should wait. Above PAYMENTS_INLINE_LIMIT lines the view starts a PaymentJob instead,
the task worker runs the very same service function, and the officer's page follows the job.
A finished job's message is worded when the officer reads it (done_message); a failure's is the
service's own words, stored in the hall's language.

A job runs once: the worker claims it by moving it from queued to running in one UPDATE. The
service runs in its own transaction, so a job that fails has changed nothing; its message
says why, in the words the service used."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from servicehall.audit.services import audit_record
from servicehall.core.crypto import decrypt_bytes, encrypt_bytes
from servicehall.core.errors import DomainError
from servicehall.core.money import money

from . import services
from .models import PaymentJob

if TYPE_CHECKING:
    from servicehall.accounts.models import User
    from servicehall.payments.models import PaymentBatch

logger = logging.getLogger(__name__)
Kind, Status = PaymentJob.Kind, PaymentJob.Status


def runs_inline(lines: int) -> bool:
    """Whether a step of this many lines is quick enough to run in the request."""
    return lines <= settings.PAYMENTS_INLINE_LIMIT


# --- What an officer is told when a step is done (the same words inline or in the background) --


def built_message(batch) -> str:
    return _("已生成批次%(number)s：%(count)s笔，合计%(total)s。请由本单位另一名财务人员审批。") % {
        "number": batch.number,
        "count": batch.item_count,
        "total": money(batch.total_fen),
    }


def approved_message() -> str:
    return _("批次已审批，可以下载各银行的发放文件报送银行。")


def imported_message(imported) -> str:
    """How many lines the import settled; the applicants are told (by SMS and 我的消息) only of
    a settled line, so the message speaks of them only when there is one."""
    if getattr(imported, "repeated", False):
        return _("这份回盘文件已导入过，本次没有任何变化。下面是当时的导入结果。")
    counts = {
        "settled": imported.settled_count,
        "paid": imported.paid_count,
        "failed": imported.failed_count,
        "refused": imported.refused_count,
    }
    if not imported.settled_count:
        return _(
            "回盘文件已导入，但没有一笔记入发放结果：%(refused)s行都未处理。"
            "请查看下面的原因，与银行核对后重新导入更正的回盘文件。"
        ) % counts
    return _(
        "回盘文件已导入：记入发放结果%(settled)s笔，其中发放成功%(paid)s笔，发放失败%(failed)s笔；"
        "未处理的行%(refused)s行。这%(settled)s笔的申请人将收到短信和站内消息。"
    ) % counts


def imported_level(imported) -> int:
    """The message's kind: nothing new (the same file again), nothing settled, or done."""
    if getattr(imported, "repeated", False):
        return messages.INFO
    return messages.SUCCESS if imported.settled_count else messages.WARNING


def found_earlier_import(job) -> bool:
    """A return-file job that led to an import older than itself: the file was imported before."""
    imported = job.return_import if job.kind == Kind.RETURN_IMPORT else None
    return imported is not None and imported.imported_at < job.created_at


def done_message(job) -> tuple[int, str]:
    """What the officer is told when a background job is done, and its kind, worded when it is
    read (in the officer's language) from what the job made, as an inline step words it."""
    if job.kind == Kind.BUILD:
        return messages.SUCCESS, built_message(job.batch)
    if job.kind == Kind.APPROVE:
        return messages.SUCCESS, approved_message()
    imported = job.return_import
    imported.repeated = found_earlier_import(job)
    return imported_level(imported), imported_message(imported)


# --- Start ------------------------------------------------------------------------------------


def job_start(
    *,
    actor: User,
    kind: str,
    client_address: str = "",
    batch: PaymentBatch | int | None = None,
    params: dict | None = None,
    filename: str = "",
    data: bytes = b"",
) -> PaymentJob:
    """Queue one step for the worker; it starts once this transaction commits."""
    bureau = services.officer_bureau_or_error(actor)
    if batch is not None:
        batch = services.batch_of_officer(actor, batch)
    with transaction.atomic():
        job = PaymentJob.objects.create(
            kind=kind,
            bureau=bureau,
            created_by=actor,
            ip_address=client_address,
            params=params or {},
            batch=batch,
            upload=encrypt_bytes(data) if data else b"",
            filename=(filename or "")[:200],
        )
        audit_record(
            actor=actor,
            action="payments.job_start",
            target=job,
            client_address=client_address,
            detail={"kind": kind, "batch": getattr(batch, "pk", None), "params": params or {}},
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_payment_job

    run_payment_job.enqueue(job_id)


# --- Run (the worker) -------------------------------------------------------------------------


def _run_build(job, client_address):
    params = job.params
    batch = services.batch_build(
        actor=job.created_by,
        graduation_year=params.get("graduation_year"),
        school=params.get("school"),
        category_code=params.get("category_code", ""),
        client_address=client_address,
    )
    return {"batch": batch}


def _run_approve(job, client_address):
    services.batch_approve(actor=job.created_by, batch=job.batch_id, client_address=client_address)
    return {}


def _run_return_import(job, client_address):
    imported = services.return_file_import(
        actor=job.created_by,
        batch=job.batch_id,
        bank=job.params.get("bank"),
        filename=job.filename,
        data=decrypt_bytes(bytes(job.upload)),
        client_address=client_address,
    )
    return {"return_import": imported}


RUNNERS = {Kind.BUILD: _run_build, Kind.APPROVE: _run_approve, Kind.RETURN_IMPORT: _run_return_import}


def jobs_recover(*, now: datetime | None = None) -> int:
    """Put back in the queue the jobs a worker claimed and never finished (killed, or its host
    lost) for longer than PAYMENT_JOB_STALE_SECONDS, far above the longest step (about a minute
    at 100,000 lines). The step runs in one transaction, so the dead worker's changes were rolled
    back with its connection: running the job again has one effect. Each is taken back in one
    conditional UPDATE, so two sweepers never both requeue it. Returns how many were requeued."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.PAYMENT_JOB_STALE_SECONDS)
    ids = list(
        PaymentJob.objects.filter(status=Status.RUNNING, started_at__lt=stale).values_list("pk", flat=True)
    )
    requeued = 0
    for job_id in ids:
        if PaymentJob.objects.filter(pk=job_id, status=Status.RUNNING, started_at__lt=stale).update(
            status=Status.QUEUED, started_at=None
        ):
            logger.warning("payment job %s left running by a worker: queued again", job_id)
            transaction.on_commit(lambda job_id=job_id: _enqueue(job_id), robust=True)
            requeued += 1
    return requeued


def job_run(job_id: int) -> str:
    """Run a queued job once and record how it ended. Returns its final status."""
    claimed = PaymentJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return ""
    job = PaymentJob.objects.select_related("created_by").get(pk=job_id)
    status, changes = Status.DONE, {}
    with translation.override(settings.LANGUAGE_CODE):
        try:
            changes = RUNNERS[job.kind](job, job.ip_address)
        except DomainError as error:
            status, changes = Status.FAILED, {"message": str(error.message)}
        except Exception:
            logger.exception("payment job %s (%s) failed", job.pk, job.kind)
            status = Status.FAILED
            changes = {"message": _("处理时发生系统错误，未作任何更改。请稍后重试，或联系系统管理员。")}
    PaymentJob.objects.filter(pk=job.pk).update(
        status=status, finished_at=timezone.now(), upload=b"", **changes
    )
    return status
