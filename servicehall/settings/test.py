"""Tests (pytest, CI): fixed test keys, fast hashing, tasks run at once, outbox SMS."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-secret-key-not-for-production-" + "x" * 20
FIELD_ENCRYPTION_KEYS = "test1:" + "0f" * 32
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    }
}
SMS_DEV_OUTBOX_PAGE = True
# Each visit written at once: a count kept back would be written into a later test's database.
SERVICE_VISITS_FLUSH_SECONDS = 0
ALLOWED_HOSTS = ["*"]

# No provider unless a test configures the local one (tests/provider.py).
LOGIN_PROVIDERS = []
