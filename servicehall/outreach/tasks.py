"""Background work for 政策找人. Thin; runs.py works."""

from django_tasks import task

from . import runs


@task()
def run_matching(run_id: int) -> str:
    """Match the run's lists and invite the new matches; returns the run's state."""
    return runs.match_run_execute(run_id=run_id).state
