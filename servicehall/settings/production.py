"""Production: every secret must come from the environment; HTTPS only."""

from .base import *  # noqa: F403
from .base import FIELD_ENCRYPTION_KEYS, SECRET_KEY, env, env_bool, require
from .observability import logging_config

DEBUG = False
SECRET_KEY = require("DJANGO_SECRET_KEY", SECRET_KEY)
FIELD_ENCRYPTION_KEYS = require("FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS)
# Rate limits must be shared by every worker: without REDIS_URL the checks fail (core.E001).
RATE_LIMITS_NEED_SHARED_CACHE = True
SMS_BACKEND = env("SMS_BACKEND", "servicehall.messaging.gateways.HttpGateway")

# HALL_HTTPS=0 only for `make cluster` on 127.0.0.1 (plain HTTP on loopback, docs/deployment.md):
# cookies then travel without the Secure flag and nothing redirects. A province leaves it on.
HTTPS = env_bool("HALL_HTTPS", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
# Behind the reverse proxy set TRUSTED_PROXY_COUNT (base.py): the client's address is the entry
# that many from the right of X-Forwarded-For, never the client-written leftmost one.

# JSON lines on stdout, one per record, for the log collector (docs/deployment.md).
LOG_FORMAT = env("LOG_FORMAT", "json")
LOGGING = logging_config(LOG_FORMAT)
