"""What operators see of a running hall: logs, health and metrics (docs/deployment.md)."""

from .environment import env, env_list

# --- Logs: text for a person at a terminal (dev, tests), JSON lines on stdout for the cluster. ---
LOG_FORMAT = env("LOG_FORMAT", "text")


def logging_config(log_format: str) -> dict:
    """Every handler blanks ID and mobile numbers (core.logging) and names the request (or the
    request that queued the task) it logs for. Django's own defaults would add handlers without
    that filter: "django.server" prints request lines with their query strings, and "django" has a
    DEBUG console and mail_admins (which mails the whole request). So both loggers are named here
    and get filtered handlers only (core/tests/test_logging.py)."""
    json = log_format == "json"
    filters = ["request_id", "personal_data"]  # the id first: a client's header is blanked too
    console = {"class": "logging.StreamHandler", "formatter": "json" if json else "text",
               "filters": filters}
    if json:
        console["stream"] = "ext://sys.stdout"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "log_request_id.filters.RequestIDFilter"},
            "personal_data": {"()": "servicehall.core.logging.RedactPersonalData"},
        },
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {
                "()": "servicehall.core.logging.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": True,  # ISO 8601, UTC
            },
            "django.server": {
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            },
        },
        "handlers": {
            "console": console,
            "django.server": {**console, "formatter": "json" if json else "django.server"},
        },
        "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
        "loggers": {
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
            "django.db.backends": {"level": "INFO"},
            "axes": {"level": "WARNING"},
            # pypdf's warnings about a broken upload can quote bytes of the file.
            "pypdf": {"level": "ERROR"},
            # redis-py gives this logger a bare stderr handler of its own unless it already
            # exists (redis.utils); named here, it has the hall's filtered handlers instead.
            "push_response": {"level": "INFO"},
        },
    }


LOGGING = logging_config(LOG_FORMAT)

# django-log-request-id: nginx's X-Request-ID (it replaces a client's own), else a new one; sent
# back in the answer, written in every log line, and carried into the tasks a request queues
# (core.request_ids).
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"

# --- Health (core.health): /healthz (alive) and /readyz (database, storage, Redis, queue). ---
# Each readiness check gives up after this long, so a dead Redis fails the probe rather than hangs it.
READINESS_CHECK_SECONDS = float(env("READINESS_CHECK_SECONDS", "2"))
# A load balancer probes a node over plain HTTP: the probes and the operators' metrics are not
# redirected to HTTPS (production's SECURE_SSL_REDIRECT). Patterns match the path without its "/".
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# --- Metrics (django-prometheus, core.health.metrics): only these client addresses (read the one
# way, core.http.client_ip, so behind nginx the address nginx saw) get /metrics; others a 404. ---
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
