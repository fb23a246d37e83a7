"""Who may do what: one table, role -> actions. The page decorators (core.decorators.
action_required), the API's permission (api.permissions.MayDo), the menus (`user|may:"…"`) and
the services' own checks (`ensure_may`) all read it. Which rows an officer may touch (a school
its students, a bureau its schools) is a selector's business, not this table's."""

from django.utils.translation import gettext as _

from servicehall.core.actions import Action
from servicehall.core.errors import DomainError

from .models import Role

A = Action

ALLOWED: dict[str, frozenset[Action]] = {
    Role.APPLICANT: frozenset({A.APPLY}),
    Role.SCHOOL_REVIEWER: frozenset(
        {A.REVIEW_SCHOOL, A.HANDLE_OBJECTIONS, A.OVERRIDE_CHECK, A.VIEW_STATISTICS, A.ANSWER_EVALUATIONS,
         A.FIND_GRADUATES}
    ),
    Role.BUREAU_REVIEWER: frozenset(
        {A.REVIEW_BUREAU, A.OVERRIDE_CHECK, A.VIEW_STATISTICS, A.ANSWER_EVALUATIONS, A.ANSWER_QUESTIONS,
         A.FIND_GRADUATES}
    ),
    Role.PAYMENT_OFFICER: frozenset({A.PAY, A.VIEW_STATISTICS, A.ANSWER_EVALUATIONS}),
    Role.OPERATOR: frozenset(
        {A.OPERATE, A.VIEW_STATISTICS, A.ANSWER_EVALUATIONS, A.VIEW_AUDIT, A.ANSWER_QUESTIONS,
         A.FIND_GRADUATES}
    ),
    Role.AUDITOR: frozenset({A.VIEW_AUDIT}),
}


def may(user, action: Action) -> bool:
    """Whether this account may take `action` at all (an inactive or anonymous one: no)."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    return action in ALLOWED.get(getattr(user, "role", ""), frozenset())


def roles_that_may(action: Action) -> frozenset[str]:
    return frozenset(role for role, actions in ALLOWED.items() if action in actions)


def ensure_may(user, action: Action, message=None) -> None:
    """A service's own check: the one domain error when the actor may not."""
    if not may(user, action):
        raise DomainError(message or _("您没有办理此项业务的权限。"), code="forbidden")
