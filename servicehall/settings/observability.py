"""What operators see of a running hall: logs (and, with issue 18, health and metrics)."""

from .environment import env

# Every handler blanks ID and mobile numbers (core.logging). Django's own defaults would add
# handlers without that filter: "django.server" prints request lines with their query strings,
# and "django" has a DEBUG console and mail_admins (which mails the whole request). So both
# loggers are named here and get filtered handlers only (core/tests/test_logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "servicehall.core.logging.RedactPersonalData"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # pypdf's warnings about a broken upload can quote bytes of the file.
        "pypdf": {"level": "ERROR"},
    },
}
