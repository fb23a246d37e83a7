"""Every change of an application's state, one at a time or many at once, goes through here:
the table in constants.py says which moves exist, and each move writes its timeline row."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core.bulk import rows_insert, rows_insert_from
from servicehall.core.errors import DomainError
from servicehall.core.versions import data_changed
from servicehall.reference.selectors import school_city_code

from .constants import next_state
from .models import Application, TimelineEvent

if TYPE_CHECKING:
    from servicehall.accounts.models import User

CHUNK = 1000
# The version of the applications' states (core.versions), and of each school's and each city's:
# a school's reviewers keep their tab counts under their school's, a bureau's under its city's
# and its assigned schools' (review_selectors.bureau_scope_versions), so that a decision anywhere
# else in the province (thousands a minute in September) leaves them counted. A move made here
# shows in every queue it touches once it is committed.
STATES_VERSION = "application-states"


def school_states_version(school_id: int) -> str:
    return f"{STATES_VERSION}:school:{school_id}"


def city_states_version(city_code: str) -> str:
    return f"{STATES_VERSION}:city:{city_code}"


def states_changed(school_ids: Iterable[int | None]) -> None:
    """Raised at once, for what this transaction reads next, and again once committed: a queue
    counted between the two by another process kept the old figures under the first raise. The
    province's version, and each school's and its city's (the queues of the school and of the
    bureaus over it follow those)."""
    schools = sorted(set(school_ids) - {None})
    cities = sorted({code for code in map(school_city_code, schools) if code})
    names = [
        STATES_VERSION,
        *(school_states_version(school) for school in schools),
        *(city_states_version(city) for city in cities),
    ]

    def raise_all() -> None:
        for name in names:
            data_changed(name)

    raise_all()
    transaction.on_commit(raise_all)


def _wrong_state() -> DomainError:
    return DomainError(_("这笔申请当前的状态不能进行此操作，请刷新页面查看最新进度。"), code="wrong_state")


def transition(
    application, *, action: str, who: str, actor: User | None, opinion: str = "", organisation=None
) -> str:
    """Move one application: refuses a move the table does not allow, and writes the timeline.
    The caller holds the row's lock and saves it."""
    to = next_state(action, who, application.state)
    if to is None:
        raise _wrong_state()
    application.state_changed_at = timezone.now()
    TimelineEvent.objects.create(
        application=application,
        action=action,
        from_state=application.state,
        to_state=to,
        actor=actor,
        organisation=organisation,
        opinion=opinion,
    )
    application.state = to
    states_changed([application.school_id])
    return to


def _chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    it = iter(ids)
    while chunk := list(islice(it, size)):
        yield chunk


def _timeline_row(pk, action, from_state, to, actor_id, organisation_id, opinion, now) -> dict:
    return {
        "application_id": pk,
        "action": action,
        "from_state": from_state,
        "to_state": to,
        "actor_id": actor_id,
        "organisation_id": organisation_id,
        "opinion": opinion,
        "at": now,
    }


def transition_many(
    *,
    application_ids: Iterable[int],
    action: str,
    who: str,
    from_state: str,
    actor_id: int | None,
    organisation_id: int | None,
    opinion: str | Mapping[int, str] = "",
    now: datetime | None = None,
) -> list[int]:
    """Move every listed application that is in `from_state`, in chunks, with one timeline row
    each; `opinion` is one text for all or a text per application id. Returns the ids moved, in
    the order given; the caller holds the rows' locks (or compares the count and rolls back)."""
    to = next_state(action, who, from_state)
    if to is None:
        raise _wrong_state()
    now = now or timezone.now()
    moved: list[int] = []
    schools: set[int | None] = set()
    for chunk in _chunks(application_ids, CHUNK):
        waiting = Application.objects.filter(pk__in=chunk, state=from_state)
        found = dict(waiting.values_list("pk", "school_id"))
        ids = [pk for pk in chunk if pk in found]
        schools.update(found.values())
        if not ids:
            continue
        Application.objects.filter(pk__in=ids).update(state=to, state_changed_at=now, updated_at=now)
        rows_insert(
            TimelineEvent,
            (
                _timeline_row(
                    pk,
                    action,
                    from_state,
                    to,
                    actor_id,
                    organisation_id,
                    opinion if isinstance(opinion, str) else opinion.get(pk, ""),
                    now,
                )
                for pk in ids
            ),
        )
        moved.extend(ids)
    if moved:
        states_changed(schools)
    return moved


def transition_all(
    *,
    application_ids: QuerySet,
    action: str,
    who: str,
    from_state: str,
    actor_id: int | None,
    organisation_id: int | None,
    opinion: str = "",
    now: datetime | None = None,
    marks: Mapping[str, object] | None = None,
) -> int:
    """transition_many for ids the database already holds (`application_ids`, a queryset of one
    column, say the application ids of a payment batch's lines): the move, its timeline rows and
    the schools it moved applications of (whose queues' versions it raises) are three statements
    made inside the database, whatever the number. `marks`: fields the move also sets on each
    (the 初审 reviewer, 已核准). Returns how many moved.

    The UPDATE stamps the moved rows with `now` and keeps them locked until the transaction
    ends; the timeline is written for the rows in `to` with that stamp, which are exactly those
    this call moved."""
    to = next_state(action, who, from_state)
    if to is None:
        raise _wrong_state()
    now = now or timezone.now()
    listed = Application.objects.filter(pk__in=application_ids)
    moved = listed.filter(state=from_state).update(
        state=to, state_changed_at=now, updated_at=now, **(marks or {})
    )
    if moved:
        stamped = listed.filter(state=to, state_changed_at=now)
        rows_insert_from(
            TimelineEvent,
            stamped,
            _timeline_row(F("pk"), action, from_state, to, actor_id, organisation_id, opinion, now),
        )
        states_changed(stamped.order_by().values_list("school_id", flat=True).distinct())
    return moved
