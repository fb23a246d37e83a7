"""The reviewers' moves (DESIGN.md section 4): the school's 通过 / 退回修改 / 不予受理, the
bureau's 初审 and 复审. Each locks the row inside the reviewer's scope, checks the state against
the table in constants.py, writes the timeline and the audit trail, and tells the applicant
after commit. Two reviewers on one application: the second finds the state moved and is told
"已被他人处理"; never two transitions. 批量通过 takes the same approving rows of DECISIONS on many
applications at once (applications_approve), in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicehall.accounts.permissions import ensure_may
from servicehall.audit.services import audit_record, audit_record_many
from servicehall.core.actions import Action
from servicehall.core.errors import DomainError

from . import notify
from .check_selectors import blocked_among
from .checks import approval_gate
from .constants import OPINION_MAX, ApplicationStatus, next_state
from .models import Application
from .review_queue import (
    BATCH_MAX,
    BATCH_ROW_FIELDS,
    BatchRow,
    Selection,
    Tab,
    batch_rows,
    batch_tab,
    batch_taken_since,
)
from .review_selectors import application_list_for_reviewer
from .transitions import transition, transition_all

if TYPE_CHECKING:
    from servicehall.accounts.models import User

S = ApplicationStatus
APPROVED_FLAG = "已核准"


@dataclass(frozen=True)
class Decision:
    needs: Action  # what the reviewer's role must allow (accounts/permissions.py)
    states: set
    action: str
    who: str
    opinion_required: bool
    event: str
    marks: Callable | None = None  # (actor) -> {field: value} the decision also writes
    refused_to: Callable | None = None  # (actor, application) -> True where not offered
    refusal: tuple = ()  # (message, code) when refused_to says so


def _opinion(opinion: str, *, required: bool) -> str:
    opinion = (opinion or "").strip()
    if required and not opinion:
        raise DomainError(_("请填写审核意见，申请人会看到它"), code="opinion_required", fields=["opinion"])
    if len(opinion) > OPINION_MAX:
        raise DomainError(_("审核意见最多500个字"), code="opinion_too_long", fields=["opinion"])
    return opinion


def _locked(actor, application_id, *, needs, states):
    """The application, locked, if this reviewer may act on it in one of `states` (the state
    the reviewer's page showed, when it says: a state that has moved since is "已被他人处理")."""
    ensure_may(actor, needs, _("您没有办理此项审核的权限。"))
    try:
        application = (
            application_list_for_reviewer(actor).select_for_update(of=("self",)).get(pk=application_id)
        )
    except Application.DoesNotExist:
        raise DomainError(_("找不到这笔申请。"), code="not_found") from None
    if application.state not in states:
        raise DomainError(
            _("这笔申请已被他人处理，当前状态：%(state)s。") % {"state": application.get_state_display()},
            code="already_handled",
        )
    return application


def _decide(*, actor, application_id, row: Decision, opinion, client_address: str = "", expected_state=None):
    opinion = _opinion(opinion, required=row.opinion_required)
    states = row.states & {expected_state} if expected_state else row.states
    with transaction.atomic():
        application = _locked(actor, application_id, needs=row.needs, states=states)
        if row.action == "approve":
            approval_gate(application)  # a failed employment or prior-grant check, not overridden
        if row.refused_to and row.refused_to(actor, application):
            message, code = row.refusal
            raise DomainError(str(message), code=code)
        from_state = application.state
        transition(
            application,
            action=row.action,
            who=row.who,
            actor=actor,
            opinion=opinion,
            organisation=actor.organisation,
        )
        for field, value in (row.marks(actor) if row.marks else {}).items():
            setattr(application, field, value)
        application.save()
        audit_record(
            actor=actor,
            action=f"subsidy.{row.action}",
            target=application,
            client_address=client_address,
            detail={"from": from_state, "to": application.state},
        )
        notify.on_commit(application, row.event, opinion)
    return application


# --- One decision on one application (学校审核, 人社初审 / 复审) -----------------------------------


def is_own_first_review(actor, application, *, state: str | None = None) -> bool:
    """复审不能由初审人办理: the 复审 of a case this reviewer approved at 初审."""
    return (state or application.state) == S.SECOND_REVIEW and application.first_reviewer_id == actor.pk


# The decisions, one row each: who may take it, from which states, the move in the table of
# constants.py, whether an opinion is required, the applicant's message, what the move also
# writes, and whom it refuses (and why). application_decide takes any of them by name on one
# application; applications_approve takes an approving one on many.
DECISIONS = {
    "approve_by_school": Decision(
        Action.REVIEW_SCHOOL, {S.SCHOOL_REVIEW}, "approve", "school", False, "school_approved"
    ),
    "return_by_school": Decision(
        Action.REVIEW_SCHOOL, {S.SCHOOL_REVIEW}, "return", "school", True, "returned"
    ),
    "refuse_by_school": Decision(
        Action.REVIEW_SCHOOL, {S.SCHOOL_REVIEW}, "refuse", "school", True, "refused"
    ),
    "approve_first": Decision(
        Action.REVIEW_BUREAU,
        {S.FIRST_REVIEW},
        "approve",
        "first_reviewer",
        False,
        "first_approved",
        marks=lambda actor: {"first_reviewer_id": actor.pk},
    ),
    "approve_second": Decision(
        Action.REVIEW_BUREAU,
        {S.SECOND_REVIEW},
        "approve",
        "second_reviewer",
        False,
        "second_approved",
        marks=lambda actor: {"approved_flag": APPROVED_FLAG},
        refused_to=is_own_first_review,
        refusal=(gettext_lazy("复审不能由初审人办理，请交其他审核人员复审。"), "same_reviewer"),
    ),
    "return_by_bureau": Decision(
        Action.REVIEW_BUREAU, {S.FIRST_REVIEW, S.SECOND_REVIEW}, "return", "bureau", True, "returned"
    ),
    "reject_by_bureau": Decision(
        Action.REVIEW_BUREAU, {S.FIRST_REVIEW, S.SECOND_REVIEW}, "reject", "bureau", True, "rejected"
    ),
}


def decisions_open(actor, application, *, state: str | None = None, refused_too: bool = False) -> list[str]:
    """The decisions (keys of DECISIONS) this reviewer may take on the application, in the
    table's order: what the case page offers, from the same rows the service checks. `state`:
    the one the reviewer's page showed, where it may since have moved. `refused_too` keeps the
    decisions this reviewer's role has but this case refuses them (the 初审 reviewer's 复审), so
    that a decision sent anyway gets the service's own reason."""
    state = state or application.state
    return [
        name
        for name, row in DECISIONS.items()
        if state in row.states
        and actor.may(row.needs)
        and (refused_too or not (row.refused_to and row.refused_to(actor, application)))
    ]


def application_decide(
    *,
    actor: User,
    application_id: int,
    decision: str,
    opinion: str = "",
    client_address: str = "",
    expected_state: str | None = None,
) -> Application:
    """One reviewer's decision (a key of DECISIONS) on one application. `expected_state` is the
    state the reviewer's page showed: a decision on a case someone else has moved meanwhile is
    refused with wrong_state."""
    row = DECISIONS.get(decision)
    if row is None:
        raise DomainError(_("请选择审核结果（通过、退回修改等）后再提交。"), code="unknown_decision")
    return _decide(
        actor=actor,
        application_id=application_id,
        row=row,
        opinion=opinion,
        client_address=client_address,
        expected_state=expected_state,
    )


# --- 批量通过 (学校审核, 人社初审, 人社复审) --------------------------------------------------------
#
# One approving decision of DECISIONS on the ticked applications of a queue tab, or on all that
# match its filters across pages, at most BATCH_MAX at a time: the first BATCH_MAX in the queue's
# order (those its first pages list), so that a reviewer who has gone through a long queue does
# not have to invent filters to cut it; the confirmation says so and how many are left, and the
# next batch takes them. Each application is treated as the single decision treats it: the check
# gate and the 复审 rule leave it undone (said, with the reason), never the whole batch.


@dataclass(frozen=True)
class BatchSummary:
    """What a 批量通过 would do now, for its confirmation: `selection` carries the moment and the
    position it was counted at, which the service then keeps to."""

    decision: str
    tab: Tab
    selection: Selection
    rows: int  # the selection's applications in the tab (at most BATCH_MAX)
    count: int  # of which would be approved
    total_fen: int  # their subsidies: each application's graduation-year amount
    by_year: tuple  # ((graduation year, amount in fen, count), …), newest year first
    matching: int  # every application in the tab the selection matches, past the cap too
    blocked: tuple[str, ...]  # record numbers a failed check keeps from approval
    own_first_review: int  # 复审 of the reviewer's own 初审

    @property
    def capped(self) -> bool:
        return self.matching > self.rows


@dataclass(frozen=True)
class BatchResult:
    done: int
    blocked: tuple[str, ...]  # left: a failed employment or prior-grant check
    own_first_review: int  # left: 复审 of the reviewer's own 初审
    repeated: int  # done already by this reviewer (the same batch submitted again)
    moved: int  # handled by someone else since the confirmation
    remaining: int  # matching the filters and still waiting (past the cap, or new): the next batch


def _batch_decision(actor, decision: str) -> tuple[Decision, Tab]:
    row = DECISIONS.get(decision)
    tab = batch_tab(actor, decision) if row and row.action == "approve" else None
    if row is None or tab is None:
        raise DomainError(_("这一栏不能批量通过，请返回列表。"), code="unknown_decision")
    ensure_may(actor, row.needs, _("您没有办理此项审核的权限。"))
    return row, tab


def _checked_selection(selection: Selection) -> None:
    if not selection.all_matching and not selection.ids:
        raise DomainError(_("请先勾选要办理的申请，或选择全部符合条件的申请。"), code="nothing_chosen")
    if len(selection.ids) > BATCH_MAX:
        raise DomainError(
            _("一次最多批量通过%(max)s笔，请分批办理。") % {"max": BATCH_MAX}, code="too_many"
        )


def _split(actor, row: Decision, rows: list[BatchRow]):
    """The rows the decision takes, and those it leaves as the single decision would refuse
    them: a failed check (approval_gate's rule, read for all at once), the 复审 rule."""
    blocked = blocked_among([r.pk for r in rows]) if rows else set()
    taken, failed, refused = [], [], []
    for r in rows:
        if r.pk in blocked:
            failed.append(r)
        elif row.refused_to and row.refused_to(actor, r):
            refused.append(r)
        else:
            taken.append(r)
    return taken, failed, refused


def _numbers(rows) -> tuple[str, ...]:
    return tuple(sorted(r.record_number or str(r.pk) for r in rows))


def batch_summary_for(actor: User, *, decision: str, selection: Selection) -> BatchSummary:
    """What 批量通过 would take of `selection` now, for the confirmation: how many, how much,
    which are left and why. Three queries at most, however many."""
    row, tab = _batch_decision(actor, decision)
    _checked_selection(selection)
    counted_at = timezone.now()
    selection = replace(selection, as_of=counted_at, through=None, counted=None)
    listed = batch_rows(actor, tab, selection).select_related(None).values_list(*BATCH_ROW_FIELDS)
    rows = [BatchRow(*values) for values in listed[: BATCH_MAX + 1]]
    matching = len(rows)
    if matching > BATCH_MAX:
        matching = batch_rows(actor, tab, selection).count()
        rows = rows[:BATCH_MAX]
        selection = replace(selection, through=(rows[-1].state_changed_at, rows[-1].pk))
    taken, failed, refused = _split(actor, row, rows)
    years: dict[tuple[int | None, int], int] = {}
    for r in taken:
        key = (r.graduation_year_id, r.amount_fen or 0)
        years[key] = years.get(key, 0) + 1
    return BatchSummary(
        decision=decision,
        tab=tab,
        selection=replace(selection, counted=len(rows)),
        rows=len(rows),
        count=len(taken),
        total_fen=sum(r.amount_fen or 0 for r in taken),
        by_year=tuple(
            (year, amount, count)
            for (year, amount), count in sorted(years.items(), key=lambda item: -(item[0][0] or 0))
        ),
        matching=matching,
        blocked=_numbers(failed),
        own_first_review=len(refused),
    )


def applications_approve(
    *,
    actor: User,
    decision: str,
    selection: Selection,
    opinion: str = "",
    client_address: str = "",
) -> BatchResult:
    """批量通过: `decision` (approve_by_school, approve_first or approve_second) on the
    selection's applications still waiting in its tab, in a fixed number of statements however
    many: the rows locked through the reviewer's own scope, one read of the checks, the move
    with its timeline rows (transitions.transition_all, which raises the tab counts' versions),
    the audit entries, and one task telling the applicants once committed. A selection a
    confirmation counted is kept to: nothing that came into the tab since, nothing past the
    position it stopped at. What is left undone is counted with its reason; submitting the same
    batch again does nothing twice (the rows have moved: counted as `repeated`)."""
    row, tab = _batch_decision(actor, decision)
    _checked_selection(selection)
    opinion = _opinion(opinion, required=row.opinion_required)
    (from_state,) = row.states
    to = next_state(row.action, row.who, from_state)
    with transaction.atomic():
        locked = [
            BatchRow(*values)
            for values in batch_rows(actor, tab, selection)
            .select_related(None)
            .select_for_update(of=("self",))
            .values_list(*BATCH_ROW_FIELDS)[:BATCH_MAX]
        ]
        repeated = batch_taken_since(actor, selection, action=row.action, from_states=row.states)
        taken, failed, refused = _split(actor, row, locked)
        ids = [r.pk for r in taken]
        if ids:
            # Statements made inside the database (UPDATE, INSERT … SELECT), not one per chunk
            # of rows: the same number for ten applications or a thousand, on either database.
            chosen = Application.objects.filter(pk__in=ids)
            transition_all(
                application_ids=chosen.values("pk"),
                action=row.action,
                who=row.who,
                from_state=from_state,
                actor_id=actor.pk,
                organisation_id=actor.organisation_id,
                opinion=opinion,
                marks=row.marks(actor) if row.marks else None,
            )
            audit_record_many(
                actor=actor,
                action=f"subsidy.{row.action}",
                targets=chosen,
                client_address=client_address,
                detail={"from": from_state, "to": to, "batch": True},
            )
            notify.many_on_commit(ids, row.event)
        remaining = 0
        if selection.all_matching:
            remaining = batch_rows(actor, tab, Selection(filters=selection.filters)).count()
    left = len(failed) + len(refused) + repeated
    # What the confirmation showed; without one, only what was found (nothing said to be moved).
    counted = len(locked) + repeated if selection.counted is None else min(selection.counted, BATCH_MAX)
    return BatchResult(
        done=len(ids),
        blocked=_numbers(failed),
        own_first_review=len(refused),
        repeated=repeated,
        moved=max(counted - len(ids) - left, 0),
        remaining=remaining,
    )
