"""数据保存期限: the scheduled removal (manage.py purge_expired_data, daily) of drafts untouched
for RetentionPolicy.draft_days, of uploads no application uses that are as old, and of the
uploaded files of cases concluded more than material_days ago. Each run records what it removed
in the audit trail (counts, and the applications whose files went). Files are deleted from
the storage (core.storage) after the rows' transaction commits."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from servicehall.accounts.provider_login import provider_tickets_purge
from servicehall.audit.services import audit_record, audit_record_many

from .constants import CONCLUDED, ApplicationStatus
from .models import Application, Material, RetentionPolicy
from .selectors import materials_map

if TYPE_CHECKING:
    import datetime

logger = logging.getLogger(__name__)
CHUNK = 1000


def _referenced(applications) -> set[str]:
    used: set[str] = set()
    for application in applications.only("pk", "materials_json").iterator(chunk_size=CHUNK):
        for ids in materials_map(application).values():
            used.update(ids)
    return used


def _delete_materials(ids: set[str]) -> int:
    if not ids:
        return 0
    doomed = list(Material.objects.filter(id__in=ids).only("id", "file"))
    files = [(material.file.storage, material.file.name) for material in doomed if material.file]
    Material.objects.filter(id__in=[material.id for material in doomed]).delete()

    def remove_files():
        # Through the storage (the disk or the nodes' bucket), one file at a time: a file that
        # cannot be deleted (the bucket unreachable: any error of its client) is logged, and the
        # others still go.
        for storage, name in files:
            try:
                storage.delete(name)
            except Exception:
                logger.warning("retention: a material file could not be deleted", exc_info=True)

    transaction.on_commit(remove_files)
    return len(doomed)


@transaction.atomic
def retention_purge(*, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    policy = RetentionPolicy.current()
    draft_cutoff = now - timedelta(days=policy.draft_days)
    material_cutoff = now - timedelta(days=policy.material_days)

    stale_drafts = Application.objects.filter(state=ApplicationStatus.DRAFT, updated_at__lt=draft_cutoff)
    draft_ids = list(stale_drafts.values_list("pk", flat=True))
    expired = Application.objects.filter(state__in=CONCLUDED, state_changed_at__lt=material_cutoff)
    expired_ids = list(expired.values_list("pk", flat=True))
    kept = Application.objects.exclude(pk__in=draft_ids).exclude(pk__in=expired_ids)

    in_use = _referenced(kept)
    # Files of expired cases, unless a live application (a reuse) still points at them; and
    # uploads as old as a stale draft that no kept application uses (a dropped draft's, or never
    # used at all).
    old_uploads = Material.objects.filter(uploaded_at__lt=draft_cutoff).values_list("id", flat=True)
    candidates = (_referenced(expired) | {str(pk) for pk in old_uploads}) - in_use

    Application.objects.filter(pk__in=draft_ids).delete()
    removed_files = _delete_materials(candidates)
    cleared = expired.exclude(materials_json="").exclude(materials_json="{}")
    cleared_ids = list(cleared.values_list("pk", flat=True))
    cleared.update(materials_json="")
    audit_record_many(
        actor=None,
        action="retention.purge",
        targets=[Application(pk=pk) for pk in cleared_ids],
        detail={"files_of_concluded_case": True},
    )
    summary = {"drafts": len(draft_ids), "files": removed_files, "cases": len(cleared_ids)}
    # What another provider vouched for at a login left half-way (accounts.provider_login).
    tickets = provider_tickets_purge()
    if tickets:
        summary["provider_tickets"] = tickets
    if any(summary.values()):
        audit_record(
            actor=None,
            action="retention.purge",
            detail={
                **summary,
                "draft_days": policy.draft_days,
                "material_days": policy.material_days,
                "draft_ids": draft_ids[:1000],
            },
        )
    return summary
