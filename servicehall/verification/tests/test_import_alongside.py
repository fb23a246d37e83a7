"""A registry import writes each chunk on a thread of its own while it checks the next lines
(core.alongside), where it can: on PostgreSQL, outside a transaction. These tests commit for
real (transaction=True) so that the writer's own connection sees the batch."""

import threading

import pytest
from django.db import connection

from servicehall.verification import services
from servicehall.verification.models import RegistryBatch, RegistryEntry

from .conftest import LISTED_ID, OTHER_ID, csv_bytes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_rows"),  # the reference rows an earlier flush removed
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the writer alongside is PostgreSQL's"),
]

ROWS = [[LISTED_ID, "张晓明", "", ""], [OTHER_ID, "王小红", "", ""]] * 4  # 8 rows: chunks of 2, 3, 3


@pytest.fixture
def chunks(monkeypatch):
    """A first chunk of two rows, then chunks of three (twice two, at most three); records which
    thread wrote each."""
    monkeypatch.setattr(services, "FIRST_WRITE_CHUNK", 2)
    monkeypatch.setattr(services, "WRITE_CHUNK", 3)
    written = []
    write = services._write_chunk

    def recorded(batch_id, entries, progress):
        written.append((threading.current_thread().name, len(entries), progress))
        write(batch_id, entries, progress)

    monkeypatch.setattr(services, "_write_chunk", recorded)
    return written


def test_the_chunks_are_written_alongside_with_their_progress(import_registry, chunks):
    batch = import_registry(data=csv_bytes(ROWS))
    assert batch.state == RegistryBatch.State.DONE
    assert (batch.row_count, batch.imported_count) == (8, 8)
    assert RegistryEntry.objects.filter(batch=batch).count() == 8
    assert [(size, progress and progress["imported_count"]) for _name, size, progress in chunks] == [
        (2, 2),
        (3, 5),
        (3, 8),
    ]
    assert {name.split("_")[0] for name, _size, _progress in chunks} == {"writer-alongside"}


def test_a_chunk_that_fails_fails_the_import_and_leaves_no_row(import_registry, chunks, monkeypatch):
    write = services._write_chunk

    def second_fails(batch_id, entries, progress):
        if len(chunks) == 2:
            raise RuntimeError("the database went away")
        write(batch_id, entries, progress)

    monkeypatch.setattr(services, "_write_chunk", second_fails)
    batch = import_registry(data=csv_bytes(ROWS))
    assert batch.state == RegistryBatch.State.FAILED
    assert "导入时发生错误" in batch.message
    assert not RegistryEntry.objects.filter(batch=batch).exists()


def test_a_recheck_writes_each_chunk_alongside(person, open_window, monkeypatch):
    from servicehall.accounts import services as accounts
    from servicehall.accounts.models import IdType
    from servicehall.subsidy import checks
    from servicehall.subsidy.check_models import CheckResult
    from servicehall.subsidy.models import Application
    from tests.people import PASSWORD

    from .test_checks import submitted_for

    other = accounts.person_create_verified(
        id_type=IdType.RESIDENT, id_number=OTHER_ID, name="王小红", mobile="13800000009", password=PASSWORD
    )
    submitted = [submitted_for(person, attach=True), submitted_for(other, attach=True)]
    CheckResult.objects.all().delete()
    monkeypatch.setattr(checks, "CHUNK", 1)
    threads = []
    write = checks._results_write

    def recorded(rows):
        threads.append(threading.current_thread().name)
        write(rows)

    monkeypatch.setattr(checks, "_results_write", recorded)
    assert checks.checks_run(applications=Application.objects.all()) == 2
    assert CheckResult.objects.filter(application__in=submitted).count() == 6
    assert len(threads) == 2 and all(name.startswith("writer-alongside") for name in threads)
