"""Background work and periodic work: which queue runs the tasks, and the scheduler."""

from .environment import env

# --- Background work: Django's tasks API (django-tasks backport), database backend. ---
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
