from django.db import models

from servicehall.core.http import client_ip

from .models import AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    detail: dict | None = None,
    request=None,
) -> AuditEntry:
    """Append one audit entry. Call it inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
        ip_address=client_ip(request) if request is not None else "",
    )


def audit_record_many(*, actor, action: str, targets, detail: dict | None = None, request=None) -> int:
    """One entry per target in a single INSERT: a batch decision on a thousand applications
    costs the same few queries as one."""
    entries = [
        AuditEntry(
            actor=actor if getattr(actor, "pk", None) else None, action=action,
            target_type=target._meta.label_lower, target_id=str(target.pk), detail=detail or {},
            ip_address=client_ip(request) if request is not None else "",
        )
        for target in targets
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)
