from django.conf import settings
from django.core.checks import Error, register


@register()
def audit_retention_check(app_configs, **kwargs):
    from .services import MINIMUM_RETENTION_DAYS

    days = getattr(settings, "AUDIT_RETENTION_DAYS", 0)
    if days < MINIMUM_RETENTION_DAYS:
        return [
            Error(
                f"AUDIT_RETENTION_DAYS is {days}; the audit trail must be kept at least "
                f"{MINIMUM_RETENTION_DAYS} days (six months, Cybersecurity Law art. 21).",
                id="audit.E001",
            )
        ]
    return []
