"""Background work and periodic work: which queue runs the tasks, and the scheduler."""

from .environment import env

# --- Background work: Django's tasks API (django-tasks backport), database backend. ---
TASKS_BACKEND = env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    # Every task goes on RQ's "default" queue, the one each node's `rqworker ... default` reads.
    TASKS["default"]["QUEUES"] = ["default"]

# The Redis queue for several nodes (TASKS_BACKEND=django_tasks_rq.RQBackend): django-rq's queue on
# TASKS_REDIS_URL (else REDIS_URL). Workers: `manage.py rqworker --job-class django_tasks_rq.Job`.
RQ_QUEUES = {
    "default": {
        "URL": env("TASKS_REDIS_URL") or env("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": int(env("TASKS_TIMEOUT_SECONDS", "1800")),
    }
}

# The scheduler (`manage.py run_scheduler`, core/scheduler.py): the name it records runs under.
HALL_NODE = env("HALL_NODE", "")
# Seconds between two looks at what is due.
SCHEDULER_INTERVAL_SECONDS = int(env("SCHEDULER_INTERVAL_SECONDS", "30"))
