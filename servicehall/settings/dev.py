"""Local development (`make run`): debug on, keys from var/dev-secrets.env made on first run."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env, env_bool
from .devkeys import dev_secret

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY") or dev_secret(VAR_DIR, "DJANGO_SECRET_KEY", 50)
FIELD_ENCRYPTION_KEYS = env("FIELD_ENCRYPTION_KEYS") or (
    "dev1:" + dev_secret(VAR_DIR, "FIELD_ENCRYPTION_KEY", 32)
)
SMS_DEV_OUTBOX_PAGE = True
