"""办理时限: the due date of the step an application is in, in the graduation year's working days.
The workbench, the case page, the exports, the API and the statistics all read it from here."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from servicehall.core.moments import last_day
from servicehall.reference.workdays import SHANGHAI, deadline_at, overdue_if_started_before

from .constants import ApplicationStatus

S = ApplicationStatus

# A step's time limit, in the graduation year's working days.
STEP_DAYS = {
    S.SCHOOL_REVIEW: "school_review_days",
    S.AWAITING_PUBLICITY: "publish_days",
    S.FIRST_REVIEW: "first_review_days",
    S.SECOND_REVIEW: "second_review_days",
}


def overdue_since(today: date, limit_days: int) -> datetime | None:
    """A step begun before this moment is overdue today: the same rule as DueDates, in a form a
    query can use (the statistics and the workbench's counts). None for a limit beyond what the
    working-day calendar counts, which has no due date."""
    try:
        cutoff = overdue_if_started_before(today, limit_days)
    except ValueError:
        return None
    return datetime.combine(cutoff, time(0), tzinfo=SHANGHAI)


def overdue_in(applications, state, *, today: date | None = None) -> int:
    """How many of `applications` wait in `state` past its time limit (one query per graduation
    year among them; a handful)."""
    field = STEP_DAYS[state]
    today = today or timezone.localdate()
    waiting = applications.filter(state=state)
    years = waiting.order_by().values_list("graduation_year_id", f"graduation_year__{field}").distinct()
    count = 0
    for year_id, days in years:
        since = overdue_since(today, days)
        if since is not None:
            count += waiting.filter(graduation_year_id=year_id, state_changed_at__lt=since).count()
    return count


@dataclass(frozen=True)
class Due:
    day: date  # the last day: the deadline is this day's 24:00, Beijing time
    overdue: bool
    kind: str  # "review" or "publicity"


class DueDates:
    """办理时限 of each row. deadline_at reads the working-day overrides once per call; rows whose
    step began on the same day share one call, so a page (or an export) costs a handful."""

    def __init__(self, now: datetime | None = None):
        self.now = now or timezone.now()
        self._deadlines: dict[tuple[date, int], datetime | None] = {}

    def _deadline(self, start: datetime, days: int) -> datetime | None:
        key = (start.astimezone(SHANGHAI).date(), days)
        if key not in self._deadlines:
            try:
                self._deadlines[key] = deadline_at(start, days)
            except ValueError:  # a time limit beyond what workdays counts: no due date
                self._deadlines[key] = None
        return self._deadlines[key]

    def __call__(self, application) -> Due | None:
        in_publicity = application.state == S.PUBLICITY and application.publicity_id
        closes = application.publicity.closes_at if in_publicity else None
        return self.of(application.state, application.state_changed_at, closes, application.graduation_year)

    def of(self, state, state_changed_at, publicity_closes_at, year) -> Due | None:
        """The due date of a step from its values: the state, when it began, when the publicity
        period it is in closes (if any) and the graduation year whose time limits apply."""
        if state == S.PUBLICITY and publicity_closes_at:
            return Due(last_day(publicity_closes_at), overdue=False, kind="publicity")
        field = STEP_DAYS.get(state)
        if field is None or state_changed_at is None or year is None:
            return None
        deadline = self._deadline(state_changed_at, getattr(year, field))
        if deadline is None:
            return None
        return Due(last_day(deadline), overdue=self.now >= deadline, kind="review")

    def day(self, application) -> date | None:
        due = self(application)
        return due.day if due else None
