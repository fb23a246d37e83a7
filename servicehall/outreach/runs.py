"""The matching as a background run: started by a school's import (its own list) or by an officer
(after a registry update), claimed by one worker, read a chunk of listed graduates at a time
(memory flat however long the class), written back with its progress and a heartbeat each
chunk; a run whose worker died is taken up where it stopped. While a window of the graduation
year is open, each chunk's new matches are invited (invitations.py)."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.audit.services import audit_record
from servicehall.core.bulk import rows_update
from servicehall.subsidy.selectors import categories_for, window_open
from servicehall.verification.selectors import Registries

from .invitations import invitations_send
from .matching import Listed, match_chunk
from .models import Graduate, MatchRun, MatchState

if TYPE_CHECKING:
    import datetime

    from servicehall.accounts.models import User
    from servicehall.reference.models import School
    from servicehall.subsidy.models import GraduationYear

logger = logging.getLogger(__name__)
CHUNK = 5000
STALLED_AFTER = timedelta(minutes=10)
RESULT_COLUMNS = ["match", "category_code", "reason", "card_problem", "matched_at"]


def match_run_queue(*, actor: User, graduation_year: GraduationYear, school: School | None = None,
                    client_address: str = "") -> MatchRun:
    """A run for this graduation year (one school's list, or every list when `school` is None),
    queued once: while one for the same lists waits or runs, that one is returned. Recorded in
    the audit trail when this call queued it."""
    with transaction.atomic():
        waiting = (
            MatchRun.objects.select_for_update()
            .filter(
                graduation_year=graduation_year,
                school=school,
                state__in=[MatchRun.State.QUEUED, MatchRun.State.RUNNING],
            )
            .first()
        )
        if waiting is not None:
            return waiting
        run = MatchRun.objects.create(graduation_year=graduation_year, school=school, requested_by=actor)
        audit_record(actor=actor, action="outreach.run", target=run, client_address=client_address,
                     detail={"graduation_year": graduation_year.pk, "school": run.school_id})
        run_id = run.pk
        transaction.on_commit(lambda: _enqueue(run_id))
    return run


def _enqueue(run_id: int) -> None:
    from .tasks import run_matching

    run_matching.enqueue(run_id)


def _scope(run: MatchRun):
    graduates = Graduate.objects.filter(graduation_year_id=run.graduation_year_id)
    return graduates.filter(school_id=run.school_id) if run.school_id else graduates


def _reason_text(result) -> str:
    return json.dumps(result.said.as_json(), ensure_ascii=False) if result.said else ""


def _write(results, now) -> None:
    rows = [(r.pk, r.match, r.category_code, _reason_text(r), r.card_problem, now) for r in results]
    rows_update(Graduate, RESULT_COLUMNS, rows)


def match_run_execute(*, run_id: int, now: datetime.datetime | None = None) -> MatchRun:
    """Claim the run (one UPDATE: one worker) and match its lists from where it stopped."""
    claimed = MatchRun.objects.filter(pk=run_id, state=MatchRun.State.QUEUED).update(
        state=MatchRun.State.RUNNING, heartbeat_at=timezone.now()
    )
    run = MatchRun.objects.get(pk=run_id)
    if not claimed:
        return run
    try:
        return _execute(run, now)
    except Exception:
        logger.exception("outreach match run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id).update(
            state=MatchRun.State.FAILED,
            finished_at=timezone.now(),
            message=_("比对时发生错误，请稍后重新比对；如仍不成功，请联系技术支持"),
        )
        return MatchRun.objects.get(pk=run_id)


def _execute(run: MatchRun, now) -> MatchRun:
    scope = _scope(run)
    if not run.total:
        run.total = scope.count()
        MatchRun.objects.filter(pk=run.pk).update(total=run.total)
    categories = [category.code for category in categories_for(run.graduation_year_id)]
    registries = Registries()
    window = window_open()
    if window is not None and window.graduation_year_id != run.graduation_year_id:
        window = None
    while True:
        moment = now or timezone.now()
        people = [
            Listed(*row)
            for row in scope.filter(pk__gt=run.last_pk)
            .order_by("pk")
            .values_list("pk", "id_number_index", "name_index")[:CHUNK]
        ]
        if not people:
            break
        results = match_chunk(
            people, categories=categories, registries=registries, on_date=timezone.localdate(moment)
        )
        matched = [r.pk for r in results if r.match == MatchState.MATCHED]
        with transaction.atomic():
            _write(results, moment)
            invited = invitations_send(graduate_ids=matched, window=window, now=moment) if window else 0
            run.last_pk = people[-1].pk
            MatchRun.objects.filter(pk=run.pk).update(
                last_pk=run.last_pk,
                heartbeat_at=timezone.now(),
                done_count=F("done_count") + len(people),
                matched_count=F("matched_count") + len(matched),
                invited_count=F("invited_count") + invited,
            )
    MatchRun.objects.filter(pk=run.pk).update(state=MatchRun.State.DONE, finished_at=timezone.now())
    run.refresh_from_db()
    logger.info(
        "outreach match run %s done: %s listed, %s matched, %s invited",
        run.pk,
        run.done_count,
        run.matched_count,
        run.invited_count,
    )
    return run


def match_runs_recover(*, now: datetime.datetime | None = None) -> int:
    """Runs whose worker died (running, no heartbeat for STALLED_AFTER) are queued again and go on
    from their last chunk; what was written stays written. Scheduled every five minutes."""
    now = now or timezone.now()
    stalled = list(
        MatchRun.objects.filter(
            state=MatchRun.State.RUNNING, heartbeat_at__lt=now - STALLED_AFTER
        ).values_list("pk", flat=True)
    )
    taken = 0
    for run_id in stalled:
        if MatchRun.objects.filter(
            pk=run_id, state=MatchRun.State.RUNNING, heartbeat_at__lt=now - STALLED_AFTER
        ).update(state=MatchRun.State.QUEUED):
            _enqueue(run_id)
            taken += 1
    return taken
