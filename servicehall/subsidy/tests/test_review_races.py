"""50 reviewers deciding on one application at once leave exactly one transition."""

import pytest
from django.db import connection

from servicehall.core.errors import DomainError
from servicehall.subsidy import review
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application

from .test_windows_and_claims import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs PostgreSQL"
    ),
]


def test_fifty_concurrent_decisions_make_one_transition(migrated_rows, world, submitted):
    decided, told = [], []
    moves = [
        lambda: review.application_decide(
            decision="approve_by_school", actor=world["school"], application_id=submitted.pk
        ),
        lambda: review.application_decide(
            decision="refuse_by_school",
            actor=world["school"],
            application_id=submitted.pk,
            opinion="材料不符",
        ),
        lambda: review.application_decide(
            decision="return_by_school", actor=world["school"], application_id=submitted.pk, opinion="请补充"
        ),
    ]
    counter = iter(range(50))

    def decide():
        move = moves[next(counter) % len(moves)]
        try:
            decided.append(move().state)
        except DomainError as error:
            told.append(error.code)

    assert race(50, decide) == []
    application = Application.objects.get(pk=submitted.pk)
    assert len(decided) == 1
    assert told == ["already_handled"] * 49
    assert application.timeline.count() == 2
    # Whichever decision won (approval now leads to 待公示, not straight to the 公示).
    assert application.state in {S.AWAITING_PUBLICITY, S.REFUSED, S.RETURNED}
    assert decided == [application.state]
