"""The reviewers' moves (DESIGN.md section 4): the school's 通过 / 退回修改 / 不予受理, the
bureau's 初审 and 复审. Each locks the row inside the reviewer's scope, checks the state against
the table in constants.py, writes the timeline and the audit trail, and tells the applicant
after commit. Two reviewers on one application: the second finds the state moved and is told
"已被他人处理"; never two transitions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.accounts.permissions import ensure_may
from servicehall.audit.services import audit_record, audit_record_many
from servicehall.core.actions import Action
from servicehall.core.errors import DomainError

from . import notify
from .check_selectors import blocked_among
from .checks import approval_gate
from .constants import ApplicationStatus, next_state
from .models import Application
from .review_selectors import application_list_for_reviewer
from .transitions import transition, transition_many

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
    before_save: Callable | None = None
    refused_to: Callable | None = None  # (actor, application) -> True where not offered


OPINION_MAX = 500


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


def _decide(
    *,
    actor,
    application_id,
    needs,
    states,
    action,
    who,
    opinion,
    opinion_required,
    event,
    client_address: str = "",
    before_save=None,
    expected_state=None,
):
    opinion = _opinion(opinion, required=opinion_required)
    if expected_state:
        states = states & {expected_state}
    with transaction.atomic():
        application = _locked(actor, application_id, needs=needs, states=states)
        if action == "approve":
            approval_gate(application)  # a failed employment or prior-grant check, not overridden
        from_state = application.state
        transition(
            application, action=action, who=who, actor=actor, opinion=opinion, organisation=actor.organisation
        )
        if before_save:
            before_save(application, from_state)
        application.save()
        audit_record(
            actor=actor,
            action=f"subsidy.{action}",
            target=application,
            client_address=client_address,
            detail={"from": from_state, "to": application.state},
        )
        notify.on_commit(application, event, opinion)
    return application


# --- 学校审核: 批量通过 -------------------------------------------------------------------------


def applications_approve_by_school(
    *, actor: User, application_ids: list[int], opinion: str = "", client_address: str = ""
) -> int:
    """批量通过: one decision on many, in a fixed number of queries however many there are.
    Applications no longer awaiting the school are left alone (someone acted on them)."""
    opinion = _opinion(opinion, required=False)
    ensure_may(actor, Action.REVIEW_SCHOOL, _("您没有办理此项审核的权限。"))
    ids = [int(i) for i in application_ids if str(i).isdigit()]
    to = next_state("approve", "school", S.SCHOOL_REVIEW)
    now = timezone.now()
    with transaction.atomic():
        locked = list(
            application_list_for_reviewer(actor)
            .select_for_update(of=("self",))
            .filter(pk__in=ids, state=S.SCHOOL_REVIEW)
            .select_related(None)
            .only("pk", "state", "record_number")
        )
        if not locked:
            return 0
        blocked = blocked_among([a.pk for a in locked])
        if blocked:
            numbers = "、".join(sorted(a.record_number or str(a.pk) for a in locked if a.pk in blocked))
            raise DomainError(
                _("以下申请的就业或领取比对未通过，须逐笔打开核实后办理，请取消勾选后再批量通过：%(numbers)s")
                % {"numbers": numbers},
                code="check_failed",
            )
        transition_many(
            application_ids=[a.pk for a in locked],
            action="approve",
            who="school",
            from_state=S.SCHOOL_REVIEW,
            actor_id=actor.pk,
            organisation_id=actor.organisation_id,
            opinion=opinion,
            now=now,
        )
        audit_record_many(
            actor=actor,
            action="subsidy.approve",
            targets=locked,
            client_address=client_address,
            detail={"from": S.SCHOOL_REVIEW, "to": to, "batch": True},
        )
        notify.many_on_commit([a.pk for a in locked], "school_approved")
    return len(locked)


# --- One decision on one application (学校审核, 人社初审 / 复审) -----------------------------------


def _mark_first_reviewer(actor):
    def mark(application, from_state):
        application.first_reviewer = actor

    return mark


def is_own_first_review(actor, application, *, state: str | None = None) -> bool:
    """复审不能由初审人办理: the 复审 of a case this reviewer approved at 初审."""
    return (state or application.state) == S.SECOND_REVIEW and application.first_reviewer_id == actor.pk


def _check_second_reviewer(actor):
    def check(application, from_state):
        if is_own_first_review(actor, application, state=from_state):
            raise DomainError(_("复审不能由初审人办理，请交其他审核人员复审。"), code="same_reviewer")
        application.approved_flag = APPROVED_FLAG

    return check


# The single decisions, one row each: who may take it, from which states, the move in the
# table of constants.py, whether an opinion is required, the applicant's message, and what is
# checked or marked before saving. application_decide takes any of them by name.
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
        _mark_first_reviewer,
    ),
    "approve_second": Decision(
        Action.REVIEW_BUREAU,
        {S.SECOND_REVIEW},
        "approve",
        "second_reviewer",
        False,
        "second_approved",
        _check_second_reviewer,
        is_own_first_review,
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
        needs=row.needs,
        states=row.states,
        action=row.action,
        who=row.who,
        opinion=opinion,
        opinion_required=row.opinion_required,
        event=row.event,
        client_address=client_address,
        before_save=row.before_save(actor) if row.before_save else None,
        expected_state=expected_state,
    )
