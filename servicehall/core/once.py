"""Doing a task's effect once, whatever the number of times the task runs.

A queue runs a task at least once: RQ retries, a sweep re-enqueues, a worker killed after the
effect and before the end runs it again. `once(key)` is the guard: inside the caller's
transaction it inserts the key; a second run finds it and skips. The effect and the key commit
together, so a run killed before the commit left neither and the next run does it."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import IntegrityError, transaction

from .models import DoneOnce


@contextmanager
def once(key: str):
    """`with once(key) as first:` — `first` is False when this key's effect is already done."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                DoneOnce.objects.create(key=key[:200])
        except IntegrityError:
            yield False
            return
        yield True
