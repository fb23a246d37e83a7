"""Background work for the registries: one import at a time per batch. Thin; services.py works."""

from django_tasks import task

from . import services


@task()
def import_registry(batch_id: int) -> int:
    """Read a stored registry upload into its batch; returns the rows imported."""
    return services.registry_import_run(batch_id=batch_id).imported_count
