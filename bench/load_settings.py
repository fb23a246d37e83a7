"""The settings the September load bench serves the hall with: production's (DEBUG off, Argon2,
the Redis cache and sessions, the database server), except that the bench's client speaks plain
HTTP to 127.0.0.1 as the reverse proxy would, so the HTTPS redirect and the Secure flag on the
cookies are off. Everything else comes from the environment load_september.py sets."""

from servicehall.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SMS_BACKEND = "servicehall.messaging.gateways.OutboxGateway"
