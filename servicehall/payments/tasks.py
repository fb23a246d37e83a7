"""Background work for the payments: telling applicants how their payment went. Thin; the
texts are in subsidy/notify.py, the choice of advice in services.py."""

from django.db import transaction
from django_tasks import task

from servicehall.core.once import once

from . import services


@task()
def notify_settled(item_ids: list[int]) -> int:
    """One SMS (and site message) per settled payment line, after the return import commits. A
    line is settled once (paid or failed is final; a reissue is a new line), so the line names
    its notice: run again, the task sends only the lines not yet told."""
    sent = 0
    for item_id in item_ids:
        with once(f"notify_settled:{item_id}") as first:
            if first:
                told = services.notices_send([item_id])
                if not told:  # not settled (yet): leave no key, a later run may tell it
                    transaction.set_rollback(True)
                sent += told
    return sent


@task()
def reissue_fixed_cards() -> int:
    """Failed payments whose card has since been fixed go back to awaiting payment."""
    return services.payments_reissue_fixed_cards()


@task()
def run_payment_job(job_id: int) -> str:
    """A long payment step (build, approve, return import) queued by an officer's page."""
    from . import jobs

    return jobs.job_run(job_id)
