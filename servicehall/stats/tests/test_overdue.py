"""超期: the dashboard counts overdue items with one WHERE clause per step; it must agree with the
review workbench's 办理时限, which computes a deadline for each row (subsidy.deadlines.DueDates)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse

from servicehall.reference.models import WorkdayOverride
from servicehall.reference.workdays import SHANGHAI, deadline_at, overdue_if_started_before
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.deadlines import DueDates
from servicehall.subsidy.models import Application

pytestmark = pytest.mark.django_db

TODAY = date(2026, 10, 9)  # the Friday after the National Day week, which has make-up Saturdays


@pytest.mark.parametrize("n", [0, 1, 2, 5, 10, 20])
def test_the_cutoff_agrees_with_deadline_at_day_by_day(n):
    WorkdayOverride.objects.create(day=date(2026, 9, 28), is_workday=False)  # a local rest day
    cutoff = overdue_if_started_before(TODAY, n)
    midnight = datetime.combine(TODAY, time(0), tzinfo=SHANGHAI)
    for back in range(0, 60):
        start = datetime.combine(TODAY - timedelta(days=back), time(15), tzinfo=SHANGHAI)
        assert (deadline_at(start, n) <= midnight) == (start.date() < cutoff), (n, start.date())


def test_a_time_limit_beyond_what_workdays_counts_is_refused():
    with pytest.raises(ValueError):
        overdue_if_started_before(TODAY, 61)


def test_the_dashboard_counts_the_same_overdue_items_as_the_workbench(client, world, cases, year):
    year.first_review_days = 3
    year.save()
    # Spread the waiting items over the last 40 days, around the deadlines.
    waiting = Application.objects.filter(state__in=[S.SCHOOL_REVIEW, S.FIRST_REVIEW, S.SECOND_REVIEW])
    from django.utils import timezone

    now = timezone.now()
    for i, application in enumerate(waiting.order_by("pk")):
        application.state_changed_at = now - timedelta(hours=7 * i)
        application.save(update_fields=["state_changed_at"])
    due = DueDates(now=now)
    expected = {}
    for application in waiting.select_related("graduation_year"):
        expected.setdefault(application.state, 0)
        expected[application.state] += due(application).overdue
    assert all(expected.values()) and sum(expected.values()) < waiting.count()

    client.force_login(world["operator"])
    steps = client.get(reverse("stats:dashboard")).context["dashboard"].steps
    assert [step.overdue for step in steps] == [
        expected[S.SCHOOL_REVIEW],
        expected.get(S.AWAITING_PUBLICITY, 0),
        expected[S.FIRST_REVIEW],
        expected[S.SECOND_REVIEW],
    ]
    assert [step.limit_days for step in steps] == [5, 3, 3, 5]
