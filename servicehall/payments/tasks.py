"""Background work for the payments: telling applicants how their payment went. Thin; the
texts are in subsidy/notify.py, the choice of advice in services.py."""

from django_tasks import task

from . import services


@task()
def notify_settled(item_ids: list[int]) -> int:
    """One SMS (and site message) per settled payment line, after the return import commits."""
    return services.notices_send(item_ids)


@task()
def reissue_fixed_cards() -> int:
    """Failed payments whose card has since been fixed go back to awaiting payment."""
    return services.payments_reissue_fixed_cards()


@task()
def run_payment_job(job_id: int) -> str:
    """A long payment step (build, approve, return import) queued by an officer's page."""
    from . import jobs

    return jobs.job_run(job_id)
