"""Importing a registry: the operator's upload is checked and kept encrypted, and a task reads it
as a stream, writing the good rows in chunks with the progress on the batch, and reporting each
bad row (line, column, reason, a masked value). When it ends the batch becomes the registry's
current version and the previous one is kept, superseded, its rows for
REGISTRY_SUPERSEDED_RETENTION_DAYS. The checks are in checks.py."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import partial
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.accounts.permissions import may
from servicehall.audit.services import audit_record
from servicehall.cards.importing import safe_value
from servicehall.core import wording
from servicehall.core.actions import Action
from servicehall.core.alongside import WriterAlongside
from servicehall.core.bulk import rows_insert, statistics_refresh
from servicehall.core.errors import DomainError
from servicehall.core.tables import CSV, XLSX, TableFormat

from . import reading
from .models import Registry, RegistryBatch, RegistryEntry
from .registries import spec_for
from .selectors import id_number_index, name_index

if TYPE_CHECKING:
    import datetime

    from django.core.files.uploadedfile import UploadedFile

    from servicehall.accounts.models import User

logger = logging.getLogger(__name__)

MAX_REPORTED_PROBLEMS = 1000
# Rows written per transaction, with the progress they make (a commit each), while the next
# chunk is checked (core.alongside; bench/verification_scale.py). The first chunk is
# FIRST_WRITE_CHUNK rows and each next one twice as large, up to WRITE_CHUNK: a file of ten
# thousand rows is written alongside its checking too, not in one chunk after it.
FIRST_WRITE_CHUNK = 2500
WRITE_CHUNK = 20000
# An import this large tells the planner at once (core.bulk.statistics_refresh); a smaller one
# changes the table's statistics too little to pay for sampling a million-row table again.
ANALYZE_AFTER = 50_000


def _require_operator(actor) -> None:
    if not may(actor, Action.OPERATE):
        raise PermissionDenied


def registry_import_start(
    *,
    actor: User,
    registry: str,
    uploaded_file: UploadedFile,
    source: str,
    data_date: date,
    mapping: dict[str, str],
    province: str = "",
    client_address: str = "",
) -> RegistryBatch:
    """Keep the upload (encrypted) and queue its import; the batch page follows its progress.
    A file that cannot be a table (empty, .xls, binary) is refused at once on the "file" field."""
    _require_operator(actor)
    if registry not in Registry.values:
        raise DomainError(_("请选择要导入的名单"), code="registry", fields=("registry",))
    spec = spec_for(registry)
    mapping = {name: (mapping.get(name) or "").strip() for name in spec.fields}
    for name in spec.required:
        if not mapping[name]:
            raise DomainError(
                _("请填写“%(field)s”对应的列名") % {"field": spec.field_label(name)},
                code="mapping",
                fields=(f"column_{name}",),
            )
    province = (province or "").strip() if spec.has_province else ""
    if spec.has_province and not province:
        raise DomainError(_("请填写发放省份"), code="province", fields=("province",))
    filename = PurePath(str(getattr(uploaded_file, "name", "") or "")).name[:200] or "upload"
    stored = reading.store_encrypted(uploaded_file, filename=filename)
    with transaction.atomic():
        batch = RegistryBatch.objects.create(
            registry=registry,
            province=province,
            source=(source or spec.department).strip()[:40],
            data_date=data_date,
            imported_by=actor,
            filename=filename,
            sha256=stored.sha256,
            encoding=stored.table.encoding if stored.table.kind == CSV else XLSX,
            upload_path=stored.path,
            upload_chunks=stored.chunks,
            mapping=mapping,
        )
        audit_record(
            actor=actor,
            action="verification.import_start",
            target=batch,
            client_address=client_address,
            detail={"registry": registry, "province": province, "bytes": stored.size},
        )
        transaction.on_commit(lambda: _enqueue(batch.pk))
    return batch


def _enqueue(batch_id: int) -> None:
    from .tasks import import_registry

    import_registry.enqueue(batch_id)


# --- Running the import (the worker) ----------------------------------------------------------


class _Rows:
    """Checks one row at a time; keeps the good ones (for core.bulk.rows_insert) until a chunk
    is full and taken to be written."""

    def __init__(self, batch: RegistryBatch):
        self.batch = batch
        self.spec = spec_for(batch.registry)
        self.labels = {name: self.spec.field_label(name) for name in self.spec.fields}
        self.today = timezone.localdate()  # once: asking the time zone cost 6 µs a line
        self.pending: list[dict] = []
        self.problems: list[dict] = []
        self.rows = self.imported = self.rejected = 0

    def _problem(self, line: int, field_name: str, message, value, labels: dict) -> dict:
        return {
            "line": line,
            "column": self.batch.mapping.get(field_name) or labels[field_name],
            "reason": str(message),
            "value": safe_value(field_name, value),
        }

    def _check(self, name: str, value, labels: dict):
        if name == "id_number":
            return reading.check_id(value, today=self.today)
        if name == "name":
            return reading.check_person_name(value)
        if name == "grant_year":
            return reading.check_grant_year(value, today=self.today)
        return reading.check_date(name, value, label=labels[name], required=name in self.spec.required)

    def _checked(self, raw: dict, labels: dict) -> tuple[dict, list[tuple[str, str]]]:
        """The row's values, and its problems (field, message) in the active language."""
        values, errors = {}, []
        for name in self.spec.fields:
            if name not in raw and name not in self.spec.required:
                continue
            try:
                values[name] = self._check(name, raw.get(name), labels)
            except DomainError as exc:
                errors.append((name, exc.message))
        start, end = values.get("valid_from"), values.get("valid_until")
        if start and end and end < start:
            errors.append(
                (
                    "valid_until",
                    _("%(end)s早于%(start)s，请核对")
                    % {"end": labels["valid_until"], "start": labels["valid_from"]},
                )
            )
        return values, errors

    def _problems(self, line: int, raw: dict) -> list[dict]:
        """A rejected row's problems in the active language (wording.worded_rows asks once per
        language; the labels are read again in it)."""
        labels = {name: self.spec.field_label(name) for name in self.spec.fields}
        _values, errors = self._checked(raw, labels)
        return [self._problem(line, name, message, raw.get(name), labels) for name, message in errors]

    def add(self, line: int, raw: dict) -> None:
        self.rows += 1
        values, errors = self._checked(raw, self.labels)
        if errors:
            self.rejected += 1
            if len(self.problems) < MAX_REPORTED_PROBLEMS:
                self.problems.extend(wording.worded_rows(partial(self._problems, line, raw)))
            return
        start, end = values.get("valid_from"), values.get("valid_until")
        self.pending.append(
            {
                "batch_id": self.batch.pk,
                "id_number_index": id_number_index(values["id_number"]),
                "name_index": name_index(values["name"]),
                "valid_from": start or None,
                "valid_until": end or None,
                "grant_year": values.get("grant_year"),
            }
        )

    def take(self) -> list[dict]:
        """The kept rows, handed over to be written (counted as imported from now on)."""
        taken, self.pending = self.pending, []
        self.imported += len(taken)
        return taken


def _progress(batch, rows: _Rows, reader) -> dict:
    """What the batch says of its progress, as of the rows handed over so far."""
    done = reader.chunks_read * 100 // max(batch.upload_chunks, 1)
    return {
        "progress": min(done, 99),
        "row_count": rows.rows,
        "imported_count": rows.imported,
        "rejected_count": rows.rejected,
    }


def _write_chunk(batch_id: int, entries: list[dict], progress: dict | None) -> None:
    """A chunk of rows and the progress they make, in one transaction (one commit)."""
    with transaction.atomic():
        rows_insert(RegistryEntry, entries)
        if progress is not None:
            RegistryBatch.objects.filter(pk=batch_id).update(heartbeat_at=timezone.now(), **progress)


def registry_import_run(*, batch_id: int) -> RegistryBatch:
    """Read the stored upload and write its rows. Runs once: the worker claims a queued batch in
    one UPDATE. On a file-level problem the batch fails, its rows are removed and the message
    says why; the registry's current version is unchanged."""
    claimed = RegistryBatch.objects.filter(pk=batch_id, state=RegistryBatch.State.QUEUED).update(
        state=RegistryBatch.State.RUNNING, heartbeat_at=timezone.now()
    )
    batch = RegistryBatch.objects.get(pk=batch_id)
    if not claimed:
        return batch
    spec = spec_for(batch.registry)
    rows = _Rows(batch)
    reader = reading.DecryptingReader(batch.upload_path)
    try:
        table = TableFormat(XLSX) if batch.encoding == XLSX else TableFormat(CSV, batch.encoding)
        lines = reading.stored_rows(reader, table)
        absent: list[str] = []
        # Each chunk is written while the next one is checked (core.alongside).
        chunk = FIRST_WRITE_CHUNK
        with WriterAlongside() as writer:
            for line, raw in reading.mapped_rows(lines, batch.mapping, spec.required):
                if line == "absent":
                    absent = raw
                    continue
                rows.add(line, raw)
                if len(rows.pending) >= chunk:
                    entries = rows.take()
                    writer.write(_write_chunk, batch.pk, entries, _progress(batch, rows, reader))
                    chunk = min(chunk * 2, WRITE_CHUNK)
            if last := rows.take():
                writer.write(_write_chunk, batch.pk, last, None)
        if rows.rows == 0:
            raise reading.table_error(_("文件中只有表头，没有数据行"))
    except DomainError as exc:
        return _fail(batch, exc.message, rows)
    except Exception:
        logger.exception("registry import %s failed", batch_id)
        return _fail(batch, _("导入时发生错误，请稍后重新导入；如仍不成功，请联系技术支持"), rows)
    finally:
        reader.close()
    return _finish(batch, rows, absent)


# A chunk of 20,000 rows takes seconds; a running import silent this long has lost its worker.
STALLED_AFTER = timedelta(minutes=15)


def registry_imports_recover(*, now: datetime.datetime | None = None) -> int:
    """Fail the imports whose worker died (running, no heartbeat for STALLED_AFTER): their rows
    are removed and the operator is told to import the file again. Scheduled with the others."""
    now = now or timezone.now()
    stalled = RegistryBatch.objects.filter(
        state=RegistryBatch.State.RUNNING, heartbeat_at__lt=now - STALLED_AFTER
    ).values_list("pk", flat=True)
    recovered = 0
    for batch_id in list(stalled):
        # Claimed by one UPDATE, so two schedulers never fail the same batch twice.
        if not RegistryBatch.objects.filter(pk=batch_id, state=RegistryBatch.State.RUNNING).update(
            state=RegistryBatch.State.FAILED
        ):
            continue
        batch = RegistryBatch.objects.get(pk=batch_id)
        rows = _Rows(batch)
        rows.rows = batch.row_count
        _fail(batch, _("导入中断（后台任务意外停止），已导入的部分已清除，请重新导入该文件"), rows)
        recovered += 1
    return recovered


def _delete_rows(batch_id: int) -> int:
    """Remove a batch's rows in chunks, so a million-row batch does not hold one huge delete."""
    removed = 0
    while True:
        ids = list(RegistryEntry.objects.filter(batch_id=batch_id).values_list("pk", flat=True)[:WRITE_CHUNK])
        if not ids:
            return removed
        removed += RegistryEntry.objects.filter(pk__in=ids).delete()[0]


def superseded_registries_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove the rows of registry versions superseded more than
    REGISTRY_SUPERSEDED_RETENTION_DAYS ago; each batch's record stays, marked, and the removal
    is audited. Checks read only current versions, so no result changes. Scheduled daily.
    Returns how many batches were cleared."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REGISTRY_SUPERSEDED_RETENTION_DAYS)
    due = RegistryBatch.objects.filter(
        state=RegistryBatch.State.DONE, superseded_at__lt=cutoff, rows_removed_at__isnull=True
    ).values_list("pk", flat=True)
    cleared = 0
    for batch_id in list(due):
        removed = _delete_rows(batch_id)  # chunk by chunk: an interrupted run resumes next time
        with transaction.atomic():
            RegistryBatch.objects.filter(pk=batch_id).update(rows_removed_at=now)
            audit_record(
                actor=None,
                action="verification.purge_superseded",
                target=RegistryBatch(pk=batch_id),
                detail={"rows": removed, "retention_days": settings.REGISTRY_SUPERSEDED_RETENTION_DAYS},
            )
        cleared += 1
    return cleared


def _fail(batch, message, rows: _Rows) -> RegistryBatch:
    _delete_rows(batch.pk)
    batch.state, batch.message, batch.finished_at = (
        RegistryBatch.State.FAILED,
        str(message)[:300],
        timezone.now(),
    )
    batch.row_count, batch.imported_count, batch.rejected_count = rows.rows, 0, rows.rejected
    batch.rejected_rows = rows.problems[:MAX_REPORTED_PROBLEMS]
    stored, batch.upload_path = batch.upload_path, ""
    batch.save(
        update_fields=[
            "state",
            "message",
            "finished_at",
            "row_count",
            "imported_count",
            "rejected_count",
            "rejected_rows",
            "upload_path",
        ]
    )
    reading.remove_stored(stored)
    audit_record(
        actor=batch.imported_by, action="verification.import_failed", target=batch, detail={"rows": rows.rows}
    )
    return batch


def _finish(batch, rows: _Rows, absent: list[str]) -> RegistryBatch:
    spec = spec_for(batch.registry)
    if rows.imported >= ANALYZE_AFTER:  # the checks that follow look its rows up at once
        statistics_refresh(RegistryEntry)
    now = timezone.now()
    with transaction.atomic():
        # The newer import replaces the older for checks; the older stays for the record.
        superseded = (
            RegistryBatch.objects.filter(
                registry=batch.registry,
                province=batch.province,
                state=RegistryBatch.State.DONE,
                superseded_at__isnull=True,
            )
            .exclude(pk=batch.pk)
            .update(superseded_at=now)
        )
        batch.state, batch.progress, batch.finished_at = RegistryBatch.State.DONE, 100, now
        batch.row_count, batch.imported_count, batch.rejected_count = rows.rows, rows.imported, rows.rejected
        batch.rejected_rows = rows.problems[:MAX_REPORTED_PROBLEMS]
        if absent:
            batch.message = _("文件中没有以下列，按空白处理：%(columns)s") % {
                "columns": "、".join(batch.mapping[name] for name in absent)
            }
        stored, batch.upload_path = batch.upload_path, ""
        batch.save()
        audit_record(
            actor=batch.imported_by,
            action="verification.import",
            target=batch,
            detail={
                "registry": batch.registry,
                "rows": rows.rows,
                "imported": rows.imported,
                "rejected": rows.rejected,
                "superseded": superseded,
                "fields": list(spec.fields),
            },
        )
    reading.remove_stored(stored)
    return batch
