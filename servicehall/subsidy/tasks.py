"""Background work for the subsidy: telling applicants what happened. Thin; texts in notify.py."""

from django_tasks import task

from servicehall.core.once import once

from . import notify
from .checks import checks_run
from .models import Application


@task(takes_context=True)
def notify_applicants(context, application_ids: list[int], event: str) -> int:
    """One SMS (and site message) per application, after a decision on many at once. The run's
    id (kept by the queue across retries) and the application name the notice, so a run again
    after a worker died halfway sends only what the first did not."""
    run = context.task_result.id
    sent = 0
    for application in (
        Application.objects.filter(pk__in=application_ids).select_related("graduation_year", "applicant")
    ):
        with once(f"notify_applicants:{run}:{application.pk}") as first:
            if first:
                notify.send_one(application, event)
                sent += 1
    return sent


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
