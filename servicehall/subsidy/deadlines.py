"""办理时限: the due date of the step an application is in, in the graduation year's working days.
The workbench, the case page, the exports, the API and the statistics all read it from here."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from servicehall.reference.workdays import SHANGHAI, deadline_at

from .constants import ApplicationStatus

S = ApplicationStatus

# A step's time limit, in the graduation year's working days.
STEP_DAYS = {
    S.SCHOOL_REVIEW: "school_review_days",
    S.FIRST_REVIEW: "first_review_days",
    S.SECOND_REVIEW: "second_review_days",
}


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
        if application.state == S.PUBLICITY and application.publicity_id:
            closes = application.publicity.closes_at
            return Due(self._last_day(closes), overdue=False, kind="publicity")
        field = STEP_DAYS.get(application.state)
        if field is None or application.state_changed_at is None or application.graduation_year is None:
            return None
        deadline = self._deadline(application.state_changed_at, getattr(application.graduation_year, field))
        if deadline is None:
            return None
        return Due(self._last_day(deadline), overdue=self.now >= deadline, kind="review")

    @staticmethod
    def _last_day(deadline: datetime) -> date:
        return (deadline.astimezone(SHANGHAI) - timedelta(microseconds=1)).date()

    def day(self, application) -> date | None:
        due = self(application)
        return due.day if due else None
