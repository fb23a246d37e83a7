"""Appending to the audit trail (审计). Every write service calls audit_record inside the
transaction of the change it records, so an entry exists exactly when the change does."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from servicehall.core.bulk import rows_insert, rows_insert_from

from .models import AuditEntry

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable

    from django.contrib.auth.base_user import AbstractBaseUser

# 网络安全法 第二十一条: network logs are kept for at least six months. Nothing younger is ever
# purged, whatever AUDIT_RETENTION_DAYS says (a system check refuses a shorter setting, and on
# PostgreSQL a trigger refuses the DELETE).
MINIMUM_RETENTION_DAYS = 183


def _actor_fields(actor) -> dict:
    if not getattr(actor, "pk", None):
        return {"actor_id": None, "organisation_id": None}
    return {"actor_id": actor.pk, "organisation_id": getattr(actor, "organisation_id", None)}


def _storable(value):
    """A detail as JSON every database keeps: PostgreSQL's JSON refuses the NUL character (a
    hostile query string's, recorded as a filter), so it is dropped from every text in it."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: models.Model | None = None,
    detail: dict | None = None,
    client_address: str = "",
) -> AuditEntry:
    """Append one audit entry. Call it inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        **_actor_fields(actor),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=_storable(detail or {}),
        ip_address=client_address,
    )


def audit_record_many(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    targets: Iterable[models.Model] | models.QuerySet,
    detail: dict | None = None,
    client_address: str = "",
) -> int:
    """One entry per target, written in bulk (core.bulk): a batch decision on a thousand
    applications costs the same few statements as one. `targets` may be a queryset: its rows
    become entries inside the database, in one statement however many they are."""
    shared = {
        **_actor_fields(actor),
        "action": action,
        "detail": _storable(detail or {}),
        "ip_address": client_address,
    }
    if isinstance(targets, models.QuerySet):
        return rows_insert_from(
            AuditEntry,
            targets,
            {
                **shared,
                "target_type": targets.model._meta.label_lower,
                "target_id": Cast("pk", output_field=models.CharField()),
            },
        )
    return rows_insert(
        AuditEntry,
        (
            {**shared, "target_type": target._meta.label_lower, "target_id": str(target.pk)}
            for target in targets
        ),
    )


def retention_days() -> int:
    return max(int(settings.AUDIT_RETENTION_DAYS), MINIMUM_RETENTION_DAYS)


def audit_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Remove the entries older than the retention period (scheduled daily); the removal is
    itself recorded."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    expired = AuditEntry.objects.filter(at__lt=cutoff)
    count = expired.count()
    if count:
        expired._purge()
        audit_record(
            actor=None, action="audit.purge", detail={"before": cutoff.isoformat(), "removed": count}
        )
    return count
