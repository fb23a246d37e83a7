"""Background work for the subsidy: telling applicants what happened. Thin; texts in notify.py."""

from django_tasks import task

from . import notify


@task()
def notify_applicants(application_ids: list[int], event: str) -> int:
    """One SMS (and site message) per application, after a decision on many at once."""
    return notify.send_many(application_ids, event)
