"""Background work for the subsidy: telling applicants what happened. Thin; texts in notify.py."""

from django_tasks import task

from . import notify
from .checks import checks_run
from .models import Application


@task()
def notify_applicants(application_ids: list[int], event: str) -> int:
    """One SMS (and site message) per application, after a decision on many at once."""
    return notify.send_many(application_ids, event)


@task()
def check_applications(application_ids: list[int]) -> int:
    """数据比对 of these applications against the current registries (after a submission)."""
    return checks_run(applications=Application.objects.filter(pk__in=application_ids))


@task()
def recheck_for_reviewer(actor_id: int) -> int:
    """数据比对 again of every application a reviewer sees (their school's or bureau's)."""
    from servicehall.accounts.models import User

    from .review_selectors import application_list_for_reviewer

    actor = User.objects.get(pk=actor_id)
    return checks_run(applications=application_list_for_reviewer(actor))
